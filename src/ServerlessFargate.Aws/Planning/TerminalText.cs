using System.Globalization;
using System.Text;

namespace ServerlessFargate.Aws.Planning;

/// <summary>
/// Makes text from a template safe to print on a terminal: a logical ID or a property name is
/// the deployer's input, and a deployed template is whatever the stack holds.
/// </summary>
internal static class TerminalText
{
    /// <summary>
    /// Escapes what a terminal would act on instead of showing: C0 controls but tab (ESC starts
    /// colour and cursor sequences, CR overwrites the line), DEL, C1 controls (U+009B is a
    /// one-character CSI), and the bidi embeddings, overrides and isolates U+202A–U+202E and
    /// U+2066–U+2069, which reorder what follows them ("Trojan Source"). Each becomes \xNN or \uNNNN.
    /// </summary>
    internal static string Escape(string text) =>
        Replace(text, c => (c < ' ' && c != '\t') || c is >= '\u007F' and <= '\u009F' || IsBidiControl(c),
            c => c <= '\u00FF' ? "\\x" + ((int)c).ToString("X2", CultureInfo.InvariantCulture) : Unicode(c));

    /// <summary>
    /// For JSON that may be printed: the writer escapes the controls already but passes the bidi
    /// controls through; here they become JSON's \uNNNN, which a parser reads back as the same text.
    /// </summary>
    internal static string EscapeBidiInJson(string json) => Replace(json, IsBidiControl, Unicode);

    private static bool IsBidiControl(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';

    private static string Unicode(char c) => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);

    private static string Replace(string text, Func<char, bool> unsafeChar, Func<char, string> escape)
    {
        if (!text.Any(unsafeChar))
        {
            return text;
        }
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (unsafeChar(c))
            {
                escaped.Append(escape(c));
            }
            else
            {
                escaped.Append(c);
            }
        }
        return escaped.ToString();
    }
}

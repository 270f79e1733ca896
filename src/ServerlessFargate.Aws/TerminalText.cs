using System.Globalization;
using System.Text;

namespace ServerlessFargate.Aws;

/// <summary>
/// Text that came from AWS or a container, made safe to print: whoever can write a line into
/// a service's log (any visitor of an internet-facing service, through a logged header) must not
/// be able to drive the terminal that reads it. A terminal obeys control characters in what it
/// prints: <c>ESC ]0;title BEL</c> retitles the window, <c>ESC ]52;c;BASE64 BEL</c> writes the
/// clipboard, <c>ESC [2K</c> and <c>CR</c> rub out what was printed, and the Unicode bidi
/// controls reorder what the reader sees (the "Trojan Source" characters, CVE-2021-42574).
/// Each is written visibly instead, as journalctl does: <c>ESC ]0;x BEL</c> prints as
/// <c>\x1b]0;x\x07</c>, CR as <c>\r</c>, U+202E as <c>\u202e</c>. Tab and newline pass: they
/// move the cursor forward only, and a log line's own newlines are its shape.
/// </summary>
public static class TerminalText
{
    private static readonly System.Buffers.SearchValues<char> Escaped =
        System.Buffers.SearchValues.Create([.. Enumerable.Range(0, 0x10000).Select(i => (char)i).Where(IsEscaped)]);

    /// <summary>Whether <paramref name="c"/> is escaped: C0 controls but tab and newline, DEL, C1 controls, and the bidi embeddings, overrides and isolates.</summary>
    public static bool IsEscaped(char c) => c switch
    {
        '\t' or '\n' => false,
        < ' ' or '\x7f' => true,
        // C1: U+009B is a one-character CSI to terminals that take 8-bit controls (ESC [ in one).
        >= '\x80' and <= '\x9f' => true,
        // LRE, RLE, PDF, LRO, RLO and LRI, RLI, FSI, PDI.
        >= '\u202a' and <= '\u202e' => true,
        >= '\u2066' and <= '\u2069' => true,
        _ => false,
    };

    /// <summary><paramref name="text"/> with each escaped character written visibly; the same string when there is none.</summary>
    public static string Escape(string text)
    {
        var first = text.AsSpan().IndexOfAny(Escaped);
        if (first < 0)
        {
            return text;
        }
        var escaped = new StringBuilder(text.Length + 16);
        escaped.Append(text.AsSpan(0, first));
        Append(escaped, text.AsSpan(first));
        return escaped.ToString();
    }

    /// <summary>
    /// As <see cref="Escape"/>, and a newline written as <c>\n</c> too: for text that must stay
    /// on its line (a logical ID or a property name in a plan's line).
    /// </summary>
    public static string EscapeLine(string text) => Escape(text).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Appends <paramref name="text"/> to <paramref name="to"/>, escaping as <see cref="Escape"/> does.</summary>
    public static void Append(StringBuilder to, ReadOnlySpan<char> text)
    {
        while (text.Length > 0)
        {
            var next = text.IndexOfAny(Escaped);
            if (next < 0)
            {
                to.Append(text);
                return;
            }
            to.Append(text[..next]);
            to.Append(Visible(text[next]));
            text = text[(next + 1)..];
        }
    }

    /// <summary>How an escaped character is written: <c>\r</c>, <c>\x1b</c> below U+0100, <c>\u202e</c> above.</summary>
    public static string Visible(char c) => c switch
    {
        '\r' => "\\r",
        < '\u0100' => "\\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture),
        _ => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
    };

}

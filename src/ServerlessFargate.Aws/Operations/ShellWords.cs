using System.Text;

namespace ServerlessFargate.Aws.Operations;

/// <summary>
/// Splits <c>--command "…"</c> into the words ECS passes to the container, as a POSIX shell
/// would: spaces separate, single quotes keep everything, double quotes keep all but <c>\"</c>
/// and <c>\\</c>, a backslash outside quotes keeps the next character. Nothing is expanded.
/// </summary>
public static class ShellWords
{
    public static IReadOnlyList<string> Split(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case ' ' or '\t' or '\n':
                    if (inWord)
                    {
                        words.Add(word.ToString());
                        word.Clear();
                        inWord = false;
                    }
                    break;
                case '\'':
                    var close = text.IndexOf('\'', i + 1);
                    if (close < 0)
                    {
                        throw new OperationException($"--command has a ' that is not closed: {text}", isUsage: true);
                    }
                    word.Append(text, i + 1, close - i - 1);
                    i = close;
                    inWord = true;
                    break;
                case '"':
                    i++;
                    while (i < text.Length && text[i] != '"')
                    {
                        if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\')
                        {
                            i++;
                        }
                        word.Append(text[i]);
                        i++;
                    }
                    if (i >= text.Length)
                    {
                        throw new OperationException($"--command has a \" that is not closed: {text}", isUsage: true);
                    }
                    inWord = true;
                    break;
                case '\\':
                    if (i + 1 < text.Length)
                    {
                        word.Append(text[++i]);
                    }
                    inWord = true;
                    break;
                default:
                    word.Append(c);
                    inWord = true;
                    break;
            }
        }
        if (inWord)
        {
            words.Add(word.ToString());
        }
        return words;
    }

    /// <summary>Quotes a word so <see cref="Split"/> gives it back unchanged.</summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or '=' or ':' or ',')
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

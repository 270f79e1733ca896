using System.Text;
using ServerlessFargate.Variables;

namespace ServerlessFargate.Cli.Commands;

/// <summary>
/// <c>run --env-file FILE</c>: variables for one run from a dotenv file, so secrets need not be
/// typed into a command line (which every user of the machine can read in <c>ps</c>). It takes
/// the part of the format the tools agree on and refuses the rest, because the same line means
/// different values to different tools: <c>A=b #c</c> is <c>b</c> to Compose and <c>b #c</c> to
/// <c>docker run --env-file</c>; <c>A=$HOME</c> is expanded by Compose and python-dotenv and not
/// by docker. Taken: <c>NAME=VALUE</c> lines, <c>export NAME=VALUE</c>, blank lines, <c>#</c>
/// comments (on a line of their own or after a quoted value), <c>'single'</c> quotes (as
/// written) and <c>"double"</c> quotes (with <c>\n</c>, <c>\t</c>, <c>\r</c>, <c>\"</c>,
/// <c>\\</c>). Nothing is expanded. An error names the file and line and never quotes it: the
/// line may hold a secret.
/// </summary>
internal static class EnvironmentFile
{
    /// <summary>Reads <paramref name="path"/> as untrusted input (regular files only, size capped, as <c>${file()}</c>) and parses it.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Read(string path, string workingDirectory) =>
        InputFile.Read(Path.GetFullPath(path, workingDirectory)) switch
        {
            InputFile.Result.Found found => Parse(found.Text, path),
            InputFile.Result.Refused refused => throw new UsageException($"--env-file: {path} {refused.Reason}"),
            _ => throw new UsageException($"--env-file: {path}: no such file"),
        };

    public static IReadOnlyList<KeyValuePair<string, string>> Parse(string text, string display)
    {
        var variables = new List<KeyValuePair<string, string>>();
        var lines = text.TrimStart('\uFEFF').Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r').TrimStart(' ', '\t');
            UsageException Problem(string problem) => new($"{display}:{i + 1}: {problem}");
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            if (line.StartsWith("export", StringComparison.Ordinal) && line.Length > 6 && line[6] is ' ' or '\t')
            {
                line = line[7..].TrimStart(' ', '\t');
            }
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                throw Problem("not NAME=VALUE, a comment (#) or a blank line");
            }
            var name = line[..equals];
            if (!EnvironmentAssignment.IsName(name))
            {
                throw Problem(EnvironmentAssignment.IsName(name.TrimEnd(' ', '\t'))
                    ? "a space before `=`; write NAME=VALUE"
                    : "the text before `=` is not a variable name (letters, digits and _, not starting with a digit)");
            }
            variables.Add(KeyValuePair.Create(name, Value(line.AsSpan(equals + 1), Problem)));
        }
        return variables;
    }

    private static string Value(ReadOnlySpan<char> text, Func<string, UsageException> problem)
    {
        if (text.Length > 0 && text[0] is '"' or '\'')
        {
            var quote = text[0];
            var value = new StringBuilder();
            var i = 1;
            for (; i < text.Length && text[i] != quote; i++)
            {
                if (quote == '\'')
                {
                    value.Append(text[i]);
                }
                else if (text[i] == '$')
                {
                    throw problem("`$` in double quotes, which other tools expand and sls-fargate does not; put the value in single quotes to keep it as written");
                }
                else if (text[i] != '\\')
                {
                    value.Append(text[i]);
                }
                else
                {
                    i++;
                    value.Append(i < text.Length ? text[i] switch
                    {
                        'n' => "\n",
                        't' => "\t",
                        'r' => "\r",
                        '"' => "\"",
                        '\\' => "\\",
                        _ => throw problem("a backslash in double quotes that starts none of \\n, \\t, \\r, \\\" and \\\\; write \\\\ for a backslash"),
                    } : throw problem("the double quote is not closed on its line"));
                }
            }
            if (i >= text.Length)
            {
                throw problem(quote == '"' ? "the double quote is not closed on its line" : "the single quote is not closed on its line");
            }
            var rest = text[(i + 1)..].TrimStart(" \t");
            if (rest.Length > 0 && rest[0] != '#')
            {
                throw problem("text after the closing quote; only a comment (#) may follow it");
            }
            return value.ToString();
        }

        var plain = text.TrimEnd(" \t");
        if (plain.Length > 0 && plain[0] is ' ' or '\t')
        {
            throw problem("a space after `=`, which some tools keep and others drop; write NAME=VALUE, or quote the value");
        }
        if (plain.IndexOf(" #", StringComparison.Ordinal) >= 0 || plain.IndexOf("\t#", StringComparison.Ordinal) >= 0)
        {
            throw problem("` #` in an unquoted value, which some tools read as a comment and others as part of the value; quote the value, or put the comment on a line of its own");
        }
        if (plain.IndexOfAny("\"'") >= 0)
        {
            throw problem("a quote inside an unquoted value; quote the whole value");
        }
        if (plain.Contains('$'))
        {
            throw problem("`$` in an unquoted value, which other tools expand and sls-fargate does not; put the value in single quotes to keep it as written");
        }
        return plain.ToString();
    }
}

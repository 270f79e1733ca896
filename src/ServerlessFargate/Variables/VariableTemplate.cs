using System.Text.RegularExpressions;

namespace ServerlessFargate.Variables;

/// <summary>A piece of a scalar: literal text, or the body of one <c>${...}</c> (which may nest more).</summary>
internal readonly record struct TemplatePart(string Text, bool IsVariable);

/// <summary>Splits scalar text into literal text and <c>${...}</c> bodies, matching nested braces.</summary>
internal static partial class VariableTemplate
{
    /// <summary>
    /// A Serverless variable starts with a source: <c>self:</c>, <c>env:</c>, <c>file(...)</c>.
    /// Anything else inside <c>${}</c> is CloudFormation's, for <c>Fn::Sub</c>: <c>${AWS::Region}</c>
    /// (two colons), <c>${MyBucket}</c>, <c>${MyRole.Arn}</c>; the framework leaves those as they are.
    /// </summary>
    [GeneratedRegex(@"^\s*[A-Za-z][A-Za-z0-9]*(\(|:(?!:))")]
    private static partial Regex VariableStart();

    public static bool IsVariableBody(string body) => VariableStart().IsMatch(body);

    public static bool ContainsVariable(string text) => text.Contains("${", StringComparison.Ordinal);

    /// <summary>Returns null when a <c>${</c> is never closed.</summary>
    public static List<TemplatePart>? Split(string text)
    {
        var parts = new List<TemplatePart>();
        var literalStart = 0;
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '$' && i + 1 < text.Length && text[i + 1] == '{')
            {
                var end = FindClose(text, i + 2);
                if (end < 0)
                {
                    return null;
                }
                var body = text[(i + 2)..end];
                if (!IsVariableBody(body))
                {
                    i = end + 1;
                    continue;
                }
                if (i > literalStart)
                {
                    parts.Add(new TemplatePart(text[literalStart..i], false));
                }
                parts.Add(new TemplatePart(body, true));
                i = end + 1;
                literalStart = i;
            }
            else
            {
                i++;
            }
        }
        if (literalStart < text.Length)
        {
            parts.Add(new TemplatePart(text[literalStart..], false));
        }
        return parts;
    }

    /// <summary>The index of the <c>}</c> that closes a <c>${</c> whose body starts at <paramref name="from"/>, or -1.</summary>
    private static int FindClose(string text, int from)
    {
        foreach (var (index, c, depth) in Unquoted(text, from))
        {
            // The body starts at depth 0, so its closing brace brings the depth below it.
            if (c == '}' && depth < 0)
            {
                return index;
            }
        }
        return -1;
    }

    /// <summary>
    /// Splits a variable body on the commas that separate fallbacks:
    /// <c>env:X, self:y, 'a, b'</c> gives three alternatives.
    /// </summary>
    public static List<string> SplitAlternatives(string body)
    {
        var result = new List<string>();
        var start = 0;
        foreach (var (index, c, depth) in Unquoted(body, 0))
        {
            if (c == ',' && depth == 0)
            {
                result.Add(body[start..index].Trim());
                start = index + 1;
            }
        }
        result.Add(body[start..].Trim());
        return result;
    }

    /// <summary>
    /// The characters outside quoted strings, each with its bracket depth ({ and ( open, } and )
    /// close; a closing bracket is reported at the depth it returns to).
    /// </summary>
    private static IEnumerable<(int Index, char C, int Depth)> Unquoted(string text, int from)
    {
        var depth = 0;
        char? quote = null;
        for (var i = from; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }
                continue;
            }
            switch (c)
            {
                case '\'' or '"':
                    quote = c;
                    continue;
                case '{' or '(':
                    yield return (i, c, depth++);
                    continue;
                case '}' or ')':
                    depth--;
                    break;
            }
            yield return (i, c, depth);
        }
    }
}

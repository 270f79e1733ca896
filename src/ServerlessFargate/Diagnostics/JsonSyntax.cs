using System.Text.Json;

namespace ServerlessFargate.Diagnostics;

/// <summary>Where System.Text.Json found a syntax error, and its message without the parser's advice to the programmer.</summary>
public static class JsonSyntax
{
    public static (SourceSpan Span, string Message) Describe(SourceFile file, JsonException exception)
    {
        var line = (int)(exception.LineNumber ?? 0) + 1;
        var column = (int)(exception.BytePositionInLine ?? 0) + 1;
        // "…contains a trailing comma at the end which is not supported in this mode. Change the reader options."
        var message = exception.Message.Split(". ")[0].Replace(" which is not supported in this mode", "", StringComparison.Ordinal).TrimEnd('.', ' ');
        return (file.SpanAt(line, column), message);
    }

    /// <summary>
    /// What System.Text.Json accepts but a template or request must not hold: a key twice in one
    /// object (the last would silently win) and text that is not valid Unicode (a lone surrogate
    /// escape such as <c>\ud800</c>). Null when there is neither.
    /// </summary>
    public static string? FindProblem(JsonElement root)
    {
        var pending = new Stack<JsonElement>([root]);
        while (pending.TryPop(out var element))
        {
            try
            {
                switch (element.ValueKind)
                {
                    case JsonValueKind.Object:
                        var keys = new HashSet<string>(StringComparer.Ordinal);
                        foreach (var property in element.EnumerateObject())
                        {
                            if (!keys.Add(property.Name))
                            {
                                return $"the key `{property.Name}` appears twice in one object";
                            }
                            pending.Push(property.Value);
                        }
                        break;
                    case JsonValueKind.Array:
                        foreach (var item in element.EnumerateArray())
                        {
                            pending.Push(item);
                        }
                        break;
                    case JsonValueKind.String:
                        _ = element.GetString();
                        break;
                }
            }
            catch (InvalidOperationException)
            {
                return "it holds text that is not valid Unicode (a lone surrogate escape such as \\ud800)";
            }
        }
        return null;
    }
}

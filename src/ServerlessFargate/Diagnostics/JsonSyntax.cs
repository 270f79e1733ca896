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
}

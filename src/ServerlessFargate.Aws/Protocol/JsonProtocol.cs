using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

using ServerlessFargate.Aws;

namespace ServerlessFargate.Aws.Protocol;

/// <summary>
/// AWS's JSON 1.1 protocol (ECS, CloudWatch Logs, EventBridge): a POST to <c>/</c> naming the
/// operation in <c>X-Amz-Target</c>, a JSON body both ways, and errors as
/// <c>{"__type": "...#Code", "message": "..."}</c>. JSON 1.0 (Step Functions) differs only in
/// its content type.
/// https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html
/// </summary>
internal sealed class JsonProtocol(AwsSession session, AwsService service, string targetPrefix, string version = JsonProtocol.Version11)
{
    public const string Version11 = "1.1";

    public const string Version10 = "1.0";

    /// <summary>Calls <paramref name="operation"/> and reads its answer with <paramref name="read"/>, which may throw <see cref="UnexpectedAnswerException"/>.</summary>
    public async Task<T> CallAsync<T>(string operation, JsonObject request, Func<JsonObject, T> read, CancellationToken cancel, bool write = false)
    {
        var headers = new Dictionary<string, string> { ["X-Amz-Target"] = $"{targetPrefix}.{operation}" };
        var call = new AwsRequest(service, operation, HttpMethod.Post, session.Endpoint(service), Encoding.UTF8.GetBytes(request.ToJsonString()),
            "application/x-amz-json-" + version, headers, write);
        var answer = await session.SendAsync(call, ReadError, cancel).ConfigureAwait(false);
        return Read(answer.Body, service, operation, read, write);
    }

    /// <summary>Parses an answer's body and reads it; every shape problem is <see cref="AwsException.Unexpected"/>.</summary>
    public static T Read<T>(string text, AwsService service, string operation, Func<JsonObject, T> read, bool write = false)
    {
        JsonObject answer;
        try
        {
            // Operations that return nothing answer with an empty body or {}.
            answer = string.IsNullOrWhiteSpace(text) ? [] : JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 64 }) as JsonObject
                ?? throw AwsException.Unexpected(service, operation, "not a JSON object", write);
        }
        catch (JsonException ex)
        {
            throw AwsException.Unexpected(service, operation, $"not JSON: {AwsSession.FirstLine(ex.Message)}", write);
        }
        try
        {
            return read(answer);
        }
        catch (UnexpectedAnswerException ex)
        {
            throw AwsException.Unexpected(service, operation, ex.Message, write);
        }
    }

    /// <summary>The error code from <c>__type</c> (or the <c>x-amzn-ErrorType</c> header) without its namespace.</summary>
    public static (string? Code, string Message) ReadError(string text, HttpResponseMessage response)
    {
        string? type = response.Headers.TryGetValues("x-amzn-ErrorType", out var values) ? values.FirstOrDefault() : null;
        string? message = null;
        try
        {
            if (JsonNode.Parse(text) is JsonObject error)
            {
                type = (error["__type"] ?? error["code"]) is JsonValue t && t.TryGetValue<string>(out var s) ? s : type;
                message = (error["message"] ?? error["Message"]) is JsonValue m && m.TryGetValue<string>(out var text2) ? text2 : null;
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's page): the status line is all there is.
        }
        var code = type?.Split(':')[0] is { } c ? c[(c.LastIndexOf('#') + 1)..] : null;
        return (code, message ?? $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
    }
}

/// <summary>
/// Reading answers as the untrusted input they are: a missing optional field is null, but a field
/// of the wrong type (a number where a string belongs) is an unexpected answer, never a crash or a
/// silent default.
/// </summary>
internal static class JsonRead
{
    public static string? Text(this JsonNode? node, string name) => Field(node, name) switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        var other => throw Wrong(name, other, "a string"),
    };

    /// <summary>A field the answer must have.</summary>
    public static string Required(this JsonNode? node, string name) =>
        Text(node, name) ?? throw new UnexpectedAnswerException($"`{name}` is missing");

    public static long? Number(this JsonNode? node, string name)
    {
        switch (Field(node, name))
        {
            case null:
                return null;
            case JsonValue v when v.TryGetValue<long>(out var l):
                return l;
            case JsonValue v when v.TryGetValue<double>(out var d) && double.IsFinite(d) && Math.Abs(d) < 9e18:
                return (long)d;
            case var other:
                throw Wrong(name, other, "a number");
        }
    }

    public static bool? Flag(this JsonNode? node, string name) => Field(node, name) switch
    {
        null => null,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        var other => throw Wrong(name, other, "true or false"),
    };

    /// <summary>The items of a list field (none when it is absent); each must be a JSON object.</summary>
    public static IEnumerable<JsonObject> Objects(this JsonNode? node, string name) =>
        List(node, name).Select((item, i) => item as JsonObject ?? throw Wrong($"{name}[{i}]", item, "an object"));

    /// <summary>The items of a list of strings (none when it is absent).</summary>
    public static IEnumerable<string> Strings(this JsonNode? node, string name) =>
        List(node, name).Select((item, i) => item is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw Wrong($"{name}[{i}]", item, "a string"));

    /// <summary>ECS and Logs write times as seconds (with a fraction) or milliseconds since 1970.</summary>
    public static DateTimeOffset? EpochSeconds(this JsonNode? node, string name) => Field(node, name) switch
    {
        null => null,
        JsonValue v when v.TryGetValue<double>(out var seconds) && Math.Abs(seconds) < 1e11 => DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000)),
        var other => throw Wrong(name, other, "a time in seconds"),
    };

    public static DateTimeOffset? EpochMilliseconds(this JsonNode? node, string name) =>
        Number(node, name) is { } ms && Math.Abs(ms) < 1e14 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    private static JsonArray List(JsonNode? node, string name) => Field(node, name) switch
    {
        null => [],
        JsonArray a => a,
        var other => throw Wrong(name, other, "a list"),
    };

    /// <summary>The field, or null when it is absent or JSON null.</summary>
    private static JsonNode? Field(JsonNode? node, string name) => node is JsonObject o ? o[name] : null;

    private static UnexpectedAnswerException Wrong(string name, JsonNode? found, string expected) =>
        new($"`{name}` is {Kind(found)}, not {expected}");

    private static string Kind(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "a list",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            _ => "a value",
        },
        _ => "something else",
    };
}

using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

using ServerlessFargate.Aws;

namespace ServerlessFargate.Aws.Protocol;

/// <summary>
/// AWS's JSON 1.1 protocol (ECS, CloudWatch Logs, EventBridge): a POST to <c>/</c> naming the
/// operation in <c>X-Amz-Target</c>, a JSON body both ways, and errors as
/// <c>{"__type": "...#Code", "message": "..."}</c>.
/// https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html
/// </summary>
internal sealed class JsonProtocol(AwsSession session, AwsService service, string targetPrefix)
{
    public async Task<JsonObject> CallAsync(string operation, JsonObject request, CancellationToken cancel)
    {
        var body = Encoding.UTF8.GetBytes(request.ToJsonString());
        var headers = new Dictionary<string, string> { ["X-Amz-Target"] = $"{targetPrefix}.{operation}" };
        var text = await session.SendAsync(service, operation, HttpMethod.Post, "/", body, "application/x-amz-json-1.1", headers, ReadError, cancel)
            .ConfigureAwait(false);
        return Parse(text, service, operation);
    }

    public static JsonObject Parse(string text, AwsService service, string operation)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }
        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw new AwsException($"{service.DisplayName} {operation} answered with something that is not a JSON object");
        }
        catch (JsonException ex)
        {
            throw new AwsException($"{service.DisplayName} {operation} answered with something that is not JSON: {ex.Message}", inner: ex);
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
                type = (error["__type"] ?? error["code"])?.GetValue<string>() ?? type;
                message = (error["message"] ?? error["Message"])?.GetValue<string>();
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            // Not JSON (a proxy's page): the status line is all there is.
        }
        var code = type?.Split(':')[0] is { } t ? t[(t.LastIndexOf('#') + 1)..] : null;
        return (code, message ?? $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
    }
}

/// <summary>Reading answers without a crash on a missing or mistyped field.</summary>
internal static class JsonRead
{
    public static string? Text(this JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static long? Number(this JsonNode? node, string name)
    {
        if (node is not JsonObject o || o[name] is not JsonValue v)
        {
            return null;
        }
        if (v.TryGetValue<long>(out var l))
        {
            return l;
        }
        return v.TryGetValue<double>(out var d) ? (long)d : null;
    }

    public static IEnumerable<JsonNode> Items(this JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonArray a ? a.Where(i => i is not null).Select(i => i!) : [];

    /// <summary>ECS and Logs write times as seconds (with a fraction) or milliseconds since 1970.</summary>
    public static DateTimeOffset? EpochSeconds(this JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue v && v.TryGetValue<double>(out var seconds)
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))
            : null;
}

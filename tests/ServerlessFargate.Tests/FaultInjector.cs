using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace ServerlessFargate.Tests;

/// <summary>
/// Sits between the commands and moto: lets tests throttle calls, answer operations moto lacks,
/// change answers, and act when an operation passes (put a task's log lines when it starts).
/// </summary>
internal sealed class FaultInjector() : DelegatingHandler(new SocketsHttpHandler())
{
    /// <summary>Per X-Amz-Target operation (or query Action): an answer to give instead of asking moto.</summary>
    public Dictionary<string, Func<HttpResponseMessage>> Replace { get; } = new(StringComparer.Ordinal);

    /// <summary>Per operation: a change to moto's answer as text (for the XML of CloudFormation).</summary>
    public Dictionary<string, Func<string, string>> RewriteText { get; } = new(StringComparer.Ordinal);

    /// <summary>Per operation: a change to moto's JSON answer.</summary>
    public Dictionary<string, Action<JsonObject>> Rewrite { get; } = new(StringComparer.Ordinal);

    /// <summary>Per operation: something to do after moto answered (given the answer).</summary>
    public Dictionary<string, Action<JsonObject>> After { get; } = new(StringComparer.Ordinal);

    /// <summary>Per operation: how many more times to answer 400 ThrottlingException before passing calls on.</summary>
    public Dictionary<string, int> Throttle { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Per operation: how many more times to pass the call on to moto (so AWS does it) and then
    /// lose the answer, giving this instead (a 503, or a thrown exception for a reset): what a
    /// network or a load balancer does to a write that succeeded.
    /// </summary>
    public Dictionary<string, (int Times, Func<HttpResponseMessage> Answer)> LoseAnswer { get; } = new(StringComparer.Ordinal);

    /// <summary>Per operation: how many more times to answer this without asking moto (AWS never saw the call).</summary>
    public Dictionary<string, (int Times, Func<HttpResponseMessage> Answer)> FailBeforeSending { get; } = new(StringComparer.Ordinal);

    /// <summary>Per operation: never answer (until the request is cancelled).</summary>
    public HashSet<string> Hang { get; } = new(StringComparer.Ordinal);

    public List<string> Calls { get; } = [];

    /// <summary>The last request body of each operation.</summary>
    public Dictionary<string, string> Bodies { get; } = new(StringComparer.Ordinal);

    /// <summary>The last request's headers of each operation (lower-case names).</summary>
    public Dictionary<string, Dictionary<string, string>> Headers { get; } = new(StringComparer.Ordinal);

    /// <summary>Every request body of each operation, in order.</summary>
    public Dictionary<string, List<string>> AllBodies { get; } = new(StringComparer.Ordinal);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var operation = Operation(request, body);
        lock (Calls)
        {
            Calls.Add(operation);
            Bodies[operation] = body;
            Headers[operation] = request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(',', h.Value), StringComparer.Ordinal);
            (AllBodies.TryGetValue(operation, out var all) ? all : AllBodies[operation] = []).Add(body);
        }
        if (Hang.Contains(operation))
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        if (Throttle.TryGetValue(operation, out var remaining) && remaining > 0)
        {
            Throttle[operation] = remaining - 1;
            return JsonError(HttpStatusCode.BadRequest, "ThrottlingException", "Rate exceeded");
        }
        if (FailBeforeSending.TryGetValue(operation, out var fail) && fail.Times > 0)
        {
            FailBeforeSending[operation] = (fail.Times - 1, fail.Answer);
            return fail.Answer();
        }
        if (Replace.TryGetValue(operation, out var replacement))
        {
            return replacement();
        }
        var response = await base.SendAsync(request, cancellationToken);
        if (LoseAnswer.TryGetValue(operation, out var lose) && lose.Times > 0)
        {
            LoseAnswer[operation] = (lose.Times - 1, lose.Answer);
            response.Dispose();
            return lose.Answer();
        }
        if (response.IsSuccessStatusCode && RewriteText.TryGetValue(operation, out var rewriteText))
        {
            var text = rewriteText(await response.Content.ReadAsStringAsync(cancellationToken));
            return new HttpResponseMessage(response.StatusCode) { Content = new StringContent(text, Encoding.UTF8, "text/xml") };
        }
        if (!response.IsSuccessStatusCode || !(Rewrite.ContainsKey(operation) || After.ContainsKey(operation)))
        {
            return response;
        }
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!.AsObject();
        if (Rewrite.TryGetValue(operation, out var rewrite))
        {
            rewrite(answer);
        }
        if (After.TryGetValue(operation, out var after))
        {
            after(answer);
        }
        return new HttpResponseMessage(response.StatusCode) { Content = new StringContent(answer.ToJsonString(), Encoding.UTF8, "application/x-amz-json-1.1") };
    }

    private static string Operation(HttpRequestMessage request, string body)
    {
        if (request.Headers.TryGetValues("X-Amz-Target", out var targets))
        {
            return targets.First().Split('.').Last();
        }
        if (request.Method == HttpMethod.Put)
        {
            // The only REST write the commands make is S3's.
            return "PutObject";
        }
        var action = body.Split('&').FirstOrDefault(p => p.StartsWith("Action=", StringComparison.Ordinal));
        return action?["Action=".Length..] ?? request.RequestUri!.AbsolutePath;
    }

    /// <summary>Changes each task in moto's DescribeTasks answers.</summary>
    public void RewriteTasks(Action<JsonObject> change) =>
        Rewrite["DescribeTasks"] = answer =>
        {
            foreach (var task in answer["tasks"]!.AsArray())
            {
                change(task!.AsObject());
            }
        };

    public static HttpResponseMessage ServiceUnavailable() =>
        new(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("<html><body>503 Service Unavailable</body></html>", Encoding.UTF8, "text/html") };

    /// <summary>A connection reset after the request was sent: the answer never arrives.</summary>
    public static HttpResponseMessage Reset() =>
        throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely.", new IOException("Connection reset by peer"));

    public static HttpResponseMessage JsonError(HttpStatusCode status, string code, string message) =>
        new(status) { Content = new StringContent(new JsonObject { ["__type"] = code, ["message"] = message }.ToJsonString(), Encoding.UTF8, "application/x-amz-json-1.1") };
}

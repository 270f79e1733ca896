using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Net.Http.Headers;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;

namespace ServerlessFargate.Aws;

/// <summary>What a session is built from: the command's options and the environment it runs in.</summary>
/// <param name="Region">The command's region, as the configuration's model holds it (Variables' <c>FrameworkRegion</c> chose it).</param>
/// <param name="Profile">--aws-profile, when given (otherwise <c>AWS_PROFILE</c>).</param>
/// <param name="Handler">Where requests go; tests put a fault injector in front of moto here.</param>
public sealed record AwsSettings(string Region, string? Profile, Func<string, string?> GetVariable)
{
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>The first retry's wait; each later one doubles it, up to 20 seconds, with jitter.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Attempts per call, as the SDKs' standard retry mode (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html).</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>How long one attempt may take, its answer's body included, before it counts as failed.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often every wait of the command looks at AWS again, when set (tests shorten it); null: each wait's own pace.</summary>
    public TimeSpan? PollInterval { get; init; }

    /// <summary>
    /// The largest answer read. The largest documents we ask for are a template (1 MB) and a page
    /// of log events (1 MB); anything near this is not AWS's answer.
    /// </summary>
    public long MaxAnswerBytes { get; init; } = 64L * 1024 * 1024;
}

/// <summary>One HTTP request to AWS, before signing.</summary>
/// <param name="IsWrite">
/// Whether the request changes something. A write is not retried after an unclear failure (the
/// first attempt may have done it); <see cref="AwsSession.WriteAsync"/> looks before it retries.
/// </param>
internal sealed record AwsRequest(AwsService Service, string Operation, HttpMethod Method, Uri Address, byte[] Body, string? ContentType,
    IReadOnlyDictionary<string, string> Headers, bool IsWrite);

/// <summary>A successful answer: its body and the headers a caller may need (S3's version id).</summary>
internal sealed record AwsAnswer(string Body, IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// The region, credentials and endpoints of one command, and the one place requests are signed,
/// sent and retried. Credentials come from the SDK's chain: the environment, a profile (static
/// keys, SSO, assume-role, web identity, credential_process), container and instance metadata.
/// </summary>
public sealed class AwsSession : IDisposable
{
    private readonly AwsSettings _settings;
    private readonly HttpClient _http;
    private readonly Lazy<AWSCredentials> _credentials;

    public AwsSession(AwsSettings settings)
    {
        _settings = settings;
        _http = new HttpClient(settings.Handler ?? new SocketsHttpHandler(), disposeHandler: settings.Handler is null)
        {
            // Each attempt has its own deadline, which covers reading the body too (see SendAsync).
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
        Profile = Variable("AWS_PROFILE") is { } fromEnvironment && settings.Profile is null ? fromEnvironment : settings.Profile;
        Region = settings.Region;
        _credentials = new Lazy<AWSCredentials>(ResolveCredentials);
    }

    public string Region { get; }

    /// <summary>The pace of a wait that looks every <paramref name="normal"/>: that, unless the settings set one for all.</summary>
    public TimeSpan Pace(TimeSpan normal) => _settings.PollInterval ?? normal;

    /// <summary>The named profile in use, or null for the default chain.</summary>
    public string? Profile { get; }

    /// <summary>The credentials as they are now (tests read them).</summary>
    internal ImmutableCredentials Credentials => CurrentCredentialsAsync(CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>
    /// The region the environment names (<c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>, the
    /// profile's), when it differs from the command's: it is not used, and a user who set it
    /// should hear so.
    /// </summary>
    public string? IgnoredEnvironmentRegion()
    {
        string? found;
        try
        {
            found = Variable("AWS_REGION") ?? Variable("AWS_DEFAULT_REGION")
                ?? (new CredentialProfileStoreChain().TryGetProfile(Profile ?? "default", out var profile) ? profile.Region?.SystemName : null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or AmazonClientException)
        {
            found = Variable("AWS_REGION") ?? Variable("AWS_DEFAULT_REGION");
        }
        return found is not null && found != Region ? found : null;
    }

    /// <summary>
    /// The credentials object, not its value: assumed-role, SSO and credential_process credentials
    /// expire, and the SDK's object renews them when asked near their end. Each request asks it,
    /// so a deploy that waits an hour still signs with valid keys.
    /// </summary>
    private AWSCredentials ResolveCredentials()
    {
        // Keys in the command's environment come before AWS_PROFILE, as in the AWS CLI (only
        // --aws-profile beats them). The plugin passes the credentials the framework resolved
        // this way, and tests pass theirs.
        if (_settings.Profile is null && Variable("AWS_ACCESS_KEY_ID") is { } keyId && Variable("AWS_SECRET_ACCESS_KEY") is { } secret)
        {
            return Variable("AWS_SESSION_TOKEN") is { } token ? new SessionAWSCredentials(keyId, secret, token) : new BasicAWSCredentials(keyId, secret);
        }
        if (Profile is null)
        {
            AotCredentialClients.Register(null);
            return CredentialStep(() => DefaultAWSCredentialsIdentityResolver.GetCredentials(null));
        }
        var profile = Profile;
        var store = new CredentialProfileStoreChain();
        AotCredentialClients.Register(CredentialStep(() => AotCredentialClients.SourceOf(store, profile)));
        AWSCredentials? credentials = null;
        if (!CredentialStep(() => store.TryGetAWSCredentials(profile, out credentials)) || credentials is null)
        {
            throw new AwsException($"the AWS profile `{profile}` was not found in ~/.aws/config or ~/.aws/credentials");
        }
        return credentials;
    }

    private async Task<ImmutableCredentials> CurrentCredentialsAsync(CancellationToken cancel)
    {
        var source = _credentials.Value;
        return await CredentialStep(() => source.GetCredentialsAsync()).WaitAsync(cancel).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a step of the SDK's credential chain. Its failures are the user's setup, never our bug:
    /// a credential_process that exits 1 (the SDK throws its own exception type for that), an
    /// expired SSO session, a role that cannot be assumed, a profile file that cannot be read.
    /// </summary>
    private T CredentialStep<T>(Func<T> step)
    {
        try
        {
            return step();
        }
        catch (Exception ex) when (ex is not (AwsException or OperationCanceledException))
        {
            throw CredentialFailure(ex);
        }
    }

    private async Task<T> CredentialStep<T>(Func<Task<T>> step)
    {
        try
        {
            return await step().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not (AwsException or OperationCanceledException))
        {
            throw CredentialFailure(ex);
        }
    }

    private AwsException CredentialFailure(Exception ex) => Profile is not null
        ? new AwsException($"the AWS profile `{Profile}` gave no credentials: {Flatten(ex)}", inner: ex)
        // The SDK's message lists every provider it tried, over many lines; the fix is one line.
        : new AwsException("no AWS credentials were found: set AWS_PROFILE (or --aws-profile), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", inner: ex);

    /// <summary>
    /// <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c>, then <c>AWS_ENDPOINT_URL</c>, then the service's
    /// regional endpoint (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
    /// </summary>
    public Uri Endpoint(AwsService service)
    {
        if (ConfiguredEndpoint(service) is { } configured)
        {
            if (!Uri.TryCreate(configured, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new AwsException($"the endpoint `{WithoutUserInfo(configured)}` (AWS_ENDPOINT_URL) is not an http or https address");
            }
            // A user name or password in the address would be printed in messages and passed to
            // session-manager-plugin on its command line; AWS endpoints never take one.
            return uri.UserInfo.Length == 0
                ? uri
                : throw new AwsException($"the endpoint `{WithoutUserInfo(configured)}` (AWS_ENDPOINT_URL) holds a user name or password; AWS endpoints take none, and sls-fargate does not pass one on");
        }
        return new Uri($"https://{service.HostPrefix}.{Region}.{DnsSuffix(Region)}");
    }

    /// <summary>An address with what stands between the scheme and an @ (a user name, a password) left out.</summary>
    private static string WithoutUserInfo(string address) =>
        address.IndexOf("://", StringComparison.Ordinal) is var scheme and >= 0 && address.IndexOf('@', scheme) is var at and > 0
            ? address[..(scheme + 3)] + "…" + address[at..]
            : address;

    /// <summary>The domain of a region's endpoints (China's regions have their own).</summary>
    internal static string DnsSuffix(string region) => region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";

    /// <summary>Whether an endpoint variable sends the service somewhere other than AWS (moto, LocalStack).</summary>
    public bool HasEndpointOverride(AwsService service) => ConfiguredEndpoint(service) is not null;

    private string? ConfiguredEndpoint(AwsService service) =>
        Variable("AWS_ENDPOINT_URL_" + service.EndpointVariableId) ?? Variable("AWS_ENDPOINT_URL");

    /// <summary>
    /// Signs and sends one request. Throttling, refused connections and (for reads) 5xx answers,
    /// timeouts and lost connections are retried with exponential backoff and jitter; a write is
    /// retried only where AWS cannot have acted on it. The answer on success; an
    /// <see cref="AwsException"/> with the service's code and message otherwise.
    /// </summary>
    internal async Task<AwsAnswer> SendAsync(AwsRequest call, Func<string, HttpResponseMessage, (string? Code, string Message)> readError, CancellationToken cancel)
    {
        var endpoint = new Uri(call.Address.GetLeftPart(UriPartial.Authority));
        for (var attempt = 1; ; attempt++)
        {
            cancel.ThrowIfCancellationRequested();
            var credentials = await CurrentCredentialsAsync(cancel).ConfigureAwait(false);
            using var request = new HttpRequestMessage(call.Method, call.Address);
            if (call.Method != HttpMethod.Get)
            {
                request.Content = new ByteArrayContent(call.Body);
                if (call.ContentType is not null)
                {
                    request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(call.ContentType);
                }
            }
            foreach (var (name, value) in call.Headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
            SigV4.Sign(request, call.Method == HttpMethod.Get ? [] : call.Body, credentials, Region, call.Service.SigningName, DateTime.UtcNow);

            AwsException failure;
            bool unclear;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            deadline.CancelAfter(_settings.Timeout);
            try
            {
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
                var text = await ReadBodyAsync(call, response, deadline.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    // A proxy's sign-in page or a captive portal answers 200 with HTML: never AWS's
                    // answer. (The content type alone does not tell: moto labels JSON text/html.)
                    if (LooksLikeHtml(text))
                    {
                        throw AwsException.Unexpected(call.Service, call.Operation, $"an HTML page with HTTP {(int)response.StatusCode}", unclear: call.IsWrite);
                    }
                    return new AwsAnswer(text, Headers(response));
                }
                var (code, message) = readError(text, response);
                failure = new AwsException(Describe(call.Service, call.Operation, code, message), code, response.StatusCode);
                var throttled = AwsException.IsThrottling(code) || response.StatusCode == HttpStatusCode.TooManyRequests;
                unclear = (int)response.StatusCode >= 500 && !throttled;
                if (!throttled && !unclear)
                {
                    throw failure;
                }
            }
            catch (HttpRequestException ex)
            {
                failure = new AwsException($"cannot reach {call.Service.DisplayName} at {endpoint}: {FirstLine(ex.Message)}", inner: ex);
                // A refused connection or an unknown host never carried the request.
                unclear = ex.HttpRequestError is not (HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError)
                    || ex.InnerException is SocketException { SocketErrorCode: not (SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.HostUnreachable or SocketError.NetworkUnreachable) };
            }
            catch (IOException ex)
            {
                // The connection broke while the body was read.
                failure = new AwsException($"{call.Service.DisplayName} {call.Operation}: the connection broke while the answer was read: {FirstLine(ex.Message)}", inner: ex);
                unclear = true;
            }
            catch (OperationCanceledException ex) when (!cancel.IsCancellationRequested)
            {
                failure = new AwsException($"{call.Service.DisplayName} {call.Operation} did not answer within {_settings.Timeout.TotalSeconds:0.#} seconds", inner: ex);
                unclear = true;
            }
            if (unclear && call.IsWrite)
            {
                throw new AwsException(failure.Message, failure.Code, failure.Status, failure) { Unclear = true };
            }
            if (attempt >= _settings.MaxAttempts)
            {
                throw new AwsException($"{failure.Message} (gave up after {attempt} attempts)", failure.Code, failure.Status, failure) { Unclear = unclear };
            }
            await Task.Delay(Backoff(attempt), cancel).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A write that is safe to repeat: it carries a client token, so AWS does it once however
    /// often it arrives. After an unclear failure it is not simply sent again: <paramref name="lookup"/>
    /// first asks AWS whether it happened (the change set exists, the task was started), and its
    /// answer is taken when it did. Only then is the write sent again, with the same token.
    /// </summary>
    /// <param name="what">What the write does, for the message when it cannot be settled ("start the task").</param>
    internal async Task<T> WriteAsync<T>(string what, Func<CancellationToken, Task<T>> write, Func<CancellationToken, Task<T?>> lookup, CancellationToken cancel)
        where T : class
    {
        for (var attempt = 1; ; attempt++)
        {
            AwsException unclear;
            try
            {
                return await write(cancel).ConfigureAwait(false);
            }
            catch (AwsException ex) when (ex.Unclear)
            {
                unclear = ex;
            }
            T? done;
            try
            {
                done = await lookup(cancel).ConfigureAwait(false);
            }
            catch (AwsException looking)
            {
                // Neither the write's answer nor the look after it came through: the write may
                // well have happened, and the user must hear that before running it again.
                throw new AwsException($"{unclear.Message}; AWS may have done it ({what}), and asking whether it did failed too ({looking.Message}): " +
                    "check before running this again", unclear.Code, unclear.Status, unclear) { Unclear = true };
            }
            if (done is not null)
            {
                return done;
            }
            if (attempt >= _settings.MaxAttempts)
            {
                throw new AwsException($"{unclear.Message}; tried {attempt} times, and AWS shows no sign that it happened", unclear.Code, unclear.Status, unclear);
            }
            await Task.Delay(Backoff(attempt), cancel).ConfigureAwait(false);
        }
    }

    /// <summary>The body, refused past <see cref="AwsSettings.MaxAnswerBytes"/> (announced or counted).</summary>
    private async Task<string> ReadBodyAsync(AwsRequest call, HttpResponseMessage response, CancellationToken cancel)
    {
        var limit = _settings.MaxAnswerBytes;
        if (response.Content.Headers.ContentLength is { } announced && announced > limit)
        {
            throw AwsException.Unexpected(call.Service, call.Operation, $"an answer of {announced:N0} bytes, over the {limit:N0}-byte limit", unclear: call.IsWrite);
        }
        using var body = await response.Content.ReadAsStreamAsync(cancel).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancel).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw AwsException.Unexpected(call.Service, call.Operation, $"an answer over the {limit:N0}-byte limit", unclear: call.IsWrite);
            }
            buffer.Write(chunk, 0, read);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static bool LooksLikeHtml(string body)
    {
        var start = body.AsSpan().TrimStart();
        return start.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase) || start.StartsWith("<html", StringComparison.OrdinalIgnoreCase);
    }

    private static Dictionary<string, string> Headers(HttpResponseMessage response) =>
        response.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(',', h.Value), StringComparer.Ordinal);

    private TimeSpan Backoff(int attempt)
    {
        var ceiling = Math.Min(20_000, _settings.RetryDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        // Full jitter between half and all of the ceiling keeps retries of parallel calls apart.
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + Random.Shared.NextDouble() / 2));
    }

    private string Describe(AwsService service, string operation, string? code, string message)
    {
        var text = $"{service.DisplayName} {operation} failed: {(code is null ? "" : code + ": ")}{message}";
        if (AwsException.IsCredentialProblem(code))
        {
            text += Profile is null
                ? " (check the AWS credentials in the environment or the default profile)"
                : $" (check the credentials of the AWS profile `{Profile}`)";
        }
        return text;
    }

    private string? Variable(string name) => _settings.GetVariable(name) is { Length: > 0 } value ? value : null;

    internal static string FirstLine(string text) => text.Split('\n')[0].Trim();

    /// <summary>An exception and its causes, one line: the SDK wraps the useful part (STS's answer) inside.</summary>
    private static string Flatten(Exception ex)
    {
        var parts = new List<string>();
        for (var e = ex; e is not null && parts.Count < 4; e = e.InnerException)
        {
            var line = FirstLine(e.Message);
            if (line.Length > 0 && !parts.Contains(line) && !line.StartsWith("Exception of type", StringComparison.Ordinal))
            {
                parts.Add(line);
            }
        }
        return string.Join(": ", parts);
    }

    public void Dispose() => _http.Dispose();
}

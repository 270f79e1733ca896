using System.Net;
using ServerlessFargate.Aws.Protocol;
using System.Net.Http.Headers;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;

namespace ServerlessFargate.Aws;

/// <summary>What a session is built from: the command's options and the environment it runs in.</summary>
/// <param name="Region">--region, when given.</param>
/// <param name="ConfigRegion"><c>provider.region</c> as the configuration writes it, when it does.</param>
/// <param name="Profile">--aws-profile, when given (otherwise <c>AWS_PROFILE</c>).</param>
/// <param name="Handler">Where requests go; tests put a fault injector in front of moto here.</param>
public sealed record AwsSettings(string? Region, string? ConfigRegion, string? Profile, Func<string, string?> GetVariable)
{
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>The first retry's wait; each later one doubles it, up to 20 seconds, with jitter.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Attempts per call, as the SDKs' standard retry mode (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html).</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>How long one attempt may take before it counts as failed.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// The region, credentials and endpoints of one command, and the one place requests are signed,
/// sent and retried. Credentials come from the SDK's chain: the environment, a profile (static
/// keys, SSO, assume-role, web identity, credential_process), container and instance metadata.
/// </summary>
public sealed class AwsSession : IDisposable
{
    private readonly AwsSettings _settings;
    private readonly HttpClient _http;
    private readonly Lazy<ImmutableCredentials> _credentials;

    public AwsSession(AwsSettings settings)
    {
        _settings = settings;
        _http = new HttpClient(settings.Handler ?? new SocketsHttpHandler(), disposeHandler: settings.Handler is null)
        {
            Timeout = settings.Timeout,
        };
        Profile = Variable("AWS_PROFILE") is { } fromEnvironment && settings.Profile is null ? fromEnvironment : settings.Profile;
        Region = ResolveRegion();
        _credentials = new Lazy<ImmutableCredentials>(ResolveCredentials);
    }

    public string Region { get; }

    /// <summary>The named profile in use, or null for the default chain.</summary>
    public string? Profile { get; }


    internal ImmutableCredentials Credentials => _credentials.Value;

    /// <summary>
    /// --region, then <c>provider.region</c> (the framework's order), then <c>AWS_REGION</c>,
    /// <c>AWS_DEFAULT_REGION</c> and the profile's region (the SDK's order), then us-east-1 (the
    /// framework's default).
    /// </summary>
    private string ResolveRegion() =>
        _settings.Region ?? _settings.ConfigRegion ?? Variable("AWS_REGION") ?? Variable("AWS_DEFAULT_REGION")
        ?? ProfileRegion() ?? "us-east-1";

    private string? ProfileRegion()
    {
        try
        {
            return new CredentialProfileStoreChain().TryGetProfile(Profile ?? "default", out var profile) ? profile.Region?.SystemName : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or AmazonClientException)
        {
            return null;
        }
    }

    private ImmutableCredentials ResolveCredentials()
    {
        // Keys in the command's environment come before AWS_PROFILE, as in the AWS CLI (only
        // --aws-profile beats them). The plugin passes the credentials the framework resolved
        // this way, and tests pass theirs.
        if (_settings.Profile is null && Variable("AWS_ACCESS_KEY_ID") is { } keyId && Variable("AWS_SECRET_ACCESS_KEY") is { } secret)
        {
            return new ImmutableCredentials(keyId, secret, Variable("AWS_SESSION_TOKEN"));
        }
        try
        {
            AWSCredentials credentials;
            if (Profile is not null)
            {
                var store = new CredentialProfileStoreChain();
                AotCredentialClients.Register(AotCredentialClients.SourceOf(store, Profile));
                if (!store.TryGetAWSCredentials(Profile, out credentials))
                {
                    throw new AwsException($"the AWS profile `{Profile}` was not found in ~/.aws/config or ~/.aws/credentials");
                }
            }
            else
            {
                AotCredentialClients.Register(null);
                credentials = DefaultAWSCredentialsIdentityResolver.GetCredentials(null);
            }
            return credentials.GetCredentials();
        }
        catch (AmazonClientException ex) when (Profile is not null)
        {
            throw new AwsException($"the AWS profile `{Profile}` gave no credentials: {Flatten(ex)}", inner: ex);
        }
        catch (AmazonClientException ex)
        {
            // The SDK's message lists every provider it tried, over many lines; the fix is one line.
            throw new AwsException("no AWS credentials were found: set AWS_PROFILE (or --aws-profile), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", inner: ex);
        }
    }

    /// <summary>
    /// <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c>, then <c>AWS_ENDPOINT_URL</c>, then the service's
    /// regional endpoint (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
    /// </summary>
    public Uri Endpoint(AwsService service)
    {
        if (ConfiguredEndpoint(service) is { } configured)
        {
            return Uri.TryCreate(configured, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                ? uri
                : throw new AwsException($"the endpoint `{configured}` (AWS_ENDPOINT_URL) is not an http or https address");
        }
        return new Uri($"https://{service.HostPrefix}.{Region}.{DnsSuffix(Region)}");
    }

    /// <summary>The domain of a region's endpoints (China's regions have their own).</summary>
    internal static string DnsSuffix(string region) => region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";

    /// <summary>Whether an endpoint variable sends the service somewhere other than AWS (moto, LocalStack).</summary>
    public bool HasEndpointOverride(AwsService service) => ConfiguredEndpoint(service) is not null;

    private string? ConfiguredEndpoint(AwsService service) =>
        Variable("AWS_ENDPOINT_URL_" + service.EndpointVariableId) ?? Variable("AWS_ENDPOINT_URL");

    /// <summary>
    /// Signs and sends one request, retrying throttling, 5xx answers and lost connections with
    /// exponential backoff and jitter. The answer's body on success; an <see cref="AwsException"/>
    /// with the service's code and message otherwise.
    /// </summary>
    internal Task<string> SendAsync(AwsService service, string operation, HttpMethod method, string pathAndQuery,
        byte[] body, string? contentType, IReadOnlyDictionary<string, string> headers,
        Func<string, HttpResponseMessage, (string? Code, string Message)> readError, CancellationToken cancel) =>
        SendAsync(service, operation, method, new Uri(Endpoint(service), pathAndQuery), body, contentType, headers, readError, cancel);

    /// <summary>As above, to a full address (S3 puts the bucket in the host name).</summary>
    internal async Task<string> SendAsync(AwsService service, string operation, HttpMethod method, Uri address,
        byte[] body, string? contentType, IReadOnlyDictionary<string, string> headers,
        Func<string, HttpResponseMessage, (string? Code, string Message)> readError, CancellationToken cancel)
    {
        var endpoint = new Uri(address.GetLeftPart(UriPartial.Authority));
        var credentials = Credentials;
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, address);
            if (method != HttpMethod.Get)
            {
                request.Content = new ByteArrayContent(body);
                if (contentType is not null)
                {
                    request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
                }
            }
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
            SigV4.Sign(request, method == HttpMethod.Get ? [] : body, credentials, Region, service.SigningName, DateTime.UtcNow);

            AwsException failure;
            try
            {
                using var response = await _http.SendAsync(request, cancel).ConfigureAwait(false);
                var text = await response.Content.ReadAsStringAsync(cancel).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return text;
                }
                var (code, message) = readError(text, response);
                failure = new AwsException(Describe(service, operation, code, message), code, response.StatusCode);
                var retryable = AwsException.IsThrottling(code) || (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests;
                if (!retryable)
                {
                    throw failure;
                }
            }
            catch (HttpRequestException ex)
            {
                failure = new AwsException($"cannot reach {service.DisplayName} at {endpoint}: {FirstLine(ex.Message)}", inner: ex);
            }
            catch (TaskCanceledException ex) when (!cancel.IsCancellationRequested)
            {
                failure = new AwsException($"{service.DisplayName} {operation} did not answer within {_settings.Timeout.TotalSeconds:0} seconds", inner: ex);
            }
            if (attempt >= _settings.MaxAttempts)
            {
                throw new AwsException($"{failure.Message} (gave up after {attempt} attempts)", failure.Code, failure.Status, failure);
            }
            await Task.Delay(Backoff(attempt), cancel).ConfigureAwait(false);
        }
    }

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

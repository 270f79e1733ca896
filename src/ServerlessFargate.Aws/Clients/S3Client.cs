using System.Text;
using ServerlessFargate.Aws.Protocol;

namespace ServerlessFargate.Aws.Clients;

/// <summary>
/// The one S3 operation the commands need: PutObject of a template CloudFormation will read.
/// (A REST call signed like the others; the SDK's S3 client would add megabytes to the native
/// engine for this.) https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
/// </summary>
public sealed class S3Client(AwsSession session)
{
    /// <summary>
    /// Uploads the object into a bucket that must belong to <paramref name="expectedOwner"/> (S3
    /// refuses with 403 otherwise, so a mistyped or squatted bucket never receives a template
    /// that is deployed with CAPABILITY_NAMED_IAM); the HTTPS address CloudFormation's
    /// TemplateURL takes, pinned to the version written where the bucket keeps versions, so what
    /// CloudFormation reads is what was uploaded even if someone writes the key again.
    /// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-owner-condition.html
    /// </summary>
    public async Task<string> PutObjectAsync(string bucket, string key, string content, string contentType, string expectedOwner, CancellationToken cancel = default)
    {
        var body = Encoding.UTF8.GetBytes(content);
        var escapedKey = string.Join('/', key.Split('/').Select(Uri.EscapeDataString));
        // Virtual-hosted addresses for AWS (path-style is deprecated there); path-style for an
        // endpoint given in AWS_ENDPOINT_URL*, where the bucket cannot be a host name.
        var address = session.HasEndpointOverride(AwsService.S3) || bucket.Contains('.', StringComparison.Ordinal)
            ? new Uri(session.Endpoint(AwsService.S3), $"/{bucket}/{escapedKey}")
            : new Uri($"https://{bucket}.s3.{session.Region}.{AwsSession.DnsSuffix(session.Region)}/{escapedKey}");
        // Writing the same object twice is harmless: a lost answer is simply sent again.
        var call = new AwsRequest(AwsService.S3, "PutObject", HttpMethod.Put, address, body, contentType,
            new Dictionary<string, string> { ["x-amz-expected-bucket-owner"] = expectedOwner }, IsWrite: false);
        var answer = await session.SendAsync(call, XmlError.Read, cancel).ConfigureAwait(false);
        var url = $"https://s3.{session.Region}.{AwsSession.DnsSuffix(session.Region)}/{bucket}/{escapedKey}";
        return answer.Headers.TryGetValue("x-amz-version-id", out var version) && version is { Length: > 0 } and not "null"
            ? $"{url}?versionId={Uri.EscapeDataString(version)}"
            : url;
    }
}

/// <summary>STS GetCallerIdentity: the account the credentials belong to.</summary>
public sealed class StsClient(AwsSession session)
{
    private readonly QueryProtocol _protocol = new(session, AwsService.Sts, "2011-06-15");

    public Task<string> AccountAsync(CancellationToken cancel = default) =>
        _protocol.CallAsync("GetCallerIdentity", [], result => result.Required("Account"), cancel);
}

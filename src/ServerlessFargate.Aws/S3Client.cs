using System.Text;
using System.Xml;
using System.Xml.Linq;
using ServerlessFargate.Aws.Protocol;

namespace ServerlessFargate.Aws;

/// <summary>
/// The one S3 operation the commands need: PutObject of a template CloudFormation will read.
/// (A REST call signed like the others; the SDK's S3 client would add megabytes to the native
/// engine for this.) https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
/// </summary>
public sealed class S3Client(AwsSession session)
{
    /// <summary>Uploads the object; the HTTPS address CloudFormation's TemplateURL takes.</summary>
    public async Task<string> PutObjectAsync(string bucket, string key, string content, string contentType, CancellationToken cancel = default)
    {
        var body = Encoding.UTF8.GetBytes(content);
        var escapedKey = string.Join('/', key.Split('/').Select(Uri.EscapeDataString));
        // Virtual-hosted addresses for AWS (path-style is deprecated there); path-style for an
        // endpoint given in AWS_ENDPOINT_URL*, where the bucket cannot be a host name.
        var address = session.HasEndpointOverride(AwsService.S3) || bucket.Contains('.', StringComparison.Ordinal)
            ? new Uri(session.Endpoint(AwsService.S3), $"/{bucket}/{escapedKey}")
            : new Uri($"https://{bucket}.s3.{session.Region}.{AwsSession.DnsSuffix(session.Region)}/{escapedKey}");
        await session.SendAsync(AwsService.S3, "PutObject", HttpMethod.Put, address, body, contentType, new Dictionary<string, string>(), ReadError, cancel)
            .ConfigureAwait(false);
        return $"https://s3.{session.Region}.{AwsSession.DnsSuffix(session.Region)}/{bucket}/{escapedKey}";
    }

    private static (string? Code, string Message) ReadError(string text, HttpResponseMessage response)
    {
        try
        {
            var error = XDocument.Parse(text).Root;
            if (error is not null && error.Name.LocalName == "Error")
            {
                return (error.Child("Code"), error.Child("Message") ?? $"HTTP {(int)response.StatusCode}");
            }
        }
        catch (XmlException)
        {
            // HEAD-like answers and proxies carry no XML: the status line is all there is.
        }
        return (null, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
    }
}

using System.Net;

namespace ServerlessFargate.Aws;

/// <summary>
/// A call to AWS that failed: the service's error code and message, or why AWS could not be
/// reached. <see cref="Exception.Message"/> is one line a user can act on.
/// </summary>
public sealed class AwsException(string message, string? code = null, HttpStatusCode? status = null, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The service's error code (<c>ValidationError</c>, <c>AccessDeniedException</c>), or null when no answer came.</summary>
    public string? Code { get; } = code;

    public HttpStatusCode? Status { get; } = status;

    /// <summary>
    /// The request may have reached AWS and been carried out although no clear answer came back (a
    /// timeout, a 5xx, a connection lost after sending, an answer that was not AWS's). A write that
    /// fails this way is looked up before it is tried again or reported.
    /// </summary>
    public bool Unclear { get; init; }

    /// <summary>Codes that mean the credentials, not the request, are wrong.</summary>
    public static bool IsCredentialProblem(string? code) => code is "UnrecognizedClientException" or "InvalidClientTokenId" or "SignatureDoesNotMatch"
        or "ExpiredToken" or "ExpiredTokenException" or "InvalidAccessKeyId" or "IncompleteSignature" or "MissingAuthenticationToken";

    /// <summary>
    /// Throttling codes the AWS SDKs retry; ECS, Logs and CloudFormation use different ones.
    /// https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
    /// </summary>
    public static bool IsThrottling(string? code) => code is "Throttling" or "ThrottlingException" or "ThrottledException"
        or "RequestThrottledException" or "TooManyRequestsException" or "RequestLimitExceeded" or "RequestThrottled"
        or "SlowDown" or "PriorRequestNotComplete" or "ProvisionedThroughputExceededException" or "BandwidthLimitExceeded";

    /// <summary>An answer that is not the document the operation returns: a proxy's page, a truncated or mistyped body.</summary>
    public static AwsException Unexpected(AwsService service, string operation, string detail, bool unclear = false) =>
        new($"{service.DisplayName} {operation}: AWS answered something unexpected ({detail})") { Unclear = unclear };
}

/// <summary>
/// Thrown while reading an answer whose shape is wrong (a number where a string belongs, a list
/// that is not one); the protocol layer turns it into <see cref="AwsException.Unexpected"/> with
/// the service and operation.
/// </summary>
internal sealed class UnexpectedAnswerException(string detail) : Exception(detail);

using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.RuntimeDependencies;
using Amazon.SecurityToken;
using Amazon.SSO;
using Amazon.SSOOIDC;

namespace ServerlessFargate.Aws;

/// <summary>
/// Profiles that assume a role, use SSO or a web identity make the SDK call STS, SSO and SSO OIDC.
/// It finds those clients by loading their assemblies by name, which a native (AOT) build cannot;
/// such a build must hand them over through <see cref="GlobalRuntimeDependencyRegistry"/>. We do it
/// in every build, so the JIT tests run the same path as the native binary. (Without it, the
/// native build's AssumeRole fails with the SDK's message naming RegisterSecurityTokenServiceClient;
/// AwsProfileTests runs against the native binary in CI.)
/// </summary>
internal static class AotCredentialClients
{
    /// <param name="sourceCredentials">What signs AssumeRole: the credentials of the profile's source_profile.</param>
    public static void Register(AWSCredentials? sourceCredentials)
    {
        var registry = GlobalRuntimeDependencyRegistry.Instance;
        registry.RegisterSecurityTokenServiceClient(context => new AmazonSecurityTokenServiceClient(
            sourceCredentials ?? new AnonymousAWSCredentials(),
            new AmazonSecurityTokenServiceConfig { RegionEndpoint = context.SecurityTokenServiceClientContextData.Region }));
        // SSO calls carry a bearer token from the SSO cache, not a signature.
        registry.RegisterSSOClient(context => new AmazonSSOClient(new AnonymousAWSCredentials(),
            new AmazonSSOConfig { RegionEndpoint = context.SSOClientContextData.Region }));
        registry.RegisterSSOOIDCClient(context => new AmazonSSOOIDCClient(new AnonymousAWSCredentials(),
            new AmazonSSOOIDCConfig { RegionEndpoint = context.SSOOIDCClientContextData.Region }));
    }

    /// <summary>The credentials that sign a profile's AssumeRole: its source profile's, or null when it names none.</summary>
    public static AWSCredentials? SourceOf(CredentialProfileStoreChain store, string profile, int depth = 0)
    {
        if (depth > 8 || !store.TryGetProfile(profile, out var found) || found.Options.SourceProfile is not { Length: > 0 } source)
        {
            return null;
        }
        // A source profile may itself assume a role; its own source signs that.
        Register(SourceOf(store, source, depth + 1));
        return store.TryGetAWSCredentials(source, out var credentials) ? credentials : null;
    }
}

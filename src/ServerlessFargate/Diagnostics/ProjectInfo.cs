namespace ServerlessFargate.Diagnostics;

/// <summary>Where the project lives: one place for the links that diagnostics, SARIF and packages print.</summary>
public static class ProjectInfo
{
    public const string RepositoryUrl = "https://github.com/serverless-fargate-dotnet/serverless-fargate-dotnet";

    /// <summary>The npm package of the Serverless Framework plugin (integrations/serverless-plugin).</summary>
    public const string PluginPackage = "serverless-fargate-dotnet";

    public const string DiagnosticsDocs = RepositoryUrl + "/blob/main/docs/diagnostics.md";
}

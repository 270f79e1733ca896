using System.CommandLine;

namespace ServerlessFargate.Cli;

/// <summary>Options shared by the commands that read a configuration.</summary>
internal static class CommonOptions
{
    public static Argument<string?> Path() => new("path")
    {
        Description = "The folder holding serverless.yml (or .yaml/.json), or the file itself. Default: the current folder.",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public static Option<string?> Stage() => new("--stage", "-s")
    {
        Description = "The stage, as the framework's --stage: the value of ${opt:stage} and ${sls:stage}.",
    };

    public static Option<string?> Region() => new("--region", "-r")
    {
        Description = "The region, as the framework's --region: the value of ${opt:region} and ${aws:region}.",
    };

    public static Option<bool> WarningsAsErrors() => new("--warnings-as-errors")
    {
        Description = "Fail (exit 1) on warnings too, as a strict CI check.",
    };

    /// <summary>Whether the run fails: errors, or warnings when they count as errors.</summary>
    public static bool Failed(EngineResult outcome, bool warningsAsErrors) =>
        !outcome.Succeeded || (warningsAsErrors && outcome.Diagnostics.Any(d => d.Severity == Diagnostics.Severity.Warning));
}

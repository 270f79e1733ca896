namespace ServerlessFargate.Cli;

/// <summary>Finds the configuration file from a DIR or FILE argument.</summary>
internal static class ConfigLocator
{
    public static string Locate(string? argument, string workingDirectory)
    {
        var path = Path.GetFullPath(string.IsNullOrEmpty(argument) ? "." : argument, workingDirectory);
        if (File.Exists(path))
        {
            Readable(path, argument ?? path);
            var extension = Path.GetExtension(path).ToLowerInvariant();
            if (extension is not (".yml" or ".yaml" or ".json"))
            {
                throw new UsageException($"{argument}: sls-fargate reads serverless.yml, .yaml or .json; a {extension} configuration runs code and needs the Serverless Framework (use the plugin)");
            }
            return path;
        }
        if (!Directory.Exists(path))
        {
            throw new UsageException($"{argument}: no such file or folder");
        }
        foreach (var name in Engine.ConfigFileNames)
        {
            var candidate = Path.Combine(path, name);
            if (File.Exists(candidate))
            {
                Readable(candidate, candidate);
                return candidate;
            }
        }
        var script = new[] { "serverless.js", "serverless.ts", "serverless.cjs", "serverless.mjs" }.FirstOrDefault(n => File.Exists(Path.Combine(path, n)));
        throw new UsageException(script is not null
            ? $"{Path.Combine(path, script)}: a JavaScript or TypeScript configuration runs code, which sls-fargate does not do; use the Serverless Framework plugin"
            : $"{path}: no serverless.yml, serverless.yaml or serverless.json here");
    }

    /// <summary>A link that leads nowhere or in a loop is a usage error, said plainly.</summary>
    private static void Readable(string path, string shown)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is not { Exists: true })
            {
                throw new UsageException($"{shown}: a symbolic link to {info.LinkTarget}, which does not exist");
            }
        }
        catch (IOException ex)
        {
            throw new UsageException($"{shown}: cannot be read: {ex.Message}");
        }
    }
}

namespace ServerlessFargate.Tests;

/// <summary>
/// What reaches a real terminal when a log line holds escape sequences: the CLI runs as a
/// process under <c>script</c>, so its standard output is a pseudo-terminal, against moto.
/// Natively (CI runs this class against the published build) sls-fargate hands <c>logs</c> to
/// sls-fargate-aws, and the escaping must hold there too.
/// </summary>
public sealed class TerminalOutputTests(MotoServer moto) : IClassFixture<MotoServer>, IDisposable
{
    // What anyone who can get a line into the log of an internet-facing service can write:
    // retitle the terminal, put text in the clipboard (OSC 52), erase the line shown.
    private const string Hostile = "before \u001b]0;pwned\u0007 \u001b]52;c;aGk=\u0007 \u001b[2K after";

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("sls-fargate-terminal-");

    public void Dispose() => _root.Delete(recursive: true);

    private static string Executable => CliRunner.ExecutableUnderTest ?? Path.Combine(AppContext.BaseDirectory, "sls-fargate");

    private Dictionary<string, string> Environment() => new()
    {
        ["AWS_ENDPOINT_URL"] = moto.Endpoint,
        ["AWS_ACCESS_KEY_ID"] = "testing",
        ["AWS_SECRET_ACCESS_KEY"] = "testing",
        ["AWS_REGION"] = "eu-west-1",
        ["TERM"] = "xterm-256color",
    };

    /// <summary>The CLI under <c>script</c>: what the terminal received, as it received it (newlines become CR LF there).</summary>
    private ProcessResult OnTerminal(string folder, params string[] args)
    {
        var line = string.Join(' ', new[] { Executable }.Concat(args).Select(word => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        return ProcessRunner.Run("script", ["-qec", line, "/dev/null"], Environment(), folder, stdin: "", timeout: TimeSpan.FromMinutes(2));
    }

    /// <summary>
    /// The terminal's output without the sequences .NET itself writes on a terminal: its Console
    /// switches the keypad to application mode when it starts (terminfo's smkx, ESC [?1h ESC =)
    /// and back when it ends (rmkx, ESC [?1l ESC >).
    /// </summary>
    private static string WithoutKeypadMode(string output) =>
        output.Replace("\u001b[?1h\u001b=", "", StringComparison.Ordinal).Replace("\u001b[?1l\u001b>", "", StringComparison.Ordinal);

    [SkippableFact]
    public void A_log_line_with_escape_sequences_reaches_the_terminal_visibly_and_as_it_is_with_raw()
    {
        Skip.IfNot(ProcessRunner.IsOnPath("script"), "script (util-linux) gives the command a terminal");
        // Given a deployed service whose task logged a hostile line
        var name = $"term{Guid.NewGuid():N}"[..12];
        var folder = Path.Combine(_root.FullName, name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "serverless.yml"), Configs.OneWorkerOnMoto(name));
        var deploy = ProcessRunner.Run(Executable, ["deploy"], Environment(), folder);
        Assert.True(deploy.ExitCode == 0, deploy.Output);
        moto.PutLogLines(moto.LogGroup($"{name}-dev"), "fargate/worker/aaaaaaaa1111", Hostile);

        // When logs prints it on a terminal
        var shown = OnTerminal(folder, "logs", "worker", "--since", "5m");

        // Then the terminal gets the sequences as visible text, and no ESC or BEL at all
        Assert.True(shown.ExitCode == 0, shown.Output);
        Assert.Contains(@"[aaaaaaaa] before \x1b]0;pwned\x07 \x1b]52;c;aGk=\x07 \x1b[2K after" + "\r\n", shown.Out);
        Assert.DoesNotContain('\u001b', WithoutKeypadMode(shown.Out));
        Assert.DoesNotContain('\u0007', shown.Out);

        // And with --raw, the bytes as the container wrote them
        var raw = OnTerminal(folder, "logs", "worker", "--since", "5m", "--raw");
        Assert.True(raw.ExitCode == 0, raw.Output);
        Assert.Contains("[aaaaaaaa] " + Hostile + "\r\n", raw.Out);
    }
}

using System.CommandLine;

namespace ServerlessFargate.Cli.Commands;

/// <summary>
/// Shell completion. The scripts ask the CLI itself for suggestions through System.CommandLine's
/// <c>[suggest:POSITION]</c> directive, so commands, options and option values complete as the
/// parser knows them (no dotnet-suggest needed, which would need the .NET SDK).
/// </summary>
internal static class CompletionCommand
{
    private const string Bash = """
        # sls-fargate completion for bash: add `source <(sls-fargate completion bash)` to ~/.bashrc
        _sls_fargate_complete() {
          local IFS=$'\n'
          COMPREPLY=($(compgen -W "$("${COMP_WORDS[0]}" "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}"))
        }
        complete -o default -F _sls_fargate_complete sls-fargate

        """;

    private const string Zsh = """
        # sls-fargate completion for zsh: add `source <(sls-fargate completion zsh)` to ~/.zshrc
        _sls_fargate_complete() {
          local -a suggestions
          suggestions=(${(f)"$(${words[1]} "[suggest:${#${BUFFER[1,CURSOR]}}]" "${BUFFER}" 2>/dev/null)"})
          compadd -a suggestions
        }
        compdef _sls_fargate_complete sls-fargate

        """;

    public static Command Create(ConsoleIo io)
    {
        var shell = new Argument<string>("shell") { Description = "bash or zsh." };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        var command = new Command("completion", "Print a shell completion script: `source <(sls-fargate completion bash)`.")
        {
            shell,
        };
        command.SetAction(result =>
        {
            io.Out.Write(result.GetValue(shell) == "zsh" ? Zsh : Bash);
            return ExitCodes.Ok;
        });
        return command;
    }
}

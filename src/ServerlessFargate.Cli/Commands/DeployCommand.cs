using System.CommandLine;
using ServerlessFargate.Aws.Operations;
using ServerlessFargate.Aws.Planning;
using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Cli.Commands;

/// <summary>
/// <c>deploy</c>, <c>remove</c> and <c>plan</c>: for services that do not use the Serverless
/// Framework (plan serves both). What they share: packaging the configuration, refusing a
/// service the framework deploys, and the settings that guard a stack.
/// </summary>
internal abstract class StackCommand(string name, string description) : AwsCommand(name, description)
{
    protected static Option<string?> Bucket() => new("--bucket") { Description = "An S3 bucket of this account for templates over 51,200 bytes, which CloudFormation takes only from S3." };

    protected static Option<bool> Yes(string description) => new("--yes", "-y") { Description = description };

    /// <summary>The model and template of the configuration; null (diagnostics printed) when it has errors; a null template when it has no tasks.</summary>
    protected (ServiceModel Model, string? Template)? Package(ConsoleIo io, ParseResult result)
    {
        var config = ConfigLocator.Locate(result.GetValue(Folder), io.Environment.WorkingDirectory);
        var options = io.Options(result.GetValue(Stage), result.GetValue(Region));
        var outcome = Engine.Package(config, options);
        io.Error.Write(DiagnosticFormatter.PackageText(outcome.Diagnostics));
        if (!outcome.Succeeded || outcome.Model is not { } model)
        {
            io.Error.WriteLine(ValidateCommand.Summary(options.DisplayPath(config), outcome) + $"; nothing to {Command.Name}");
            return null;
        }
        if (outcome.TemplateJson is null)
        {
            io.Error.WriteLine($"{options.DisplayPath(config)}: no Fargate tasks, nothing to {Command.Name}");
        }
        return (model, outcome.TemplateJson);
    }

    /// <summary>
    /// <see cref="Package"/> for deploy and remove, which change a stack: the configuration is read
    /// from its file, and a service with functions is the framework's to deploy (sls-fargate would
    /// delete them), refused before any AWS call.
    /// </summary>
    protected (ServiceModel Model, string? Template)? OwnService(ConsoleIo io, ParseResult result)
    {
        if (result.GetValue(Stdin))
        {
            throw new UsageException($"{Command.Name} reads serverless.yml itself; with the framework, use serverless {Command.Name}");
        }
        if (Package(io, result) is not var (model, template))
        {
            return null;
        }
        if (model.DeployedByFramework is { } reason)
        {
            throw new UsageException($"this service is deployed by the Serverless Framework ({reason}): use serverless {Command.Name}; " +
                $"sls-fargate {Command.Name} would {(Command.Name == "deploy" ? "replace the stack with the Fargate tasks alone and delete the rest" : "delete the functions too")}");
        }
        return (model, template);
    }

    protected static DeploySettings Settings(ConsoleIo io, string? bucket) => new(bucket) { Ask = io.Environment.Ask, Colour = io.Environment.Colour };
}

internal sealed class DeployCommand : StackCommand
{
    private readonly Option<string?> _bucket = Bucket();
    private readonly Option<bool> _yes = Yes("Deploy a plan that removes or risks something without asking (needed off a terminal).");
    private readonly Option<bool> _protection = new("--termination-protection") { Description = "Turn on CloudFormation's termination protection for the stack." };
    private readonly Option<bool> _continueRollback = new("--continue-rollback") { Description = "For a stack in UPDATE_ROLLBACK_FAILED: finish its rollback first, then deploy." };

    public DeployCommand()
        : base("deploy", "Package, show the plan, then create or update the stack through a change set, printing its events and outputs. " +
            "Asks before a plan that removes or risks something. Images must be URIs here.")
    {
        AddShared();
        Command.Add(_bucket);
        Command.Add(_yes);
        Command.Add(_protection);
        Command.Add(_continueRollback);
    }

    protected override int Act(ParseResult result, ConsoleIo io)
    {
        if (OwnService(io, result) is not var (model, template))
        {
            return ExitCodes.InputErrors;
        }
        if (template is null)
        {
            return ExitCodes.Ok;
        }
        if (model.ImageParameters.Count > 0)
        {
            var names = string.Join(", ", model.ImageParameters.Select(p => $"`{p.ImageName}` (built from {p.BuildPath})"));
            var what = model.ImageParameters.Count == 1 ? $"the image {names} is" : $"the images {names} are";
            throw new UsageException($"{what} built by the Serverless Framework, which sls-fargate deploy does not do: deploy with serverless deploy, or give the task an image URI");
        }
        var settings = Settings(io, result.GetValue(_bucket)) with
        {
            Yes = result.GetValue(_yes),
            TerminationProtection = result.GetValue(_protection),
            ContinueRollback = result.GetValue(_continueRollback),
        };
        using var session = Session(io, result, model);
        return WithInterrupt(io, async interrupt =>
        {
            await new Deployer(session, io.Out, io.Error).DeployAsync(model.StackName, template, settings, interrupt).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
    }
}

internal sealed class RemoveCommand : StackCommand
{
    private readonly Option<bool> _yes = Yes("Delete without asking (needed off a terminal).");

    public RemoveCommand()
        : base("remove", "Delete the service's stack and everything in it, printing its events. Asks for the stack's name first; only a stack sls-fargate deployed is removed.")
    {
        AddShared();
        Command.Add(_yes);
    }

    protected override int Act(ParseResult result, ConsoleIo io)
    {
        if (OwnService(io, result) is not var (model, template))
        {
            return ExitCodes.InputErrors;
        }
        var configured = Deployer.ResourceIds(template is null ? null : Deployer.ParseTemplate(template));
        var settings = Settings(io, null) with { Yes = result.GetValue(_yes) };
        using var session = Session(io, result, model);
        return WithInterrupt(io, async interrupt =>
        {
            await new Deployer(session, io.Out, io.Error).RemoveAsync(model.StackName, configured, settings, interrupt).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
    }
}

internal sealed class PlanCommand : StackCommand
{
    private readonly Option<string> _format = new("--format") { Description = "text (a line per change) or json.", DefaultValueFactory = _ => "text" };
    private readonly Option<string?> _bucket = Bucket();

    private readonly Option<string?> _template = new("--template")
    {
        Description = "Plan this template instead of the configuration's (the plugin passes the framework's packaged stack template).",
        Hidden = true,
    };

    public PlanCommand()
        : base("plan", "Show what deploy would do to the stack, per resource (add, modify, remove, replace), with the properties " +
            "that cause it and the risks (data-loss, downtime, update-fails). Changes nothing.")
    {
        _format.AcceptOnlyFromAmong("text", "json");
        AddShared();
        Command.Add(_format);
        Command.Add(_bucket);
        Command.Add(_template);
    }

    protected override int Act(ParseResult result, ConsoleIo io)
    {
        ServiceModel model;
        string? body;
        if (result.GetValue(_template) is { } path)
        {
            model = Model(io, result);
            body = ReadTemplate(io, path);
        }
        else
        {
            if (result.GetValue(Stdin))
            {
                throw new UsageException("plan --stdin needs --template (the framework's stack template)");
            }
            if (Package(io, result) is not var (packaged, packagedTemplate))
            {
                return ExitCodes.InputErrors;
            }
            if (packaged.DeployedByFramework is { } reason)
            {
                throw new UsageException($"this service is deployed by the Serverless Framework ({reason}): plan the whole stack with `serverless fargate plan`");
            }
            (model, body) = (packaged, packagedTemplate is null ? null : StackOwnership.Mark(packagedTemplate));
        }
        if (body is null)
        {
            return ExitCodes.Ok;
        }
        var settings = Settings(io, result.GetValue(_bucket));
        using var session = Session(io, result, model);
        return WithInterrupt(io, async interrupt =>
        {
            var planned = await new Deployer(session, io.Out, io.Error).PlanAsync(model.StackName, body, settings, interrupt).ConfigureAwait(false);
            foreach (var note in planned.Notes)
            {
                io.Error.WriteLine($"Note: {note}");
            }
            io.Out.Write(result.GetValue(_format) == "json" ? PlanFormatter.Json(planned.Plan) : PlanFormatter.Text(planned.Plan, colour: false));
            return ExitCodes.Ok;
        });
    }

    private static string ReadTemplate(ConsoleIo io, string path) =>
        Variables.InputFile.Read(System.IO.Path.GetFullPath(path, io.Environment.WorkingDirectory)) switch
        {
            Variables.InputFile.Result.Found found => found.Text,
            Variables.InputFile.Result.Refused refused => throw new UsageException($"--template {path} {refused.Reason}"),
            _ => throw new UsageException($"--template {path}: no such file"),
        };
}

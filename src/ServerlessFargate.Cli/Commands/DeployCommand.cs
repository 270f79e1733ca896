using System.CommandLine;
using ServerlessFargate.Aws.Operations;
using ServerlessFargate.Aws.Planning;
using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Cli.Commands;

/// <summary><c>deploy</c>, <c>remove</c> and <c>plan</c>: for services that do not use the Serverless Framework (plan serves both).</summary>
internal static class DeployCommand
{
    public static Command Create(ConsoleIo io)
    {
        var aws = new AwsCommand();
        var bucket = StackOptions.Bucket();
        var yes = StackOptions.Yes("Deploy a plan that removes or risks something without asking (needed off a terminal).");
        var protection = new Option<bool>("--termination-protection") { Description = "Turn on CloudFormation's termination protection for the stack." };
        var continueRollback = new Option<bool>("--continue-rollback") { Description = "For a stack in UPDATE_ROLLBACK_FAILED: finish its rollback first, then deploy." };
        var command = new Command("deploy", "Package, show the plan, then create or update the stack through a change set, printing its events and outputs. " +
            "Asks before a plan that removes or risks something. Images must be URIs here.");
        aws.Add(command);
        command.Add(bucket);
        command.Add(yes);
        command.Add(protection);
        command.Add(continueRollback);
        if (!AwsHandOff.InProcess)
        {
            return AwsHandOff.Delegate(command, io);
        }
        aws.SetAction(command, io, (result, io) =>
        {
            if (result.GetValue(aws.Stdin))
            {
                throw new UsageException("deploy reads serverless.yml itself; with the framework, use serverless deploy");
            }
            if (StackOptions.Package(io, aws, result, "deploy") is not var (model, template))
            {
                return ExitCodes.InputErrors;
            }
            if (template is null)
            {
                return ExitCodes.Ok;
            }
            StackOptions.RefuseFrameworkService(model, "deploy");
            if (model.ImageParameters.Count > 0)
            {
                var names = string.Join(", ", model.ImageParameters.Select(p => $"`{p.ImageName}` (built from {p.BuildPath})"));
                var what = model.ImageParameters.Count == 1 ? $"the image {names} is" : $"the images {names} are";
                throw new UsageException($"{what} built by the Serverless Framework, which sls-fargate deploy does not do: deploy with serverless deploy, or give the task an image URI");
            }
            var settings = StackOptions.Settings(io, result.GetValue(bucket)) with
            {
                Yes = result.GetValue(yes),
                TerminationProtection = result.GetValue(protection),
                ContinueRollback = result.GetValue(continueRollback),
            };
            using var session = aws.Session(io, result, model);
            return AwsCommand.WithInterrupt(io, async interrupt =>
            {
                await new Deployer(session, io.Out, io.Error).DeployAsync(model.StackName, template, settings, interrupt).ConfigureAwait(false);
                return ExitCodes.Ok;
            });
        });
        return command;
    }
}

internal static class RemoveCommand
{
    public static Command Create(ConsoleIo io)
    {
        var aws = new AwsCommand();
        var yes = StackOptions.Yes("Delete without asking (needed off a terminal).");
        var command = new Command("remove", "Delete the service's stack and everything in it, printing its events. Asks for the stack's name first; " +
            "only a stack sls-fargate deployed is removed.");
        aws.Add(command);
        command.Add(yes);
        if (!AwsHandOff.InProcess)
        {
            return AwsHandOff.Delegate(command, io);
        }
        aws.SetAction(command, io, (result, io) =>
        {
            if (result.GetValue(aws.Stdin))
            {
                throw new UsageException("remove reads serverless.yml itself; with the framework, use serverless remove");
            }
            if (StackOptions.Package(io, aws, result, "remove") is not var (model, template))
            {
                return ExitCodes.InputErrors;
            }
            StackOptions.RefuseFrameworkService(model, "remove");
            var configured = Deployer.ResourceIds(template is null ? null : Deployer.ParseTemplate(template));
            var settings = StackOptions.Settings(io, null) with { Yes = result.GetValue(yes) };
            using var session = aws.Session(io, result, model);
            return AwsCommand.WithInterrupt(io, async interrupt =>
            {
                await new Deployer(session, io.Out, io.Error).RemoveAsync(model.StackName, configured, settings, interrupt).ConfigureAwait(false);
                return ExitCodes.Ok;
            });
        });
        return command;
    }
}

internal static class PlanCommand
{
    public static Command Create(ConsoleIo io)
    {
        var aws = new AwsCommand();
        var format = new Option<string>("--format") { Description = "text (a line per change) or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var bucket = StackOptions.Bucket();
        var template = new Option<string?>("--template")
        {
            Description = "Plan this template instead of the configuration's (the plugin passes the framework's packaged stack template).",
            Hidden = true,
        };
        var command = new Command("plan", "Show what deploy would do to the stack, per resource (add, modify, remove, replace), with the properties " +
            "that cause it and the risks (data-loss, downtime, update-fails). Changes nothing.");
        aws.Add(command);
        command.Add(format);
        command.Add(bucket);
        command.Add(template);
        if (!AwsHandOff.InProcess)
        {
            return AwsHandOff.Delegate(command, io);
        }
        aws.SetAction(command, io, (result, io) =>
        {
            ServiceModel model;
            string? body;
            if (result.GetValue(template) is { } path)
            {
                model = aws.Model(io, result);
                body = ReadTemplate(io, path);
            }
            else
            {
                if (result.GetValue(aws.Stdin))
                {
                    throw new UsageException("plan --stdin needs --template (the framework's stack template)");
                }
                if (StackOptions.Package(io, aws, result, "plan") is not var (packaged, packagedTemplate))
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
            var settings = StackOptions.Settings(io, result.GetValue(bucket));
            using var session = aws.Session(io, result, model);
            return AwsCommand.WithInterrupt(io, async interrupt =>
            {
                var planned = await new Deployer(session, io.Out, io.Error).PlanAsync(model.StackName, body, settings, interrupt).ConfigureAwait(false);
                foreach (var note in planned.Notes)
                {
                    io.Error.WriteLine($"Note: {note}");
                }
                io.Out.Write(result.GetValue(format) == "json" ? PlanFormatter.Json(planned.Plan) : PlanFormatter.Text(planned.Plan, colour: false));
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    private static string ReadTemplate(ConsoleIo io, string path) =>
        Variables.InputFile.Read(Path.GetFullPath(path, io.Environment.WorkingDirectory)) switch
        {
            Variables.InputFile.Result.Found found => found.Text,
            Variables.InputFile.Result.Refused refused => throw new UsageException($"--template {path} {refused.Reason}"),
            _ => throw new UsageException($"--template {path}: no such file"),
        };
}

/// <summary>What deploy, remove and plan share: packaging the configuration, the options that guard a stack, and the settings.</summary>
internal static class StackOptions
{
    public static Option<string?> Bucket() => new("--bucket") { Description = "An S3 bucket of this account for templates over 51,200 bytes, which CloudFormation takes only from S3." };

    public static Option<bool> Yes(string description) => new("--yes", "-y") { Description = description };

    /// <summary>The model and template of the configuration; null (diagnostics printed) when it has errors; a null template when it has no tasks.</summary>
    public static (ServiceModel Model, string? Template)? Package(ConsoleIo io, AwsCommand aws, ParseResult result, string verb)
    {
        var config = ConfigLocator.Locate(result.GetValue(aws.Path), io.Environment.WorkingDirectory);
        var options = io.Options(result.GetValue(aws.Stage), result.GetValue(aws.Region));
        var outcome = Engine.Package(config, options);
        io.Error.Write(DiagnosticFormatter.PackageText(outcome.Diagnostics));
        if (!outcome.Succeeded || outcome.Model is not { } model)
        {
            io.Error.WriteLine(ValidateCommand.Summary(options.DisplayPath(config), outcome) + $"; nothing to {verb}");
            return null;
        }
        if (outcome.TemplateJson is null)
        {
            io.Error.WriteLine($"{options.DisplayPath(config)}: no Fargate tasks, nothing to {verb}");
        }
        return (model, outcome.TemplateJson);
    }

    /// <summary>A service with functions is the framework's to deploy: sls-fargate would delete them (refused before any AWS call).</summary>
    public static void RefuseFrameworkService(ServiceModel model, string verb)
    {
        if (model.DeployedByFramework is { } reason)
        {
            throw new UsageException($"this service is deployed by the Serverless Framework ({reason}): use serverless {verb}; " +
                $"sls-fargate {verb} would {(verb == "deploy" ? "replace the stack with the Fargate tasks alone and delete the rest" : "delete the functions too")}");
        }
    }

    public static DeploySettings Settings(ConsoleIo io, string? bucket)
    {
        var settings = new DeploySettings(bucket) { Ask = io.Environment.Ask, Colour = io.Environment.Colour };
        return io.Environment.PollInterval is { } interval ? settings with { PollInterval = interval } : settings;
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using ServerlessFargate.CloudFormation;
using ServerlessFargate.Model;

namespace ServerlessFargate.Compilation;

/// <summary>A task's <c>AWS::ECS::TaskDefinition</c>: one container (plus the escape hatch's additional ones).</summary>
internal static class TaskDefinitionCompiler
{
    public static Resource Build(TaskModel task)
    {
        var properties = new JsonObject
        {
            ["ContainerDefinitions"] = new JsonArray([Container(task), .. task.Overrides.AdditionalContainers.Select(c => c.DeepClone())]),
            ["Family"] = task.Name.Value,
            ["NetworkMode"] = "awsvpc",
            ["ExecutionRoleArn"] = IamCompiler.ExecutionRoleArn(task),
            ["TaskRoleArn"] = IamCompiler.TaskRoleArn(task),
            ["RequiresCompatibilities"] = new JsonArray("FARGATE"),
            ["Memory"] = task.Memory.Value,
            ["Cpu"] = task.Cpu.Value.ToString(CultureInfo.InvariantCulture),
        };
        if (task.Architecture is not null)
        {
            properties["RuntimePlatform"] = new JsonObject
            {
                ["CpuArchitecture"] = task.Architecture.Value,
            };
        }
        if (task.Runtime.EphemeralStorage is { } storage)
        {
            properties["EphemeralStorage"] = new JsonObject { ["SizeInGiB"] = storage };
        }
        Properties.AddTags(properties, task.Tags);
        Properties.MergeOver(properties, task.Overrides.Task);
        return new Resource("AWS::ECS::TaskDefinition", properties, task.DependsOn);
    }

    private static JsonObject Container(TaskModel task)
    {
        var container = new JsonObject
        {
            ["Name"] = task.Name.Value,
            ["Image"] = task.Image switch
            {
                TaskImage.Parameter parameter => Fn.Ref(parameter.Image.LogicalId),
                TaskImage.Uri uri => uri.Value,
                TaskImage.Reference reference => reference.Value.Value,
                _ => throw new InvalidOperationException($"unknown image kind {task.Image}"),
            },
        };
        if (task.Environment.Count > 0)
        {
            container["Environment"] = new JsonArray([.. task.Environment.Select(e => (JsonNode)new JsonObject
            {
                ["Name"] = e.Key,
                ["Value"] = e.Value.DeepClone(),
            })]);
        }
        if (task.EntryPoint is not null)
        {
            container["EntryPoint"] = Strings(task.EntryPoint);
        }
        if (task.Command is not null)
        {
            container["Command"] = Strings(task.Command);
        }
        var ports = task.Ports.Select(p => (p.Port.Value, p.Protocol)).ToList();
        if (task.Http is { } http && !ports.Contains((http.Port.Value, "tcp")))
        {
            ports.Insert(0, (http.Port.Value, "tcp"));
        }
        if (ports.Count > 0)
        {
            container["PortMappings"] = new JsonArray([.. ports.Select(p => (JsonNode)new JsonObject
            {
                ["ContainerPort"] = p.Item1,
                ["Protocol"] = p.Item2,
            })]);
        }
        if (task.Runtime.Secrets.Count > 0)
        {
            container["Secrets"] = new JsonArray([.. task.Runtime.Secrets.Select(s => (JsonNode)new JsonObject
            {
                ["Name"] = s.Name,
                ["ValueFrom"] = IamCompiler.ValueFrom(s.Source),
            })]);
        }
        if (task.Runtime.HealthCheck is { } check)
        {
            var healthCheck = new JsonObject { ["Command"] = Strings(check.Command) };
            Properties.AddIfSet(healthCheck, "Interval", check.Interval);
            Properties.AddIfSet(healthCheck, "Timeout", check.Timeout);
            Properties.AddIfSet(healthCheck, "Retries", check.Retries);
            Properties.AddIfSet(healthCheck, "StartPeriod", check.StartPeriod);
            container["HealthCheck"] = healthCheck;
        }
        Properties.AddIfSet(container, "StopTimeout", task.Runtime.StopTimeout ?? (task.Spot is { UsesSpot: true } ? Defaults.SpotStopTimeout : null));
        container["LogConfiguration"] = new JsonObject
        {
            ["LogDriver"] = "awslogs",
            ["Options"] = new JsonObject
            {
                ["awslogs-region"] = Fn.Ref("AWS::Region"),
                ["awslogs-group"] = Fn.Ref(LogicalIds.LogGroup),
                ["awslogs-stream-prefix"] = Defaults.LogStreamPrefix,
            },
        };
        Properties.MergeOver(container, task.Overrides.Container);
        return container;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(s => (JsonNode)JsonValue.Create(s))]);
}

using System.Text.Json.Nodes;
using ServerlessFargate.CloudFormation;
using ServerlessFargate.Model;

namespace ServerlessFargate.Compilation;

/// <summary>
/// Turns the model into CloudFormation resources, one small Build method per resource. The
/// resources, their logical IDs and outputs are the reference plugin's; where they differ it is on
/// purpose and listed in the README's migration section.
/// </summary>
public static class TemplateCompiler
{
    private const string PolicyVersion = "2012-10-17";

    public static Template Compile(ServiceModel model)
    {
        var template = new Template
        {
            Description = model.ServiceName is null ? "Fargate tasks" : $"Fargate tasks of the service {model.ServiceName}",
        };

        foreach (var image in model.ImageParameters)
        {
            template.Parameters.Add(image.LogicalId, new Parameter("String",
                $"URI of the image `{image.ImageName}` (provider.ecr.images.{image.ImageName}, built from {image.BuildPath}); " +
                "pass the URI the framework pushed, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/repository@sha256:<digest>"));
        }

        template.Resources.Add(LogicalIds.Cluster, BuildCluster(model.Cluster));
        template.Resources.Add(LogicalIds.LogGroup, BuildLogGroup(model.Cluster));
        if (model.Tasks.Any(t => t.ExecutionRoleArn is null))
        {
            template.Resources.Add(LogicalIds.ExecutionRole, BuildExecutionRole(model));
        }
        if (model.Tasks.Any(t => t.TaskRoleArn is null))
        {
            template.Resources.Add(LogicalIds.TaskRole, BuildTaskRole(model));
        }
        var scheduled = model.Tasks.Where(t => t.Kind is TaskKind.Scheduled).ToList();
        if (scheduled.Count > 0)
        {
            template.Resources.Add(LogicalIds.EventsRole, BuildRunTaskRole("events.amazonaws.com", "FargateRunScheduledTasks", scheduled, [], model.Cluster));
        }
        var withSchedules = model.Tasks.Where(t => t.Kind is TaskKind.Schedules).ToList();
        if (withSchedules.Count > 0)
        {
            var deadLetterQueues = withSchedules.SelectMany(t => ((TaskKind.Schedules)t.Kind).Entries)
                .Select(e => e.DeadLetterQueueArn).OfType<JsonNode>().ToList();
            template.Resources.Add(LogicalIds.SchedulerRole, BuildRunTaskRole("scheduler.amazonaws.com", "FargateRunSchedules", withSchedules,
                deadLetterQueues.Count > 0 ? [Statement("sqs:SendMessage", Distinct(deadLetterQueues))] : [], model.Cluster));
        }

        foreach (var task in model.Tasks)
        {
            AddTask(template, task);
        }
        var withFallback = model.Tasks.Where(t => t.Kind is TaskKind.Service && t.Spot?.Fallback is not null).ToList();
        if (withFallback.Count > 0)
        {
            template.Resources.Add(LogicalIds.FallbackEventsRole, FallbackCompiler.EventsRole(withFallback));
        }
        return template;
    }

    private static void AddTask(Template template, TaskModel task)
    {
        var taskId = LogicalIds.TaskDefinition(task.Id);
        template.Resources.Add(taskId, BuildTaskDefinition(task));
        if (task.Outputs.TaskArn)
        {
            template.Outputs.Add(LogicalIds.TaskArnOutput(task.Id), new Output(Fn.Ref(taskId)));
        }
        switch (task.Kind)
        {
            case TaskKind.Service service:
                var serviceId = LogicalIds.Service(task.Id);
                var serviceResource = BuildService(task, service);
                template.Resources.Add(serviceId, serviceResource);
                if (service.Autoscaling is { } scaling)
                {
                    AutoscalingCompiler.Add(template, task, scaling);
                }
                if (task.Outputs.ServiceArn)
                {
                    template.Outputs.Add(LogicalIds.ServiceArnOutput(task.Id), new Output(Fn.Ref(serviceId)));
                }
                if (task.Spot?.Fallback is not null)
                {
                    FallbackCompiler.Add(template, task, serviceResource.Properties);
                }
                break;
            case TaskKind.Schedules schedules:
                for (var number = 1; number <= schedules.Entries.Count; number++)
                {
                    var scheduleId = LogicalIds.Schedule(task.Id, number);
                    template.Resources.Add(scheduleId, SchedulerCompiler.BuildSchedule(task, schedules.Entries[number - 1], CapacityProviderStrategy(task.Spot), Network(task.Network)));
                    if (task.Outputs.ScheduledTaskArn)
                    {
                        template.Outputs.Add(LogicalIds.ScheduleArnOutput(task.Id, number), new Output(Fn.GetAtt(scheduleId, "Arn")));
                    }
                }
                break;
            case TaskKind.Scheduled schedule:
                var ruleId = LogicalIds.ScheduledTask(task.Id);
                template.Resources.Add(ruleId, BuildScheduledTask(task, schedule));
                if (task.Outputs.ScheduledTaskArn)
                {
                    template.Outputs.Add(LogicalIds.ScheduledTaskArnOutput(task.Id), new Output(Fn.GetAtt(ruleId, "Arn")));
                }
                break;
        }
    }

    private static Resource BuildCluster(ClusterSettings cluster)
    {
        var properties = new JsonObject();
        if (cluster.ClusterName is not null)
        {
            properties["ClusterName"] = cluster.ClusterName;
        }
        if (cluster.ContainerInsights is { } insights)
        {
            properties["ClusterSettings"] = new JsonArray(new JsonObject
            {
                ["Name"] = "containerInsights",
                ["Value"] = insights ? "enabled" : "disabled",
            });
        }
        properties["CapacityProviders"] = new JsonArray("FARGATE", "FARGATE_SPOT");
        AddTags(properties, cluster.Tags);
        return new Resource("AWS::ECS::Cluster", properties);
    }

    private static Resource BuildLogGroup(ClusterSettings cluster)
    {
        var properties = new JsonObject();
        if (cluster.LogGroupName is not null)
        {
            properties["LogGroupName"] = cluster.LogGroupName;
        }
        if (cluster.LogRetentionInDays is { } days)
        {
            properties["RetentionInDays"] = days;
        }
        AddTags(properties, cluster.Tags);
        return new Resource("AWS::Logs::LogGroup", properties);
    }

    /// <summary>
    /// The role ECS uses to pull images and write logs. Unlike the reference, EventBridge may not
    /// assume it: scheduled tasks get their own narrowly scoped role (<see cref="BuildEventsRole"/>).
    /// </summary>
    private static Resource BuildExecutionRole(ServiceModel model)
    {
        var properties = new JsonObject
        {
            ["AssumeRolePolicyDocument"] = AssumeRolePolicy("ecs-tasks.amazonaws.com"),
            ["ManagedPolicyArns"] = new JsonArray(Fn.PartitionArn("iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy")),
        };
        var secrets = model.Tasks.Where(t => t.ExecutionRoleArn is null).SelectMany(t => t.Runtime.Secrets).ToList();
        if (secrets.Count > 0)
        {
            properties["Policies"] = new JsonArray(new JsonObject
            {
                ["PolicyName"] = "FargateReadSecrets",
                ["PolicyDocument"] = PolicyDocument(SecretStatements(secrets, model.SecretsKmsKeyArns)),
            });
        }
        AddTags(properties, model.Cluster.Tags);
        return new Resource("AWS::IAM::Role", properties);
    }

    /// <summary>The role the tasks' code runs as: the provider's and fargate's statements and managed policies.</summary>
    private static Resource BuildTaskRole(ServiceModel model)
    {
        var properties = new JsonObject { ["AssumeRolePolicyDocument"] = AssumeRolePolicy("ecs-tasks.amazonaws.com") };
        var policies = new JsonArray();
        if (model.Iam.Statements.Count > 0)
        {
            policies.Add((JsonNode)new JsonObject
            {
                ["PolicyName"] = "FargateTaskPolicy",
                ["PolicyDocument"] = PolicyDocument(model.Iam.Statements.Select(s => s.DeepClone())),
            });
        }
        if (model.Tasks.Any(t => t.TaskRoleArn is null && t.Runtime.Exec.Value))
        {
            // ECS Exec opens an SSM session into the container; its agent needs these channels.
            // They take no resource narrower than "*".
            policies.Add((JsonNode)new JsonObject
            {
                ["PolicyName"] = "FargateExec",
                ["PolicyDocument"] = PolicyDocument(
                [
                    new JsonObject
                    {
                        ["Effect"] = "Allow",
                        ["Action"] = new JsonArray("ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
                            "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"),
                        ["Resource"] = "*",
                    },
                ]),
            });
        }
        if (policies.Count > 0)
        {
            properties["Policies"] = policies;
        }
        if (model.Iam.ManagedPolicies.Count > 0)
        {
            properties["ManagedPolicyArns"] = new JsonArray([.. model.Iam.ManagedPolicies.Select(p => p.DeepClone())]);
        }
        AddTags(properties, model.Cluster.Tags);
        return new Resource("AWS::IAM::Role", properties);
    }

    /// <summary>
    /// The role EventBridge (rules, or Scheduler) assumes to start scheduled tasks: it may run
    /// exactly these task definitions, only in this cluster, and pass exactly their roles to ECS
    /// tasks; <paramref name="extra"/> adds what else the service needs (a dead-letter queue).
    /// </summary>
    private static Resource BuildRunTaskRole(string principal, string policyName, IReadOnlyList<TaskModel> scheduled,
        IReadOnlyList<JsonNode> extra, ClusterSettings cluster)
    {
        var roles = Distinct(scheduled.SelectMany(task => new[] { ExecutionRoleArn(task), TaskRoleArn(task) }));
        var statements = new JsonNode[]
        {
            new JsonObject
            {
                ["Effect"] = "Allow",
                ["Action"] = "ecs:RunTask",
                ["Resource"] = new JsonArray([.. scheduled.Select(t => (JsonNode)Fn.Ref(LogicalIds.TaskDefinition(t.Id)))]),
                ["Condition"] = new JsonObject { ["ArnEquals"] = new JsonObject { ["ecs:cluster"] = Fn.GetAtt(LogicalIds.Cluster, "Arn") } },
            },
            new JsonObject
            {
                ["Effect"] = "Allow",
                ["Action"] = "iam:PassRole",
                ["Resource"] = new JsonArray([.. roles]),
                ["Condition"] = new JsonObject { ["StringLike"] = new JsonObject { ["iam:PassedToService"] = "ecs-tasks.amazonaws.com" } },
            },
        };
        var properties = new JsonObject
        {
            ["AssumeRolePolicyDocument"] = AssumeRolePolicy(principal),
            ["Policies"] = new JsonArray(new JsonObject
            {
                ["PolicyName"] = policyName,
                ["PolicyDocument"] = PolicyDocument([.. statements, .. extra]),
            }),
        };
        AddTags(properties, cluster.Tags);
        return new Resource("AWS::IAM::Role", properties);
    }

    private static Resource BuildTaskDefinition(TaskModel task)
    {
        var container = new JsonObject
        {
            ["Name"] = task.Name.Value,
            ["Image"] = task.Image switch
            {
                TaskImage.Parameter parameter => Fn.Ref(parameter.Image.LogicalId),
                TaskImage.Uri uri => uri.Value,
                _ => throw new InvalidOperationException("unknown image kind"),
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
            container["EntryPoint"] = new JsonArray([.. task.EntryPoint.Select(s => (JsonNode)JsonValue.Create(s))]);
        }
        if (task.Command is not null)
        {
            container["Command"] = new JsonArray([.. task.Command.Select(s => (JsonNode)JsonValue.Create(s))]);
        }
        if (task.Runtime.Secrets.Count > 0)
        {
            container["Secrets"] = new JsonArray([.. task.Runtime.Secrets.Select(s => (JsonNode)new JsonObject
            {
                ["Name"] = s.Name,
                ["ValueFrom"] = s.ValueFrom.DeepClone(),
            })]);
        }
        if (task.Runtime.HealthCheck is { } check)
        {
            var healthCheck = new JsonObject { ["Command"] = new JsonArray([.. check.Command.Select(c => (JsonNode)JsonValue.Create(c))]) };
            AddIfSet(healthCheck, "Interval", check.Interval);
            AddIfSet(healthCheck, "Timeout", check.Timeout);
            AddIfSet(healthCheck, "Retries", check.Retries);
            AddIfSet(healthCheck, "StartPeriod", check.StartPeriod);
            container["HealthCheck"] = healthCheck;
        }
        // Fargate Spot stops a task with SIGTERM two minutes before it reclaims the capacity; the
        // longest stop timeout Fargate allows, 120 s, gives the container all of that warning.
        AddIfSet(container, "StopTimeout", task.Runtime.StopTimeout ?? (task.Spot is { UsesSpot: true } ? SpotStopTimeout : null));
        container["LogConfiguration"] = new JsonObject
        {
            ["LogDriver"] = "awslogs",
            ["Options"] = new JsonObject
            {
                ["awslogs-region"] = Fn.Ref("AWS::Region"),
                ["awslogs-group"] = Fn.Ref(LogicalIds.LogGroup),
                ["awslogs-stream-prefix"] = "fargate",
            },
        };
        MergeOver(container, task.Overrides.Container);

        var properties = new JsonObject
        {
            ["ContainerDefinitions"] = new JsonArray([container, .. task.Overrides.AdditionalContainers.Select(c => c.DeepClone())]),
            ["Family"] = task.Name.Value,
            ["NetworkMode"] = "awsvpc",
            ["ExecutionRoleArn"] = ExecutionRoleArn(task),
            ["TaskRoleArn"] = TaskRoleArn(task),
            ["RequiresCompatibilities"] = new JsonArray("FARGATE"),
            ["Memory"] = task.Memory.Value,
            ["Cpu"] = task.Cpu.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
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
        AddTags(properties, task.Tags);
        MergeOver(properties, task.Overrides.Task);
        return new Resource("AWS::ECS::TaskDefinition", properties, task.DependsOn);
    }

    private static Resource BuildService(TaskModel task, TaskKind.Service service)
    {
        var properties = new JsonObject
        {
            ["Cluster"] = Fn.Ref(LogicalIds.Cluster),
            ["ServiceName"] = task.Name.Value,
            ["CapacityProviderStrategy"] = CapacityProviderStrategy(task.Spot) ?? new JsonArray(new JsonObject
            {
                ["CapacityProvider"] = "FARGATE",
                ["Weight"] = 1,
            }),
        };
        if (service.Autoscaling is null)
        {
            // An autoscaled service leaves DesiredCount to Application Auto Scaling: with it in the
            // template every deploy would reset the count the scaler chose.
            properties["DesiredCount"] = service.DesiredCount.Value;
        }
        var deployment = new JsonObject
        {
            ["MaximumPercent"] = service.MaximumPercent.Value,
            ["MinimumHealthyPercent"] = service.MinimumHealthyPercent.Value,
        };
        if (service.CircuitBreaker)
        {
            deployment["DeploymentCircuitBreaker"] = new JsonObject { ["Enable"] = true, ["Rollback"] = true };
        }
        properties["DeploymentConfiguration"] = deployment;
        properties["TaskDefinition"] = Fn.Ref(LogicalIds.TaskDefinition(task.Id));
        // The service spells it AwsvpcConfiguration; the EventBridge target below spells it
        // AwsVpcConfiguration. Both are correct for their resource.
        properties["NetworkConfiguration"] = new JsonObject { ["AwsvpcConfiguration"] = Network(task.Network) };
        properties["PropagateTags"] = "TASK_DEFINITION";
        if (task.Runtime.Exec.Value)
        {
            properties["EnableExecuteCommand"] = true;
        }
        AddTags(properties, task.Tags);
        MergeOver(properties, task.Overrides.Service);
        return new Resource("AWS::ECS::Service", properties, task.DependsOn);
    }

    private static Resource BuildScheduledTask(TaskModel task, TaskKind.Scheduled schedule)
    {
        var target = new JsonObject
        {
            ["Id"] = task.Id,
            ["Arn"] = Fn.GetAtt(LogicalIds.Cluster, "Arn"),
            ["RoleArn"] = Fn.GetAtt(LogicalIds.EventsRole, "Arn"),
            ["EcsParameters"] = new JsonObject
            {
                ["TaskDefinitionArn"] = Fn.Ref(LogicalIds.TaskDefinition(task.Id)),
                ["TaskCount"] = 1,
                ["NetworkConfiguration"] = new JsonObject { ["AwsVpcConfiguration"] = Network(task.Network) },
            },
        };
        // A capacity provider strategy and a launch type exclude each other.
        if (CapacityProviderStrategy(task.Spot) is { } strategy)
        {
            target["EcsParameters"]!["CapacityProviderStrategy"] = strategy;
        }
        else
        {
            target["EcsParameters"]!["LaunchType"] = "FARGATE";
        }
        if (task.Runtime.Exec.Value)
        {
            target["EcsParameters"]!["EnableExecuteCommand"] = true;
        }
        var properties = new JsonObject
        {
            ["ScheduleExpression"] = schedule.Expression.Value,
            ["Targets"] = new JsonArray(target),
        };
        return new Resource("AWS::Events::Rule", properties, task.DependsOn);
    }

    /// <summary>
    /// The execution role reads exactly the secrets the tasks name: Secrets Manager secrets by
    /// their ARN (without a :json-key:stage:version suffix, which IAM does not know), parameters
    /// by theirs, and decrypts with the customer keys listed in <c>secretsKmsKeyArns</c>.
    /// </summary>
    private static IEnumerable<JsonNode> SecretStatements(IReadOnlyList<SecretReference> secrets, IReadOnlyList<JsonNode> kmsKeys)
    {
        var arns = secrets.Select(secret => SecretArns.ForPolicy(secret.ValueFrom)).ToList();
        var secretArns = Distinct(arns.Where(a => !a.IsParameter).Select(a => a.Arn));
        var parameterArns = Distinct(arns.Where(a => a.IsParameter).Select(a => a.Arn));
        if (secretArns.Count > 0)
        {
            yield return Statement("secretsmanager:GetSecretValue", secretArns);
        }
        if (parameterArns.Count > 0)
        {
            yield return Statement("ssm:GetParameters", parameterArns);
        }
        if (kmsKeys.Count > 0)
        {
            yield return Statement("kms:Decrypt", [.. kmsKeys.Select(k => k.DeepClone())]);
        }
    }

    private const int SpotStopTimeout = 120;

    /// <summary>
    /// FARGATE for the base and its weight, FARGATE_SPOT for the rest: <c>spot: true</c> gives
    /// <c>[{FARGATE_SPOT, Weight 1}]</c>, the reference plugin's output for <c>service.spot</c>.
    /// </summary>
    internal static JsonArray? CapacityProviderStrategy(SpotStrategy? spot)
    {
        if (spot is null)
        {
            return null;
        }
        var items = new JsonArray();
        if (spot.OnDemandBase > 0 || spot.OnDemandWeight > 0)
        {
            var onDemand = new JsonObject { ["CapacityProvider"] = "FARGATE" };
            if (spot.OnDemandBase > 0)
            {
                onDemand["Base"] = spot.OnDemandBase;
            }
            onDemand["Weight"] = spot.OnDemandWeight;
            items.Add((JsonNode)onDemand);
        }
        if (spot.SpotWeight > 0)
        {
            items.Add((JsonNode)new JsonObject { ["CapacityProvider"] = "FARGATE_SPOT", ["Weight"] = spot.SpotWeight });
        }
        return items;
    }

    /// <summary>Values in first-seen order without repeats (JSON equality), each a fresh copy for the template.</summary>
    private static List<JsonNode> Distinct(IEnumerable<JsonNode> values)
    {
        var result = new List<JsonNode>();
        foreach (var value in values)
        {
            if (!result.Exists(existing => JsonNode.DeepEquals(existing, value)))
            {
                result.Add(value.DeepClone());
            }
        }
        return result;
    }

    private static JsonObject Statement(string action, IEnumerable<JsonNode> resources) => new()
    {
        ["Effect"] = "Allow",
        ["Action"] = action,
        ["Resource"] = new JsonArray([.. resources]),
    };

    private static void AddIfSet(JsonObject target, string key, int? value)
    {
        if (value is { } set)
        {
            target[key] = set;
        }
    }

    private static JsonObject Network(NetworkSettings network)
    {
        var result = new JsonObject { ["AssignPublicIp"] = network.AssignPublicIp ? "ENABLED" : "DISABLED" };
        if (network.SecurityGroupIds.Count > 0)
        {
            result["SecurityGroups"] = new JsonArray([.. network.SecurityGroupIds.Select(s => s.DeepClone())]);
        }
        result["Subnets"] = new JsonArray([.. network.SubnetIds.Select(s => s.DeepClone())]);
        return result;
    }

    /// <summary>The reference passes the role's name (<c>Fn::Sub ${Role}</c>); ECS documents an ARN.</summary>
    private static JsonNode ExecutionRoleArn(TaskModel task) =>
        task.ExecutionRoleArn?.DeepClone() ?? Fn.GetAtt(LogicalIds.ExecutionRole, "Arn");

    private static JsonNode TaskRoleArn(TaskModel task) =>
        task.TaskRoleArn?.DeepClone() ?? Fn.GetAtt(LogicalIds.TaskRole, "Arn");

    internal static JsonObject AssumeRolePolicy(string service) => PolicyDocument(
    [
        new JsonObject
        {
            ["Effect"] = "Allow",
            ["Principal"] = new JsonObject { ["Service"] = new JsonArray(service) },
            ["Action"] = new JsonArray("sts:AssumeRole"),
        },
    ]);

    private static JsonObject PolicyDocument(IEnumerable<JsonNode> statements) => new()
    {
        ["Version"] = PolicyVersion,
        ["Statement"] = new JsonArray([.. statements]),
    };

    private static void AddTags(JsonObject properties, IReadOnlyList<KeyValuePair<string, JsonNode>> tags)
    {
        if (tags.Count > 0)
        {
            properties["Tags"] = new JsonArray([.. tags.Select(t => (JsonNode)new JsonObject { ["Key"] = t.Key, ["Value"] = t.Value.DeepClone() })]);
        }
    }

    /// <summary>The escape hatch: top-level keys of the user's object replace the generated ones.</summary>
    private static void MergeOver(JsonObject generated, JsonObject overrides)
    {
        foreach (var (key, value) in overrides)
        {
            generated[key] = value?.DeepClone();
        }
    }
}

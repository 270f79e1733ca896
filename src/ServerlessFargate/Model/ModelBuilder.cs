using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ServerlessFargate.Diagnostics;
using ServerlessFargate.Variables;
using ServerlessFargate.Yaml;


namespace ServerlessFargate.Model;

/// <summary>
/// Builds the typed model from a schema-valid configuration: each task as <see cref="Inheritance"/>
/// merges it over the fargate and provider levels, with the defaults applied. It reports nothing:
/// what it cannot make sense of stays in the model for a rule to report.
/// </summary>
public static partial class ModelBuilder
{
    /// <param name="skipTasks">Tasks left out of the model because they failed the schema (already reported).</param>
    public static ServiceModel Build(ResolvedConfig config, IReadOnlySet<string>? skipTasks = null)
    {
        var provider = config.Provider;
        var fargate = config.Fargate as YMapping ?? new YMapping(config.FargateKey?.Span ?? config.File.Start, []);
        var inherited = Inheritance.Fargate(provider, fargate);
        var images = ReadImages(provider);
        var usedParameters = new SortedDictionary<string, ImageParameter>(StringComparer.Ordinal);
        var perTask = fargate.Get("roles") is YScalar { Value: "per-task" };
        var sharedEmails = Emails((inherited.Get("alerts") as YMapping)?.Get("email")).Select(e => e.Value).ToList();
        var lists = new ListReader(config.ListParameters, fargate);

        var tasks = new List<TaskModel>();
        if (fargate.Get("tasks") is YMapping taskMap)
        {
            foreach (var entry in taskMap.Entries)
            {
                if (entry.Value is YMapping task && skipTasks?.Contains(entry.Key.Value) != true)
                {
                    var image = config.ResolvedImages.TryGetValue(entry.Key.Value, out var uri)
                        ? new TaskImage.Uri(uri)
                        : ResolveImage(task, images, usedParameters);
                    var merged = Inheritance.Task(inherited, task);
                    var built = BuildTask(entry.Key, merged, task, image, perTask, lists);
                    tasks.Add(built with
                    {
                        TagSections = TagSections(("provider.tags", provider), ("fargate.tags", fargate), ($"fargate.tasks.{entry.Key.Value}.tags", task)),
                        Events = BuildEvents(merged, config.StackBuckets),
                        Alerts = BuildAlerts(entry.Key.Value, merged, task.GetEntry("alerts"), sharedEmails),
                        // `service: false` beside `events` says what events already mean: no service.
                        ServiceKey = built.Kind is TaskKind.Triggered && merged.Get("service") is YScalar { Value: "false" } ? null : built.ServiceKey,
                    });
                }
            }
        }

        var (providerStatements, providerPolicies) = Inheritance.ProviderIam(provider);
        var iam = new IamSettings(
            [.. Entries(providerStatements, IamSource.Provider), .. Entries(Inheritance.Indexed(inherited.Get("iamRoleStatements"), "fargate.iamRoleStatements"), IamSource.Fargate)],
            [.. Entries(providerPolicies, IamSource.Provider), .. Entries(Inheritance.Indexed(inherited.Get("iamManagedPolicies"), "fargate.iamManagedPolicies"), IamSource.Fargate)]);

        var cluster = new ClusterSettings(
            Text(fargate.Get("clusterName")),
            fargate.Get("containerInsights") is YScalar insights ? insights.Value == "true" : null,
            Text(fargate.Get("logGroupName")),
            OptionalInt(fargate.Get("logRetentionInDays")),
            Map(inherited.Get("tags")))
        {
            TagSections = TagSections(("provider.tags", provider), ("fargate.tags", fargate)),
        };

        return new ServiceModel(config.ServiceName, config.Stage, config.Region, cluster, iam, tasks,
            [.. usedParameters.Values], config.FargateKey?.Span ?? config.File.Start)
        {
            StackName = config.StackName ?? $"{config.ServiceName}-{config.Stage}",
            DeployedByFramework = config.Functions.Count > 0
                ? $"it declares functions ({string.Join(", ", config.Functions.Take(3).Select(f => f.Value))}{(config.Functions.Count > 3 ? ", ..." : "")})"
                : config.Plugins.Contains(ProjectInfo.PluginPackage) ? $"it lists {ProjectInfo.PluginPackage} under plugins" : null,
            FargateDeclared = config.Fargate is not (null or YScalar { Kind: ScalarKind.Null }),
            LegacyFargateKey = config.LegacyFargateKey,
            SkippedTasks = skipTasks ?? new HashSet<string>(StringComparer.Ordinal),
            EcrImageNames = [.. images.Keys.Order(StringComparer.Ordinal)],
            LoadBalancer = BuildLoadBalancer(fargate, lists),
            Network = tasks.Any(t => t.Network.Generated)
                ? new GeneratedNetwork(
                    Path(fargate, "vpc", "cidr") is YScalar cidr ? new Located<string>(cidr.Value, cidr.Span) : new Located<string>(Defaults.VpcCidr, config.FargateKey?.Span ?? config.File.Start),
                    [.. tasks.Where(t => t.Network.Generated).Select(t => t.Key)])
                : null,
        };
    }

    private sealed record ImageEntry(string Name, string? Uri, string? BuildPath);

    /// <summary>
    /// A task's statements or managed policies as it inherits them (x-merge concat: the fargate
    /// level's, then its own), each with where it was written: the last ones, as many as the task
    /// writes itself, are the task's.
    /// </summary>
    private static IamSettings TaskIam(string key, YMapping inherited, YMapping own)
    {
        List<IamEntry> Of(string name)
        {
            var all = inherited.Get(name) is YSequence list ? list.Items : [];
            var fargateCount = all.Count - (own.Get(name) is YSequence mine ? mine.Items.Count : 0);
            return [.. Entries(all.Take(fargateCount).Select((node, i) => (node, $"fargate.{name}[{i}]")), IamSource.Fargate),
                .. Entries(all.Skip(fargateCount).Select((node, i) => (node, $"fargate.tasks.{key}.{name}[{i}]")), IamSource.Task)];
        }
        return new IamSettings(Of("iamRoleStatements"), Of("iamManagedPolicies"));
    }

    private static IEnumerable<IamEntry> Entries(IEnumerable<(YNode Node, string Path)> nodes, IamSource source) =>
        nodes.Select(n => (Json: YNodeJson.ToJsonNode(n.Node), n.Path, n.Node.Span))
            .Where(n => n.Json is not null)
            .Select(n => new IamEntry(n.Json!, source, n.Path, n.Span));

    private static Dictionary<string, ImageEntry> ReadImages(YMapping provider)
    {
        var images = new Dictionary<string, ImageEntry>(StringComparer.Ordinal);
        if (Path(provider, "ecr", "images") is YMapping map)
        {
            foreach (var entry in map.Entries)
            {
                var image = entry.Value as YMapping;
                images[entry.Key.Value] = new ImageEntry(entry.Key.Value, Text(image?.Get("uri")), Text(image?.Get("path")));
            }
        }
        return images;
    }

    /// <param name="task">The task with what it inherits (<see cref="Inheritance.Task"/>).</param>
    /// <param name="own">The task as written.</param>
    private static TaskModel BuildTask(YScalar key, YMapping task, YMapping own, TaskImage image, bool perTask, ListReader lists)
    {
        var ownIamKey = (own.GetEntry("iamRoleStatements") ?? own.GetEntry("iamManagedPolicies"))?.Key.Span;
        var name = task.GetEntry("name") is { Value: YScalar nameNode }
            ? new Located<string>(nameNode.Value, nameNode.Span)
            : new Located<string>(key.Value, key.Span);
        var memory = task.Get("memory") is YScalar memoryScalar
            ? new Located<string>(memoryScalar.Value, memoryScalar.Span)
            : new Located<string>(Defaults.Memory, key.Span);
        var cpu = Int(task.Get("cpu"), key, Defaults.Cpu);
        var architecture = task.Get("architecture") is YScalar arch
            ? new Located<string>(arch.Value, arch.Span)
            : null;

        var vpc = task.Get("vpc") as YMapping;
        var kind = BuildKind(key, task);
        var subnets = vpc?.Get("subnetIds");
        // A service or scheduled task with no subnets anywhere runs in a generated network, on
        // public subnets, so it needs a public IP to pull its image (there is no NAT gateway).
        var generated = subnets is null && kind is not TaskKind.Standalone;
        var network = new NetworkSettings(
            lists.TaskVpc("subnetIds", task, own, key.Value),
            lists.TaskVpc("securityGroupIds", task, own, key.Value),
            generated || (vpc?.Get("assignPublicIp") is YScalar publicIp ? publicIp.Value == "true" : Defaults.AssignPublicIp))
        {
            Generated = generated,
            SubnetsSpan = (subnets ?? vpc)?.Span ?? key.Span,
        };

        return new TaskModel(
            key.Value,
            key.Span,
            name,
            LogicalIds.TaskId(name.Value),
            image,
            Json(task.Get("executionRoleArn")),
            Json(task.Get("taskRoleArn")),
            network,
            task.Get("command") is { } command ? StringList(command) : null,
            task.Get("entryPoint") is { } entryPoint ? StringList(entryPoint) : null,
            memory,
            MemorySize.ParseMiB(memory.Value),
            cpu,
            architecture,
            Map(task.Get("environment")),
            Map(task.Get("tags")),
            task.Get("dependsOn") is { } dependsOn ? StringList(dependsOn) : [],
            kind,
            new EscapeHatches(
                Properties(Path(task, "cloudFormationResource", "task")),
                Properties(Path(task, "cloudFormationResource", "container")),
                Properties(Path(task, "cloudFormationResource", "service")),
                [.. Items(Path(task, "cloudFormationResource", "additionalContainers"))]),
            new OutputSettings(Flag(task, "taskArn"), Flag(task, "serviceArn"), Flag(task, "scheduledTaskArn")))
        {
            Runtime = BuildRuntime(task),
            Spot = BuildSpot(task.Get("spot")),
            Ports = task.Get("ports") is YSequence ports ? [.. ports.Items.OfType<YScalar>().Select(PortOf)] : [],
            Http = task.GetEntry("http") is { Value: YMapping http } httpEntry ? BuildHttp(http, httpEntry.Key.Span) : null,
            EventsRoleArn = Json(task.Get("eventsRoleArn")),
            SchedulerRoleArn = Json(task.Get("schedulerRoleArn")),
            ServiceKey = task.GetEntry("service")?.Key.Span,
            AutoscalingKey = (task.Get("service") as YMapping)?.GetEntry("autoscaling")?.Key.Span,
            Iam = TaskIam(key.Value, task, own),
            OwnIamKey = ownIamKey,
            Roles = perTask ? RoleScope.PerTask : ownIamKey is not null ? RoleScope.OwnTaskRole : RoleScope.Shared,
            EstimatedDuration = task.Get("estimatedDuration") is YScalar duration ? new Located<string>(duration.Value, duration.Span) : null,
        };
    }

    private static HttpSettings BuildHttp(YMapping http, SourceSpan span)
    {
        var check = http.Get("healthCheck") as YMapping;
        return new HttpSettings(
            Int(http.Get("port"), YScalar.String(span, ""), 0),
            http.Get("path") is YScalar path ? new Located<string>(path.Value, path.Span) : null,
            http.Get("host") is YScalar host ? new Located<string>(host.Value, host.Span) : null,
            Text(check?.Get("path")),
            OptionalInt(check?.Get("interval")),
            OptionalInt(check?.Get("timeout")),
            OptionalInt(check?.Get("healthyThreshold")),
            OptionalInt(check?.Get("unhealthyThreshold")),
            OptionalInt(http.Get("deregistrationDelay")),
            OptionalInt(http.Get("healthCheckGracePeriod")),
            span)
        {
            HealthCheckTimingSpan = (check?.Get("timeout") ?? check?.Get("interval"))?.Span,
        };
    }

    private static LoadBalancerSettings BuildLoadBalancer(YMapping fargate, ListReader lists)
    {
        var settings = fargate.GetEntry("loadBalancer");
        var balancer = settings?.Value as YMapping;
        var vpc = fargate.Get("vpc") as YMapping;
        return new LoadBalancerSettings(
            balancer?.Get("public") is not YScalar { Value: "false" },
            balancer?.Get("certificateArn") is { } certificate && Json(certificate) is { } arn ? new Located<JsonNode>(arn, certificate.Span) : null,
            OptionalInt(balancer?.Get("idleTimeout")),
            Text(balancer?.Get("sslPolicy")),
            lists.Read(vpc?.Get("publicSubnetIds"), "fargate.vpc.publicSubnetIds"),
            Json(vpc?.Get("id")),
            settings?.Key.Span ?? vpc?.Span ?? fargate.Span);
    }

    /// <summary><c>8080</c> or <c>"8080"</c> is TCP; <c>"9000/udp"</c> names the protocol (the schema checked the form).</summary>
    private static PortMapping PortOf(YScalar port)
    {
        var parts = port.Value.Split('/');
        var number = int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;
        return new PortMapping(new Located<int>(number, port.Span), parts.Length > 1 ? parts[1] : "tcp");
    }

    /// <summary>An <c>outputs</c> switch, on unless set to false.</summary>
    private static bool Flag(YMapping task, string name) => (Path(task, "outputs", name) as YScalar)?.Value != "false";

    private static TaskKind BuildKind(YScalar key, YMapping task)
    {
        var service = task.GetEntry("service");
        if (task.Get("schedule") is { } schedule and not YScalar { Kind: ScalarKind.Null })
        {
            return schedule switch
            {
                YScalar expression => new TaskKind.Scheduled(Schedule.Parse(new Located<string>(expression.Value, expression.Span), null, scheduler: false)),
                YSequence list => new TaskKind.Schedules([.. list.Items.OfType<YMapping>().SelectMany(ScheduleEntries)]),
                _ => new TaskKind.Schedules([.. ScheduleEntries((YMapping)schedule)]),
            };
        }
        if (task.Get("events") is YSequence { Items.Count: > 0 })
        {
            return new TaskKind.Triggered();
        }
        if (service?.Value is YScalar { Kind: ScalarKind.Boolean, Value: "false" })
        {
            return new TaskKind.Standalone();
        }
        var settings = service?.Value as YMapping;
        var strict = settings?.Get("strict") is YScalar { Value: "true" };
        return new TaskKind.Service(
            Int(settings?.Get("desiredCount"), key, Defaults.DesiredCount),
            Int(settings?.Get("maximumPercent"), key, strict ? Defaults.StrictMaximumPercent : Defaults.MaximumPercent),
            Int(settings?.Get("minimumHealthyPercent"), key, strict ? Defaults.StrictMinimumHealthyPercent : Defaults.MinimumHealthyPercent))
        {
            CircuitBreaker = settings?.Get("circuitBreaker") is not YScalar { Value: "false" },
            Autoscaling = settings?.GetEntry("autoscaling") is { Value: YMapping scaling } entry ? BuildAutoscaling(key, entry.Key, scaling) : null,
            DesiredCountKey = settings?.GetEntry("desiredCount")?.Key.Span,
        };
    }

    /// <summary>One entry per expression: <c>rate: [a, b]</c> gives two schedules with the same settings.</summary>
    private static IEnumerable<ScheduleEntry> ScheduleEntries(YMapping schedule)
    {
        var expressions = schedule.Get("rate") switch
        {
            YScalar one => [one],
            YSequence many => many.Items.OfType<YScalar>().ToList(),
            _ => [],
        };
        var timeZone = schedule.Get("timezone") is YScalar zone ? new Located<string>(zone.Value, zone.Span) : null;
        foreach (var expression in expressions)
        {
            yield return new ScheduleEntry(
                Schedule.Parse(new Located<string>(expression.Value, expression.Span), timeZone, scheduler: true),
                OptionalInt(schedule.Get("flexibleWindow")),
                schedule.Get("enabled") is not YScalar { Value: "false" },
                OptionalInt(schedule.Get("retries")),
                OptionalInt(schedule.Get("maxEventAge")),
                Json(schedule.Get("deadLetterQueueArn")),
                schedule.Get("command") is { } command ? StringList(command) : null);
        }
    }

    /// <summary>
    /// The task's <c>events</c>, numbered from 1 in the order written. An <c>s3</c> event names its
    /// bucket as <c>!Ref</c> to a bucket in the stack's resources, or by name; either finds it there.
    /// </summary>
    private static List<TaskEvent> BuildEvents(YMapping task, IReadOnlyList<StackBucket> buckets)
    {
        var events = new List<TaskEvent>();
        var items = (task.Get("events") as YSequence)?.Items ?? [];
        for (var index = 0; index < items.Count; index++)
        {
            if (items[index] is not YMapping { Entries: [var entry] })
            {
                continue;
            }
            var settings = entry.Value as YMapping;
            EventSource? source = (entry.Key.Value, entry.Value) switch
            {
                ("eventBridge", YMapping bus) when bus.Get("pattern") is YMapping pattern => new EventSource.Bus(EventPattern.Parse(pattern), LocatedJson(bus.Get("eventBus"))),
                ("s3", YScalar name) => S3Source(new Located<JsonNode>(JsonValue.Create(name.Value), name.Span), null, null, buckets),
                ("s3", YMapping s3) when LocatedJson(s3.Get("bucket")) is { } bucket => S3Source(bucket, Text(s3.Get("prefix")), Text(s3.Get("suffix")), buckets),
                _ => null,
            };
            if (source is null)
            {
                continue;
            }
            var retry = settings?.Get("retryPolicy") as YMapping;
            var input = settings?.Get("input") as YMapping;
            events.Add(new TaskEvent(
                index + 1,
                source,
                (input?.Get("environment") as YMapping)?.Entries
                    .Where(e => e.Value is YScalar)
                    .Select(e => new EventVariable(e.Key.Value, new Located<string>(((YScalar)e.Value).Value, e.Value.Span))).ToList() ?? [],
                OptionalInt(retry?.Get("maximumRetryAttempts")),
                OptionalInt(retry?.Get("maximumEventAge")),
                LocatedJson(settings?.Get("deadLetterQueueArn")),
                entry.Key.Span)
            {
                WholeEventKey = input?.Get("wholeEvent") is YScalar { Value: "true" } whole ? whole.Span : null,
            });
        }
        return events;
    }

    private static EventSource.S3 S3Source(Located<JsonNode> bucket, string? prefix, string? suffix, IReadOnlyList<StackBucket> buckets)
    {
        var name = bucket.Value is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        var reference = bucket.Value is JsonObject { Count: 1 } function && function["Ref"] is JsonValue target && target.TryGetValue<string>(out var id) ? id : null;
        var found = buckets.FirstOrDefault(b => (reference is not null && b.LogicalId == reference) || (name is not null && b.BucketName == name));
        return new EventSource.S3(bucket, prefix, suffix) { StackBucket = found?.LogicalId, StackBucketSendsEvents = found?.SendsEvents == true, StackBucketIntrinsic = found?.Intrinsic };
    }

    /// <param name="task">The task with what it inherits.</param>
    /// <param name="own">The task's own <c>alerts</c> entry, when it has one: where messages point.</param>
    /// <param name="sharedEmails">The fargate level's addresses, which share one topic.</param>
    private static AlertSettings? BuildAlerts(string key, YMapping task, YEntry? own, IReadOnlyList<string> sharedEmails)
    {
        if (task.GetEntry("alerts") is not { Value: YMapping alerts } entry)
        {
            return null;
        }
        var emails = Emails(alerts.Get("email"));
        var on = alerts.Get("on") is YSequence list ? list.Items.OfType<YScalar>().Select(v => v.Value).ToList() : [Defaults.AlertOn];
        return new AlertSettings(emails, LocatedJson(alerts.Get("topicArn")), on.Contains("failure"), on.Contains("deployment"),
            (own ?? entry).Key.Span, own is null ? "fargate.alerts" : $"fargate.tasks.{key}.alerts")
        {
            SharesTopic = emails.Count > 0 && emails.Select(e => e.Value).SequenceEqual(sharedEmails, StringComparer.Ordinal),
            EmailsPath = (own?.Value as YMapping)?.Get("email") is null ? "fargate.alerts.email" : $"fargate.tasks.{key}.alerts.email",
        };
    }

    /// <summary><c>email</c>: one address, or a list of them.</summary>
    private static List<Located<string>> Emails(YNode? node) => node switch
    {
        YScalar { Kind: not ScalarKind.Null } one => [new Located<string>(one.Value, one.Span)],
        YSequence many => [.. many.Items.OfType<YScalar>().Select(e => new Located<string>(e.Value, e.Span))],
        _ => [],
    };

    private static Located<JsonNode>? LocatedJson(YNode? node) => Json(node) is { } json ? new Located<JsonNode>(json, node!.Span) : null;

    private static Autoscaling BuildAutoscaling(YScalar taskKey, YScalar key, YMapping scaling)
    {
        var sqs = scaling.Get("sqs") as YMapping;
        return new Autoscaling(
            Int(scaling.Get("min"), key, Defaults.AutoscalingMin),
            Int(scaling.Get("max"), key, Defaults.AutoscalingMin),
            OptionalInt(scaling.Get("cpu")),
            OptionalInt(scaling.Get("memory")),
            sqs?.Get("queue") is YScalar queue
                ? new QueueScaling(new Located<QueueReference>(QueueReference.Parse(queue.Value), queue.Span), OptionalInt(sqs.Get("messagesPerTask")) ?? 1)
                : null,
            OptionalInt(scaling.Get("scaleInCooldown")),
            OptionalInt(scaling.Get("scaleOutCooldown")),
            key.Span);
    }

    /// <summary>
    /// <c>true</c> puts everything on FARGATE_SPOT; a map sets the strategy (spotWeight 1 by default).
    /// </summary>
    private static SpotStrategy? BuildSpot(YNode? node) =>
        node switch
        {
            YScalar { Value: "true" } => new SpotStrategy(0, 0, 1, node.Span),
            YMapping settings => new SpotStrategy(
                OptionalInt(settings.Get("onDemandBase")) ?? 0,
                OptionalInt(settings.Get("onDemandWeight")) ?? 0,
                OptionalInt(settings.Get("spotWeight")) ?? 1,
                node.Span)
            {
                Fallback = settings.Get("fallback") is YScalar { Value: "true" } fallback ? fallback.Span : null,
            },
            _ => null,
        };

    /// <summary>
    /// A whole number as the schema accepted it: <c>3</c>, and also <c>3.0</c> or <c>1e3</c>,
    /// which JSON Schema counts as integers. The schema bounds every integer to 32 bits.
    /// </summary>
    private static int? OptionalInt(YNode? node) => node switch
    {
        YScalar { Kind: ScalarKind.Integer } scalar when int.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) => value,
        YScalar { Kind: ScalarKind.Float } scalar when double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            && number == Math.Floor(number) && number is >= int.MinValue and <= int.MaxValue => (int)number,
        _ => null,
    };

    /// <summary>Secrets, the health check, ECS Exec, stop timeout and ephemeral storage.</summary>
    private static RuntimeSettings BuildRuntime(YMapping task)
    {
        List<SecretReference> secrets = task.Get("secrets") is YMapping map
            ? [.. map.Entries.Select(entry => new SecretReference(entry.Key.Value, SecretSourceOf(entry.Value), entry.Value.Span))]
            : [];

        HealthCheckSettings? healthCheck = null;
        if (task.Get("healthCheck") is YMapping check)
        {
            var command = check.Get("command") switch
            {
                YScalar shell => ["CMD-SHELL", shell.Value],
                YSequence { Items: [YScalar { Value: "CMD" or "CMD-SHELL" }, ..] } list => StringList(list),
                YSequence list => ["CMD", .. StringList(list)],
                _ => new List<string>(),
            };
            healthCheck = new HealthCheckSettings(command, OptionalInt(check.Get("interval")), OptionalInt(check.Get("timeout")),
                OptionalInt(check.Get("retries")), OptionalInt(check.Get("startPeriod")));
        }

        var exec = task.Get("exec");
        return new RuntimeSettings(
            secrets,
            healthCheck,
            new Located<bool>(exec is YScalar { Value: "true" }, exec?.Span ?? default),
            OptionalInt(task.Get("stopTimeout")),
            OptionalInt(task.Get("ephemeralStorage")))
        {
            SecretsKmsKeyArns = [.. Items(task.Get("secretsKmsKeyArns"))],
        };
    }

    [GeneratedRegex(@"^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$")]
    private static partial Regex SecretsManagerArn();

    [GeneratedRegex(@"^arn:aws[a-z-]*:ssm:[a-z0-9-]+:[0-9]{12}:parameter/.+$")]
    private static partial Regex ParameterArn();

    private static SecretSource SecretSourceOf(YNode value)
    {
        if (value is not YScalar scalar)
        {
            var json = YNodeJson.ToJsonNode(value)!;
            var isParameter = json is JsonObject sub && sub["Fn::Sub"] is JsonValue template
                && template.TryGetValue<string>(out var text) && text.Contains(":ssm:", StringComparison.Ordinal);
            return new SecretSource.Intrinsic(json, isParameter);
        }
        return scalar.Value switch
        {
            var name when scalar.Kind == ScalarKind.String && name.StartsWith("ssm:", StringComparison.Ordinal) =>
                new SecretSource.ParameterName(name["ssm:".Length..].TrimStart('/')),
            var arn when SecretsManagerArn().IsMatch(arn) => new SecretSource.SecretsManagerArn(arn),
            var arn when ParameterArn().IsMatch(arn) => new SecretSource.ParameterArn(arn),
            var other => new SecretSource.Invalid(other),
        };
    }

    /// <summary>
    /// A name in <c>provider.ecr.images</c> wins; anything else is a reference for the image rule to check.
    /// </summary>
    private static TaskImage ResolveImage(YMapping task, Dictionary<string, ImageEntry> images,
        SortedDictionary<string, ImageParameter> usedParameters)
    {
        var node = (YScalar)task.Get("image")!;
        var value = node.Value;
        if (images.TryGetValue(value, out var image))
        {
            if (image.Uri is not null)
            {
                return new TaskImage.Uri(image.Uri);
            }
            var parameter = new ImageParameter(image.Name, LogicalIds.ImageParameter(image.Name), image.BuildPath ?? "");
            usedParameters[parameter.LogicalId] = parameter;
            return new TaskImage.Parameter(parameter);
        }
        return new TaskImage.Reference(new Located<string>(value, node.Span));
    }

    private static YNode? Path(YMapping? start, params string[] keys)
    {
        YNode? current = start;
        foreach (var key in keys)
        {
            current = (current as YMapping)?.Get(key);
        }
        return current;
    }

    private static string? Text(YNode? node) => node is YScalar { Kind: not ScalarKind.Null } scalar ? scalar.Value : null;

    /// <summary>An integer where it is written, or the default located at <paramref name="fallbackAt"/>.</summary>
    private static Located<int> Int(YNode? node, YScalar fallbackAt, int fallback) =>
        OptionalInt(node) is { } value ? new Located<int>(value, node!.Span) : new Located<int>(fallback, fallbackAt.Span);

    private static JsonNode? Json(YNode? node) => node is null or YScalar { Kind: ScalarKind.Null } ? null : YNodeJson.ToJsonNode(node);

    private static IEnumerable<JsonNode> Items(YNode? node) =>
        node is YSequence sequence ? sequence.Items.Select(YNodeJson.ToJsonNode).OfType<JsonNode>() : [];

    /// <summary>
    /// Reads list settings: a single value also counts as a list of one (the blog post's
    /// <c>subnets: subnet-1234</c>, or <c>!ImportValue private-subnet</c>), except a function that
    /// gives a list (<see cref="ListFunctions"/>) or a <c>!Ref</c> to one of the stack's list
    /// parameters, which is the whole list.
    /// </summary>
    private sealed record ListReader(IReadOnlySet<string> ListParameters, YMapping Fargate)
    {
        /// <summary>A task's <c>vpc</c> list, with where it is written: the task, the fargate level or the provider.</summary>
        public CfnList TaskVpc(string setting, YMapping task, YMapping own, string taskKey) =>
            Read(Path(task, "vpc", setting),
                Path(own, "vpc", setting) is not null ? $"fargate.tasks.{taskKey}.vpc.{setting}"
                : Path(Fargate, "vpc", setting) is not null ? $"fargate.vpc.{setting}"
                : $"provider.vpc.{setting}");

        public CfnList Read(YNode? node, string writtenAt) => node switch
        {
            null or YScalar { Kind: ScalarKind.Null } => Model.CfnList.Empty,
            YSequence sequence => new(Model.CfnList.Distinct(sequence.Items.Select(YNodeJson.ToJsonNode).OfType<JsonNode>()))
            {
                WrittenAt = writtenAt,
                Span = node.Span,
                ListsInside = [.. sequence.Items.Select(item => ListParameterRef(item) is { } name ? new Located<string>(name, item.Span) : null).OfType<Located<string>>()],
            },
            _ when IsWholeList(node) => new([], (JsonObject)YNodeJson.ToJsonNode(node)!) { WrittenAt = writtenAt, Span = node.Span },
            _ => new([YNodeJson.ToJsonNode(node)!]) { WrittenAt = writtenAt, Span = node.Span },
        };

        /// <summary>
        /// A value that is a whole list: a list function, a <c>!Ref</c> to a list parameter, or an
        /// <c>!If</c> whose branches are both lists (<c>!If [IsProd, [subnet-a, subnet-b], [subnet-c]]</c>).
        /// </summary>
        private bool IsWholeList(YNode node) => node switch
        {
            YMapping { Entries: [{ Key.Value: "Fn::If", Value: YSequence { Items: [_, var then, var otherwise] } }] } =>
                then is YSequence || IsWholeList(then) ? otherwise is YSequence || IsWholeList(otherwise) : false,
            YMapping { Entries: [var only] } => ListFunctions.Contains(only.Key.Value) || ListParameterRef(node) is not null,
            _ => false,
        };

        /// <summary>The parameter a node refers to, when it is a <c>!Ref</c> to a list parameter.</summary>
        private string? ListParameterRef(YNode node) =>
            node is YMapping { Entries: [{ Key.Value: "Ref", Value: YScalar { Value: var name } }] } && ListParameters.Contains(name) ? name : null;
    }

    /// <summary>
    /// The functions that always give a list of strings. Others give one string (<c>Fn::ImportValue</c>,
    /// <c>Fn::Sub</c>, <c>Fn::Select</c>, <c>Ref</c> to a resource or to a parameter of another type).
    /// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html
    /// </summary>
    private static readonly string[] ListFunctions = ["Fn::Split", "Fn::GetAZs", "Fn::Cidr"];

    private static List<string> StringList(YNode node) => node switch
    {
        YSequence sequence => [.. sequence.Items.OfType<YScalar>().Select(s => s.Value)],
        YScalar scalar => [scalar.Value],
        _ => [],
    };

    /// <summary>
    /// A map's entries in order; numbers and booleans become strings, since ECS environment values
    /// and tag values are strings.
    /// </summary>
    /// <summary>The <c>tags</c> maps of <paramref name="levels"/> (earliest first), each with the keys no later level sets again.</summary>
    private static List<TagSection> TagSections(params (string Path, YMapping Owner)[] levels)
    {
        var sections = new List<TagSection>();
        var later = new HashSet<string>(StringComparer.Ordinal);
        for (var i = levels.Length - 1; i >= 0; i--)
        {
            if (levels[i].Owner.GetEntry("tags") is { Value: YMapping tags } entry)
            {
                var count = tags.Entries.Count(e => later.Add(e.Key.Value));
                sections.Insert(0, new TagSection(levels[i].Path, entry.Key.Span, count));
            }
        }
        return sections;
    }

    private static List<KeyValuePair<string, JsonNode>> Map(YNode? node) => node is YMapping mapping
        ? [.. mapping.Entries.Select(entry => new KeyValuePair<string, JsonNode>(entry.Key.Value, entry.Value is YScalar scalar
            ? JsonValue.Create(scalar.Kind == ScalarKind.Null ? "" : scalar.Value)
            : YNodeJson.ToJsonNode(entry.Value)!))]
        : [];

    private static JsonObject Properties(YNode? node) => node is YMapping mapping ? (JsonObject)YNodeJson.ToJsonNode(mapping)! : new JsonObject();
}

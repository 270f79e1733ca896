namespace ServerlessFargate.Diagnostics;

/// <summary>What a diagnostic id means. <paramref name="HelpUri"/> points at the page that explains the rule.</summary>
public sealed record DiagnosticDescriptor(string Id, string Title, string HelpUri);

/// <summary>
/// Every diagnostic id the engine reports. Ids are stable: FG0xxx YAML, FG1xxx schema,
/// FG2xxx variables, FG3xxx semantic rules. Never reuse or renumber one.
/// </summary>
public static class DiagnosticCatalog
{
    private const string Docs = "docs/diagnostics.md#";
    private const string Quotas = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html";

    // YAML and JSON syntax.
    public const string YamlSyntax = "FG0001";
    public const string YamlTab = "FG0002";
    public const string YamlDuplicateKey = "FG0003";
    public const string YamlUnknownTag = "FG0004";
    public const string YamlRootNotMapping = "FG0005";
    public const string YamlMergeKey = "FG0006";
    public const string YamlNonScalarKey = "FG0007";
    public const string InputNotFound = "FG0008";

    // Schema.
    public const string SchemaUnknownKey = "FG1001";
    public const string SchemaWrongType = "FG1002";
    public const string SchemaNotAllowed = "FG1003";
    public const string SchemaRequired = "FG1004";
    public const string SchemaPattern = "FG1005";
    public const string SchemaRange = "FG1006";
    public const string SchemaDeprecated = "FG1007";
    public const string SchemaOther = "FG1008";

    // Variables.
    public const string VariableNotFound = "FG2001";
    public const string VariableNeedsAws = "FG2002";
    public const string VariableUnknownSource = "FG2003";
    public const string VariableSyntax = "FG2004";
    public const string VariableCycle = "FG2005";
    public const string VariableFile = "FG2006";
    public const string VariableNotAString = "FG2007";

    // Semantic rules.
    public const string TaskSize = "FG3001";
    public const string MemorySize = "FG3002";
    public const string Schedule = "FG3003";
    public const string Subnets = "FG3004";
    public const string Image = "FG3005";
    public const string TaskIdCollision = "FG3006";
    public const string ExistingIdCollision = "FG3007";
    public const string EcsName = "FG3008";
    public const string SpotArm64 = "FG3009";
    public const string ServiceCounts = "FG3010";
    public const string NoTasks = "FG3011";
    public const string ServiceOnScheduledTask = "FG3012";
    public const string UnboundImageInMerge = "FG3013";
    public const string ResourceLimit = "FG3014";
    public const string OutputLimit = "FG3015";
    public const string ParameterLimit = "FG3016";
    public const string TemplateSizeLimit = "FG3017";
    public const string Secret = "FG3018";
    public const string SecretInEnvironment = "FG3019";
    public const string AutoscalingSettings = "FG3020";
    public const string RoleNotExtended = "FG3021";
    public const string SpotStrategy = "FG3022";
    public const string TimeZone = "FG3023";
    public const string SpotFallback = "FG3024";

    private static readonly Dictionary<string, DiagnosticDescriptor> All = new[]
    {
        D(YamlSyntax, "YAML or JSON syntax error"),
        D(YamlTab, "tab character in indentation"),
        D(YamlDuplicateKey, "duplicate key"),
        D(YamlUnknownTag, "unknown YAML tag"),
        D(YamlRootNotMapping, "the file is not a mapping"),
        D(YamlMergeKey, "invalid merge key"),
        D(YamlNonScalarKey, "a key that is not a scalar"),
        D(InputNotFound, "input file not found"),
        D(SchemaUnknownKey, "unknown key"),
        D(SchemaWrongType, "wrong type"),
        D(SchemaNotAllowed, "value not allowed"),
        D(SchemaRequired, "required key missing"),
        D(SchemaPattern, "value does not match the expected format"),
        D(SchemaRange, "value out of range"),
        D(SchemaDeprecated, "deprecated key"),
        D(SchemaOther, "value does not satisfy the schema"),
        D(VariableNotFound, "variable has no value"),
        D(VariableNeedsAws, "variable source needs AWS"),
        D(VariableUnknownSource, "unknown variable source"),
        D(VariableSyntax, "malformed variable"),
        D(VariableCycle, "variables refer to each other in a cycle"),
        D(VariableFile, "file variable cannot be read"),
        D(VariableNotAString, "a list or map inside a longer string"),
        D(TaskSize, "cpu and memory combination Fargate does not offer",
            "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size"),
        D(MemorySize, "memory is not a size"),
        D(Schedule, "invalid schedule expression",
            "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html"),
        D(Subnets, "task has no subnets"),
        D(Image, "image cannot be resolved"),
        D(TaskIdCollision, "two tasks map to one logical ID"),
        D(ExistingIdCollision, "logical ID already used in the stack"),
        D(EcsName, "name that ECS rejects"),
        D(SpotArm64, "Fargate Spot with ARM64"),
        D(ServiceCounts, "service counts out of range"),
        D(NoTasks, "no tasks declared"),
        D(ServiceOnScheduledTask, "service settings on a scheduled task"),
        D(UnboundImageInMerge, "merged template needs an image parameter"),
        D(ResourceLimit, "more resources than CloudFormation allows", Quotas),
        D(OutputLimit, "more outputs than CloudFormation allows", Quotas),
        D(ParameterLimit, "more parameters than CloudFormation allows", Quotas),
        D(TemplateSizeLimit, "template larger than CloudFormation takes", Quotas),
        D(Secret, "secret that is not a Secrets Manager secret or SSM parameter",
            "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html"),
        D(SecretInEnvironment, "a name both a secret and an environment variable"),
        D(AutoscalingSettings, "autoscaling settings that cannot work",
            "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-auto-scaling.html"),
        D(RoleNotExtended, "a role sls-fargate cannot give the permissions a feature needs"),
        D(SpotFallback, "Spot fallback where it cannot work"),
        D(TimeZone, "unknown time zone", "https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html"),
        D(SpotStrategy, "a capacity provider strategy that places nothing",
            "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html"),
    }.ToDictionary(d => d.Id, StringComparer.Ordinal);

    public static IEnumerable<DiagnosticDescriptor> Descriptors => All.Values.OrderBy(d => d.Id, StringComparer.Ordinal);

    public static DiagnosticDescriptor Get(string id) =>
        All.TryGetValue(id, out var descriptor) ? descriptor : new DiagnosticDescriptor(id, id, Docs + id.ToLowerInvariant());

    private static DiagnosticDescriptor D(string id, string title, string? help = null) =>
        new(id, title, help ?? Docs + id.ToLowerInvariant());
}

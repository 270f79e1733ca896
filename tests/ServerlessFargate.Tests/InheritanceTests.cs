using System.Text.Json.Nodes;
using ServerlessFargate.Model;

namespace ServerlessFargate.Tests;

/// <summary>
/// What a task inherits from the fargate and provider levels, key by key, as the merge step reads
/// each key's x-merge from the schema (the golden cases hold the common cases; these, the corners).
/// </summary>
public sealed class InheritanceTests
{
    private static TaskModel Task(string fargate, string task, string provider = "")
    {
        var yaml = $"""
            service: app
            provider:
              name: aws
            {Indent(provider, 2)}
            fargate:
            {Indent(fargate, 2)}
              tasks:
                worker:
                  image: public.ecr.aws/docker/library/busybox:1.36
            {Indent(task, 6)}
            """;
        var result = Engine.ValidateText(yaml, new EngineOptions(Environment: _ => null));
        Assert.True(result.Model is { Tasks.Count: 1 }, string.Join('\n', result.Diagnostics.Select(d => d.Message)));
        return result.Model!.Tasks[0];
    }

    private static string Indent(string text, int spaces) =>
        string.Join('\n', text.Split('\n').Select(line => new string(' ', spaces) + line));

    private static string Names(IEnumerable<KeyValuePair<string, JsonNode>> pairs) => string.Join(", ", pairs.Select(p => $"{p.Key}={p.Value}"));

    [Fact]
    public void Every_x_merge_in_the_schema_is_a_rule_the_merge_step_knows()
    {
        static IEnumerable<JsonNode?> Rules(JsonNode? node) => node switch
        {
            JsonObject map => map.SelectMany(p => p.Key == "x-merge" ? [p.Value] : Rules(p.Value)),
            JsonArray list => list.SelectMany(Rules),
            _ => [],
        };
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "schema", "fargate.schema.json")));

        var rules = Rules(schema).Select(rule => rule?.ToJsonString()).ToHashSet();

        Assert.Subset(new HashSet<string?> { "\"mapByKey\"", "\"appendByKey\"", "\"concat\"" }, rules);
    }

    [Fact]
    public void A_task_value_replaces_the_fargate_value_whole()
    {
        var task = Task("cpu: 1024\nmemory: 2GB\nspot: {spotWeight: 3}", "cpu: 512\nspot: true");

        Assert.Equal(512, task.Cpu.Value);
        Assert.Equal("2GB", task.Memory.Value);
        Assert.Equal((0, 0, 1), (task.Spot!.OnDemandBase, task.Spot.OnDemandWeight, task.Spot.SpotWeight));
    }

    [Fact]
    public void Environment_merges_provider_then_fargate_then_task_and_a_key_set_again_keeps_its_place()
    {
        var task = Task("environment: {B: fargate, C: fargate}", "environment: {A: task, D: task}", "environment: {A: provider, B: provider}");

        Assert.Equal("A=task, B=fargate, C=fargate, D=task", Names(task.Environment));
    }

    [Fact]
    public void A_secret_the_task_sets_again_moves_after_the_fargate_secrets()
    {
        var task = Task("secrets: {A: 'ssm:/a', B: 'ssm:/b'}", "secrets: {C: 'ssm:/c', A: 'ssm:/task-a'}");

        Assert.Equal(["B", "C", "A"], task.Runtime.Secrets.Select(s => s.Name));
        Assert.Equal(new SecretSource.ParameterName("task-a"), task.Runtime.Secrets[2].Source);
    }

    [Fact]
    public void Vpc_merges_key_by_key_and_an_older_name_on_a_nearer_level_wins()
    {
        var task = Task("vpc: {subnetIds: [subnet-fargate], securityGroupIds: [sg-fargate]}", "vpc: {subnets: [subnet-task]}",
            "vpc: {securityGroupIds: [sg-provider], assignPublicIp: true}");

        Assert.Equal("subnet-task", Assert.Single(task.Network.SubnetIds.Items).ToString());
        Assert.Equal("sg-fargate", Assert.Single(task.Network.SecurityGroupIds.Items).ToString());
        Assert.True(task.Network.AssignPublicIp);
    }

    [Fact]
    public void The_references_service_spot_comes_between_the_tasks_spot_and_fargates()
    {
        Assert.Equal(1, Task("spot: {spotWeight: 4}", "service: {spot: true}").Spot!.SpotWeight);
        Assert.Equal(2, Task("", "spot: {spotWeight: 2}\nservice: {spot: true}").Spot!.SpotWeight);
        Assert.Null(Task("spot: true", "service: {spot: false}").Spot);
    }

    [Fact]
    public void Escape_hatches_merge_each_section_key_by_key_and_append_additional_containers()
    {
        var task = Task(
            "cloudFormationResource: {container: {Privileged: false, User: root}, additionalContainers: [{Name: fargate-sidecar}]}",
            "cloudFormationResource: {container: {User: app}, task: {Cpu: '512'}, additionalContainers: [{Name: task-sidecar}]}");

        Assert.Equal("""{"Privileged":false,"User":"app"}""", task.Overrides.Container.ToJsonString());
        Assert.Equal("""{"Cpu":"512"}""", task.Overrides.Task.ToJsonString());
        Assert.Equal(["fargate-sidecar", "task-sidecar"], task.Overrides.AdditionalContainers.Select(c => c["Name"]!.ToString()));
    }

    [Fact]
    public void Output_switches_fall_back_one_by_one()
    {
        var task = Task("outputs: {taskArn: false, serviceArn: false}", "outputs: {serviceArn: true}");

        Assert.Equal(new OutputSettings(false, true, true), task.Outputs);
    }

    [Fact]
    public void Provider_statements_come_first_newer_spelling_before_older_and_only_theirs_take_a_list_action()
    {
        var model = Engine.ValidateText("""
            service: app
            provider:
              name: aws
              iamRoleStatements: [{Effect: Allow, Action: older:Get, Resource: '*'}]
              iam:
                role:
                  statements: [{Effect: Allow, Action: newer:Get, Resource: '*'}]
                  managedPolicies: [arn:aws:iam::aws:policy/Newer]
              iamManagedPolicies: [arn:aws:iam::aws:policy/Older]
              stage: prod
            fargate:
              iamRoleStatements: [{Effect: Allow, Action: fargate:Get, Resource: '*'}]
              iamManagedPolicies: [arn:aws:iam::aws:policy/Fargate]
              tasks:
                worker:
                  image: public.ecr.aws/docker/library/busybox:1.36
            """, new EngineOptions(Environment: _ => null)).Model!;

        Assert.Equal(["""["newer:Get"]""", """["older:Get"]""", "\"fargate:Get\""], model.Iam.Statements.Select(s => s.Value["Action"]!.ToJsonString()));
        Assert.Equal(["provider.iam.role.statements[0]", "provider.iamRoleStatements[0]", "fargate.iamRoleStatements[0]"], model.Iam.Statements.Select(s => s.Path));
        Assert.Equal(["arn:aws:iam::aws:policy/Newer", "arn:aws:iam::aws:policy/Older", "arn:aws:iam::aws:policy/Fargate"],
            model.Iam.ManagedPolicies.Select(p => p.Value.ToString()));
    }

    [Fact]
    public void The_cluster_takes_provider_and_fargate_tags_and_the_task_adds_its_own()
    {
        var yaml = """
            service: app
            provider:
              name: aws
              tags: {team: provider, cost: provider}
            fargate:
              tags: {team: fargate}
              tasks:
                worker:
                  image: public.ecr.aws/docker/library/busybox:1.36
                  tags: {cost: task, owner: task}
            """;
        var model = Engine.ValidateText(yaml, new EngineOptions(Environment: _ => null)).Model!;

        Assert.Equal("team=fargate, cost=provider", Names(model.Cluster.Tags));
        Assert.Equal("team=fargate, cost=task, owner=task", Names(model.Tasks[0].Tags));
    }
}

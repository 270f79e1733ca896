using System.Text.Json.Nodes;
using ServerlessFargate.Aws.Planning;

namespace ServerlessFargate.Tests;

/// <summary>
/// The classifier behind <c>sls-fargate plan</c>. Each row changes one resource between a deployed
/// and a proposed template; the planner reads the replacement data the product ships
/// (resource-replacement.json), so a row pins what that data, and the rules on top of it, decide.
/// JSON in rows is written with ' for ".
/// </summary>
public sealed class ChangePlannerTests
{
    private const string HashKey = "[{'AttributeName':'id','KeyType':'HASH'}]";
    private const string OtherKey = "[{'AttributeName':'sk','KeyType':'HASH'}]";
    private const string Spot = "[{'CapacityProvider':'FARGATE_SPOT','Weight':1}]";

    public static TheoryData<string, string, string, string, string, string, string> Rows() => new()
    {
        // type, deployed Properties, proposed Properties → action, replacement, risks, properties
        // DynamoDB: TableName is create-only, KeySchema conditionally so, BillingMode updates in place.
        { "AWS::DynamoDB::Table", "{'TableName':'orders'}", "{'TableName':'orders-v2'}", "replace", "always", "data-loss", "TableName" },
        { "AWS::DynamoDB::Table", $"{{'TableName':'orders','KeySchema':{HashKey}}}", $"{{'TableName':'orders','KeySchema':{OtherKey}}}", "replace", "conditional", "data-loss,update-fails", "KeySchema" },
        { "AWS::DynamoDB::Table", $"{{'KeySchema':{HashKey}}}", $"{{'KeySchema':{OtherKey}}}", "replace", "conditional", "data-loss", "KeySchema" },
        { "AWS::DynamoDB::Table", "{'TableName':'orders','BillingMode':'PROVISIONED'}", "{'TableName':'orders','BillingMode':'PAY_PER_REQUEST'}", "modify", "never", "", "BillingMode" },
        // S3: a new bucket name is a new bucket; tags update in place.
        { "AWS::S3::Bucket", "{'BucketName':'logs-a'}", "{'BucketName':'logs-b'}", "replace", "always", "data-loss", "BucketName" },
        { "AWS::S3::Bucket", "{'BucketName':'logs-a','Tags':[{'Key':'team','Value':'a'}]}", "{'BucketName':'logs-a','Tags':[{'Key':'team','Value':'b'}]}", "modify", "never", "", "Tags" },
        // ECS: a task definition change is a new revision (benign); a service is replaced by a new name or a launch type ↔ capacity provider move.
        { "AWS::ECS::TaskDefinition", "{'Family':'worker','Memory':'512'}", "{'Family':'worker','Memory':'1024'}", "replace", "always", "", "Memory" },
        { "AWS::ECS::Service", "{'ServiceName':'web','DesiredCount':1}", "{'ServiceName':'web','DesiredCount':2}", "modify", "never", "", "DesiredCount" },
        { "AWS::ECS::Service", "{'LaunchType':'FARGATE'}", $"{{'CapacityProviderStrategy':{Spot}}}", "replace", "always", "downtime", "CapacityProviderStrategy,LaunchType" },
        { "AWS::ECS::Service", $"{{'CapacityProviderStrategy':{Spot}}}", "{'LaunchType':'FARGATE'}", "replace", "always", "downtime", "CapacityProviderStrategy,LaunchType" },
        { "AWS::ECS::Service", "{'ServiceName':'web','LaunchType':'FARGATE'}", $"{{'ServiceName':'web','CapacityProviderStrategy':{Spot}}}", "replace", "always", "downtime,update-fails", "CapacityProviderStrategy,LaunchType" },
        { "AWS::ECS::Service", "{'ServiceName':'web'}", "{'ServiceName':'web-v2'}", "replace", "always", "downtime", "ServiceName" },
        // ELBv2: Scheme is create-only; with the same custom Name the replacement cannot happen.
        { "AWS::ElasticLoadBalancingV2::LoadBalancer", "{'Scheme':'internal'}", "{'Scheme':'internet-facing'}", "replace", "always", "downtime", "Scheme" },
        { "AWS::ElasticLoadBalancingV2::LoadBalancer", "{'Name':'web','Scheme':'internal'}", "{'Name':'web','Scheme':'internet-facing'}", "replace", "always", "downtime,update-fails", "Scheme" },
        { "AWS::ElasticLoadBalancingV2::LoadBalancer", "{'Name':'web'}", "{'Name':'web-v2'}", "replace", "always", "downtime", "Name" },
        // Log groups: renaming one deletes the old events.
        { "AWS::Logs::LogGroup", "{'LogGroupName':'/app/a'}", "{'LogGroupName':'/app/b'}", "replace", "always", "data-loss", "LogGroupName" },
        { "AWS::Logs::LogGroup", "{'LogGroupName':'/app/a','RetentionInDays':7}", "{'LogGroupName':'/app/a','RetentionInDays':14}", "modify", "never", "", "RetentionInDays" },
        // Types without data, and custom resources (whose Lambda decides), are never "safe".
        { "AWS::Nowhere::Thing", "{'Size':1}", "{'Size':2}", "modify", "unknown", "", "Size" },
        { "Custom::SeedData", "{'ServiceToken':'arn:a','Rows':1}", "{'ServiceToken':'arn:a','Rows':2}", "modify", "unknown", "", "Rows" },
        { "AWS::CloudFormation::CustomResource", "{'ServiceToken':'arn:a'}", "{'ServiceToken':'arn:b'}", "modify", "unknown", "", "ServiceToken" },
        // A nested create-only path decides, and is what the plan names; elsewhere under the same property, an update.
        { "AWS::MSK::Replicator", "{'ReplicationInfoList':[{'SourceKafkaClusterArn':'arn:a','TopicReplication':{'TopicsToReplicate':['x']}}]}",
            "{'ReplicationInfoList':[{'SourceKafkaClusterArn':'arn:b','TopicReplication':{'TopicsToReplicate':['x']}}]}", "replace", "always", "", "ReplicationInfoList/*/SourceKafkaClusterArn" },
        { "AWS::MSK::Replicator", "{'ReplicationInfoList':[{'SourceKafkaClusterArn':'arn:a','TopicReplication':{'TopicsToReplicate':['x']}}]}",
            "{'ReplicationInfoList':[{'SourceKafkaClusterArn':'arn:a','TopicReplication':{'TopicsToReplicate':['y']}}]}", "modify", "never", "", "ReplicationInfoList" },
        // Intrinsics compare as JSON: the same Ref is no change, another one is.
        { "AWS::Logs::LogGroup", "{'LogGroupName':{'Fn::Sub':'/${AWS::StackName}/app'}}", "{'LogGroupName':{'Fn::Sub':'/${AWS::StackName}/app'}}", "", "", "", "" },
        { "AWS::Logs::LogGroup", "{'LogGroupName':{'Ref':'NameA'}}", "{'LogGroupName':{'Ref':'NameB'}}", "replace", "always", "data-loss", "LogGroupName" },
        // 1 and 1.0 are one number.
        { "AWS::ECS::Service", "{'DesiredCount':1}", "{'DesiredCount':1.0}", "", "", "", "" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void A_change_to_one_property_is_classified_from_the_shipped_data(string type, string before, string after,
        string action, string replacement, string risks, string properties)
    {
        var plan = Plan(Template(("Thing", type, before, "")), Template(("Thing", type, after, "")));

        if (action == "")
        {
            Assert.Empty(plan.Changes);
            return;
        }
        var change = Assert.Single(plan.Changes);
        Assert.Equal((action, replacement, risks, properties),
            (change.Action, change.Replacement, string.Join(',', change.Risks), string.Join(',', change.Properties)));
    }

    [Fact]
    public void The_reasons_name_the_decision_and_each_risk()
    {
        // Given a table whose key schema changes while its custom name stays
        var plan = Plan(Template(("Orders", "AWS::DynamoDB::Table", $"{{'TableName':'orders','KeySchema':{HashKey}}}", "")),
            Template(("Orders", "AWS::DynamoDB::Table", $"{{'TableName':'orders','KeySchema':{OtherKey}}}", "")));

        // Then the reasons say what is lost, what fails, and how to avoid each
        var reasons = string.Join("\n", Assert.Single(plan.Changes).Reasons);
        Assert.Contains("if CloudFormation replaces it, a new, empty AWS::DynamoDB::Table takes its place", reasons);
        Assert.Contains("set UpdateReplacePolicy: Retain", reasons);
        Assert.Contains("CloudFormation cannot update a stack when a custom-named resource requires replacing", reasons);
        Assert.Contains("TableName stays \"orders\"", reasons);
    }

    [Fact]
    public void A_new_name_lets_the_replacement_succeed_and_the_reason_says_so()
    {
        var plan = Plan(Template(("Web", "AWS::ElasticLoadBalancingV2::LoadBalancer", "{'Name':'web'}", "")),
            Template(("Web", "AWS::ElasticLoadBalancingV2::LoadBalancer", "{'Name':'web-v2'}", "")));

        var change = Assert.Single(plan.Changes);
        Assert.DoesNotContain("update-fails", change.Risks);
        Assert.Contains(change.Reasons, r => r.Contains("Name becomes \"web-v2\", so the new resource takes the new name", StringComparison.Ordinal));
    }

    [Fact]
    public void The_ecs_traps_are_named()
    {
        var moved = Plan(Template(("Svc", "AWS::ECS::Service", "{'LaunchType':'FARGATE'}", "")), Template(("Svc", "AWS::ECS::Service", $"{{'CapacityProviderStrategy':{Spot}}}", "")));
        var renamed = Plan(Template(("Svc", "AWS::ECS::Service", "{'ServiceName':'a'}", "")), Template(("Svc", "AWS::ECS::Service", "{'ServiceName':'b'}", "")));

        Assert.Contains(Assert.Single(moved.Changes).Reasons, r => r.StartsWith("moving from LaunchType to CapacityProviderStrategy replaces the service", StringComparison.Ordinal));
        Assert.Contains(Assert.Single(renamed.Changes).Reasons, r => r.StartsWith("a changed ServiceName creates a new service, \"b\", and deletes the old one", StringComparison.Ordinal));
    }

    [Fact]
    public void A_task_definition_revision_is_benign_and_says_why()
    {
        var plan = Plan(Template(("WorkerTask", "AWS::ECS::TaskDefinition", "{'Family':'worker','Cpu':'256'}", "")),
            Template(("WorkerTask", "AWS::ECS::TaskDefinition", "{'Family':'worker','Cpu':'512'}", "")));

        var change = Assert.Single(plan.Changes);
        Assert.Empty(change.Risks);
        Assert.Contains("a new task definition revision: how ECS rolls out a change", change.Reasons);
        Assert.False(plan.NeedsConfirmation);
    }

    public static TheoryData<string, bool> DeletionPolicies() => new()
    {
        { "", true },
        { "'DeletionPolicy':'Delete'", true },
        { "'DeletionPolicy':'Retain'", false },
        { "'DeletionPolicy':'RetainExceptOnCreate'", false },
        { "'DeletionPolicy':'Snapshot'", false },
        // A policy CloudFormation would compute is not one the planner can count on.
        { "'DeletionPolicy':{'Fn::If':['Prod','Retain','Delete']}", true },
    };

    [Theory]
    [MemberData(nameof(DeletionPolicies))]
    public void Removing_a_stateful_resource_loses_data_unless_the_deployed_DeletionPolicy_keeps_it(string policy, bool dataLoss)
    {
        var plan = Plan(Template(("Orders", "AWS::DynamoDB::Table", "{'TableName':'orders'}", policy)), Template());

        var change = Assert.Single(plan.Changes);
        Assert.Equal(("remove", "never"), (change.Action, change.Replacement));
        Assert.Equal(dataLoss, change.Risks.Contains("data-loss"));
        Assert.Contains(change.Reasons, r => r.Contains(dataLoss ? "deploy it with DeletionPolicy: Retain first, then remove it" : "keeps", StringComparison.Ordinal));
        Assert.True(plan.NeedsConfirmation);
    }

    [Fact]
    public void Removing_a_resource_that_holds_no_data_carries_no_risk_but_is_still_confirmed()
    {
        var plan = Plan(Template(("Role", "AWS::IAM::Role", "{}", "")), Template());

        var change = Assert.Single(plan.Changes);
        Assert.Empty(change.Risks);
        Assert.True(plan.NeedsConfirmation);
    }

    [Theory]
    [InlineData("{}", false)]                                // the default DeletionPolicy of a DB instance is Snapshot
    [InlineData("{'DBClusterIdentifier':'aurora'}", false)]  // an Aurora instance keeps its data in the cluster
    public void Removing_an_rds_instance_without_a_policy_keeps_a_snapshot(string properties, bool dataLoss)
    {
        var plan = Plan(Template(("Db", "AWS::RDS::DBInstance", properties, "")), Template());

        Assert.Equal(dataLoss, Assert.Single(plan.Changes).Risks.Contains("data-loss"));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("'UpdateReplacePolicy':'Retain'", false)]
    [InlineData("'UpdateReplacePolicy':'Snapshot'", false)]
    public void Replacing_a_stateful_resource_loses_data_unless_the_proposed_UpdateReplacePolicy_keeps_it(string policy, bool dataLoss)
    {
        // The proposed template's policy is the one CloudFormation applies to the old resource.
        var plan = Plan(Template(("Logs", "AWS::Logs::LogGroup", "{'LogGroupName':'/a'}", "")), Template(("Logs", "AWS::Logs::LogGroup", "{'LogGroupName':'/b'}", policy)));

        var change = Assert.Single(plan.Changes);
        Assert.Equal(dataLoss, change.Risks.Contains("data-loss"));
        Assert.Equal(!dataLoss, change.Reasons.Any(r => r.Contains("UpdateReplacePolicy: ", StringComparison.Ordinal) && r.Contains("keeps the old one", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("DeletionPolicy", "'DeletionPolicy':'Delete'", "'DeletionPolicy':'Retain'")]
    [InlineData("UpdateReplacePolicy", "", "'UpdateReplacePolicy':'Retain'")]
    [InlineData("Condition", "'Condition':'IsProd'", "'Condition':'IsStaging'")]
    public void A_changed_policy_or_condition_is_a_modification_that_names_the_attribute(string attribute, string before, string after)
    {
        var plan = Plan(Template(("Orders", "AWS::DynamoDB::Table", "{'TableName':'orders'}", before)), Template(("Orders", "AWS::DynamoDB::Table", "{'TableName':'orders'}", after)));

        var change = Assert.Single(plan.Changes);
        Assert.Equal(("modify", "never", attribute), (change.Action, change.Replacement, string.Join(',', change.Properties)));
        Assert.StartsWith($"{attribute} changes from ", Assert.Single(change.Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void Resources_only_in_one_template_are_added_or_removed_and_unchanged_ones_are_not_listed()
    {
        var plan = Plan(Template(("Old", "AWS::SNS::Topic", "{}", ""), ("Same", "AWS::SNS::Topic", "{'DisplayName':'x'}", "")),
            Template(("New", "AWS::SNS::Topic", "{}", ""), ("Same", "AWS::SNS::Topic", "{'DisplayName':'x'}", "")));

        Assert.Equal(["remove Old", "add New"], plan.Changes.Select(c => $"{c.Action} {c.LogicalId}"));
    }

    [Fact]
    public void A_changed_type_is_a_replacement_that_CloudFormation_refuses()
    {
        var plan = Plan(Template(("Jobs", "AWS::SNS::Topic", "{}", "")), Template(("Jobs", "AWS::SQS::Queue", "{}", "")));

        var change = Assert.Single(plan.Changes);
        Assert.Equal(("replace", "always", "update-fails", "AWS::SQS::Queue"), (change.Action, change.Replacement, string.Join(',', change.Risks), change.Type));
        Assert.Contains("Update of resource type is not permitted", Assert.Single(change.Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void Changes_are_sorted_most_destructive_first_then_by_logical_id()
    {
        var plan = Plan(
            Template(("B", "AWS::SNS::Topic", "{}", ""), ("Q", "AWS::SQS::Queue", "{'QueueName':'q'}", ""), ("S", "AWS::SQS::Queue", "{'DelaySeconds':1}", ""),
                ("R", "AWS::SQS::Queue", "{'DelaySeconds':1}", ""), ("A", "AWS::SNS::Topic", "{}", "")),
            Template(("Z", "AWS::SNS::Topic", "{}", ""), ("Q", "AWS::SQS::Queue", "{'QueueName':'q2'}", ""), ("S", "AWS::SQS::Queue", "{'DelaySeconds':2}", ""),
                ("R", "AWS::SQS::Queue", "{'DelaySeconds':2}", ""), ("C", "AWS::SNS::Topic", "{}", "")));

        Assert.Equal(["remove A", "remove B", "replace Q", "modify R", "modify S", "add C", "add Z"], plan.Changes.Select(c => $"{c.Action} {c.LogicalId}"));
    }

    // Propagation: a replaced resource has a new physical ID, so what refers to it changes too.

    [Fact]
    public void A_replaced_task_definition_modifies_the_service_that_refers_to_it_without_replacing_it()
    {
        // Given a service that names its task definition by Ref, and a task definition change
        var deployed = Template(("WorkerTask", "AWS::ECS::TaskDefinition", "{'Family':'worker','Memory':'512'}", ""),
            ("WorkerService", "AWS::ECS::Service", "{'ServiceName':'worker','TaskDefinition':{'Ref':'WorkerTask'}}", ""));
        var proposed = Template(("WorkerTask", "AWS::ECS::TaskDefinition", "{'Family':'worker','Memory':'1024'}", ""),
            ("WorkerService", "AWS::ECS::Service", "{'ServiceName':'worker','TaskDefinition':{'Ref':'WorkerTask'}}", ""));

        // When planned
        var plan = Plan(deployed, proposed);

        // Then the service's TaskDefinition changes in place: a rolling deployment, not a new service
        var service = plan.Changes.Single(c => c.LogicalId == "WorkerService");
        Assert.Equal(("modify", "never", "TaskDefinition", ""), (service.Action, service.Replacement, string.Join(',', service.Properties), string.Join(',', service.Risks)));
        Assert.Contains("TaskDefinition refers to WorkerTask, which is replaced", service.Reasons);
        Assert.False(plan.NeedsConfirmation);
    }

    [Fact]
    public void A_replaced_target_group_changes_the_service_and_listener_that_refer_to_it_as_the_data_says()
    {
        // Given a target group whose port changes (create-only), a service and a listener that refer to it
        var deployed = Template(("Tg", "AWS::ElasticLoadBalancingV2::TargetGroup", "{'Port':80,'Protocol':'HTTP'}", ""),
            ("Web", "AWS::ECS::Service", "{'LoadBalancers':[{'TargetGroupArn':{'Ref':'Tg'},'ContainerName':'web','ContainerPort':80}]}", ""),
            ("Http", "AWS::ElasticLoadBalancingV2::Listener", "{'LoadBalancerArn':'arn:lb','DefaultActions':[{'Type':'forward','TargetGroupArn':{'Fn::GetAtt':['Tg','TargetGroupArn']}}]}", ""));
        var proposed = Template(("Tg", "AWS::ElasticLoadBalancingV2::TargetGroup", "{'Port':8080,'Protocol':'HTTP'}", ""),
            ("Web", "AWS::ECS::Service", "{'LoadBalancers':[{'TargetGroupArn':{'Ref':'Tg'},'ContainerName':'web','ContainerPort':80}]}", ""),
            ("Http", "AWS::ElasticLoadBalancingV2::Listener", "{'LoadBalancerArn':'arn:lb','DefaultActions':[{'Type':'forward','TargetGroupArn':{'Fn::GetAtt':['Tg','TargetGroupArn']}}]}", ""));

        var plan = Plan(deployed, proposed);

        // Then: ECS updates a service's load balancers in place, if the data (from the schema) says
        // LoadBalancers is not create-only; the expectation follows the data rather than retyping it.
        var loadBalancersReplace = ReplacementData.Shipped.Types["AWS::ECS::Service"].CreateOnly.Contains("LoadBalancers");
        Assert.False(loadBalancersReplace, "the ECS service schema now makes LoadBalancers create-only: a replaced target group replaces its service");
        var service = plan.Changes.Single(c => c.LogicalId == "Web");
        Assert.Equal(("modify", "never", "LoadBalancers"), (service.Action, service.Replacement, string.Join(',', service.Properties)));
        Assert.Contains("LoadBalancers refers to Tg, which is replaced", service.Reasons);
        var listener = plan.Changes.Single(c => c.LogicalId == "Http");
        Assert.Equal(("modify", "never", "DefaultActions"), (listener.Action, listener.Replacement, string.Join(',', listener.Properties)));
        Assert.Equal(["downtime"], plan.Changes.Single(c => c.LogicalId == "Tg").Risks);
    }

    [Fact]
    public void Propagation_carries_on_through_a_chain_of_replacements()
    {
        // Given a log group renamed (replaced), a task definition whose containers log to it (create-only, so replaced), and a service
        var containers = "[{'Name':'app','LogConfiguration':{'LogDriver':'awslogs','Options':{'awslogs-group':{'Ref':'Logs'}}}}]";
        var deployed = Template(("Logs", "AWS::Logs::LogGroup", "{'LogGroupName':'/a'}", ""),
            ("Task", "AWS::ECS::TaskDefinition", $"{{'ContainerDefinitions':{containers}}}", ""),
            ("Service", "AWS::ECS::Service", "{'TaskDefinition':{'Ref':'Task'}}", ""));
        var proposed = Template(("Logs", "AWS::Logs::LogGroup", "{'LogGroupName':'/b'}", ""),
            ("Task", "AWS::ECS::TaskDefinition", $"{{'ContainerDefinitions':{containers}}}", ""),
            ("Service", "AWS::ECS::Service", "{'TaskDefinition':{'Ref':'Task'}}", ""));

        var plan = Plan(deployed, proposed);

        Assert.Equal(["replace Logs", "replace Task", "modify Service"], plan.Changes.Select(c => $"{c.Action} {c.LogicalId}"));
        Assert.Contains("ContainerDefinitions refers to Logs, which is replaced", plan.Changes.Single(c => c.LogicalId == "Task").Reasons);
        Assert.Contains("TaskDefinition refers to Task, which is replaced", plan.Changes.Single(c => c.LogicalId == "Service").Reasons);
    }

    [Theory]
    [InlineData("{'Fn::GetAtt':'Queue.Arn'}", true)]
    [InlineData("{'Fn::Sub':'${Queue}'}", true)]
    [InlineData("{'Fn::Sub':'arn:${Queue.Arn}/x'}", true)]
    [InlineData("{'Fn::Sub':['${Q}',{'Q':{'Ref':'Queue'}}]}", true)]
    [InlineData("{'Fn::Sub':'${!Queue}'}", false)]                       // the literal text ${Queue}
    [InlineData("{'Fn::Sub':['${Queue}',{'Queue':'fixed'}]}", false)]     // the Sub's own variable
    [InlineData("{'Fn::Sub':'${AWS::Region}-Queue'}", false)]
    [InlineData("'Queue'", false)]
    public void Every_form_of_reference_to_a_replaced_resource_is_followed(string value, bool changes)
    {
        var deployed = Template(("Queue", "AWS::SQS::Queue", "{'QueueName':'a'}", ""), ("Alarm", "AWS::CloudWatch::Alarm", $"{{'AlarmDescription':{value}}}", ""));
        var proposed = Template(("Queue", "AWS::SQS::Queue", "{'QueueName':'b'}", ""), ("Alarm", "AWS::CloudWatch::Alarm", $"{{'AlarmDescription':{value}}}", ""));

        var plan = Plan(deployed, proposed);

        Assert.Equal(changes, plan.Changes.Any(c => c.LogicalId == "Alarm"));
    }

    // A change set, when there is one, has the last word.

    [Fact]
    public void A_change_set_that_says_Replacement_False_turns_a_replacement_into_a_modification()
    {
        var deployed = Template(("Orders", "AWS::DynamoDB::Table", $"{{'TableName':'orders','KeySchema':{HashKey}}}", ""));
        var proposed = Template(("Orders", "AWS::DynamoDB::Table", $"{{'TableName':'orders','KeySchema':{OtherKey}}}", ""));

        var plan = Plan(deployed, proposed, [new ChangeSetEntry("Orders", "AWS::DynamoDB::Table", "Modify", "False", ["KeySchema"])]);

        var change = Assert.Single(plan.Changes);
        Assert.Equal(("modify", "never", ""), (change.Action, change.Replacement, string.Join(',', change.Risks)));
        Assert.Contains("CloudFormation's change set decides: Replacement False (the resource schema alone says conditional)", change.Reasons);
        Assert.False(plan.NeedsConfirmation);
    }

    [Fact]
    public void A_change_set_that_says_Replacement_True_brings_the_risks_of_a_replacement()
    {
        var deployed = Template(("Orders", "AWS::DynamoDB::Table", "{'BillingMode':'PROVISIONED'}", ""));
        var proposed = Template(("Orders", "AWS::DynamoDB::Table", "{'BillingMode':'PAY_PER_REQUEST'}", ""));

        var plan = Plan(deployed, proposed, [new ChangeSetEntry("Orders", "AWS::DynamoDB::Table", "Modify", "True", ["BillingMode"])]);

        var change = Assert.Single(plan.Changes);
        Assert.Equal(("replace", "always", "data-loss"), (change.Action, change.Replacement, string.Join(',', change.Risks)));
    }

    [Fact]
    public void A_resource_only_the_change_set_lists_appears_and_one_only_the_diff_sees_is_dropped()
    {
        // Given a diff that sees Queue change and a change set that lists only Function (Dynamic)
        var deployed = Template(("Queue", "AWS::SQS::Queue", "{'DelaySeconds':1}", ""), ("Function", "AWS::Lambda::Function", "{'Role':'arn:r'}", ""));
        var proposed = Template(("Queue", "AWS::SQS::Queue", "{'DelaySeconds':2}", ""), ("Function", "AWS::Lambda::Function", "{'Role':'arn:r'}", ""));

        var plan = Plan(deployed, proposed, [new ChangeSetEntry("Function", "AWS::Lambda::Function", "Dynamic", null, ["Environment"])]);

        // Then CloudFormation's word decides which change
        var change = Assert.Single(plan.Changes);
        Assert.Equal(("Function", "modify", "unknown", "Environment"), (change.LogicalId, change.Action, change.Replacement, string.Join(',', change.Properties)));
        Assert.Contains(change.Reasons, r => r.StartsWith("CloudFormation lists a Dynamic change", StringComparison.Ordinal));
    }

    [Fact]
    public void Properties_are_the_union_of_the_diff_and_the_change_set()
    {
        var deployed = Template(("Queue", "AWS::SQS::Queue", "{'DelaySeconds':1}", ""));
        var proposed = Template(("Queue", "AWS::SQS::Queue", "{'DelaySeconds':2}", ""));

        var plan = Plan(deployed, proposed, [new ChangeSetEntry("Queue", "AWS::SQS::Queue", "Modify", null, ["VisibilityTimeout", "DelaySeconds"])]);

        var change = Assert.Single(plan.Changes);
        Assert.Equal(("DelaySeconds,VisibilityTimeout", "never"), (string.Join(',', change.Properties), change.Replacement));
    }

    [Fact]
    public void Without_the_deployed_template_the_change_set_decides_and_names_a_kept_custom_name()
    {
        // Given a YAML stack body (deployed is null) and CloudFormation's change set
        var proposed = Template(("Orders", "AWS::DynamoDB::Table", "{'TableName':'orders','KeySchema':[]}", ""), ("Topic", "AWS::SNS::Topic", "{}", ""));
        ChangeSetEntry[] changeSet = [new("Orders", "AWS::DynamoDB::Table", "Modify", "True", ["KeySchema"]), new("Gone", "AWS::SQS::Queue", "Remove", null, [])];

        var plan = ChangePlanner.Build("app-dev", true, null, proposed, changeSet);

        Assert.Equal(["remove Gone data-loss", "replace Orders data-loss,update-fails"], plan.Changes.Select(c => $"{c.Action} {c.LogicalId} {string.Join(',', c.Risks)}"));
        Assert.Contains(plan.Changes[0].Reasons, r => r.Contains("the deployed template could not be read", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_the_deployed_template_or_a_change_set_every_resource_may_change()
    {
        var proposed = Template(("Orders", "AWS::DynamoDB::Table", "{}", ""), ("Topic", "AWS::SNS::Topic", "{}", ""));

        var plan = ChangePlanner.Build("app-dev", true, null, proposed, null);

        Assert.All(plan.Changes, c => Assert.Equal(("modify", "unknown"), (c.Action, c.Replacement)));
        Assert.Equal(["Orders", "Topic"], plan.Changes.Select(c => c.LogicalId));
        Assert.Contains("its body is not JSON", plan.Changes[0].Reasons[0], StringComparison.Ordinal);
        // What nobody can tell is never taken for safe: deploy asks.
        Assert.True(plan.NeedsConfirmation);
    }

    [Fact]
    public void A_changed_custom_resource_is_of_unknown_kind_and_needs_confirmation_while_an_added_one_does_not()
    {
        var deployed = Template(("Seed", "Custom::SeedData", "{'ServiceToken':'arn:a','Rows':1}", ""));
        var changed = Template(("Seed", "Custom::SeedData", "{'ServiceToken':'arn:a','Rows':2}", ""));
        var added = Template(("Seed", "Custom::SeedData", "{'ServiceToken':'arn:a','Rows':1}", ""), ("More", "Custom::SeedData", "{'ServiceToken':'arn:a'}", ""));

        Assert.True(Plan(deployed, changed).NeedsConfirmation);
        Assert.Equal(["Seed"], Plan(deployed, changed).Unknown.Select(c => c.LogicalId));
        Assert.False(Plan(deployed, added).NeedsConfirmation);
    }

    [Fact]
    public void A_new_stack_adds_every_resource_and_needs_no_confirmation()
    {
        var proposed = Template(("Orders", "AWS::DynamoDB::Table", "{}", ""), ("Topic", "AWS::SNS::Topic", "{}", ""));

        var plan = ChangePlanner.Build("app-dev", false, null, proposed, null);

        Assert.Equal(["add Orders", "add Topic"], plan.Changes.Select(c => $"{c.Action} {c.LogicalId}"));
        Assert.False(plan.NeedsConfirmation);
    }

    [Fact]
    public void Confirmation_is_needed_for_a_risk_and_not_for_additions_and_a_benign_revision()
    {
        var deployed = Template(("Task", "AWS::ECS::TaskDefinition", "{'Cpu':'256'}", ""), ("Svc", "AWS::ECS::Service", "{'TaskDefinition':{'Ref':'Task'}}", ""));
        var benign = Template(("Task", "AWS::ECS::TaskDefinition", "{'Cpu':'512'}", ""), ("Svc", "AWS::ECS::Service", "{'TaskDefinition':{'Ref':'Task'}}", ""),
            ("New", "AWS::SNS::Topic", "{}", ""));
        var risky = Template(("Task", "AWS::ECS::TaskDefinition", "{'Cpu':'512'}", ""), ("Svc", "AWS::ECS::Service", "{'TaskDefinition':{'Ref':'Task'}, 'ServiceName':'svc'}", ""));

        Assert.False(Plan(deployed, benign).NeedsConfirmation);
        Assert.True(Plan(deployed, risky).NeedsConfirmation);
    }

    // A deployed template comes from AWS: its shape is not trusted.

    [Theory]
    [InlineData("{'Resources':'not an object'}")]
    [InlineData("{'Resources':[1,2]}")]
    [InlineData("{}")]
    public void A_deployed_template_without_readable_Resources_counts_as_unreadable(string deployed)
    {
        var plan = ChangePlanner.Build("app-dev", true, Json(deployed).AsObject(), Template(("Topic", "AWS::SNS::Topic", "{}", "")), null);

        var change = Assert.Single(plan.Changes);
        Assert.Equal(("modify", "unknown"), (change.Action, change.Replacement));
    }

    [Theory]
    [InlineData("{'Type':'AWS::SNS::Topic','Properties':[1]}", "its Properties is not an object")]
    [InlineData("42", "the entry is not an object")]
    [InlineData("{'Type':{'a':1}}", "the entry has no Type")]
    public void A_malformed_deployed_resource_is_reported_not_thrown(string entry, string problem)
    {
        var deployed = Json($"{{'Resources':{{'Topic':{entry},'Gone':{entry}}}}}").AsObject();

        var plan = ChangePlanner.Build("app-dev", true, deployed, Template(("Topic", "AWS::SNS::Topic", "{'DisplayName':'x'}", "")), null);

        Assert.Equal(["remove Gone", "modify Topic"], plan.Changes.Select(c => $"{c.Action} {c.LogicalId}"));
        Assert.Contains(problem, Assert.Single(plan.Changes[1].Reasons), StringComparison.Ordinal);
        Assert.Contains(problem == "its Properties is not an object" ? "remove  Gone (AWS::SNS::Topic)" : "remove  Gone (type unknown)", PlanFormatter.Text(plan, colour: false), StringComparison.Ordinal);
    }

    [Fact]
    public void Ten_thousand_levels_of_nesting_do_not_overflow_and_count_as_a_change()
    {
        // Given a deployed and a proposed property, each nested 10,000 deep (past what parsing allows, so built directly),
        // a DeletionPolicy and a Sub as deep, and a change set entry
        static JsonNode Deep(int depth, bool array)
        {
            JsonNode node = JsonValue.Create("bottom")!;
            for (var i = 0; i < depth; i++)
            {
                node = array ? new JsonArray(node) : new JsonObject { ["Fn::Sub"] = node };
            }
            return node;
        }
        JsonObject Stack() => new()
        {
            ["Resources"] = new JsonObject
            {
                ["Deep"] = new JsonObject
                {
                    ["Type"] = "AWS::SQS::Queue",
                    ["DeletionPolicy"] = Deep(10_000, array: false),
                    ["Properties"] = new JsonObject { ["QueueName"] = Deep(10_000, array: false), ["Tags"] = Deep(10_000, array: true) },
                },
            },
        };

        // When planned, with and without a change set
        var plan = ChangePlanner.Build("app-dev", true, Stack(), Stack(), null);
        var withChangeSet = ChangePlanner.Build("app-dev", true, Stack(), Stack(), [new("Deep", "AWS::SQS::Queue", "Modify", null, ["QueueName"])]);
        var text = PlanFormatter.Text(plan, colour: false) + PlanFormatter.Json(withChangeSet);

        // Then the values too deep to compare are taken as changed, and said to be
        var change = Assert.Single(plan.Changes);
        Assert.Equal("QueueName,Tags,DeletionPolicy", string.Join(',', change.Properties));
        Assert.Contains("QueueName is nested deeper than 64 levels, so it is taken as changed", change.Reasons);
        Assert.Contains("DeletionPolicy changes from {\"Fn::Sub\": {\"Fn::Sub\":", text, StringComparison.Ordinal);
        Assert.Equal("replace", Assert.Single(withChangeSet.Changes).Action);
    }

    [Fact]
    public void A_change_set_entry_with_an_unexpected_action_is_a_change_of_unknown_kind()
    {
        var template = Template(("Topic", "AWS::SNS::Topic", "{}", ""));

        var plan = Plan(template, template, [new ChangeSetEntry("Topic", "", "SyncWithActual", "Sometimes", []), new ChangeSetEntry("Topic", "AWS::SNS::Topic", "Modify", null, ["Tags"])]);

        var change = Assert.Single(plan.Changes);
        Assert.Equal(("modify", "unknown", "AWS::SNS::Topic", "Tags"), (change.Action, change.Replacement, change.Type, string.Join(',', change.Properties)));
    }

    internal static Plan Plan(JsonObject deployed, JsonObject proposed, IReadOnlyList<ChangeSetEntry>? changeSet = null) =>
        ChangePlanner.Build("app-dev", true, deployed, proposed, changeSet);

    /// <summary>A template of (logical ID, type, Properties, further attributes) resources.</summary>
    internal static JsonObject Template(params (string Id, string Type, string Properties, string Attributes)[] resources)
    {
        var entries = resources.Select(r => $"'{r.Id}':{{'Type':'{r.Type}','Properties':{r.Properties}{(r.Attributes.Length > 0 ? "," + r.Attributes : "")}}}");
        return Json($"{{'Resources':{{{string.Join(',', entries)}}}}}").AsObject();
    }

    internal static JsonNode Json(string singleQuoted) => JsonNode.Parse(singleQuoted.Replace('\'', '"'))!;
}

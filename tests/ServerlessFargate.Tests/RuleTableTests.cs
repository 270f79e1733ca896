using System.Text;
using System.Text.RegularExpressions;
using ServerlessFargate.Diagnostics;

namespace ServerlessFargate.Tests;

/// <summary>
/// A table of bad and good inputs per semantic rule, as cfn-lint keeps a snapshot test module per
/// rule: each bad row pins the exact message and path the rule reports, each good row that the
/// rule stays quiet. An input is the lines of a task `worker` (<c>|</c> stands for a new line) in
/// a small service whose other settings are valid; after <c>||</c> come the fargate-level keys,
/// in place of the default subnets. An input starting with <c>@</c> names a whole configuration
/// (<see cref="Named"/>), for rules that need more than one task can say. Every input is packaged,
/// so the rules on the written template run too.
/// </summary>
public sealed partial class RuleTableTests : IDisposable
{
    private const string Image = Configs.Image;
    private const string Subnets = "vpc: {subnetIds: [subnet-0123456789abcdef0]}";

    /// <summary>A task name whose EventBridge target id (64 characters at most) is too long.</summary>
    private static readonly string Seventy = new('a', 70);

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("sls-fargate-rules-");

    public void Dispose() => _folder.Delete(recursive: true);

    /// <summary>Inputs a rule fires on: the id, the input, and the path and message of one diagnostic it gives.</summary>
    public static TheoryData<string, string, string?, string> Fires() => new()
    {
        { "FG3001", "cpu: 256|memory: 4GB", "fargate.tasks.worker.memory",
            "Fargate has no task with cpu 256 and memory 4GB (4096 MiB); with cpu 256 memory may be 512, 1024, 2048 MiB; 4096 MiB goes with cpu 512 or 1024 or 2048" },
        { "FG3001", "cpu: 16384|memory: 16GB", "fargate.tasks.worker.memory",
            "Fargate has no task with cpu 16384 and memory 16GB (16384 MiB); with cpu 16384 memory may be 32768 to 122880 MiB in steps of 8192; 16384 MiB goes with cpu 2048 or 4096 or 8192" },
        { "FG3001", "||vpc: {subnetIds: [subnet-0123456789abcdef0]}|memory: 4GB", "fargate.memory",
            "Fargate has no task with cpu 256 and memory 4GB (4096 MiB) (tasks `worker`, `worker2`); with cpu 256 memory may be 512, 1024, 2048 MiB; 4096 MiB goes with cpu 512 or 1024 or 2048" },
        { "FG3002", "memory: lots", "fargate.tasks.worker.memory",
            "memory `lots` is not a size; write MiB as a number (`2048`) or GB as `2GB` or `2 GB`" },
        { "FG3003", "schedule: rate(1 minutes)", "fargate.tasks.worker.schedule",
            "schedule `rate(1 minutes)` is not valid: with a value of 1 the unit is singular: `rate(1 minute)`" },
        { "FG3003", "schedule: {rate: at(2026-02-30T10:00:00)}", "fargate.tasks.worker.schedule",
            "schedule `at(2026-02-30T10:00:00)` is not valid: `2026-02-30T10:00:00` is not a real date and time (months 01-12, days that month has, hours 00-23, minutes and seconds 00-59)" },
        { "FG3004", "vpc: {subnetIds: []}", "fargate.tasks.worker",
            "task `worker` has an empty subnet list; Fargate tasks run in awsvpc mode and need at least one subnet, e.g. `subnetIds: [subnet-0123456789abcdef0]`, or no `subnetIds` at all for a generated network" },
        { "FG3005", "image: worker", "fargate.tasks.worker.image",
            "image `worker` is neither a name in provider.ecr.images nor an image URI (provider.ecr.images defines no images); write a URI such as `public.ecr.aws/docker/library/nginx:1.27` or `123456789012.dkr.ecr.eu-west-1.amazonaws.com/app@sha256:…`" },
        { "FG3006", "name: other", "fargate.tasks.worker2",
            "tasks `other` (line 9) and `Other` both give the logical ID prefix `Other`, so one would overwrite the other; rename one of them" },
        { "FG3007", "name: taken", "fargate.tasks.worker",
            "task `taken` generates the logical ID `TakenTask`, which resources.Resources already uses (line 15 of serverless.yml); rename the task with `name:` or rename the other" },
        { "FG3008", "name: has space", "fargate.tasks.worker.name",
            "task name `has space` contains a space; ECS names (family, container, service) take 1 to 255 letters, digits, `-` and `_`" },
        { "FG3008", "name: ---", "fargate.tasks.worker.name",
            "task name `---` has no letter or digit, so it gives no logical ID; add some" },
        { "FG3008", $"name: {Seventy}|schedule: rate(1 day)", "fargate.tasks.worker.name",
            $"task name `{Seventy}` gives the EventBridge target id `A{Seventy[1..]}` (70 characters) in `A{Seventy[1..]}ScheduledTask`; targets take at most 64" },
        { "FG3009", "architecture: ARM64|spot: true|cloudFormationResource: {service: {PlatformVersion: 1.3.0}}", "fargate.tasks.worker.cloudFormationResource.service.PlatformVersion",
            "task `worker` runs on Fargate Spot with ARM64 on platform version 1.3.0, and Fargate Spot runs ARM64 tasks on 1.4.0 or later; remove `PlatformVersion` from cloudFormationResource.service (LATEST is used) or raise it" },
        { "FG3010", "service: {maximumPercent: 50}", "fargate.tasks.worker.service.maximumPercent",
            "maximumPercent 50 is below 100; ECS needs room for every desired task during a deployment" },
        { "FG3010", "service: {desiredCount: -1}", "fargate.tasks.worker.service.desiredCount",
            "desiredCount -1 is negative; use 0 or more" },
        { "FG3011", "@no-tasks", "fargate",
            "`fargate` declares no tasks, so there is nothing to package; add them under `fargate.tasks`" },
        { "FG3011", "@no-fargate", null,
            "there is no `fargate` block, so there are no tasks to package" },
        { "FG3012", "schedule: rate(1 day)|service: {desiredCount: 2}", "fargate.tasks.worker",
            "`service` settings are ignored: a task with `schedule` runs on its schedule, not as a service" },
        { "FG3013", "@merge-into-unused-image", "fargate.tasks.worker.image",
            "image `app` is built by the framework, but no function in merge-into.json uses it, so the merged template takes its URI as the parameter FargateImageApp, which `serverless deploy` does not pass; give the image a `uri`, or package with the Serverless Framework plugin" },
        { "FG3014", "@251-services", "fargate.tasks",
            "the stack would have 506 resources (506 of them for Fargate tasks); CloudFormation allows 500 per stack. Move some tasks to another service (each service is its own stack)" },
        { "FG3015", "@101-services", "fargate.tasks",
            "the stack would have 202 outputs (202 of them for Fargate tasks); CloudFormation allows 200. Emit fewer with `fargate.outputs`, e.g. `outputs: {taskArn: false}` drops one output per task" },
        { "FG3016", "@201-built-images", "fargate.tasks",
            "the stack would have 201 parameters; CloudFormation allows 200. Give images a `uri` in provider.ecr.images instead of a parameter each" },
        { "FG3017", "@3mb-template", "fargate.tasks",
            "the template is N bytes; CloudFormation takes at most 1,000,000 bytes (1 MB) from S3. Move some tasks to another service, or share settings instead of repeating large environment maps" },
        { "FG3017", "@60kb-template", "fargate.tasks",
            "the template is N bytes, over the 51,200 bytes CloudFormation accepts inline; deploy it through S3 (`sls-fargate deploy --bucket …` or `aws cloudformation deploy --s3-bucket …`; the Serverless Framework does it itself)" },
        { "FG3018", "secrets: {DB: my-password}", "fargate.tasks.worker.secrets.DB",
            "secret `DB` is `my-password`, which is neither a Secrets Manager secret ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME) nor an SSM parameter ARN (arn:aws:ssm:REGION:ACCOUNT:parameter/NAME); for a parameter in this stack's account and region write `ssm:/NAME`" },
        { "FG3018", "secrets: {DB: 'ssm:/prod/*'}", "fargate.tasks.worker.secrets.DB",
            "secret `DB` is `ssm:/prod/*`, a pattern; the execution role may read exactly the secrets the tasks name, so name one secret or parameter, without `*` or `?`" },
        { "FG3019", "secrets: {DB: 'ssm:/prod/db'}|environment: {DB: plain}", "fargate.tasks.worker.secrets.DB",
            "`DB` is both a secret and an environment variable of task `worker`; ECS would refuse the task definition, and the plain value would sit beside the secret. Remove it from `environment`" },
        { "FG3020", "service: {autoscaling: {min: 3, max: 2, cpu: 50}}", "fargate.tasks.worker.service.autoscaling.min",
            "min 3 is above max 2" },
        { "FG3020", "schedule: rate(1 day)|service: {autoscaling: {min: 1, max: 2, cpu: 50}}", "fargate.tasks.worker.service.autoscaling",
            "autoscaling scales a service's task count, and a task with `schedule` is not a service; remove `schedule` or `autoscaling`" },
        { "FG3020", "service: {desiredCount: 2, autoscaling: {min: 1, max: 2, cpu: 50}}", "fargate.tasks.worker.service.desiredCount",
            "`desiredCount` is ignored for an autoscaled service: autoscaling keeps the count between `min` and `max`, and the template leaves DesiredCount out so a deploy does not reset it" },
        { "FG3021", "iamRoleStatements: []|taskRoleArn: arn:aws:iam::123456789012:role/app", "fargate.tasks.worker",
            "task `worker` uses its own taskRoleArn, which sls-fargate cannot extend, so its `iamRoleStatements` and `iamManagedPolicies` are not applied; add them to that role, or remove `taskRoleArn` to get a generated role of the task's own" },
        { "FG3021", "exec: true|taskRoleArn: arn:aws:iam::123456789012:role/app", "fargate.tasks.worker.exec",
            "task `worker` uses its own taskRoleArn, which sls-fargate cannot extend: for ECS Exec that role needs ssmmessages:CreateControlChannel, CreateDataChannel, OpenControlChannel and OpenDataChannel" },
        { "FG3022", "spot: {onDemandWeight: 0, spotWeight: 0}", "fargate.tasks.worker.spot",
            "task `worker`'s spot strategy has onDemandWeight and spotWeight both 0, so ECS can place no task beyond the base; give one of them a weight above 0" },
        { "FG3023", "schedule: {rate: rate(1 day), timezone: Europe/Londn}", "fargate.tasks.worker.schedule.timezone",
            "`Europe/Londn` is not an IANA time zone name; did you mean `Europe/London`?" },
        { "FG3024", "schedule: rate(1 day)|spot: {fallback: true}", "fargate.tasks.worker.spot.fallback",
            "task `worker` is not a service, and fallback is offered for services only: EventBridge retries a refused scheduled run with the same Spot strategy, and moving it to FARGATE would take code sls-fargate does not generate. For a run that must happen, use `spot: false` or `onDemandBase: 1` (a single run then goes to FARGATE)" },
        { "FG3025", "@custom-fargate", "custom.fargate",
            "`custom.fargate` is the form of the reference plugin's first releases, and nothing reads it now, so no task would be deployed; move the block to the top level: cut `fargate:` with everything under it out of `custom:` and paste it unindented, as a sibling of `provider:` (keys stay the same: `tasks`, `vpc`, `memory`, …)" },
        { "FG3025", "@custom-fargate-beside", "custom.fargate",
            "`custom.fargate` is ignored: the top-level `fargate` block declares the tasks. Remove `custom.fargate`, after moving anything in it that the top-level block lacks" },
        { "FG3026", "cloudFormationResource: {service: {DeploymentConfiguration: {MaximumPercent: 150}}}", "fargate.tasks.worker.cloudFormationResource.service.DeploymentConfiguration",
            "task `worker`'s cloudFormationResource.service.DeploymentConfiguration replaces the generated one whole, so the deployment circuit breaker with rollback and MinimumHealthyPercent 100 are lost; repeat them there, or drop the escape hatch and use `service:` keys" },
        { "FG3027", "", "fargate",
            "the template creates the IAM role FargateIamExecutionRole, because tasks `worker`, `worker2` give no `executionRoleArn`; set `executionRoleArn` (fargate or task level) where roles may not be created" },
        { "FG3028", "dependsOn: Missing", "fargate.tasks.worker.dependsOn",
            "task `worker` depends on `Missing`, which is no resource in this stack; add it under `resources.Resources` or correct the name" },
        { "FG3028", "environment: {TOPIC: !Ref Missing}", "fargate.tasks.worker",
            "task `worker` refers to `Missing` (with Ref or GetAtt), which is no resource or parameter in this stack; add it under `resources.Resources` or correct the name" },
        { "FG3028", "environment: {TOPIC: !Sub 'arn:${Missing}'}", "fargate.tasks.worker",
            "task `worker` refers to `Missing` (as `${Missing}` in !Sub), which is no resource or parameter in this stack; add it under `resources.Resources` or correct the name (`${!Missing}` writes the text `${Missing}`)" },
        { "FG3028", "environment: {TOPIC: !Sub '${Missing.TopicName}'}", "fargate.tasks.worker",
            "task `worker` refers to `Missing` (as `${Missing.…}` in !Sub), which is no resource in this stack; add it under `resources.Resources` or correct the name" },
        { "FG3028", "environment: {SUBNET: !GetAtt OneSubnet.Id}", "fargate.tasks.worker",
            "task `worker` reads an attribute of `OneSubnet` (with GetAtt), which is a parameter, and only resources have attributes; write `!Ref OneSubnet` for its value" },
        { "FG3028", "environment: {TOPIC: !If [IsProd, a, b]}", "fargate.tasks.worker",
            "task `worker` uses the condition `IsProd` (in !If), which is no condition in this stack; add it under `resources.Conditions` or correct the name" },
        { "FG3028", "dependsOn: [OneSubnet]", "fargate.tasks.worker.dependsOn",
            "task `worker` depends on `OneSubnet`, which is a parameter; `dependsOn` names resources only (a parameter is there before any resource), so remove it" },
        { "FG3028", "||vpc: {subnetIds: [subnet-0123456789abcdef0]}|iamRoleStatements: [{Effect: Allow, Action: 'sns:Publish', Resource: !GetAtt Missing.TopicArn}]", "fargate.iamRoleStatements[0]",
            "FargateIamTaskRole, which tasks share, refers to `Missing` (with GetAtt), which is no resource in this stack; add it under `resources.Resources` or correct the name" },
        { "FG3028", "||vpc: {subnetIds: [subnet-0123456789abcdef0]}|iamManagedPolicies: [!Ref MissingPolicy]", "fargate.iamManagedPolicies[0]",
            "FargateIamTaskRole, which tasks share, refers to `MissingPolicy` (with Ref or GetAtt), which is no resource or parameter in this stack; add it under `resources.Resources` or correct the name" },
        { "FG3029", "vpc: {securityGroupIds: [sg-0123456789abcdef0]}||", "fargate.tasks.worker.vpc",
            "task `worker` names security groups but no subnets; without subnets it runs in the network sls-fargate generates, where security groups of another VPC cannot be used. Give `subnetIds` of the groups' VPC, or remove `securityGroupIds`" },
        { "FG3030", "||", "fargate.vpc",
            "no subnets are given for tasks `worker`, `worker2`, so the template creates a network for them: a VPC (10.0.0.0/16) with two public subnets in the region's first two availability zones, an internet gateway, and a security group that admits nothing inbound. Each running task gets a public IPv4 address, which AWS bills per hour; there is no NAT gateway. Give `vpc.subnetIds` to use your own network instead" },
        { "FG3031", "ports: ['70000/tcp']", "fargate.tasks.worker.ports",
            "port 70000 is outside 1 to 65535" },
        { "FG3031", "ports: [8080, 8080]", "fargate.tasks.worker.ports",
            "port 8080/tcp is listed twice; ECS takes each container port once" },
        { "FG3033", "@provider-wildcard", "provider.iam.role.statements[0]",
            "the provider's statement on line 7 allows `s3:*` on every resource (`*`); written for the Lambda functions, it reaches task `worker` through the shared task role FargateIamTaskRole. Give a task `iamRoleStatements` of its own (its role then holds the fargate-level statements and its own, not the provider's), or set `fargate.roles: per-task`" },
        { "FG3034", "", "fargate",
            "the log group FargateTasksLogGroup keeps the tasks' logs forever: no `logRetentionInDays` is set. To have CloudWatch Logs delete older events, set e.g. `logRetentionInDays: 30` under `fargate` (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365 … days)" },
        { "FG3035", "http: {port: 80}||", "fargate.tasks.worker.http",
            "task `worker` is served over plain HTTP on port 80: the load balancer has no certificate. For HTTPS on 443, with port 80 redirecting to it, set `fargate.loadBalancer.certificateArn` to an ACM certificate (arn:aws:acm:eu-west-1:123456789012:certificate/…)" },
        { "FG3032", "schedule: rate(1 day)|http: {port: 80}", "fargate.tasks.worker.http",
            "task `worker` is not a service, and only a service has tasks running for the load balancer to send requests to; remove `http` or `schedule`/`service: false`" },
        { "FG3032", "http: {port: 80}", "fargate.tasks.worker.http",
            "task `worker` serves HTTP in your own subnets, so the load balancer needs your VPC too: set `fargate.vpc.publicSubnetIds` (subnets routed to an internet gateway, in two or more zones) and `fargate.vpc.id`" },
        { "FG3032", "http: {port: 80}||vpc: {subnetIds: [subnet-0123456789abcdef0], publicSubnetIds: [subnet-0123456789abcdef1, subnet-0123456789abcdef1], id: vpc-0123456789abcdef0}", "fargate.vpc.publicSubnetIds",
            "the load balancer needs public subnets in at least two Availability Zones, and `publicSubnetIds` lists one; add a public subnet of another zone" },
        { "FG3032", "http: {port: 80, path: api/*}||", "fargate.tasks.worker.http.path",
            "path `api/*` is not a path pattern ELB takes: it starts with `/`, has at most 128 characters, and uses letters, digits, `*`, `?` and `_-.$/~\"'@:+&`" },
        { "FG3051", "vpc: {subnetIds: [subnet-0123456789abcdef1, !Ref PrivateSubnets]}", "fargate.tasks.worker.vpc.subnetIds",
            "`!Ref PrivateSubnets` is a list parameter, which is the whole list by itself; in brackets it becomes a list inside the list, which CloudFormation refuses. Write `subnetIds: !Ref PrivateSubnets` without brackets, and put any other items in the parameter's value" },
        { "FG3051", "http: {port: 80}||vpc: {subnetIds: [subnet-0123456789abcdef0], publicSubnetIds: [!Ref PrivateSubnets], id: vpc-0123456789abcdef0}", "fargate.vpc.publicSubnetIds",
            "`!Ref PrivateSubnets` is a list parameter, which is the whole list by itself; in brackets it becomes a list inside the list, which CloudFormation refuses. Write `publicSubnetIds: !Ref PrivateSubnets` without brackets, and put any other items in the parameter's value" },
        { "FG3051", "||vpc: {subnetIds: [!Ref PrivateSubnets]}", "fargate.vpc.subnetIds",
            "`!Ref PrivateSubnets` is a list parameter, which is the whole list by itself; in brackets it becomes a list inside the list, which CloudFormation refuses. Write `subnetIds: !Ref PrivateSubnets` without brackets, and put any other items in the parameter's value" },
        { "FG3051", "@provider-vpc-list-parameter", "provider.vpc.securityGroupIds",
            "`!Ref TaskGroups` is a list parameter, which is the whole list by itself; in brackets it becomes a list inside the list, which CloudFormation refuses. Write `securityGroupIds: !Ref TaskGroups` without brackets, and put any other items in the parameter's value" },
        { "FG3027", "@six-whole-event-tasks", "fargate.tasks.worker-000.events[0].input.wholeEvent",
            "the template creates the IAM roles Worker000EventStateMachineRole, Worker001EventStateMachineRole, Worker002EventStateMachineRole, Worker003EventStateMachineRole, Worker004EventStateMachineRole and 1 more, which run tasks `worker-000`, `worker-001`, `worker-002`, `worker-003`, `worker-004` and 1 more for events with `wholeEvent`; no setting replaces them, so a pipeline that may not create roles cannot use `wholeEvent`" },
        { "FG3064", "@150-scheduled-tasks", "fargate",
            "the role FargateIamEventsRole would hold about 10,714 characters of inline policy once CloudFormation fills in the ARNs, and IAM allows a role 10,240; give a role of yours (`eventsRoleArn`), move some tasks to another service, or use `roles: per-task` (a role for each task, if the stack has room for them)" },
        { "FG3050", "schedule: rate(1 day)|estimatedDuration: 30 minutes", "fargate.tasks.worker.estimatedDuration",
            "`30 minutes` is not a duration: use a number and a unit (s, m, h, d, w), e.g. 90s, 10m, 2h or 1h30m" },
        { "FG3050", "schedule: rate(1 day)|estimatedDuration: 0s", "fargate.tasks.worker.estimatedDuration",
            "`0s` is no time at all; write how long one run takes, e.g. 30s or 10m" },
        { "FG3040", "events: [{eventBridge: {pattern: {source: aws.s3}}}]", "fargate.tasks.worker.events[0].eventBridge.pattern",
            "field `source` holds `aws.s3`, and EventBridge matches a field against a list of values: write `[aws.s3]`" },
        { "FG3040", "events: [{eventBridge: {pattern: {}}}]", "fargate.tasks.worker.events[0].eventBridge.pattern",
            "the pattern is empty, and EventBridge needs at least one field to match, such as `source: [my.app]`" },
        { "FG3040", "events: [{eventBridge: {pattern: {detail: {size: [{numerc: ['>', 0]}]}}}}]", "fargate.tasks.worker.events[0].eventBridge.pattern",
            "`numerc` in field `detail.size` is not an operator EventBridge knows; did you mean `numeric`?" },
        { "FG3041", "events: [{eventBridge: {pattern: {source: [my.app]}, input: {environment: {KEY: detail.key}}}}]", "fargate.tasks.worker.events[0].input.environment.KEY",
            "`KEY` reads `detail.key`, which is no JSON path EventBridge reads; write `$` then fields and list indexes, such as `$.detail.object.key` or `$.resources[0]`" },
        { "FG3027", "events: [{eventBridge: {pattern: {source: [my.app]}, input: {wholeEvent: true}}}]", "fargate.tasks.worker.events[0].input.wholeEvent",
            "the template creates the IAM role WorkerEventStateMachineRole, which runs task `worker` for events with `wholeEvent`; no setting replaces it, so a pipeline that may not create roles cannot use `wholeEvent`" },
        { "FG3036", "events: [{eventBridge: {pattern: {source: [my.app]}, input: {wholeEvent: true, environment: {FARGATE_EVENT: $.detail}}}}]", "fargate.tasks.worker.events[0].input.environment.FARGATE_EVENT",
            "`FARGATE_EVENT` holds the whole event because of `wholeEvent: true`; give this field another name, or read it from FARGATE_EVENT in the container" },
        { "FG3037", "eventsRoleArn: arn:aws:iam::123456789012:role/events|events: [{eventBridge: {pattern: {source: [my.app]}, input: {wholeEvent: true}}}]", "fargate.tasks.worker.events[0].input.wholeEvent",
            "task `worker` names its events role (`eventsRoleArn`), so that role must allow `states:StartExecution` on the state machine WorkerEventStateMachine (its ARN in the template: `!Ref WorkerEventStateMachine`) for these events to start the task" },
        { "FG3042", "events: [{eventBridge: {pattern: {source: [my.app]}, eventBus: 'arn:aws:events:eu-central-1:123456789012:event-bus/orders'}}]", "fargate.tasks.worker.events[0].eventBridge.eventBus",
            "eventBus `arn:aws:events:eu-central-1:123456789012:event-bus/orders` is in eu-central-1, and the stack deploys to us-east-1; a rule lives in its bus's region, so use a bus in us-east-1 (a rule on that bus can forward events to this one)" },
        { "FG3042", "events: [{eventBridge: {pattern: {source: [my.app]}, eventBus: 'arn:aws:sqs:us-east-1:123456789012:orders'}}]", "fargate.tasks.worker.events[0].eventBridge.eventBus",
            "eventBus `arn:aws:sqs:us-east-1:123456789012:orders` is no event bus ARN; write arn:aws:events:us-east-1:ACCOUNT:event-bus/NAME, or the bus's name" },
        { "FG3043", "service: {desiredCount: 2}|events: [{s3: uploads-0123456789}]", "fargate.tasks.worker.service",
            "a task with `events` runs once per event, not as a service; remove `service`, or move the events to a task of their own" },
        { "FG3044", "alerts: {on: [failure]}", "fargate.tasks.worker.alerts",
            "`alerts` give neither `email` nor `topicArn`, so nobody would hear of a failure; add `email: [you@example.com]`, or `on: []` to turn them off" },
        { "FG3045", "alerts: {email: ['Ops <ops@example.com>']}", "fargate.tasks.worker.alerts.email[0]",
            "`Ops <ops@example.com>` is not an e-mail address; write the address alone: `ops@example.com`" },
        { "FG3045", "alerts: {on: [failure, deployment]}||vpc: {subnetIds: [subnet-0123456789abcdef0]}|alerts: {email: [ops]}", "fargate.alerts.email[0]",
            "`ops` is not an e-mail address; write the address alone, such as `ops@example.com`" },
        { "FG3045", "alerts: {email: [ops@localhost]}", "fargate.tasks.worker.alerts.email[0]",
            "`ops@localhost` is not an e-mail address; write the address alone, such as `ops@example.com`" },
        { "FG3046", "events: [{s3: My_Uploads}]", "fargate.tasks.worker.events[0].s3",
            "bucket `My_Uploads` cannot exist: a bucket name may hold only lowercase letters, digits, dots and hyphens, and begins and ends with a letter or digit" },
        { "FG3046", "events: [{s3: {bucket: 192.168.5.4}}]", "fargate.tasks.worker.events[0].s3",
            "bucket `192.168.5.4` cannot exist: a bucket name is written as an IP address" },
        { "FG3047", "events: [{s3: uploads-0123456789}]", "fargate.tasks.worker.events[0].s3",
            "bucket `uploads-0123456789` is not among this service's resources, so sls-fargate cannot turn on its events; they reach EventBridge only once the bucket sends them: aws s3api put-bucket-notification-configuration --bucket uploads-0123456789 --notification-configuration '{\"EventBridgeConfiguration\": {}}' (this replaces the bucket's other notifications; keep them in that JSON)" },
        { "FG3040", "events: [{eventBridge: {pattern: {source: [my.app], detail: {key: [{prefix: 1}]}}}}]", "fargate.tasks.worker.events[0].eventBridge.pattern",
            "`prefix` in field `detail.key` takes a string (quote a number), or `{equals-ignore-case: TEXT}`" },
        { "FG3040", "events: [{eventBridge: {pattern: {detail: {size: [{exists: 'yes'}]}}}}]", "fargate.tasks.worker.events[0].eventBridge.pattern",
            "`exists` in field `detail.size` takes true or false" },
        { "FG3042", "events: [{eventBridge: {pattern: {source: [my.app]}, eventBus: ''}}]", "fargate.tasks.worker.events[0].eventBridge.eventBus",
            "eventBus is empty; leave it out for the default bus, or give a bus's name or ARN" },
        { "FG3048", "service: {circuitBreaker: false}|alerts: {email: [ops@example.com], on: [deployment]}", "fargate.tasks.worker.service",
            "task `worker` turns the circuit breaker off (`circuitBreaker: false`), and ECS tells of a failed deployment only when the breaker gives up, so its deployment alert would never come; remove `circuitBreaker: false`" },
        { "FG3049", "alerts: {topicArn: 'arn:aws:sns:us-east-1:123456789012:ops'}", "fargate.tasks.worker.alerts.topicArn",
            "EventBridge can publish the alerts to this topic only if its access policy allows it: add a statement that allows the service principal events.amazonaws.com the action sns:Publish on the topic (with the condition aws:SourceAccount set to this stack's account); sls-fargate leaves the topic's policy as it is" },
        { "FG3048", "schedule: rate(1 day)|alerts: {email: [ops@example.com], on: [deployment]}", "fargate.tasks.worker.alerts",
            "task `worker` is not a service, so it has no deployments to alert on; `on: [failure]` is what applies to it" },
        { "FG3058", "environment: {SERVICE: !GetAtt WorkerService.Name}", "fargate.tasks.worker",
            "task `worker`'s resources depend on each other in a circle: WorkerTask names WorkerService (GetAtt), which names WorkerTask (Ref); CloudFormation creates a resource only after those it names, so it refuses the template. A task's settings cannot name its own generated resources; a container finds its own task and cluster through the ECS task metadata endpoint (ECS_CONTAINER_METADATA_URI_V4)" },
        { "FG3059", "service: {autoscaling: {min: 1, max: 4, sqs: {queue: TakenTask, messagesPerTask: 10}}}||vpc: {subnetIds: [subnet-0123456789abcdef0]}|containerInsights: true", "fargate.tasks.worker.service.autoscaling.sqs.queue",
            "`TakenTask` is of type AWS::SNS::Topic, not a queue (AWS::SQS::Queue); scaling reads its backlog from the queue's name (`!GetAtt TakenTask.QueueName`), which only a queue has. Name the queue's logical ID, or its ARN (arn:aws:sqs:REGION:ACCOUNT:NAME)" },
        { "FG3059", "service: {autoscaling: {min: 1, max: 4, sqs: {queue: OneSubnet, messagesPerTask: 10}}}||vpc: {subnetIds: [subnet-0123456789abcdef0]}|containerInsights: true", "fargate.tasks.worker.service.autoscaling.sqs.queue",
            "`OneSubnet` is a parameter of the stack, not a queue in it; scaling reads the queue's name from the queue resource (`!GetAtt OneSubnet.QueueName`). Name the queue's logical ID, or its ARN (arn:aws:sqs:REGION:ACCOUNT:NAME) for a queue elsewhere" },
        { "FG3060", "@bucket-notification-if", "fargate.tasks.worker.events[0].s3",
            "bucket `Uploads` sends its events to EventBridge only with `EventBridgeConfiguration: {EventBridgeEnabled: true}` in its NotificationConfiguration, and its `Properties.NotificationConfiguration.EventBridgeConfiguration` is a function, beside which sls-fargate cannot write it; add it yourself in every branch (a branch that is `!Ref AWS::NoValue` becomes `{EventBridgeConfiguration: {EventBridgeEnabled: true}}`)" },
        // Values AWS refuses, which the schema stage words from each pattern's x-message.
        { "FG1005", "tags: {'aws:team': x}", "fargate.tasks.worker.tags",
            "`aws:team` is not allowed as a key here: a tag key takes 1 to 128 letters, digits, spaces and `_ . : / = + - @`, and may not start with `aws:` (AWS reserves it), such as `team` or `cost-center`" },
        { "FG1005", "tags: {team: 'pay!ments'}", "fargate.tasks.worker.tags.team",
            "`pay!ments` is not allowed here: a tag value takes up to 256 letters, digits, spaces and `_ . : / = + - @`, such as `payments` or `team@example.com`" },
        { "FG1006", $"tags: {{team: {new string('a', 257)}}}", "fargate.tasks.worker.tags.team",
            "`aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…` is 257 characters long, over the 256 allowed; a tag value takes up to 256 letters, digits, spaces and `_ . : / = + - @`, such as `payments` or `team@example.com`" },
        { "FG1005", "||vpc: {subnetIds: [subnet-0123456789abcdef0]}|logGroupName: my logs", "fargate.logGroupName",
            "`my logs` is not allowed here: a log group name takes 1 to 512 letters, digits and `. - _ / #`, such as `/ecs/my-service`" },
        { "FG1005", "executionRoleArn: my-execution-role", "fargate.tasks.worker.executionRoleArn",
            "`my-execution-role` is not allowed here: a role is given by its ARN, arn:PARTITION:iam::ACCOUNT:role/NAME with a 12-digit account, such as `arn:aws:iam::123456789012:role/my-role`, or by a function such as `!GetAtt MyRole.Arn`" },
        { "FG1005", "schedule: {rate: rate(1 hour), deadLetterQueueArn: my-dlq}", "fargate.tasks.worker.schedule.deadLetterQueueArn",
            "`my-dlq` is not allowed here: a dead-letter queue is given by its SQS queue ARN, arn:PARTITION:sqs:REGION:ACCOUNT:NAME, such as `arn:aws:sqs:eu-west-1:123456789012:my-dead-letters`, or by a function such as `!GetAtt MyQueue.Arn`" },
        { "FG1005", "events: [{eventBridge: {pattern: {source: [my.app]}, deadLetterQueueArn: 'arn:aws:sns:us-east-1:123456789012:dlq'}}]", "fargate.tasks.worker.events[0].eventBridge.deadLetterQueueArn",
            "`arn:aws:sns:us-east-1:123456789012:dlq` is not allowed here: a dead-letter queue is given by its SQS queue ARN, arn:PARTITION:sqs:REGION:ACCOUNT:NAME, such as `arn:aws:sqs:eu-west-1:123456789012:my-dead-letters`, or by a function such as `!GetAtt MyQueue.Arn`" },
        { "FG1005", "alerts: {topicArn: my-topic}", "fargate.tasks.worker.alerts.topicArn",
            "`my-topic` is not allowed here: a topic is given by its SNS topic ARN, arn:PARTITION:sns:REGION:ACCOUNT:NAME, such as `arn:aws:sns:eu-west-1:123456789012:ops-alerts`, or by a function such as `!Ref MyTopic`" },
        { "FG1005", "secrets: {TOKEN: 'ssm:/app/token'}|secretsKmsKeyArns: ['arn:aws:kms:us-east-1:123456789012:alias/my-key']", "fargate.tasks.worker.secretsKmsKeyArns[0]",
            "`arn:aws:kms:us-east-1:123456789012:alias/my-key` is not allowed here: a KMS key is given by its key ARN, arn:PARTITION:kms:REGION:ACCOUNT:key/KEY-ID, such as `arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab`, or by a function such as `!GetAtt MyKey.Arn`; an IAM policy cannot name a key by an alias or a key id" },
        { "FG1005", "||vpc: {subnetIds: [subnet-0123456789abcdef0]}|clusterName: my cluster", "fargate.clusterName",
            "`my cluster` is not allowed here: a cluster name takes 1 to 255 letters, digits, `-` and `_`, such as `my-cluster`" },
        { "FG1005", "http: {port: 8080, healthCheck: {path: health}}||", "fargate.tasks.worker.http.healthCheck.path",
            "`health` is not allowed here: a health check path starts with `/`, such as `/health`, and takes up to 1024 characters" },
        { "FG1005", "iamManagedPolicies: [ReadOnlyAccess]", "fargate.tasks.worker.iamManagedPolicies[0]",
            "`ReadOnlyAccess` is not allowed here: a managed policy is given by its ARN, arn:PARTITION:iam::ACCOUNT:policy/NAME, such as `arn:aws:iam::aws:policy/ReadOnlyAccess` for one of AWS's or `arn:aws:iam::123456789012:policy/my-policy`, or by a function such as `!Ref MyPolicy`" },
        { "FG1003", "iamRoleStatements: [{Effect: allow, Action: 's3:GetObject', Resource: '*'}]", "fargate.tasks.worker.iamRoleStatements[0].Effect",
            "`allow` is not one of Allow, Deny; did you mean `Allow`?" },
        { "FG1004", "iamRoleStatements: [{Effect: Allow, Action: 's3:GetObject'}]", "fargate.tasks.worker.iamRoleStatements[0]",
            "needs one of `Resource` or `NotResource`" },
        { "FG1001", "iamRoleStatements: [{Effect: Allow, Action: 's3:GetObject', Resources: '*'}]", "fargate.tasks.worker.iamRoleStatements[0]",
            "unknown key `Resources`; did you mean `Resource`?" },
        { "FG3052", $"tags: {{{Tags("t", 21)}}}||vpc: {{subnetIds: [subnet-0123456789abcdef0]}}|tags: {{{Tags("f", 30)}}}", "fargate.tasks.worker.tags",
            "task `worker` would carry 51 tags on its task definition and the resources it owns (30 from fargate.tags, 21 from fargate.tasks.worker.tags); AWS takes at most 50 on a resource, so drop 1" },
        { "FG3052", $"||vpc: {{subnetIds: [subnet-0123456789abcdef0]}}|tags: {{{Tags("f", 52)}}}", "fargate.tags",
            "the cluster, its log group and the other shared resources (and the task definitions of tasks `worker`, `worker2`) would carry 52 tags (52 from fargate.tags); AWS takes at most 50 on a resource, so drop 2" },
        { "FG3042", "events: [{eventBridge: {pattern: {source: [my.app]}, eventBus: 'my bus!'}}]", "fargate.tasks.worker.events[0].eventBridge.eventBus",
            "eventBus `my bus!` is no event bus name: a name takes 1 to 256 letters, digits and `. - _ /`, such as `orders`; or give the bus's ARN" },
        { "FG3032", "http: {port: 8080, healthCheck: {interval: 10, timeout: 10}}||", "fargate.tasks.worker.http.healthCheck.timeout",
            "health check timeout 10 is not shorter than interval 10; ELB waits for one check's answer before the next, so the timeout must be shorter, e.g. `timeout: 5`" },
        { "FG3032", "http: {port: 8080, healthCheck: {interval: 5}}||", "fargate.tasks.worker.http.healthCheck.interval",
            "health check the default timeout 6 is not shorter than interval 5; ELB waits for one check's answer before the next, so the timeout must be shorter, e.g. `timeout: 2`" },
        { "FG1003", "@provider-statement-lowercase-effect", "provider.iam.role.statements[0].Effect",
            "`allow` is not one of Allow, Deny; did you mean `Allow`?" },
    };

    /// <summary><paramref name="count"/> tags, <paramref name="prefix"/>1: x and so on, for a flow map.</summary>
    private static string Tags(string prefix, int count) => string.Join(", ", Enumerable.Range(1, count).Select(i => $"{prefix}{i}: x"));

    /// <summary>Inputs a rule does not fire on.</summary>
    public static TheoryData<string, string> Passes() => new()
    {
        { "FG3001", "cpu: 1024|memory: 4GB" },
        { "FG3001", "cpu: 16384|memory: 32GB" },
        { "FG3002", "memory: 2 GB" },
        { "FG3003", "schedule: cron(0 3 * * ? *)" },
        { "FG3003", "schedule: {rate: at(2028-02-29T10:00:00)}" },
        { "FG3004", "vpc: {subnetIds: [subnet-0123456789abcdef1]}" },
        { "FG3005", "image: nginx:1.27" },
        { "FG3006", "name: worker2" },
        { "FG3007", "name: free" },
        { "FG3008", "name: has_underscore-and-dash" },
        { "FG3008", $"name: {new string('a', 60)}|schedule: rate(1 day)" },
        { "FG3009", "architecture: ARM64|spot: true" },
        { "FG3010", "service: {maximumPercent: 150, minimumHealthyPercent: 50}" },
        { "FG3011", "" },
        { "FG3012", "schedule: rate(1 day)" },
        { "FG3013", "@merge-into-function-image" },
        { "FG3014", "@101-services" },
        { "FG3015", "@101-services-no-task-arns" },
        { "FG3016", "@200-built-images" },
        { "FG3017", "" },
        { "FG3018", "secrets: {DB: 'ssm:/prod/db'}" },
        { "FG3019", "secrets: {DB: 'ssm:/prod/db'}|environment: {OTHER: plain}" },
        { "FG3020", "service: {autoscaling: {min: 1, max: 2, cpu: 50}}" },
        { "FG3021", "exec: true" },
        { "FG3021", "iamRoleStatements: []" },
        { "FG3022", "spot: {onDemandWeight: 1, spotWeight: 3}" },
        { "FG3023", "schedule: {rate: rate(1 day), timezone: Europe/London}" },
        { "FG3024", "spot: {fallback: true}" },
        { "FG3025", "" },
        { "FG3026", "cloudFormationResource: {service: {DeploymentConfiguration: {MaximumPercent: 150, MinimumHealthyPercent: 50, DeploymentCircuitBreaker: {Enable: true, Rollback: true}}}}" },
        { "FG3026", "service: {circuitBreaker: false}|cloudFormationResource: {service: {DeploymentConfiguration: {MaximumPercent: 150, MinimumHealthyPercent: 50}}}" },
        { "FG3027", "||vpc: {subnetIds: [subnet-0123456789abcdef0]}|executionRoleArn: arn:aws:iam::123456789012:role/execution|taskRoleArn: arn:aws:iam::123456789012:role/task" },
        { "FG3028", "dependsOn: TakenTask|environment: {TOPIC: !Ref TakenTask}" },
        { "FG3028", "environment: {A: !Sub '${TakenTask}/${TakenTask.TopicName}/${AWS::Region}/${!Literal}', B: !Sub ['${Name}-${OneSubnet}', {Name: !GetAtt TakenTask.TopicName}]}" },
        { "FG3028", "||vpc: {subnetIds: [subnet-0123456789abcdef0]}|iamRoleStatements: [{Effect: Allow, Action: 'sns:Publish', Resource: !Ref TakenTask}]" },
        { "FG3029", "vpc: {subnetIds: [subnet-0123456789abcdef1], securityGroupIds: [sg-0123456789abcdef0]}||" },
        { "FG3030", "" },
        { "FG3031", "ports: [8080, '8080/udp']" },
        { "FG3032", "http: {port: 80, path: /api/*}||" },
        { "FG3032", "http: {port: 80}||vpc: {subnetIds: [subnet-0123456789abcdef0], publicSubnetIds: [subnet-0123456789abcdef1, subnet-0123456789abcdef2], id: vpc-0123456789abcdef0}" },
        { "FG3032", "http: {port: 80}||vpc: {subnetIds: [subnet-0123456789abcdef0], publicSubnetIds: !Ref PrivateSubnets, id: vpc-0123456789abcdef0}" },
        { "FG3033", "@provider-wildcard-per-task" },
        { "FG3034", "||vpc: {subnetIds: [subnet-0123456789abcdef0]}|logRetentionInDays: 14" },
        { "FG3035", "http: {port: 80}||loadBalancer: {certificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/0123abcd-12ab-34cd-56ef-1234567890ab}" },
        { "FG3050", "schedule: rate(1 day)|estimatedDuration: 1h30m" },
        { "FG3064", "@140-scheduled-tasks" },
        { "FG3051", "vpc: {subnetIds: !Ref PrivateSubnets}" },
        { "FG3051", "vpc: {subnetIds: [!Ref OneSubnet, subnet-0123456789abcdef0]}" },
        { "FG3040", "events: [{eventBridge: {pattern: {source: [my.app], detail: {size: [{numeric: ['>', 0]}], $or: [{a: [1]}, {b: [{prefix: x}]}]}}}}]" },
        { "FG3041", "events: [{eventBridge: {pattern: {source: [my.app]}, input: {environment: {KEY: $.detail.object.key, FIRST: '$.resources[0]'}}}}]" },
        { "FG3036", "events: [{eventBridge: {pattern: {source: [my.app]}, input: {environment: {FARGATE_EVENT: $.detail}}}}]" },
        { "FG3036", "events: [{eventBridge: {pattern: {source: [my.app]}, input: {wholeEvent: true, environment: {EVENT_DETAIL: $.detail}}}}]" },
        { "FG3037", "eventsRoleArn: arn:aws:iam::123456789012:role/events|events: [{eventBridge: {pattern: {source: [my.app]}, input: {wholeEvent: false}}}]" },
        { "FG3037", "events: [{eventBridge: {pattern: {source: [my.app]}, input: {wholeEvent: true}}}]" },
        { "FG3042", "events: [{eventBridge: {pattern: {source: [my.app]}, eventBus: 'arn:aws:events:us-east-1:123456789012:event-bus/orders'}}]" },
        { "FG3043", "events: [{s3: uploads-0123456789}]" },
        { "FG3043", "service: false|events: [{s3: uploads-0123456789}]" },
        { "FG3044", "alerts: {topicArn: 'arn:aws:sns:us-east-1:123456789012:ops'}" },
        { "FG3045", "alerts: {email: [ops@example.com, oncall+fargate@mail.example.co.uk]}" },
        { "FG3046", "events: [{s3: uploads.example-0123}]" },
        { "FG3047", "events: [{eventBridge: {pattern: {source: [my.app]}}}]" },
        { "FG3048", "alerts: {email: [ops@example.com], on: [deployment]}" },
        { "FG3049", "alerts: {email: [ops@example.com]}" },
        { "FG3058", "environment: {OTHER_SERVICE: !GetAtt OtherService.Name}|dependsOn: [TakenTask]" },
        { "FG3059", "service: {autoscaling: {min: 1, max: 4, sqs: {queue: 'arn:aws:sqs:us-east-1:123456789012:jobs', messagesPerTask: 10}}}||vpc: {subnetIds: [subnet-0123456789abcdef0]}|containerInsights: true" },
        { "FG3060", "@bucket-notification-if-every-branch" },
        { "FG1005", "tags: {team: payments, 'cost center': 'a/b=c+d@e.f:g_h-i', écrit: été, 'AWSome': x}||vpc: {subnetIds: [subnet-0123456789abcdef0]}|logGroupName: /ecs/my-service#1|clusterName: my_cluster-1" },
        { "FG1005", "executionRoleArn: 'arn:aws-cn:iam::123456789012:role/path/to/my-role'|taskRoleArn: !GetAtt TaskRole.Arn|schedule: {rate: rate(1 hour), deadLetterQueueArn: 'arn:aws:sqs:us-east-1:123456789012:dead.fifo'}|schedulerRoleArn: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/run'" },
        { "FG1005", "alerts: {topicArn: !Ref TakenTask}|secrets: {TOKEN: 'ssm:/app/token'}|secretsKmsKeyArns: ['arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', !ImportValue shared-key-arn]|iamManagedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess', !Ref TakenTask]" },
        { "FG1005", "http: {port: 8080, healthCheck: {path: /health?full=1}}||" },
        { "FG3042", "events: [{eventBridge: {pattern: {source: [my.app]}, eventBus: aws.partner/example.com/1234/orders_v2}}]" },
        { "FG3032", "http: {port: 8080, healthCheck: {interval: 10, timeout: 9}}||" },
        { "FG3032", "http: {port: 8080, healthCheck: {timeout: 29}}||" },
        { "FG1001", "iamRoleStatements: [!If [IsProd, {Effect: Allow, Action: 's3:GetObject', Resource: '*'}, !Ref AWS::NoValue]]" },
        // 50 in all: the task's f1 replaces fargate's rather than adding one.
        { "FG3052", $"tags: {{{Tags("t", 20)}, f1: y}}||vpc: {{subnetIds: [subnet-0123456789abcdef0]}}|tags: {{{Tags("f", 30)}}}" },
        { "FG1004", "iamRoleStatements: [{Sid: ReadUploads, Effect: Deny, NotAction: 's3:*', NotResource: ['arn:aws:s3:::uploads/*'], Condition: {Bool: {aws:SecureTransport: false}}}]" },
    };

    [Theory]
    [MemberData(nameof(Fires))]
    public void Rule_fires_with_its_message_and_path(string id, string input, string? path, string message)
    {
        var found = Run(input).Where(d => d.Id == id).Select(d => (d.Path, Message: MeasuredSize().Replace(d.Message, "the template is N bytes"))).ToList();

        Assert.True(found.Contains((path, message)),
            $"{id} on `{input}` gave {(found.Count == 0 ? "nothing" : string.Join("\n", found.Select(f => $"{f.Path} | {f.Message}")))}");
    }

    [Theory]
    [MemberData(nameof(Passes))]
    public void Rule_does_not_fire(string id, string input)
    {
        var found = Run(input).Where(d => d.Id == id).Select(d => $"{d.Path}: {d.Message}").ToList();

        Assert.True(found.Count == 0, $"{id} fired on `{input}`: {string.Join("\n", found)}");
    }

    [Fact]
    public void Every_rule_has_a_row_it_fires_on_and_one_it_passes()
    {
        var rules = DiagnosticCatalog.Descriptors.Select(d => d.Id).Where(id => id.StartsWith("FG3", StringComparison.Ordinal)).ToList();
        var firing = Fires().Select(row => (string)row[0]).ToHashSet();
        var passing = Passes().Select(row => (string)row[0]).ToHashSet();

        Assert.Equal([], rules.Where(id => !firing.Contains(id)));
        Assert.Equal([], rules.Where(id => !passing.Contains(id)));
    }

    /// <summary>The ids the table shows firing, for the catalog's coverage check.</summary>
    public static IEnumerable<string> FiringIds() => Fires().Select(row => (string)row[0]);

    /// <summary>Configurations bigger than a task's lines, by the name a row gives them, with a template to merge into when there is one.</summary>
    private static (string Yaml, string? MergeInto) Named(string name) => name switch
    {
        "@no-fargate" => ("service: rules\nprovider:\n  name: aws\n", null),
        "@provider-wildcard" => (ProviderWildcard(""), null),
        "@provider-wildcard-per-task" => (ProviderWildcard("  roles: per-task\n"), null),
        "@provider-statement-lowercase-effect" => (ProviderWildcard("").Replace("Effect: Allow", "Effect: allow", StringComparison.Ordinal), null),
        "@provider-vpc-list-parameter" => ($"service: rules\nprovider:\n  name: aws\n  vpc:\n    subnetIds: [subnet-0123456789abcdef0]\n    securityGroupIds: [!Ref TaskGroups]\n" +
            $"fargate:\n  tasks:\n    worker:\n      {Image}\n" +
            "resources:\n  Parameters:\n    TaskGroups:\n      Type: CommaDelimitedList\n      Default: sg-0123456789abcdef0\n", null),
        "@no-tasks" => ("service: rules\nprovider:\n  name: aws\nfargate:\n  tasks: {}\n", null),
        "@custom-fargate" => ($"service: rules\nprovider:\n  name: aws\ncustom:\n  fargate:\n    tasks:\n      worker:\n        {Image}\n", null),
        "@custom-fargate-beside" => ($"service: rules\nprovider:\n  name: aws\ncustom:\n  fargate:\n    tasks:\n      worker:\n        {Image}\nfargate:\n  {Subnets}\n  tasks:\n    worker:\n      {Image}\n", null),
        "@merge-into-unused-image" => (BuiltImage(function: false), MergeTemplate),
        "@merge-into-function-image" => (BuiltImage(function: true), MergeTemplate),
        "@251-services" => (Tasks(251, "", ""), null),
        "@six-whole-event-tasks" => (Tasks(6, "", "events: [{eventBridge: {pattern: {source: [my.app]}, input: {wholeEvent: true}}}]"), null),
        "@150-scheduled-tasks" => (Tasks(150, "outputs: {taskArn: false}", "schedule: rate(1 day)"), null),
        "@140-scheduled-tasks" => (Tasks(140, "outputs: {taskArn: false}", "schedule: rate(1 day)"), null),
        "@101-services" => (Tasks(101, "", ""), null),
        "@101-services-no-task-arns" => (Tasks(101, "outputs: {taskArn: false}", ""), null),
        "@201-built-images" => (BuiltImages(201), null),
        "@200-built-images" => (BuiltImages(200), null),
        "@3mb-template" => (Tasks(30, "environment: {" + string.Join(", ", Enumerable.Range(0, 700).Select(i => $"VARIABLE_{i:0000}: value-{i:0000}-abcdefghijklmnopqrstuvwxyz")) + "}", ""), null),
        "@60kb-template" => (Tasks(1, "", "environment: {" + string.Join(", ", Enumerable.Range(0, 60).Select(i => $"VARIABLE_{i}: {new string('x', 1000)}")) + "}"), null),
        "@bucket-notification-if" => (BucketNotification("!If [IsProd, {EventBridgeEnabled: true}, {EventBridgeEnabled: false}]"), null),
        "@bucket-notification-if-every-branch" => (BucketNotification("!If [IsProd, {EventBridgeEnabled: true}, {EventBridgeEnabled: 'true'}]"), null),
        _ => throw new ArgumentException($"no configuration named {name}", nameof(name)),
    };

    /// <summary>A provider statement that allows every S3 action on every resource, for the Lambda functions; <paramref name="fargate"/> adds fargate-level lines.</summary>
    private static string ProviderWildcard(string fargate) =>
        $"service: rules\nprovider:\n  name: aws\n  iam:\n    role:\n      statements:\n        - {{Effect: Allow, Action: 's3:*', Resource: '*'}}\n" +
        $"fargate:\n  {Subnets}\n{fargate}  tasks:\n    worker:\n      {Image}\n";

    /// <summary>A task started by objects created in the stack's bucket `Uploads`, whose EventBridgeConfiguration is <paramref name="configuration"/>.</summary>
    private static string BucketNotification(string configuration) =>
        $"service: rules\nprovider:\n  name: aws\nfargate:\n  {Subnets}\n  tasks:\n    worker:\n      {Image}\n      events: [{{s3: {{bucket: !Ref Uploads}}}}]\n" +
        "resources:\n  Parameters:\n    Env: {Type: String, Default: dev}\n  Conditions:\n    IsProd: !Equals [!Ref Env, prod]\n" +
        $"  Resources:\n    Uploads:\n      Type: AWS::S3::Bucket\n      Properties:\n        NotificationConfiguration:\n          EventBridgeConfiguration: {configuration}\n";

    /// <summary><paramref name="count"/> services with the given fargate-level and task-level lines.</summary>
    private static string Tasks(int count, string fargate, string task)
    {
        var yaml = new StringBuilder($"service: rules\nprovider:\n  name: aws\nfargate:\n  {Subnets}\n");
        if (fargate.Length > 0)
        {
            yaml.Append("  ").Append(fargate).Append('\n');
        }
        yaml.Append("  tasks:\n");
        for (var i = 0; i < count; i++)
        {
            yaml.Append($"    worker-{i:000}:\n      {Image}\n");
            if (task.Length > 0)
            {
                yaml.Append("      ").Append(task).Append('\n');
            }
        }
        return yaml.ToString();
    }

    /// <summary>Standalone task definitions, each with an image the framework builds, which a standalone template takes as a parameter.</summary>
    private static string BuiltImages(int count) =>
        "service: rules\nprovider:\n  name: aws\n  ecr:\n    images:\n"
        + string.Concat(Enumerable.Range(0, count).Select(i => $"      image-{i:000}:\n        path: ./images/{i:000}\n"))
        + "fargate:\n  outputs: {taskArn: false}\n  tasks:\n"
        + string.Concat(Enumerable.Range(0, count).Select(i => $"    task-{i:000}:\n      image: image-{i:000}\n      service: false\n"));

    /// <summary>A task whose image the framework builds, and (or not) a function that uses the same image.</summary>
    private static string BuiltImage(bool function) =>
        "service: rules\nprovider:\n  name: aws\n  ecr:\n    images:\n      app:\n        path: ./\n"
        + (function ? "functions:\n  web:\n    image:\n      name: app\n" : "")
        + $"fargate:\n  {Subnets}\n  tasks:\n    worker:\n      image: app\n";

    /// <summary>The framework's template for <see cref="BuiltImage"/>: the function <c>web</c>, with the URI the framework pushed.</summary>
    private const string MergeTemplate = """
        {
          "AWSTemplateFormatVersion": "2010-09-09",
          "Resources": {
            "WebLambdaFunction": {
              "Type": "AWS::Lambda::Function",
              "Properties": {
                "Code": {"ImageUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/serverless-rules-dev@sha256:1111111111111111111111111111111111111111111111111111111111111111"},
                "PackageType": "Image",
                "Role": "arn:aws:iam::123456789012:role/rules-lambda"
              }
            }
          }
        }
        """;

    /// <summary>
    /// The service a row describes: the task `worker`, a second task `worker2` (named `Other`),
    /// the fargate-level keys, and a resource of the user's, <c>TakenTask</c>.
    /// </summary>
    private static string Service(string input)
    {
        var split = input.Split("||");
        var task = split[0].Length == 0 ? [] : split[0].Split('|');
        var fargate = split.Length > 1 ? (split[1].Length == 0 ? [] : split[1].Split('|')) : [Subnets];
        var yaml = new StringBuilder("service: tests\nprovider:\n  name: aws\nfargate:\n");
        foreach (var line in fargate)
        {
            yaml.Append("  ").Append(line).Append('\n');
        }
        yaml.Append("  tasks:\n    worker:\n");
        foreach (var line in task.Any(l => l.StartsWith("image:", StringComparison.Ordinal)) ? task : [Image, .. task])
        {
            yaml.Append("      ").Append(line).Append('\n');
        }
        yaml.Append($"    worker2:\n      {Image}\n      name: Other\n");
        yaml.Append("resources:\n  Resources:\n    TakenTask:\n      Type: AWS::SNS::Topic\n");
        yaml.Append("  Parameters:\n    PrivateSubnets:\n      Type: List<AWS::EC2::Subnet::Id>\n      Default: subnet-0123456789abcdef0\n");
        yaml.Append("    OneSubnet:\n      Type: AWS::EC2::Subnet::Id\n      Default: subnet-0123456789abcdef1\n");
        return yaml.ToString();
    }

    private IReadOnlyList<Diagnostic> Run(string input)
    {
        var (yaml, mergeInto) = input.StartsWith('@') ? Named(input) : (Service(input), null);
        string? mergePath = null;
        if (mergeInto is not null)
        {
            mergePath = Path.Combine(_folder.FullName, "merge-into.json");
            File.WriteAllText(mergePath, mergeInto);
        }
        return Engine.PackageText(yaml, new EngineOptions(null, null, _ => null, mergePath, _folder.FullName)).Diagnostics;
    }

    /// <summary>FG3017 states the template's size, which every change to any resource moves; as in the goldens, rows hold `N`.</summary>
    [GeneratedRegex("the template is [0-9,]+ bytes")]
    private static partial Regex MeasuredSize();
}

using ServerlessFargate.CloudFormation;
using ServerlessFargate.Model;

namespace ServerlessFargate.Compilation;

/// <summary>
/// Turns the model into CloudFormation, one compiler per resource family: cluster and log group,
/// IAM roles, task definitions, services (with autoscaling and Spot fallback) and schedules. The
/// resources, their logical IDs and outputs are the reference plugin's; where they differ it is
/// on purpose and listed in docs/migration.md.
/// </summary>
public static class TemplateCompiler
{
    public static CompiledTemplate Compile(ServiceModel model)
    {
        var template = new CompiledTemplate(new Template
        {
            Description = model.ServiceName is null ? "Fargate tasks" : $"Fargate tasks of the service {model.ServiceName}",
        });

        foreach (var image in model.ImageParameters)
        {
            template.Add(image.LogicalId, new Parameter("String",
                $"URI of the image `{image.ImageName}` (provider.ecr.images.{image.ImageName}, built from {image.BuildPath}); " +
                "pass the URI the framework pushed, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/repository@sha256:<digest>"));
        }
        ClusterCompiler.Add(template, model.Cluster);
        if (model.Network is { } network)
        {
            NetworkCompiler.Add(template, network, model.Cluster.Tags);
        }
        IamCompiler.AddSharedRoles(template, model);

        foreach (var task in model.Tasks)
        {
            template.CurrentTask = task.Key;
            AddTask(template, model, task);
        }
        template.CurrentTask = null;
        AlertsCompiler.Add(template, model);

        var httpTasks = LoadBalancerCompiler.HttpTasks(model);
        if (httpTasks.Count > 0)
        {
            LoadBalancerCompiler.Add(template, model, httpTasks);
        }

        var withFallback = model.Tasks.Where(t => t.Kind is TaskKind.Service && t.Spot?.Fallback is not null).ToList();
        if (withFallback.Count > 0)
        {
            template.Add(LogicalIds.FallbackEventsRole, FallbackCompiler.EventsRole(withFallback));
        }
        return template;
    }

    private static void AddTask(CompiledTemplate template, ServiceModel model, TaskModel task)
    {
        var taskId = LogicalIds.TaskDefinition(task.Id);
        var definition = TaskDefinitionCompiler.Build(task);
        IamCompiler.AddOwnRoles(template, model, task, definition);
        template.Add(taskId, definition);
        if (task.Outputs.TaskArn)
        {
            template.Add(LogicalIds.TaskArnOutput(task.Id), new Output(Fn.Ref(taskId)));
        }
        switch (task.Kind)
        {
            case TaskKind.Service service:
                var serviceId = LogicalIds.Service(task.Id);
                var serviceResource = ServiceCompiler.Build(task, service);
                template.Add(serviceId, serviceResource);
                if (service.Autoscaling is { } scaling)
                {
                    AutoscalingCompiler.Add(template, task, scaling);
                }
                if (task.Outputs.ServiceArn)
                {
                    template.Add(LogicalIds.ServiceArnOutput(task.Id), new Output(Fn.Ref(serviceId)));
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
                    template.Add(scheduleId, ScheduleCompiler.BuildSchedule(task, schedules.Entries[number - 1]));
                    if (task.Outputs.ScheduledTaskArn)
                    {
                        template.Add(LogicalIds.ScheduleArnOutput(task.Id, number), new Output(Fn.GetAtt(scheduleId, "Arn")));
                    }
                }
                break;
            case TaskKind.Scheduled schedule:
                var ruleId = LogicalIds.ScheduledTask(task.Id);
                template.Add(ruleId, ScheduleCompiler.BuildRule(task, schedule));
                if (task.Outputs.ScheduledTaskArn)
                {
                    template.Add(LogicalIds.ScheduledTaskArnOutput(task.Id), new Output(Fn.GetAtt(ruleId, "Arn")));
                }
                break;
        }
        if (task.Kind is not TaskKind.Service)
        {
            EventsCompiler.Add(template, task);
        }
    }
}

using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>
/// FG3027 (a notice): which IAM roles the template creates, and why. Pipelines that may not create
/// IAM roles (the reference's issue #57) give every role by ARN instead; this says which is missing.
/// </summary>
internal sealed class GeneratedRolesRule() : Rule(new("FG3027", "the template creates an IAM role", Severity.Notice,
    "Which IAM roles the template creates, and why: each is generated only because some task names none. For pipelines that may not create IAM roles; `validate` prints it, `package` does not.",
    Source: null) { QuietInPackage = true })
{
    public override void Check(RuleContext context, DiagnosticBag diagnostics)
    {
        var resources = context.Compiled.Template.Resources;
        var tasks = context.Tasks;
        Explain(LogicalIds.ExecutionRole, "executionRoleArn", tasks.Where(t => t.GeneratedExecutionRole is { Shared: true }));
        Explain(LogicalIds.TaskRole, "taskRoleArn", tasks.Where(t => t.GeneratedTaskRole is { Shared: true }));
        Explain(LogicalIds.EventsRole, "eventsRoleArn", tasks.Where(t => t.GeneratedEventsRole is { Shared: true }));
        Explain(LogicalIds.SchedulerRole, "schedulerRoleArn", tasks.Where(t => t.GeneratedSchedulerRole is { Shared: true }));

        foreach (var task in tasks)
        {
            var own = new[] { task.GeneratedTaskRole, task.GeneratedExecutionRole, task.GeneratedEventsRole, task.GeneratedSchedulerRole }
                .OfType<GeneratedRole>().Where(r => !r.Shared).Select(r => r.LogicalId).ToList();
            if (own.Count > 0)
            {
                diagnostics.Notice(Descriptor, task.Roles is RoleScope.PerTask ? context.Model.FargateKeySpan : task.OwnIamKey ?? task.KeySpan,
                    $"the template creates the IAM role{(own.Count == 1 ? "" : "s")} {string.Join(", ", own)} for task `{task.Key}` alone, because " +
                    (task.Roles is RoleScope.PerTask ? "`fargate.roles` is `per-task`" : "it sets `iamRoleStatements` or `iamManagedPolicies` of its own") +
                    "; where roles may not be created, give the task its roles by ARN (`taskRoleArn`, `executionRoleArn`)",
                    $"fargate.tasks.{task.Key}");
            }
        }

        var fallback = tasks.Where(t => resources.ContainsKey(LogicalIds.FallbackRole(t.Id))).ToList();
        if (fallback.Count > 0)
        {
            diagnostics.Notice(Descriptor, context.Model.FargateKeySpan,
                $"the template creates the IAM roles {LogicalIds.FallbackEventsRole} and {Ids(fallback.Select(t => LogicalIds.FallbackRole(t.Id)))} for the Spot fallback of {Names(fallback)}; no setting replaces them, so a pipeline that may not create roles cannot use `fallback`",
                "fargate");
        }

        var wholeEvent = tasks.Where(t => t.HasEventStateMachine).ToList();
        if (wholeEvent.Count > 0)
        {
            var first = wholeEvent[0].Events.First(e => e.WholeEvent);
            diagnostics.Notice(Descriptor, first.WholeEventKey!.Value,
                $"the template creates the IAM role{(wholeEvent.Count == 1 ? "" : "s")} {Ids(wholeEvent.Select(t => LogicalIds.EventStateMachineRole(t.Id)))}, which run{(wholeEvent.Count == 1 ? "s" : "")} {Names(wholeEvent)} for events with `wholeEvent`; no setting replaces {(wholeEvent.Count == 1 ? "it" : "them")}, so a pipeline that may not create roles cannot use `wholeEvent`",
                $"fargate.tasks.{wholeEvent[0].Key}.events[{first.Number - 1}].input.wholeEvent");
        }

        void Explain(string roleId, string setting, IEnumerable<TaskModel> lacking)
        {
            var without = lacking.ToList();
            if (resources.ContainsKey(roleId))
            {
                diagnostics.Notice(Descriptor, context.Model.FargateKeySpan,
                    $"the template creates the IAM role {roleId}, because {Names(without)} give{(without.Count == 1 ? "s" : "")} no `{setting}`; set `{setting}` (fargate or task level) where roles may not be created",
                    "fargate");
            }
        }
    }

    private static string Names(List<TaskModel> tasks) => TaskList.Named([.. tasks.Select(t => t.Key)]);

    /// <summary>Logical IDs as the task lists name tasks: the first five, then how many more (a thousand tasks make one line, not a page).</summary>
    private static string Ids(IEnumerable<string> ids)
    {
        var all = ids.ToList();
        return string.Join(", ", all.Take(5)) + (all.Count > 5 ? $" and {all.Count - 5} more" : "");
    }
}

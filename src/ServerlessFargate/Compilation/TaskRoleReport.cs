using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Compilation;

/// <summary>
/// For <c>validate --format json</c>: per task, the roles it runs with and where each statement
/// and managed policy of its task role was written, so a reviewer sees that a worker's role holds
/// <c>provider.iam.role.statements[0]</c> (the Lambda functions') without reading the template.
/// </summary>
public static class TaskRoleReport
{
    public static void Write(Utf8JsonWriter writer, ServiceModel model)
    {
        writer.WriteStartArray("tasks");
        foreach (var task in model.Tasks)
        {
            writer.WriteStartObject();
            writer.WriteString("task", task.Key);
            writer.WriteStartObject("taskRole");
            Role(writer, task.TaskRole);
            if (task.GeneratedTaskRole is not null)
            {
                var contents = IamCompiler.TaskRoleContents(model, task);
                writer.WriteStartArray("statements");
                foreach (var statement in contents.Iam.Statements)
                {
                    Entry(writer, statement.Source.ToString().ToLowerInvariant(), statement.Path, statement.Span);
                }
                if (contents.Exec)
                {
                    // The exec statement is there because a task running as the role has exec on: this one, or the first that does.
                    var exec = model.Tasks.First(t => t.GeneratedTaskRole == task.GeneratedTaskRole && t.Runtime.Exec.Value);
                    Entry(writer, "exec", $"fargate.tasks.{exec.Key}.exec", exec.Runtime.Exec.Span);
                }
                writer.WriteEndArray();
                writer.WriteStartArray("managedPolicies");
                foreach (var policy in contents.Iam.ManagedPolicies)
                {
                    Entry(writer, policy.Source.ToString().ToLowerInvariant(), policy.Path, policy.Span);
                }
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
            writer.WriteStartObject("executionRole");
            Role(writer, task.ExecutionRole);
            writer.WriteEndObject();
            // A task may be started by EventBridge rules (a schedule string, events), by Scheduler (a
            // schedule map) and by its state machine (events with wholeEvent) at once. Rules whose
            // events all pass the whole event start the state machine, not the task.
            var starters = new (string By, RoleReference? Role)[]
            {
                ("eventbridge", task.RulesRunTheTask ? task.EventsRole : null), ("scheduler", task.SchedulerRole), ("stepfunctions", task.EventStateMachineRole),
            };
            if (starters.Any(s => s.Role is not null))
            {
                writer.WriteStartArray("startedBy");
                foreach (var (by, role) in starters.Where(s => s.Role is not null))
                {
                    writer.WriteStartObject();
                    writer.WriteString("by", by);
                    Role(writer, role!);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    /// <summary>A generated role by logical ID (and whether tasks share it), a given one by its ARN as written.</summary>
    private static void Role(Utf8JsonWriter writer, RoleReference role)
    {
        switch (role)
        {
            case RoleReference.Generated generated:
                writer.WriteString("logicalId", generated.Role.LogicalId);
                writer.WriteBoolean("shared", generated.Role.Shared);
                break;
            case RoleReference.Given given:
                writer.WritePropertyName("arn");
                given.Arn.WriteTo(writer);
                break;
        }
    }

    private static void Entry(Utf8JsonWriter writer, string source, string path, SourceSpan span)
    {
        writer.WriteStartObject();
        writer.WriteString("source", source);
        writer.WriteString("path", path);
        writer.WriteString("file", span.File.DisplayPath);
        writer.WriteNumber("line", span.Line);
        writer.WriteNumber("column", span.Column);
        writer.WriteEndObject();
    }
}

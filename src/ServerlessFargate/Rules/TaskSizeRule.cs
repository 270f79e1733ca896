using System.Globalization;
using System.Text.Json.Nodes;
using ServerlessFargate.Diagnostics;

namespace ServerlessFargate.Rules;

/// <summary>FG3001: the task's cpu and memory must be a pair Fargate offers (table in fargate-task-sizes.json).</summary>
internal sealed class TaskSizeRule() : Rule(new("FG3001", "cpu and memory combination Fargate does not offer", Severity.Error,
    "The task's cpu and memory are not a combination Fargate offers; ECS would refuse the task definition at deploy time.",
    Source: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size"))
{
    /// <summary>CPU units → the memory values (MiB) Fargate allows with it.</summary>
    public static IReadOnlyDictionary<int, IReadOnlyList<int>> Sizes => Table.Value;

    private static readonly Lazy<Dictionary<int, IReadOnlyList<int>>> Table = new(Load);

    public override void Check(RuleContext context, DiagnosticBag diagnostics)
    {
        // One memory value (a fargate-level default) that several tasks' cpu cannot take is one
        // problem at one line: report it once, naming the tasks.
        var misfits = context.Tasks
            .Where(t => t.MemoryMiB is { } mib && Sizes.TryGetValue(t.Cpu.Value, out var allowed) && !allowed.Contains(mib))
            .GroupBy(t => (t.Memory.Span, t.Cpu.Value));
        foreach (var group in misfits)
        {
            var task = group.First();
            var mib = task.MemoryMiB!.Value;
            var allowed = Sizes[task.Cpu.Value];
            var fits = Sizes.Where(s => s.Value.Contains(mib)).Select(s => s.Key.ToString(CultureInfo.InvariantCulture)).ToList();
            var hint = fits.Count > 0 ? $"; {mib} MiB goes with cpu {string.Join(" or ", fits)}" : "";
            var who = group.Count() == 1 ? "" : $" (tasks {string.Join(", ", group.Select(t => $"`{t.Key}`"))})";
            diagnostics.Error(Descriptor, task.Memory.Span,
                $"Fargate has no task with cpu {task.Cpu.Value} and memory {task.Memory.Value} ({mib} MiB){who}; with cpu {task.Cpu.Value} memory may be {Describe(allowed)}{hint}",
                group.Count() == 1 ? $"fargate.tasks.{task.Key}.memory" : "fargate.memory");
        }
    }

    private static string Describe(IReadOnlyList<int> allowed)
    {
        if (allowed.Count <= 3)
        {
            return string.Join(", ", allowed.Select(m => m.ToString(CultureInfo.InvariantCulture))) + " MiB";
        }
        var step = allowed[1] - allowed[0];
        return $"{allowed[0]} to {allowed[^1]} MiB in steps of {step}";
    }

    private static Dictionary<int, IReadOnlyList<int>> Load()
    {
        using var stream = typeof(TaskSizeRule).Assembly.GetManifestResourceStream("fargate-task-sizes.json")!;
        var root = JsonNode.Parse(stream)!;
        var table = new Dictionary<int, IReadOnlyList<int>>();
        foreach (var size in root["sizes"]!.AsArray())
        {
            var cpu = size!["cpu"]!.GetValue<int>();
            if (size["memory"] is JsonArray list)
            {
                table[cpu] = [.. list.Select(m => m!.GetValue<int>())];
                continue;
            }
            var from = size["memoryFrom"]!.GetValue<int>();
            var to = size["memoryTo"]!.GetValue<int>();
            var step = size["step"]!.GetValue<int>();
            var values = new List<int>();
            for (var memory = from; memory <= to; memory += step)
            {
                values.Add(memory);
            }
            table[cpu] = values;
        }
        return table;
    }
}

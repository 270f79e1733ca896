using System.Globalization;
using System.Text.Json.Nodes;
using ServerlessFargate.Diagnostics;

namespace ServerlessFargate.Rules;

/// <summary>FG3001: the task's cpu and memory must be a pair Fargate offers (table in fargate-task-sizes.json).</summary>
internal sealed class TaskSizeRule : IRule
{
    /// <summary>CPU units → the memory values (MiB) Fargate allows with it.</summary>
    public static IReadOnlyDictionary<int, IReadOnlyList<int>> Sizes => Table.Value;

    private static readonly Lazy<Dictionary<int, IReadOnlyList<int>>> Table = new(Load);

    public void Check(RuleContext context, DiagnosticBag diagnostics)
    {
        foreach (var task in context.Model.Tasks)
        {
            if (task.MemoryMiB == 0 || !Sizes.TryGetValue(task.Cpu.Value, out var allowed) || allowed.Contains(task.MemoryMiB))
            {
                continue;
            }
            var fits = Sizes.Where(s => s.Value.Contains(task.MemoryMiB)).Select(s => s.Key.ToString(CultureInfo.InvariantCulture)).ToList();
            var hint = fits.Count > 0 ? $"; {task.MemoryMiB} MiB goes with cpu {string.Join(" or ", fits)}" : "";
            diagnostics.Error(DiagnosticCatalog.TaskSize, task.Memory.Span,
                $"Fargate has no task with cpu {task.Cpu.Value} and memory {task.Memory.Value} ({task.MemoryMiB} MiB); with cpu {task.Cpu.Value} memory may be {Describe(allowed)}{hint}",
                $"fargate.tasks.{task.Key}.memory");
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

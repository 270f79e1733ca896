using System.Text;
using System.Text.Json;
using ServerlessFargate.Diagnostics;

namespace ServerlessFargate.Aws.Planning;

/// <summary>A plan as <c>sls-fargate plan</c> prints it: text for people, JSON for scripts.</summary>
public static class PlanFormatter
{
    private const string Red = "\u001b[31m";
    private const string Yellow = "\u001b[33m";
    private const string Green = "\u001b[32m";
    private const string Reset = "\u001b[0m";

    /// <summary>
    /// A summary line, then one line per change:
    /// <c>  [data-loss, update-fails] replace  OrdersTable (AWS::DynamoDB::Table): KeySchema — reasons</c>.
    /// Every text from a template is escaped; <paramref name="colour"/> (ANSI) only when the caller
    /// knows stdout is a terminal: red for a risky change, green for an addition, yellow otherwise.
    /// </summary>
    public static string Text(Plan plan, bool colour)
    {
        var text = new StringBuilder();
        var stack = TerminalText.EscapeLine(plan.Stack);
        if (plan.Changes.Count == 0)
        {
            return text.Append("Plan for ").Append(stack).Append(": no changes\n").ToString();
        }
        int Count(string action) => plan.Changes.Count(c => c.Action == action);
        text.Append($"Plan for {stack}: {Count(PlanWords.Add)} to add, {Count(PlanWords.Modify)} to modify, {Count(PlanWords.Replace)} to replace, {Count(PlanWords.Remove)} to remove\n");
        foreach (var change in plan.Changes)
        {
            var line = new StringBuilder("  ");
            if (change.Risks.Count > 0)
            {
                line.Append('[').Append(string.Join(", ", change.Risks)).Append("] ");
            }
            line.Append(change.Action == PlanWords.Replace && change.Replacement == PlanWords.Conditional ? "may replace" : change.Action)
                .Append("  ").Append(TerminalText.EscapeLine(change.LogicalId))
                .Append(" (").Append(change.Type.Length > 0 ? TerminalText.EscapeLine(change.Type) : "type unknown").Append(')');
            if (change.Properties.Count > 0)
            {
                line.Append(": ").Append(string.Join(", ", change.Properties.Select(TerminalText.EscapeLine)));
            }
            if (change.Reasons.Count > 0)
            {
                line.Append(" — ").Append(string.Join("; ", change.Reasons.Select(TerminalText.EscapeLine)));
            }
            if (colour)
            {
                var hue = change.Risks.Count > 0 ? Red : change.Action == PlanWords.Add ? Green : Yellow;
                line.Insert(2, hue).Append(Reset);
            }
            text.Append(line).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>
    /// <c>{"stack", "exists", "changes": [{"logicalId", "type", "action", "replacement",
    /// "properties", "risks", "reasons"}]}</c>, keys in that order: a stable shape for scripts.
    /// </summary>
    public static string Json(Plan plan) => JsonText.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("stack", plan.Stack);
        writer.WriteBoolean("exists", plan.Exists);
        writer.WriteStartArray("changes");
        foreach (var change in plan.Changes)
        {
            writer.WriteStartObject();
            writer.WriteString("logicalId", change.LogicalId);
            writer.WriteString("type", change.Type);
            writer.WriteString("action", change.Action);
            writer.WriteString("replacement", change.Replacement);
            WriteStrings(writer, "properties", change.Properties);
            WriteStrings(writer, "risks", change.Risks);
            WriteStrings(writer, "reasons", change.Reasons);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    private static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }
        writer.WriteEndArray();
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ServerlessFargate.Diagnostics;

namespace ServerlessFargate.Cost;

/// <summary><c>cost</c>'s output: a table with its total and the assumptions under it, or JSON.</summary>
public static class CostReport
{
    public static string Text(string stackName, CostEstimate estimate)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Estimated cost of {stackName} in {estimate.Region}, in {estimate.Currency} for a month of 730 hours");
        text.AppendLine(estimate.PricesAsOf is { } asOf ? $" (prices as of {asOf:yyyy-MM-dd})" : "");
        text.AppendLine();

        string[] header = ["ITEM", "A MONTH", "UP TO", "AN HOUR"];
        var rows = estimate.Items
            .Select(i => new[] { i.Name, CostEstimator.Dollars(i.Monthly), i.MonthlyMax is null ? "" : CostEstimator.Dollars(i.MonthlyMax), i.Hourly is null ? "" : CostEstimator.Dollars(i.Hourly, 4) })
            .Prepend(header)
            .Append(["TOTAL", estimate.MonthlyTotal is null ? "unknown" : CostEstimator.Dollars(estimate.MonthlyTotal), "", ""])
            .ToList();
        var widths = Enumerable.Range(0, header.Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        foreach (var row in rows)
        {
            // Names to the left, amounts to the right, so the cents line up.
            text.AppendLine(string.Join("  ", row.Select((cell, i) => i == 0 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]))).TrimEnd());
        }
        var unknown = estimate.Items.Where(i => i.Monthly is null).Select(i => i.Name).ToList();
        if (unknown.Count > 0 && estimate.MonthlyTotal is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"The total leaves out {string.Join(", ", unknown)}: see below.");
        }

        foreach (var item in estimate.Items)
        {
            text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"{item.Name}:");
            foreach (var assumption in item.Assumptions)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  - {assumption}");
            }
        }
        text.AppendLine().AppendLine("Not included:");
        foreach (var left in estimate.NotIncluded)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  - {left}");
        }
        return text.ToString();
    }

    public static string Json(CostEstimate estimate) => JsonText.Write(new JsonObject
    {
        ["region"] = estimate.Region,
        ["currency"] = estimate.Currency,
        ["pricesAsOf"] = estimate.PricesAsOf?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["monthlyTotal"] = estimate.MonthlyTotal,
        ["items"] = new JsonArray([.. estimate.Items.Select(i => (JsonNode)new JsonObject
        {
            ["name"] = i.Name,
            ["monthly"] = i.Monthly,
            ["monthlyMax"] = i.MonthlyMax,
            ["hourly"] = i.Hourly,
            ["assumptions"] = new JsonArray([.. i.Assumptions.Select(a => JsonValue.Create(a))]),
        })]),
        ["notIncluded"] = new JsonArray([.. estimate.NotIncluded.Select(n => JsonValue.Create(n))]),
    });
}

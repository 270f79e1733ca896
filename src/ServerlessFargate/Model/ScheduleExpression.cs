using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ServerlessFargate.Model;

/// <summary>
/// The grammar of EventBridge schedule expressions, from schedule-expressions.json: reads an
/// expression into a <see cref="ScheduleForm"/>, or says what is wrong in words:
/// <c>rate(1 minutes)</c> → "with a value of 1 the unit is singular".
/// </summary>
internal static partial class ScheduleExpression
{
    public sealed record CronField(string Name, int Min, int Max, string Special, IReadOnlyList<string> Names);

    private sealed record Table(IReadOnlyList<string> Singular, IReadOnlyList<string> Plural, IReadOnlyList<CronField> Fields);

    private static readonly Lazy<Table> Data = new(Load);

    public static IReadOnlyList<CronField> CronFields => Data.Value.Fields;

    public static IReadOnlyList<string> SingularUnits => Data.Value.Singular;

    public static IReadOnlyList<string> PluralUnits => Data.Value.Plural;

    [GeneratedRegex(@"^rate\((?<body>.*)\)$", RegexOptions.Singleline)]
    private static partial Regex Rate();

    [GeneratedRegex(@"^cron\((?<body>.*)\)$", RegexOptions.Singleline)]
    private static partial Regex Cron();

    [GeneratedRegex(@"^(?<value>[0-9]+) (?<unit>[a-z]+)$")]
    private static partial Regex RateBody();

    [GeneratedRegex(@"^at\([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\)$")]
    private static partial Regex At();

    /// <summary>
    /// What the expression says; or, when it is not valid, what is wrong with it and, where one
    /// fix is plain, the fixed expression (offered only if it is itself valid).
    /// </summary>
    /// <param name="allowAt">EventBridge Scheduler also takes one-time <c>at(2026-12-24T18:00:00)</c> schedules; rules do not.</param>
    public static ScheduleForm Parse(string expression, bool allowAt)
    {
        if (Problem(expression, allowAt) is { } problem)
        {
            var suggestion = Suggest(expression);
            return new ScheduleForm.Invalid(problem, suggestion is not null && Problem(suggestion, allowAt) is null ? suggestion : null);
        }
        var body = expression[(expression.IndexOf('(') + 1)..^1].Trim();
        return expression[..expression.IndexOf('(')] switch
        {
            "rate" => RateOf(body),
            "at" => new ScheduleForm.At(DateTime.ParseExact(body, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)),
            _ => CronOf(body.Split(' ', StringSplitOptions.RemoveEmptyEntries)),
        };
    }

    /// <summary>Null when the expression is valid; otherwise what is wrong with it.</summary>
    public static string? Problem(string expression, bool allowAt = false)
    {
        if (expression.StartsWith("at(", StringComparison.Ordinal))
        {
            return !allowAt ? "`at(...)` one-time schedules need the map form of `schedule` (EventBridge Scheduler)"
                : !At().IsMatch(expression) ? $"`{expression}` is not `at(yyyy-mm-ddThh:mm:ss)`, such as `at(2026-12-24T18:00:00)`"
                : !DateTime.TryParseExact(expression[3..^1], "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                    ? $"`{expression[3..^1]}` is not a real date and time (months 01-12, days that month has, hours 00-23, minutes and seconds 00-59)"
                : null;
        }
        var rate = Rate().Match(expression);
        if (rate.Success)
        {
            return RateProblem(rate.Groups["body"].Value.Trim());
        }
        var cron = Cron().Match(expression);
        if (cron.Success)
        {
            return CronProblem(cron.Groups["body"].Value.Trim());
        }
        return "a schedule is `rate(value unit)`, such as `rate(5 minutes)`, or `cron(minutes hours day-of-month month day-of-week year)`, such as `cron(0 3 * * ? *)`";
    }

    /// <summary>
    /// The likely intended expression: the singular or plural unit for a rate; for a cron, the
    /// year a Unix-style five-field expression lacks, and `?` in day-of-week where both day
    /// fields are `*`: <c>cron(0 3 * * *)</c> becomes <c>cron(0 3 * * ? *)</c>.
    /// </summary>
    private static string? Suggest(string expression)
    {
        var rate = Rate().Match(expression);
        if (rate.Success && RateBody().Match(rate.Groups["body"].Value.Trim()) is { Success: true } body)
        {
            var value = body.Groups["value"].Value;
            var unit = body.Groups["unit"].Value;
            var plural = PluralUnits.ToList().IndexOf(unit);
            var singular = SingularUnits.ToList().IndexOf(unit);
            return value == "1" && plural >= 0 ? $"rate(1 {SingularUnits[plural]})"
                : value != "1" && singular >= 0 ? $"rate({value} {PluralUnits[singular]})"
                : null;
        }
        var cron = Cron().Match(expression);
        if (!cron.Success)
        {
            return null;
        }
        var fields = cron.Groups["body"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (fields.Count == CronFields.Count - 1)
        {
            fields.Add("*");
        }
        if (fields.Count != CronFields.Count)
        {
            return null;
        }
        if (fields[2] != "?" && fields[4] != "?")
        {
            // Keep the field that says something; with both `*`, every day is meant. With both
            // given (`1` and `MON`) either could be meant, so there is nothing to suggest.
            if (fields[4] == "*")
            {
                fields[4] = "?";
            }
            else if (fields[2] == "*")
            {
                fields[2] = "?";
            }
            else
            {
                return null;
            }
        }
        return $"cron({string.Join(' ', fields)})";
    }

    private static string? RateProblem(string body)
    {
        var match = RateBody().Match(body);
        if (!match.Success)
        {
            return $"`rate({body})` is not `rate(value unit)`; write a whole number and a unit, such as `rate(5 minutes)`";
        }
        var unit = match.Groups["unit"].Value;
        if (!int.TryParse(match.Groups["value"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
        {
            return $"the rate value `{match.Groups["value"].Value}` must be a whole number of at least 1";
        }
        var singular = SingularUnits.Contains(unit);
        var plural = PluralUnits.Contains(unit);
        if (!singular && !plural)
        {
            return $"`{unit}` is not a rate unit; use {string.Join(", ", SingularUnits)} (for 1) or {string.Join(", ", PluralUnits)}";
        }
        if (value == 1 && plural)
        {
            return $"with a value of 1 the unit is singular: `rate(1 {SingularUnits[PluralUnits.ToList().IndexOf(unit)]})`";
        }
        if (value > 1 && singular)
        {
            return $"with a value above 1 the unit is plural: `rate({value} {PluralUnits[SingularUnits.ToList().IndexOf(unit)]})`";
        }
        return null;
    }

    private static string? CronProblem(string body)
    {
        var fields = body.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var names = string.Join(" ", CronFields.Select(f => f.Name));
        if (fields.Length != CronFields.Count)
        {
            var hint = fields.Length == CronFields.Count - 1 ? " (a Unix cron has no year field and no `?`)" : "";
            return $"a cron expression has {CronFields.Count} fields ({names}), and `cron({body})` has {fields.Length}{hint}";
        }
        for (var i = 0; i < fields.Length; i++)
        {
            if (FieldProblem(CronFields[i], fields[i]) is { } problem)
            {
                return problem;
            }
        }
        var dayOfMonth = fields[2];
        var dayOfWeek = fields[4];
        if ((dayOfMonth == "?") == (dayOfWeek == "?"))
        {
            return dayOfMonth == "?"
                ? "day-of-month and day-of-week are both `?`; one of them must give the days, as in `cron(0 3 * * ? *)`"
                : $"day-of-month (`{dayOfMonth}`) and day-of-week (`{dayOfWeek}`) cannot both be given: write `?` in the one that does not choose the days";
        }
        return null;
    }

    private static string? FieldProblem(CronField field, string text)
    {
        foreach (var item in text.Split(','))
        {
            if (ItemProblem(field, item) is { } problem)
            {
                return $"{field.Name} `{text}`: {problem}";
            }
        }
        return null;
    }

    private static string? ItemProblem(CronField field, string item)
    {
        if (item.Length == 0)
        {
            return "an empty item between commas";
        }
        if (item is "*" or "?" || (item == "L" && field.Special.Contains('L', StringComparison.Ordinal)))
        {
            return item == "?" && !field.Special.Contains('?', StringComparison.Ordinal)
                ? "`?` is allowed only in day-of-month and day-of-week"
                : null;
        }
        var slash = item.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            if (!int.TryParse(item[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var step) || step < 1)
            {
                return $"the step in `{item}` must be a whole number of at least 1";
            }
            var start = item[..slash];
            return start == "*" ? null : RangeProblem(field, start);
        }
        if (field.Special.Contains('W', StringComparison.Ordinal) && item.EndsWith('W'))
        {
            return item == "LW" ? null : ValueProblem(field, item[..^1]);
        }
        if (field.Special.Contains('L', StringComparison.Ordinal) && item.EndsWith('L') && item.Length > 1)
        {
            return ValueProblem(field, item[..^1]);
        }
        var hash = item.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0 && field.Special.Contains('#', StringComparison.Ordinal))
        {
            if (!int.TryParse(item[(hash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var nth) || nth is < 1 or > 5)
            {
                return $"the week number after `#` in `{item}` must be 1 to 5";
            }
            return ValueProblem(field, item[..hash]);
        }
        return RangeProblem(field, item);
    }

    private static string? RangeProblem(CronField field, string item)
    {
        var dash = item.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return ValueProblem(field, item);
        }
        return ValueProblem(field, item[..dash]) ?? ValueProblem(field, item[(dash + 1)..]);
    }

    private static string? ValueProblem(CronField field, string value)
    {
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number >= field.Min && number <= field.Max ? null : $"`{value}` is outside {field.Min}-{field.Max}";
        }
        if (field.Names.Contains(value.ToUpperInvariant()))
        {
            return null;
        }
        var names = field.Names.Count > 0 ? $" or a name ({field.Names[0]}-{field.Names[^1]})" : "";
        return $"`{value}` is not a value for {field.Name}; use {field.Min}-{field.Max}{names}";
    }

    private static ScheduleForm.Rate RateOf(string body)
    {
        var parts = body.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var amount = int.Parse(parts[0], CultureInfo.InvariantCulture);
        return new ScheduleForm.Rate(parts[1].TrimEnd('s') switch
        {
            "minute" => TimeSpan.FromMinutes(amount),
            "hour" => TimeSpan.FromHours(amount),
            _ => TimeSpan.FromDays(amount),
        });
    }

    /// <summary>A valid cron's fields as values; the day field that is not <c>?</c> chooses the days.</summary>
    private static ScheduleForm.Cron CronOf(string[] fields) => new(
        Values(fields[0], CronFields[0]),
        Values(fields[1], CronFields[1]),
        fields[2] != "?"
            ? [.. fields[2].Split(',').Select(DayOfMonth)]
            : [.. fields[4].Split(',').Select(DayOfWeek)],
        Values(fields[3], CronFields[3]),
        Values(fields[5], CronFields[5]));

    private static CronDay DayOfMonth(string item) => item switch
    {
        "L" => new CronDay.LastOfMonth(),
        "LW" => new CronDay.NearestWeekday(null),
        _ when item.EndsWith('W') => new CronDay.NearestWeekday(int.Parse(item[..^1], CultureInfo.InvariantCulture)),
        _ => new CronDay.MonthDays(Values(item, CronFields[2])),
    };

    /// <summary>Days of the week count from 1, Sunday; <c>L</c> alone is the last, Saturday.</summary>
    private static CronDay DayOfWeek(string item) => item switch
    {
        "L" => new CronDay.WeekDays(new SortedSet<int> { 7 }),
        _ when item.Split('#') is [var day, var nth] => new CronDay.NthWeekday(Number(day, CronFields[4]), int.Parse(nth, CultureInfo.InvariantCulture)),
        _ when item.EndsWith('L') => new CronDay.LastWeekday(Number(item[..^1], CronFields[4])),
        _ => new CronDay.WeekDays(Values(item, CronFields[4])),
    };

    /// <summary>The values a plain field (no L, W or #) allows: <c>0/15</c> is 0, 15, 30, 45.</summary>
    private static SortedSet<int> Values(string field, CronField spec)
    {
        var values = new SortedSet<int>();
        foreach (var item in field.Split(','))
        {
            var (range, step) = item.Split('/') is [var r, var s] ? (r, int.Parse(s, CultureInfo.InvariantCulture)) : (item, 1);
            var (low, high) = range is "*" or "?" ? (spec.Min, spec.Max)
                : range.Split('-') is [var a, var b] ? (Number(a, spec), Number(b, spec))
                : (Number(range, spec), item.Contains('/', StringComparison.Ordinal) ? spec.Max : Number(range, spec));
            for (var v = low; v <= high; v += step)
            {
                values.Add(v);
            }
        }
        return values;
    }

    /// <summary>A number, or a name (<c>JAN</c>, <c>MON</c>) counted from the field's first value.</summary>
    private static int Number(string text, CronField spec) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : spec.Min + spec.Names.ToList().IndexOf(text.ToUpperInvariant());

    private static Table Load()
    {
        using var stream = typeof(ScheduleExpression).Assembly.GetManifestResourceStream("schedule-expressions.json")!;
        var root = JsonNode.Parse(stream)!;
        var units = root["rateUnits"]!;
        return new Table(
            [.. units["singular"]!.AsArray().Select(u => u!.GetValue<string>())],
            [.. units["plural"]!.AsArray().Select(u => u!.GetValue<string>())],
            [.. root["cronFields"]!.AsArray().Select(f => new CronField(
                f!["name"]!.GetValue<string>(),
                f["min"]!.GetValue<int>(),
                f["max"]!.GetValue<int>(),
                f["special"]!.GetValue<string>(),
                f["names"] is JsonArray names ? [.. names.Select(n => n!.GetValue<string>())] : []))]);
    }
}

using System.Globalization;

namespace ServerlessFargate.Rules;

/// <summary>
/// When a schedule expression fires next, worked out locally (for <c>status</c>). Cron fields
/// follow EventBridge: minutes, hours, day of month (with <c>L</c>, <c>W</c>, <c>LW</c>), month,
/// day of week (1 = Sunday, with <c>L</c> and <c>#</c>), year. A cron time that a daylight-saving
/// change skips in the schedule's time zone does not fire here.
/// https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
/// </summary>
public static class ScheduleTimes
{
    /// <summary>
    /// The next <paramref name="count"/> times after <paramref name="after"/>, in UTC; fewer when
    /// the expression fires fewer times (an <c>at()</c> in the past, a cron for 30 February).
    /// A <c>rate()</c> counts from when AWS created the schedule, which is not known here: its
    /// times are counted from <paramref name="after"/>. Expressions are assumed valid (the rules
    /// check them); an invalid one gives no times.
    /// </summary>
    public static IReadOnlyList<DateTimeOffset> Next(string expression, string? timeZone, DateTimeOffset after, int count)
    {
        if (ScheduleExpression.Problem(expression, allowAt: true) is not null)
        {
            return [];
        }
        var zone = Zone(timeZone);
        var body = expression[(expression.IndexOf('(') + 1)..^1].Trim();
        if (expression.StartsWith("rate(", StringComparison.Ordinal))
        {
            var parts = body.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var amount = int.Parse(parts[0], CultureInfo.InvariantCulture);
            var step = parts[1].TrimEnd('s') switch
            {
                "minute" => TimeSpan.FromMinutes(amount),
                "hour" => TimeSpan.FromHours(amount),
                _ => TimeSpan.FromDays(amount),
            };
            return [.. Enumerable.Range(1, count).Select(i => after + step * i)];
        }
        if (expression.StartsWith("at(", StringComparison.Ordinal))
        {
            var local = DateTime.ParseExact(body, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
            var at = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone), TimeSpan.Zero);
            return at > after && count > 0 ? [at] : [];
        }
        return Cron(body, zone, after, count);
    }

    private static TimeZoneInfo Zone(string? id)
    {
        if (id is null)
        {
            return TimeZoneInfo.Utc;
        }
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.Utc;
        }
    }

    private static List<DateTimeOffset> Cron(string body, TimeZoneInfo zone, DateTimeOffset after, int count)
    {
        var fields = body.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var table = ScheduleExpression.CronFields;
        var minutes = Values(fields[0], table[0]);
        var hours = Values(fields[1], table[1]);
        var months = Values(fields[3], table[3]);
        var years = Values(fields[5], table[5]);
        var times = new List<DateTimeOffset>();
        var start = TimeZoneInfo.ConvertTime(after, zone).DateTime;
        start = new DateTime(start.Year, start.Month, start.Day, start.Hour, start.Minute, 0, DateTimeKind.Unspecified).AddMinutes(1);
        foreach (var year in years.Where(y => y >= start.Year))
        {
            foreach (var month in months.Where(m => year > start.Year || m >= start.Month))
            {
                var days = DateTime.DaysInMonth(year, month);
                for (var day = 1; day <= days; day++)
                {
                    var date = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Unspecified);
                    if (date.AddDays(1) <= start || !DayMatches(fields[2], fields[4], date))
                    {
                        continue;
                    }
                    foreach (var hour in hours)
                    {
                        foreach (var minute in minutes)
                        {
                            var local = date.AddHours(hour).AddMinutes(minute);
                            if (local < start || zone.IsInvalidTime(local))
                            {
                                continue;
                            }
                            times.Add(new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero));
                            if (times.Count == count)
                            {
                                return times;
                            }
                        }
                    }
                }
            }
        }
        return times;
    }

    /// <summary>The values a plain field (no L, W or #) allows, in order.</summary>
    private static SortedSet<int> Values(string field, ScheduleExpression.CronField spec)
    {
        var values = new SortedSet<int>();
        foreach (var item in field.Split(','))
        {
            var (range, step) = item.Split('/') is [var r, var s] ? (r, int.Parse(s, CultureInfo.InvariantCulture)) : (item, 1);
            int low, high;
            if (range is "*" or "?")
            {
                (low, high) = (spec.Min, spec.Max);
            }
            else if (range.Split('-') is [var a, var b])
            {
                (low, high) = (Number(a, spec), Number(b, spec));
            }
            else
            {
                low = Number(range, spec);
                high = item.Contains('/', StringComparison.Ordinal) ? spec.Max : low;
            }
            for (var v = low; v <= high; v += step)
            {
                values.Add(v);
            }
        }
        return values;
    }

    private static int Number(string text, ScheduleExpression.CronField spec) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : spec.Min + IndexOf(spec.Names, text.ToUpperInvariant());

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
            {
                return i;
            }
        }
        return 0;
    }

    /// <summary>Day of month and day of week: one of them is <c>?</c>, the other decides.</summary>
    private static bool DayMatches(string dayOfMonth, string dayOfWeek, DateTime date)
    {
        var table = ScheduleExpression.CronFields;
        var lastDay = DateTime.DaysInMonth(date.Year, date.Month);
        if (dayOfMonth != "?")
        {
            return dayOfMonth switch
            {
                "L" => date.Day == lastDay,
                "LW" => date.Day == NearestWeekday(date, lastDay),
                _ when dayOfMonth.EndsWith('W') => date.Day == NearestWeekday(date, int.Parse(dayOfMonth[..^1], CultureInfo.InvariantCulture)),
                _ => Values(dayOfMonth, table[2]).Contains(date.Day),
            };
        }
        var weekday = (int)date.DayOfWeek + 1;
        if (dayOfWeek.Contains('#', StringComparison.Ordinal))
        {
            var parts = dayOfWeek.Split('#');
            var nth = int.Parse(parts[1], CultureInfo.InvariantCulture);
            return weekday == Number(parts[0], table[4]) && (date.Day - 1) / 7 + 1 == nth;
        }
        if (dayOfWeek.EndsWith('L') && dayOfWeek.Length > 1)
        {
            return weekday == Number(dayOfWeek[..^1], table[4]) && date.Day + 7 > lastDay;
        }
        if (dayOfWeek == "L")
        {
            return weekday == 7;
        }
        return Values(dayOfWeek, table[4]).Contains(weekday);
    }

    /// <summary>The weekday nearest to <paramref name="target"/> in the month, never crossing into another month.</summary>
    private static int NearestWeekday(DateTime date, int target)
    {
        var lastDay = DateTime.DaysInMonth(date.Year, date.Month);
        target = Math.Min(target, lastDay);
        var day = new DateTime(date.Year, date.Month, target, 0, 0, 0, DateTimeKind.Unspecified);
        return day.DayOfWeek switch
        {
            DayOfWeek.Saturday => target == 1 ? 3 : target - 1,
            DayOfWeek.Sunday => target == lastDay ? target - 2 : target + 1,
            _ => target,
        };
    }
}

namespace ServerlessFargate.Model;

/// <summary>
/// When a schedule fires, worked out locally (<c>status</c> shows the next runs, <c>cost</c> counts
/// a month's). Cron fields follow EventBridge: minutes, hours, day of month (with <c>L</c>,
/// <c>W</c>, <c>LW</c>), month, day of week (1 = Sunday, with <c>L</c> and <c>#</c>), year. A cron
/// time that a daylight-saving change skips in the schedule's time zone does not fire.
/// https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
/// </summary>
public sealed partial record Schedule
{
    /// <summary>AWS prices by a month of 730 hours (365 days × 24 / 12).</summary>
    public static readonly TimeSpan PricingMonth = TimeSpan.FromHours(730);

    /// <summary>
    /// The next <paramref name="count"/> times after <paramref name="after"/>, in UTC; fewer when
    /// the expression fires fewer times (an <c>at()</c> in the past, a cron for 30 February), none
    /// when it is not valid. A <c>rate()</c> counts from when AWS created the schedule, which is
    /// not known here: its times are counted from <paramref name="after"/>.
    /// </summary>
    public IReadOnlyList<DateTimeOffset> Next(DateTimeOffset after, int count)
    {
        var zone = Zone();
        switch (Form)
        {
            case ScheduleForm.Rate rate:
                return [.. Enumerable.Range(1, count).Select(i => after + rate.Interval * i)];
            case ScheduleForm.At at:
                var time = Utc(at.Local, zone);
                return time > after && count > 0 ? [time] : [];
            case ScheduleForm.Cron cron:
                var local = TimeZoneInfo.ConvertTime(after, zone).DateTime;
                var start = new DateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, 0, DateTimeKind.Unspecified).AddMinutes(1);
                return [.. LocalTimes(cron, start).Where(t => !zone.IsInvalidTime(t)).Take(count).Select(t => Utc(t, zone))];
            default:
                return [];
        }
    }

    /// <summary>
    /// How many times the schedule runs in the month <paramref name="month"/> of
    /// <paramref name="year"/>, for cost estimates. A rate runs by the clock, so it counts a
    /// pricing month of 730 hours whatever the calendar says: <c>rate(1 hour)</c> is 730,
    /// <c>rate(1 day)</c> 30.4. A cron runs by the calendar, so it counts the runs in that real
    /// calendar month, in its time zone: <c>cron(0 3 * * ? *)</c> is 31 in January and 28 in
    /// February 2027. An <c>at()</c> is 1 in its own month and 0 in any other; an invalid
    /// expression is 0.
    /// </summary>
    public double RunsPerMonth(int year, int month)
    {
        var first = new DateTime(year, month, 1, 0, 0, 0, DateTimeKind.Unspecified);
        var zone = Zone();
        return Form switch
        {
            ScheduleForm.Rate rate => PricingMonth / rate.Interval,
            ScheduleForm.At at => at.Local.Year == year && at.Local.Month == month ? 1 : 0,
            ScheduleForm.Cron cron => LocalTimes(cron, first).TakeWhile(t => t < first.AddMonths(1)).Count(t => !zone.IsInvalidTime(t)),
            _ => 0,
        };
    }

    /// <summary>The cron's times from <paramref name="start"/> on, in order, in local time (a skipped one included).</summary>
    private static IEnumerable<DateTime> LocalTimes(ScheduleForm.Cron cron, DateTime start)
    {
        foreach (var year in cron.Years.Where(y => y >= start.Year))
        {
            foreach (var month in cron.Months.Where(m => year > start.Year || m >= start.Month))
            {
                for (var day = 1; day <= DateTime.DaysInMonth(year, month); day++)
                {
                    var date = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Unspecified);
                    if (date.AddDays(1) <= start || !cron.Days.Any(d => d.Matches(date)))
                    {
                        continue;
                    }
                    foreach (var hour in cron.Hours)
                    {
                        foreach (var minute in cron.Minutes)
                        {
                            var time = date.AddHours(hour).AddMinutes(minute);
                            if (time >= start)
                            {
                                yield return time;
                            }
                        }
                    }
                }
            }
        }
    }

    private static DateTimeOffset Utc(DateTime local, TimeZoneInfo zone) =>
        new(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone), TimeSpan.Zero);

    /// <summary>The schedule's time zone; UTC when it names none, or one this machine does not know (a rule reports that).</summary>
    private TimeZoneInfo Zone()
    {
        if (TimeZone is null)
        {
            return TimeZoneInfo.Utc;
        }
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(TimeZone.Value);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.Utc;
        }
    }
}

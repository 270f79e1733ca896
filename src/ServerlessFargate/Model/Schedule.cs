using ServerlessFargate.Diagnostics;

namespace ServerlessFargate.Model;

/// <summary>
/// A schedule expression, read once where the model is built: what it says (<see cref="Form"/>),
/// the expression as written and where (the template carries it unchanged, messages quote it),
/// and the time zone it is read in (null: UTC).
/// </summary>
public sealed partial record Schedule(Located<string> Expression, Located<string>? TimeZone, ScheduleForm Form)
{
    /// <param name="scheduler">
    /// For EventBridge Scheduler (the map form of <c>schedule</c>), which also takes one-time
    /// <c>at()</c> schedules; an EventBridge rule (the string form) does not.
    /// </param>
    public static Schedule Parse(Located<string> expression, Located<string>? timeZone, bool scheduler) =>
        new(expression, timeZone, ScheduleExpression.Parse(expression.Value, scheduler));
}

/// <summary>What a schedule expression says.</summary>
public abstract record ScheduleForm
{
    /// <summary><c>rate(5 minutes)</c>: every <paramref name="Interval"/>.</summary>
    public sealed record Rate(TimeSpan Interval) : ScheduleForm;

    /// <summary>
    /// <c>cron(0 9 ? * MON-FRI *)</c>: at each of the minutes and hours, on the days, in the months
    /// and years. <paramref name="Days"/> are the items of whichever day field is not <c>?</c>.
    /// </summary>
    public sealed record Cron(IReadOnlySet<int> Minutes, IReadOnlySet<int> Hours, IReadOnlyList<CronDay> Days,
        IReadOnlySet<int> Months, IReadOnlySet<int> Years) : ScheduleForm;

    /// <summary><c>at(2026-12-24T18:00:00)</c>: once, at that time in the schedule's time zone.</summary>
    public sealed record At(DateTime Local) : ScheduleForm;

    /// <summary>Not an expression AWS accepts: what is wrong, and the fixed expression where one fix is plain.</summary>
    public sealed record Invalid(string Message, string? Suggestion) : ScheduleForm;
}

/// <summary>One item of a cron's day-of-month or day-of-week field: the days it picks in a month.</summary>
public abstract record CronDay
{
    public abstract bool Matches(DateTime date);

    /// <summary><c>1,15</c>, <c>1-7</c>, <c>*</c> in day-of-month.</summary>
    public sealed record MonthDays(IReadOnlySet<int> Days) : CronDay
    {
        public override bool Matches(DateTime date) => Days.Contains(date.Day);
    }

    /// <summary><c>L</c> in day-of-month.</summary>
    public sealed record LastOfMonth : CronDay
    {
        public override bool Matches(DateTime date) => date.Day == DateTime.DaysInMonth(date.Year, date.Month);
    }

    /// <summary>
    /// <c>15W</c>: the weekday nearest the 15th, never in another month (the 1st, a Saturday,
    /// gives Monday the 3rd); <c>LW</c> (a null day): the month's last weekday.
    /// </summary>
    public sealed record NearestWeekday(int? Day) : CronDay
    {
        public override bool Matches(DateTime date)
        {
            var lastDay = DateTime.DaysInMonth(date.Year, date.Month);
            var target = Math.Min(Day ?? lastDay, lastDay);
            var nearest = new DateTime(date.Year, date.Month, target, 0, 0, 0, DateTimeKind.Unspecified).DayOfWeek switch
            {
                DayOfWeek.Saturday => target == 1 ? 3 : target - 1,
                DayOfWeek.Sunday => target == lastDay ? target - 2 : target + 1,
                _ => target,
            };
            return date.Day == nearest;
        }
    }

    /// <summary><c>MON-FRI</c>, <c>2,4</c>, <c>*</c> in day-of-week, counted from 1, Sunday; <c>L</c> alone is 7, Saturday.</summary>
    public sealed record WeekDays(IReadOnlySet<int> Days) : CronDay
    {
        public override bool Matches(DateTime date) => Days.Contains(WeekdayOf(date));
    }

    /// <summary><c>6L</c>: the month's last Friday.</summary>
    public sealed record LastWeekday(int Weekday) : CronDay
    {
        public override bool Matches(DateTime date) =>
            WeekdayOf(date) == Weekday && date.Day + 7 > DateTime.DaysInMonth(date.Year, date.Month);
    }

    /// <summary><c>MON#1</c>: the month's first Monday.</summary>
    public sealed record NthWeekday(int Weekday, int Nth) : CronDay
    {
        public override bool Matches(DateTime date) => WeekdayOf(date) == Weekday && (date.Day - 1) / 7 + 1 == Nth;
    }

    private static int WeekdayOf(DateTime date) => (int)date.DayOfWeek + 1;
}

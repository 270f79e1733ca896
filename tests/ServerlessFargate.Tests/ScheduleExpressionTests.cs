using ServerlessFargate.Model;

namespace ServerlessFargate.Tests;

public sealed class ScheduleExpressionTests
{
    [Theory]
    [InlineData("rate(1 minute)")]
    [InlineData("rate(5 minutes)")]
    [InlineData("rate(1 hour)")]
    [InlineData("rate(12 hours)")]
    [InlineData("rate(1 day)")]
    [InlineData("rate(7 days)")]
    [InlineData("cron(0 3 * * ? *)")]
    [InlineData("cron(0 9 ? * MON-FRI *)")]
    [InlineData("cron(15 10 ? * 6L 2026-2030)")]
    [InlineData("cron(0/15 * * * ? *)")]
    [InlineData("cron(0 18 ? * MON#1 *)")]
    [InlineData("cron(0 8 1,15 JAN,JUL ? *)")]
    [InlineData("cron(0 0 L * ? *)")]
    [InlineData("cron(0 0 LW * ? *)")]
    [InlineData("cron(0 0 15W * ? *)")]
    [InlineData("cron(*/5 8-17 ? * 2-6 *)")]
    public void Accepts_what_eventbridge_accepts(string expression) => Assert.Null(ScheduleExpression.Problem(expression));

    [Theory]
    [InlineData("rate(1 minutes)", "singular: `rate(1 minute)`")]
    [InlineData("rate(5 minute)", "plural: `rate(5 minutes)`")]
    [InlineData("rate(0 minutes)", "at least 1")]
    [InlineData("rate(5 weeks)", "`weeks` is not a rate unit")]
    [InlineData("rate(five minutes)", "not `rate(value unit)`")]
    [InlineData("cron(0 3 * * ?)", "has 5 (a Unix cron has no year field and no `?`)")]
    [InlineData("cron(0 3 * * * *)", "cannot both be given")]
    [InlineData("cron(0 3 ? * ? *)", "both `?`")]
    [InlineData("cron(60 3 * * ? *)", "minutes `60`: `60` is outside 0-59")]
    [InlineData("cron(0 24 * * ? *)", "hours `24`: `24` is outside 0-23")]
    [InlineData("cron(0 3 32 * ? *)", "outside 1-31")]
    [InlineData("cron(0 3 ? FOO * *)", "`FOO` is not a value for month")]
    [InlineData("cron(0 3 ? * MON-FUN *)", "`FUN` is not a value for day-of-week")]
    [InlineData("cron(0 3 ? * MON#6 *)", "1 to 5")]
    [InlineData("cron(0/0 3 * * ? *)", "step")]
    [InlineData("cron(0 ? * * ? *)", "only in day-of-month and day-of-week")]
    [InlineData("cron(0 3 * * ? 1969)", "outside 1970-2199")]
    [InlineData("every day", "a schedule is `rate(value unit)`")]
    [InlineData("0 3 * * *", "a schedule is")]
    public void Says_what_is_wrong(string expression, string expected)
    {
        var problem = ScheduleExpression.Problem(expression);

        Assert.NotNull(problem);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_expression_is_read_once_into_what_it_says()
    {
        static ScheduleForm Form(string expression, bool scheduler = true) =>
            Schedule.Parse(new Diagnostics.Located<string>(expression, default), null, scheduler).Form;

        Assert.Equal(new ScheduleForm.Rate(TimeSpan.FromMinutes(90)), Form("rate(90 minutes)"));
        Assert.Equal(new ScheduleForm.At(new DateTime(2026, 12, 24, 18, 0, 0, DateTimeKind.Unspecified)), Form("at(2026-12-24T18:00:00)"));
        var cron = Assert.IsType<ScheduleForm.Cron>(Form("cron(0/20 9-10 ? JAN,JUL MON-FRI 2027)"));
        Assert.Equal([0, 20, 40], cron.Minutes);
        Assert.Equal([9, 10], cron.Hours);
        Assert.Equal([2, 3, 4, 5, 6], Assert.IsType<CronDay.WeekDays>(Assert.Single(cron.Days)).Days);
        Assert.Equal([1, 7], cron.Months);
        Assert.Equal([2027], cron.Years);
        // An EventBridge rule (the string form of `schedule`) takes no at(); the fix is the map form.
        Assert.StartsWith("`at(...)` one-time schedules need the map form", Assert.IsType<ScheduleForm.Invalid>(Form("at(2026-12-24T18:00:00)", scheduler: false)).Message);
        Assert.Equal(new ScheduleForm.Invalid("with a value of 1 the unit is singular: `rate(1 minute)`", "rate(1 minute)"), Form("rate(1 minutes)"));
    }

    [Fact]
    public void Every_rate_unit_in_the_table_pairs_a_singular_with_a_plural()
    {
        Assert.Equal(ScheduleExpression.SingularUnits.Count, ScheduleExpression.PluralUnits.Count);
        foreach (var (singular, plural) in ScheduleExpression.SingularUnits.Zip(ScheduleExpression.PluralUnits))
        {
            Assert.Null(ScheduleExpression.Problem($"rate(1 {singular})"));
            Assert.Null(ScheduleExpression.Problem($"rate(2 {plural})"));
        }
    }

    [Fact]
    public void Every_cron_field_accepts_its_bounds_and_rejects_one_past_them()
    {
        var fields = ScheduleExpression.CronFields;
        for (var i = 0; i < fields.Count; i++)
        {
            foreach (var (value, valid) in new[] { (fields[i].Min, true), (fields[i].Max, true), (fields[i].Min - 1, false), (fields[i].Max + 1, false) })
            {
                var parts = new[] { "0", "0", "?", "*", "*", "*" };
                parts[i] = value.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (i == 4)
                {
                    parts[2] = "?";
                }
                if (i == 2)
                {
                    parts[4] = "?";
                }
                var expression = $"cron({string.Join(' ', parts)})";
                Assert.True((ScheduleExpression.Problem(expression) is null) == valid, $"{expression}: {ScheduleExpression.Problem(expression)}");
            }
        }
    }
}

using CsCheck;
using ServerlessFargate.Aws.Operations;
using ServerlessFargate.Cli;
using ServerlessFargate.Cli.Commands;
using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;
using ServerlessFargate.Variables;

namespace ServerlessFargate.Tests;

/// <summary>What users type to the operating commands: durations, times, commands, variables, task names.</summary>
public sealed class OperationInputTests
{
    private static readonly Gen<TimeSpan> Duration = Gen.Long[0, (long)Durations.Longest.TotalSeconds].Select(TimeSpan.FromSeconds);

    [Fact]
    public void Every_duration_formats_to_text_that_parses_back_to_it()
    {
        Duration.Sample(duration =>
        {
            var text = Durations.Format(duration);
            Assert.Equal(duration, Durations.Parse(text, out var problem));
            Assert.Null(problem);
        });
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("10m", 600)]
    [InlineData("2h", 7200)]
    [InlineData("1d", 86400)]
    [InlineData("1w", 604800)]
    [InlineData("1h30m", 5400)]
    [InlineData(" 5m ", 300)]
    public void Durations_read_as_users_write_them(string text, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Durations.Parse(text, out _));

    [Theory]
    [InlineData("", "a duration is a number and a unit")]
    [InlineData("10", "is not a duration")]
    [InlineData("10 m", "is not a duration")]
    [InlineData("-5m", "is not a duration")]
    [InlineData("5x", "is not a duration")]
    [InlineData("1.5h", "is not a duration")]
    [InlineData("99999999999999h", "is not a duration")]
    [InlineData("999999999w", "longer than 3650 days")]
    [InlineData("999999999d999999999d", "longer than 3650 days")]
    public void Bad_durations_say_what_a_duration_is(string text, string problem)
    {
        Assert.Null(Durations.Parse(text, out var message));
        Assert.Contains(problem, message);
    }

    [Fact]
    public void Any_text_as_a_duration_gives_a_duration_or_a_problem_and_never_throws()
    {
        Gen.String.Sample(text =>
        {
            var duration = Durations.Parse(text, out var problem);
            Assert.True(duration is { } d ? d >= TimeSpan.Zero && d <= Durations.Longest && problem is null : problem is not null);
            var since = Durations.ParseSince(text, DateTimeOffset.UtcNow, out problem);
            Assert.True(since is not null || problem is not null);
        });
    }

    [Fact]
    public void Since_takes_a_duration_ago_or_an_iso_time_in_utc()
    {
        var now = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(now.AddMinutes(-10), Durations.ParseSince("10m", now, out _));
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero), Durations.ParseSince("2026-11-27T10:00:00Z", now, out _));
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero), Durations.ParseSince("2026-11-27T10:00:00", now, out _));
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero), Durations.ParseSince("2026-11-27T10:00:00+01:00", now, out _));
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero), Durations.ParseSince("2026-11-26", now, out _));
        Assert.Null(Durations.ParseSince("yesterday", now, out var problem));
        Assert.Contains("neither a duration", problem);
    }

    [Fact]
    public void Any_list_of_words_quoted_and_joined_splits_back_into_the_same_words()
    {
        // Letters mixed with every character the shell treats specially.
        Gen.String[Gen.Char["ab1 '\"\\$*-\t"], 0, 12].Array[1, 6]
            .Sample(words =>
            {
                var line = string.Join(' ', words.Select(ShellWords.Quote));
                Assert.Equal(words, ShellWords.Split(line));
            });
    }

    [Fact]
    public void Words_with_any_characters_survive_quoting()
    {
        Gen.String.Array[1, 5].Sample(words =>
        {
            var line = string.Join(' ', words.Select(ShellWords.Quote));
            Assert.Equal(words, ShellWords.Split(line));
        });
    }

    [Theory]
    [InlineData("./migrate --to 'v 2'", new[] { "./migrate", "--to", "v 2" })]
    [InlineData("sh -c \"echo \\\"hi\\\" && exit 3\"", new[] { "sh", "-c", "echo \"hi\" && exit 3" })]
    [InlineData("a\\ b c", new[] { "a b", "c" })]
    [InlineData("  spaced   out  ", new[] { "spaced", "out" })]
    [InlineData("''", new[] { "" })]
    [InlineData("$HOME", new[] { "$HOME" })]
    public void Commands_split_as_a_shell_would_without_expanding_anything(string line, string[] words) =>
        Assert.Equal(words, ShellWords.Split(line));

    [Theory]
    [InlineData("echo 'open")]
    [InlineData("echo \"open")]
    public void An_unclosed_quote_in_a_command_is_a_usage_error(string line)
    {
        var error = Assert.Throws<OperationException>(() => ShellWords.Split(line));
        Assert.True(error.IsUsage);
        Assert.Contains("not closed", error.Message);
    }

    [Fact]
    public void Env_assignments_take_shell_variable_names_and_any_value_or_the_value_the_name_has_here()
    {
        static string? Here(string name) => name == "TOKEN" ? "s3cret" : null;
        Assert.Equal(KeyValuePair.Create("DRY_RUN", "1"), EnvironmentAssignment.Parse("DRY_RUN=1", Here));
        Assert.Equal(KeyValuePair.Create("URL", "a=b=c"), EnvironmentAssignment.Parse("URL=a=b=c", Here));
        Assert.Equal(KeyValuePair.Create("EMPTY", ""), EnvironmentAssignment.Parse("EMPTY=", Here));
        Assert.Equal(KeyValuePair.Create("TOKEN", "s3cret"), EnvironmentAssignment.Parse("TOKEN", Here));
        Assert.Contains("--env UNSET: UNSET is not set in this environment", Assert.Throws<UsageException>(() => EnvironmentAssignment.Parse("UNSET", Here)).Message);
        Assert.Contains("the name is missing", Assert.Throws<UsageException>(() => EnvironmentAssignment.Parse("=x", Here)).Message);
        Assert.Contains("is not a variable name", Assert.Throws<UsageException>(() => EnvironmentAssignment.Parse("1X=y", Here)).Message);
        Assert.Contains("is not a variable name", Assert.Throws<UsageException>(() => EnvironmentAssignment.Parse("A-B=y", Here)).Message);

        // Whatever comes before it, a value is never in the message.
        Gen.String.Sample(prefix =>
        {
            var text = prefix + "=hunter2";
            try
            {
                var (name, value) = EnvironmentAssignment.Parse(text, Here);
                Assert.Equal(text, name + "=" + value);
            }
            catch (UsageException ex)
            {
                Assert.StartsWith("--env", ex.Message);
                Assert.DoesNotContain("hunter2", ex.Message);
            }
        });
    }

    [Fact]
    public void An_env_file_takes_the_dotenv_lines_tools_agree_on()
    {
        var file = """
            # comments, blank lines and export are taken

            export PLAIN=a plain value
              INDENTED=1
            EMPTY=
            DOUBLE="line 1\nline 2\t\"quoted\" \\ # not a comment"  # a comment
            SINGLE='$HOME and \n as written'
            URL=https://example.com/a#fragment
            PLAIN=later wins
            """ + "\n\tTABBED=1\r\nCRLF=windows\r\n";

        var variables = EnvironmentFile.Parse(file, "run.env");

        Assert.Equal(
            [("PLAIN", "a plain value"), ("INDENTED", "1"), ("EMPTY", ""), ("DOUBLE", "line 1\nline 2\t\"quoted\" \\ # not a comment"),
                ("SINGLE", "$HOME and \\n as written"), ("URL", "https://example.com/a#fragment"), ("PLAIN", "later wins"), ("TABBED", "1"), ("CRLF", "windows")],
            variables.Select(v => (v.Key, v.Value)));
    }

    [Theory]
    [InlineData("hunter2", "not NAME=VALUE, a comment (#) or a blank line")]
    [InlineData("DB-PASSWORD=hunter2", "the text before `=` is not a variable name")]
    [InlineData("DB_PASSWORD =hunter2", "a space before `=`")]
    [InlineData("DB_PASSWORD= hunter2", "a space after `=`")]
    [InlineData("DB_PASSWORD=hunter2 # rotated monthly", "` #` in an unquoted value")]
    [InlineData("DB_PASSWORD=hun\"ter2", "a quote inside an unquoted value")]
    [InlineData("DB_PASSWORD=hunter2$", "`$` in an unquoted value")]
    [InlineData("DB_PASSWORD=\"hunter2$\"", "`$` in double quotes")]
    [InlineData("DB_PASSWORD=\"hunter2", "the double quote is not closed on its line")]
    [InlineData("DB_PASSWORD=\"hunter2\\", "the double quote is not closed on its line")]
    [InlineData("DB_PASSWORD='hunter2", "the single quote is not closed on its line")]
    [InlineData("DB_PASSWORD=\"hunter2\" trailing", "text after the closing quote")]
    [InlineData("DB_PASSWORD=\"hun\\qter2\"", "a backslash in double quotes that starts none of")]
    public void An_env_file_line_tools_read_differently_is_refused_by_file_and_line_without_its_value(string line, string problem)
    {
        var error = Assert.Throws<UsageException>(() => EnvironmentFile.Parse("# secrets\nOK=1\n" + line + "\n", "secrets.env"));

        Assert.StartsWith("secrets.env:3: ", error.Message);
        Assert.Contains(problem, error.Message);
        Assert.DoesNotContain("hunter2", error.Message);
        Assert.DoesNotContain("ter2", error.Message);
    }

    [Theory]
    [InlineData("--env", "DB-PASSWORD=hunter2")]
    [InlineData("--env", "postgres://app:hunter2@db/app?sslmode=require")]
    [InlineData("--env", "=hunter2")]
    [InlineData("--env", "DB_PASSWORD hunter2")]
    [InlineData("--env", "HUNTER_UNSET")]
    [InlineData("--env-file", "DB_PASSWORD=hunter2 # rotated")]
    [InlineData("--env-file", "DB_PASSWORD=\"hunter2")]
    [InlineData("--env-file", "hunter2")]
    [InlineData("--env-file", "/proc/self/environ")]
    [InlineData("--env-file", "no-such.env")]
    [InlineData("--env-file", "huge.env")]
    public void Run_refuses_a_bad_variable_with_125_and_never_prints_its_value(string option, string given)
    {
        // Given a service, and a file of that line (or a path the file option names as it is)
        var folder = Directory.CreateTempSubdirectory("sls-fargate-env-");
        File.WriteAllText(Path.Combine(folder.FullName, "serverless.yml"), Configs.OneTask);
        var argument = given;
        if (option == "--env-file" && given.Contains("hunter2", StringComparison.Ordinal))
        {
            File.WriteAllText(Path.Combine(folder.FullName, "run.env"), "OK=1\n" + given + "\n");
            argument = "run.env";
        }
        using (var huge = File.Create(Path.Combine(folder.FullName, "huge.env")))
        {
            // Sparse: larger than the cap without writing it.
            huge.SetLength(InputFile.MaxBytes + 1);
        }

        // When run is given it
        var run = CliRunner.Run(folder.FullName, "run", "worker", option, argument);
        folder.Delete(recursive: true);

        // Then one line says what is wrong, and the value is nowhere
        Assert.Equal(ExitCodes.RunFailed, run.ExitCode);
        Assert.StartsWith("sls-fargate: ", run.Error);
        Assert.Single(run.Error.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain("hunter2", run.Output);
        Assert.Empty(run.Out);
    }

    [Fact]
    public void A_task_is_found_by_key_or_name_and_an_unknown_one_gets_a_did_you_mean()
    {
        var model = Engine.ValidateText("""
            service: s
            provider: { name: aws }
            fargate:
              vpc: { subnetIds: [subnet-0123456789abcdef0] }
              tasks:
                migrate: { image: busybox, name: db-migrate }
                worker: { image: busybox }
            """, new EngineOptions(null, null, _ => null)).Model!;

        Assert.Equal("migrate", DeployedService.FindTask(model, "migrate").Key);
        Assert.Equal("migrate", DeployedService.FindTask(model, "db-migrate").Key);
        Assert.Contains("did you mean `worker`?", Assert.Throws<OperationException>(() => DeployedService.FindTask(model, "workr")).Message);
        Assert.Contains("the tasks are migrate, worker", Assert.Throws<OperationException>(() => DeployedService.FindTask(model, "zzzzzzzz")).Message);
        Gen.String.Sample(name =>
        {
            try
            {
                Assert.Contains(DeployedService.FindTask(model, name).Key, new[] { "migrate", "worker" });
            }
            catch (OperationException ex)
            {
                Assert.True(ex.IsUsage);
            }
        });
    }
}

/// <summary>When schedules fire: next, as <c>status</c> shows them, and how often a month, as <c>cost</c> counts.</summary>
public sealed class ScheduleTimesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 18, 0, 0, TimeSpan.Zero);

    private static Schedule Parse(string expression, string? zone = null) =>
        Model.Schedule.Parse(new Located<string>(expression, default), zone is null ? null : new Located<string>(zone, default), scheduler: true);

    private static string[] Next(string expression, string? zone = null, DateTimeOffset? after = null) =>
        [.. Parse(expression, zone).Next(after ?? Now, 3).Select(t => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm ddd", System.Globalization.CultureInfo.InvariantCulture))];

    [Theory]
    [InlineData("cron(0 3 * * ? *)", "2026-11-28 03:00 Sat", "2026-11-29 03:00 Sun", "2026-11-30 03:00 Mon")]
    [InlineData("cron(*/20 18 * * ? *)", "2026-11-27 18:20 Fri", "2026-11-27 18:40 Fri", "2026-11-28 18:00 Sat")]
    [InlineData("cron(15 10 ? * MON-FRI *)", "2026-11-30 10:15 Mon", "2026-12-01 10:15 Tue", "2026-12-02 10:15 Wed")]
    [InlineData("cron(0 0 L * ? *)", "2026-11-30 00:00 Mon", "2026-12-31 00:00 Thu", "2027-01-31 00:00 Sun")]
    [InlineData("cron(0 9 ? * 6L *)", "2026-12-25 09:00 Fri", "2027-01-29 09:00 Fri", "2027-02-26 09:00 Fri")]
    [InlineData("cron(0 9 ? * 2#1 *)", "2026-12-07 09:00 Mon", "2027-01-04 09:00 Mon", "2027-02-01 09:00 Mon")]
    [InlineData("cron(0 12 1W * ? *)", "2026-12-01 12:00 Tue", "2027-01-01 12:00 Fri", "2027-02-01 12:00 Mon")]
    [InlineData("cron(0 12 LW * ? *)", "2026-11-30 12:00 Mon", "2026-12-31 12:00 Thu", "2027-01-29 12:00 Fri")]
    [InlineData("cron(0 0 1 JAN,JUL ? 2027-2028)", "2027-01-01 00:00 Fri", "2027-07-01 00:00 Thu", "2028-01-01 00:00 Sat")]
    [InlineData("rate(5 minutes)", "2026-11-27 18:05 Fri", "2026-11-27 18:10 Fri", "2026-11-27 18:15 Fri")]
    [InlineData("rate(1 day)", "2026-11-28 18:00 Sat", "2026-11-29 18:00 Sun", "2026-11-30 18:00 Mon")]
    public void Expressions_fire_when_eventbridge_would_fire_them(string expression, params string[] expected) =>
        Assert.Equal(expected, Next(expression));

    [Fact]
    public void A_time_zone_moves_the_runs_and_follows_daylight_saving()
    {
        // 09:00 in New York is 14:00 UTC in winter and 13:00 UTC in summer (from 8 March 2026).
        Assert.Equal(["2026-11-28 14:00 Sat", "2026-11-29 14:00 Sun", "2026-11-30 14:00 Mon"], Next("cron(0 9 * * ? *)", "America/New_York"));
        Assert.Equal(["2026-03-07 14:00 Sat", "2026-03-08 13:00 Sun", "2026-03-09 13:00 Mon"],
            Next("cron(0 9 * * ? *)", "America/New_York", new DateTimeOffset(2026, 3, 7, 0, 0, 0, TimeSpan.Zero)));
        // 02:30 does not exist in New York on 8 March 2026: that day has no run.
        Assert.Equal(["2026-03-07 07:30 Sat", "2026-03-09 06:30 Mon", "2026-03-10 06:30 Tue"],
            Next("cron(30 2 * * ? *)", "America/New_York", new DateTimeOffset(2026, 3, 7, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void A_one_time_schedule_fires_once_if_it_is_still_ahead()
    {
        Assert.Equal(["2026-12-24 17:00 Thu"], Next("at(2026-12-24T18:00:00)", "Europe/Berlin"));
        Assert.Empty(Next("at(2025-12-24T18:00:00)"));
    }

    [Theory]
    // A rate counts AWS's pricing month of 730 hours, whatever the calendar month.
    [InlineData("rate(1 hour)", null, 2027, 2, 730)]
    [InlineData("rate(5 minutes)", null, 2027, 2, 8760)]
    [InlineData("rate(1 minute)", null, 2027, 3, 43800)]
    [InlineData("rate(6 hours)", null, 2027, 3, 121.667)]
    [InlineData("rate(1 day)", null, 2027, 3, 30.417)]
    [InlineData("rate(7 days)", null, 2027, 3, 4.345)]
    // A cron counts its runs in that calendar month, in its time zone.
    [InlineData("cron(0 3 * * ? *)", "Europe/London", 2027, 1, 31)]
    [InlineData("cron(0 3 * * ? *)", "Europe/London", 2027, 2, 28)]
    [InlineData("cron(0 3 * * ? *)", "Europe/London", 2028, 2, 29)]
    [InlineData("cron(30 1 * * ? *)", "Europe/London", 2027, 3, 30)] // 01:30 is skipped on 28 March 2027
    [InlineData("cron(0 9 ? * MON-FRI *)", null, 2027, 3, 23)]
    [InlineData("cron(0 9 ? * MON-FRI *)", "America/New_York", 2027, 2, 20)]
    [InlineData("cron(0/15 * * * ? *)", null, 2027, 4, 2880)]
    [InlineData("cron(0 0 1 1 ? 2020)", null, 2027, 1, 0)]
    // An at() runs once, in its own month of its time zone (22:30 UTC on 31 March is April in Berlin).
    [InlineData("at(2027-03-10T12:00:00)", null, 2027, 3, 1)]
    [InlineData("at(2027-03-10T12:00:00)", null, 2027, 4, 0)]
    [InlineData("at(2027-04-01T00:30:00)", "Europe/Berlin", 2027, 4, 1)]
    [InlineData("rate(1 minutes)", null, 2027, 3, 0)]
    public void Runs_per_month_count_a_pricing_month_for_rates_and_the_calendar_for_crons(string expression, string? zone, int year, int month, double runs) =>
        Assert.Equal(runs, Parse(expression, zone).RunsPerMonth(year, month), precision: 3);

    [Fact]
    public void A_cron_that_never_fires_gives_no_times_quickly()
    {
        Assert.Empty(Next("cron(0 0 30 2 ? *)"));
        Assert.Empty(Next("cron(0 0 1 1 ? 2020)"));
    }

    [Fact]
    public void Every_valid_cron_gives_times_in_order_after_now()
    {
        static Gen<string> Pick(params string[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);
        Gen.Select(Pick("0", "*/10", "30", "1,2"), Pick("*", "3", "0-6/2"), Pick("*", "1", "L", "15W", "LW"), Pick("*", "JAN-JUN", "2,11"))
            .Sample((minute, hour, day, month) =>
            {
                var expression = $"cron({minute} {hour} {day} {month} ? *)";
                var times = Parse(expression).Next(Now, 3);
                Assert.Equal(3, times.Count);
                Assert.True(times[0] > Now);
                Assert.True(times[0] < times[1] && times[1] < times[2], expression);
            });
    }
}

using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ServerlessFargate.Model;

/// <summary>
/// Durations as users write them (<c>90s</c>, <c>10m</c>, <c>2h</c>, <c>1d</c>, <c>1w</c>, and
/// sums such as <c>1h30m</c>): a task's <c>estimatedDuration</c>, and the commands' options.
/// </summary>
public static partial class DurationText
{
    /// <summary>Ten years: longer than any log retention, short enough that no sum overflows.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(3650);

    [GeneratedRegex(@"\G(\d{1,9})([smhdw])", RegexOptions.CultureInvariant)]
    private static partial Regex Part();

    /// <summary>The duration, or null with <paramref name="problem"/> saying what is wrong.</summary>
    public static TimeSpan? Parse(string text, out string? problem)
    {
        problem = null;
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            problem = "a duration is a number and a unit, e.g. 90s, 10m, 2h, 1d or 1h30m";
            return null;
        }
        var total = TimeSpan.Zero;
        var position = 0;
        foreach (Match match in Part().Matches(trimmed))
        {
            var amount = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            var unitSeconds = match.Groups[2].Value switch
            {
                "s" => 1,
                "m" => 60,
                "h" => 3600,
                "d" => 86_400,
                _ => 604_800,
            };
            // Nine digits of hours are past what TimeSpan holds: cut each part just above the
            // longest duration taken, so the check below says so instead of an overflow.
            var part = TimeSpan.FromSeconds(Math.Min((double)amount * unitSeconds, Longest.TotalSeconds + 1));
            total += part;
            position = match.Index + match.Length;
            if (total > Longest)
            {
                problem = $"`{text}` is longer than {Longest.Days} days";
                return null;
            }
        }
        if (position != trimmed.Length)
        {
            problem = $"`{text}` is not a duration: use a number and a unit (s, m, h, d, w), e.g. 90s, 10m, 2h or 1h30m";
            return null;
        }
        return total;
    }

    /// <summary>The shortest form <see cref="Parse"/> reads back: 1h30m, 45s, 2d.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return "0s";
        }
        var text = new StringBuilder();
        void Add(long amount, char unit)
        {
            if (amount > 0)
            {
                text.Append(amount.ToString(CultureInfo.InvariantCulture)).Append(unit);
            }
        }
        Add(duration.Days, 'd');
        Add(duration.Hours, 'h');
        Add(duration.Minutes, 'm');
        Add(duration.Seconds, 's');
        return text.Length == 0 ? "0s" : text.ToString();
    }
}

using System.Globalization;
using ServerlessFargate.Model;

namespace ServerlessFargate.Aws.Operations;

/// <summary>
/// Durations as the commands take them (<c>90s</c>, <c>10m</c>, <c>2h</c>, <c>1d</c>, <c>1w</c>,
/// and sums such as <c>1h30m</c>), and points in time (a duration ago, or an ISO-8601 date).
/// </summary>
public static class Durations
{
    /// <summary>The longest duration read (<see cref="DurationText.Longest"/>).</summary>
    public static TimeSpan Longest => DurationText.Longest;

    /// <summary>The duration, or null with <paramref name="problem"/> saying what is wrong (<see cref="DurationText.Parse"/>).</summary>
    public static TimeSpan? Parse(string text, out string? problem) => DurationText.Parse(text, out problem);

    /// <summary>
    /// A point in time: a duration before <paramref name="now"/> (<c>10m</c>), or an ISO-8601
    /// date or time (<c>2026-11-27</c>, <c>2026-11-27T10:00:00Z</c>; without an offset, UTC).
    /// </summary>
    public static DateTimeOffset? ParseSince(string text, DateTimeOffset now, out string? problem)
    {
        if (Parse(text, out problem) is { } ago)
        {
            return now - ago;
        }
        if (text.Length >= 10 && char.IsAsciiDigit(text[0]) && text[4] == '-'
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            problem = null;
            return time;
        }
        problem = $"`{text}` is neither a duration (10m, 2h, 1d) nor an ISO-8601 time (2026-11-27T10:00:00Z)";
        return null;
    }

    /// <summary>The shortest form <see cref="Parse"/> reads back: 1h30m, 45s, 2d.</summary>
    public static string Format(TimeSpan duration) => DurationText.Format(duration);
}

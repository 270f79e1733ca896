using System.Globalization;
using System.Text.RegularExpressions;

using ServerlessFargate.Variables;

namespace ServerlessFargate.Model;

/// <summary>
/// Task memory as ECS takes it: MiB as digits (<c>512</c>) or GB with an optional space
/// (<c>0.5GB</c>, <c>2 GB</c>). The template keeps the user's text, so a stack made by the
/// reference plugin sees no change; the MiB value is used for the cpu/memory rule.
/// </summary>
public static partial class MemorySize
{
    [GeneratedRegex(@"^(?<mib>[0-9]+)$|^(?<gb>[0-9]+(\.[0-9]+)?) ?GB$")]
    private static partial Regex Pattern();

    /// <summary>MiB, or null when the text is not a size ECS accepts.</summary>
    public static int? ParseMiB(string text)
    {
        var match = Pattern().Match(text);
        if (!match.Success)
        {
            return null;
        }
        if (match.Groups["mib"].Success)
        {
            return int.TryParse(match.Groups["mib"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var mib) ? mib : null;
        }
        var gb = decimal.Parse(match.Groups["gb"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        var value = gb * 1024;
        return value == decimal.Truncate(value) && value <= int.MaxValue ? (int)value : null;
    }
}

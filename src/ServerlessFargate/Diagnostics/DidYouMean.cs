namespace ServerlessFargate.Diagnostics;

/// <summary>Did-you-mean suggestions for keys, values, names, commands and options.</summary>
public static class DidYouMean
{
    private const int MaxLength = 128;

    /// <summary>
    /// The known name closest to <paramref name="name"/> (case aside), if it is close enough to be
    /// a typo of it: within a third of its length, 1 to 3 edits. Long input gets no suggestion,
    /// so a hostile value cannot make the comparison slow.
    /// </summary>
    public static string? Closest(string name, IEnumerable<string> known)
    {
        if (name.Length > MaxLength)
        {
            return null;
        }
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            if (string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
            var distance = Levenshtein(name.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best is not null && bestDistance <= Math.Max(1, Math.Min(3, name.Length / 3)) ? best : null;
    }

    private static int Levenshtein(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}

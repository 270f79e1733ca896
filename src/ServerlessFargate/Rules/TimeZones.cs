namespace ServerlessFargate.Rules;

/// <summary>The IANA time zone names in time-zones.txt, which EventBridge Scheduler accepts.</summary>
public static class TimeZones
{
    private static readonly Lazy<HashSet<string>> All = new(() =>
    {
        using var stream = typeof(TimeZones).Assembly.GetManifestResourceStream("time-zones.txt")!;
        using var reader = new StreamReader(stream);
        return [.. reader.ReadToEnd().Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))];
    });

    public static IReadOnlyCollection<string> Names => All.Value;

    public static bool Contains(string name) => All.Value.Contains(name);
}

using System.Globalization;
using System.Text.Json.Nodes;

namespace ServerlessFargate.Cost;

/// <summary>What is charged by the hour, one rate each (names as in <c>prices/*.json</c>).</summary>
public enum Rate
{
    X86VcpuHour,
    X86GbHour,
    ArmVcpuHour,
    ArmGbHour,
    EphemeralStorageGbHour,
    PublicIpv4Hour,
    LoadBalancerHour,
    LoadBalancerLcuHour,
}

/// <summary>One rate in US dollars, with the AWS page it comes from, when it was read, and the summary it was read in.</summary>
public sealed record PriceFact(decimal Price, string Page, DateOnly Seen, string? Via);

/// <summary>AWS's stated Fargate Spot discount, as a fraction of the on-demand price, and where it is stated.</summary>
public sealed record SpotDiscount(decimal Fraction, string Claim, string Page, DateOnly Seen);

/// <summary>
/// One region's prices, from its own file in <c>Cost/prices/</c>. A file per region so that each
/// region is added and reviewed with its sources as one unit, and so that no lookup can fall
/// through to another region: a rate the region's file lacks is missing (<see cref="Get"/> is
/// null), never another region's number.
/// </summary>
public sealed record PriceList(string Region, string Currency, DateOnly PricesAsOf, IReadOnlyDictionary<Rate, PriceFact> Rates,
    SpotDiscount? Spot, int MinimumBilledSeconds, int IncludedEphemeralStorageGb)
{
    private const string Folder = "prices/";

    private static readonly Lazy<Dictionary<string, PriceList>> All = new(Load);

    /// <summary>The regions there are prices for, in order.</summary>
    public static IReadOnlyList<string> Regions => [.. All.Value.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The region's prices, or null when sls-fargate has none for it.</summary>
    public static PriceList? For(string region) => All.Value.GetValueOrDefault(region);

    public decimal? Get(Rate rate) => Rates.TryGetValue(rate, out var fact) ? fact.Price : null;

    private static Dictionary<string, PriceList> Load()
    {
        var assembly = typeof(PriceList).Assembly;
        var lists = new Dictionary<string, PriceList>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Folder, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            var list = Parse(JsonNode.Parse(stream)!.AsObject());
            if (name != $"{Folder}{list.Region}.json")
            {
                throw new InvalidOperationException($"{name} holds the prices of {list.Region}: a region's file is named for it");
            }
            lists[list.Region] = list;
        }
        return lists;
    }

    internal static PriceList Parse(JsonObject file)
    {
        var rates = new Dictionary<Rate, PriceFact>();
        foreach (var (key, value) in file["rates"]!.AsObject())
        {
            var rate = Enum.Parse<Rate>(key, ignoreCase: true);
            rates[rate] = new PriceFact(value!["price"]!.GetValue<decimal>(), value["page"]!.GetValue<string>(), Date(value["seen"]!),
                value["via"]?.GetValue<string>());
        }
        var spot = file["spot"] is JsonObject s
            ? new SpotDiscount(s["discount"]!.GetValue<decimal>(), s["claim"]!.GetValue<string>(), s["page"]!.GetValue<string>(), Date(s["seen"]!))
            : null;
        var billing = file["billing"]!;
        return new PriceList(file["region"]!.GetValue<string>(), file["currency"]!.GetValue<string>(), Date(file["pricesAsOf"]!), rates, spot,
            billing["minimumSeconds"]!.GetValue<int>(), billing["includedEphemeralStorageGb"]!.GetValue<int>());
    }

    private static DateOnly Date(JsonNode node) => DateOnly.ParseExact(node.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture);
}

namespace ServerlessFargate.Cost;

/// <summary>
/// A month's estimate: one item per task, the load balancer, and what is not estimated. A
/// <see cref="CostItem.Monthly"/> of null is a cost that could not be worked out (a duration or
/// a rate missing, runs nobody can count), left out of <see cref="MonthlyTotal"/> and said why.
/// </summary>
public sealed record CostEstimate(string Region, string Currency, DateOnly? PricesAsOf, decimal? MonthlyTotal,
    IReadOnlyList<CostItem> Items, IReadOnlyList<string> NotIncluded);

/// <param name="Name">The task's key, or <c>loadBalancer</c>.</param>
/// <param name="Monthly">US dollars a month of 730 hours, to the cent; null when unknown.</param>
/// <param name="MonthlyMax">With autoscaling, the month at the maximum task count.</param>
/// <param name="Hourly">US dollars an hour while it runs (every task of a service; one run of a scheduled task).</param>
/// <param name="Assumptions">What the figures rest on, in words, each a sentence a user can check.</param>
public sealed record CostItem(string Name, decimal? Monthly, decimal? MonthlyMax, decimal? Hourly, IReadOnlyList<string> Assumptions);

/// <summary>What a task's runs took, measured on the deployed stack (<c>cost --measured</c>).</summary>
/// <param name="Runs">How many runs were measured.</param>
/// <param name="Mean">Their mean billed time.</param>
/// <param name="How">Where they were measured, for the item's assumptions ("2 from ECS, 5 from log streams").</param>
public sealed record MeasuredRuns(int Runs, TimeSpan Mean, string How);

/// <summary>
/// What the configuration does not say: durations from <c>--duration</c> (by task key), durations
/// measured on the deployed stack, and the time from which a cron's runs are counted.
/// </summary>
public sealed record CostInputs(IReadOnlyDictionary<string, TimeSpan> Durations, IReadOnlyDictionary<string, MeasuredRuns> Measured, DateTimeOffset Now)
{
    /// <summary>Runs a month that a task's events start (<c>cost --runs TASK=N</c>), by task key: the configuration cannot know how many events arrive.</summary>
    public IReadOnlyDictionary<string, double> EventRuns { get; init; } = new Dictionary<string, double>();

    public static CostInputs At(DateTimeOffset now) => new(new Dictionary<string, TimeSpan>(), new Dictionary<string, MeasuredRuns>(), now);
}

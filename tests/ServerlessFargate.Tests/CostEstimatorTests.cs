using ServerlessFargate.Cost;
using ServerlessFargate.Model;

namespace ServerlessFargate.Tests;

/// <summary>
/// `cost` against figures worked out by hand from the us-east-1 rates in Cost/prices/us-east-1.json
/// (x86 $0.04048 per vCPU-hour and $0.004445 per GB-hour, ARM $0.03238 and $0.00356, storage
/// $0.000111 per GB-hour, public IPv4 $0.005 an hour, ALB $0.0225 an hour and $0.008 per LCU-hour,
/// Spot 70% off), for a month of 730 hours. Each test's comment shows the sum.
/// </summary>
public sealed class CostEstimatorTests
{
    /// <summary>A fixed day, so that cron counts do not move with the calendar.</summary>
    private static readonly DateTimeOffset Now = new(2027, 3, 15, 12, 0, 0, TimeSpan.Zero);

    private static ServiceModel Model(string tasks, string region = "us-east-1", string fargate = "")
    {
        var yaml = $"""
            service: costs
            provider:
              name: aws
              region: {region}
            fargate:
              vpc:
                subnetIds: [subnet-0123456789abcdef0]
            {Indent(fargate, 2)}
              tasks:
            {Indent(tasks, 4)}
            """;
        var result = Engine.ValidateText(yaml, new EngineOptions(Environment: _ => null));
        Assert.True(result.Model is not null && result.Succeeded, string.Join("\n", result.Diagnostics.Select(d => d.Message)));
        return result.Model!;
    }

    private static string Indent(string text, int spaces) =>
        string.Join("\n", text.Split('\n').Select(l => l.Length == 0 ? l : new string(' ', spaces) + l));

    private static CostEstimate Estimate(ServiceModel model, params (string Task, string Duration)[] durations) =>
        CostEstimator.Estimate(model, CostInputs.At(Now) with
        {
            Durations = durations.ToDictionary(d => d.Task, d => DurationText.Parse(d.Duration, out _)!.Value),
        });

    private static CostItem Item(CostEstimate estimate, string name) => Assert.Single(estimate.Items, i => i.Name == name);

    [Fact]
    public void An_x86_service_costs_its_tasks_size_around_the_clock()
    {
        // 2 tasks × (1 vCPU × 0.04048 + 2 GB × 0.004445) = 0.09874 an hour; × 730 = 72.0802
        var estimate = Estimate(Model("""
            api:
              image: public.ecr.aws/docker/library/nginx:1.27
              cpu: 1024
              memory: 2GB
              architecture: X86_64
              service: {desiredCount: 2}
            """));

        var api = Item(estimate, "api");
        Assert.Equal(72.08m, api.Monthly);
        Assert.Equal(0.09874m, api.Hourly);
        Assert.Null(api.MonthlyMax);
        Assert.Equal(72.08m, estimate.MonthlyTotal);
        Assert.Contains("2 tasks around the clock (desiredCount)", api.Assumptions);
    }

    [Fact]
    public void An_arm_task_is_priced_at_the_arm_rates()
    {
        // 0.5 vCPU × 0.03238 + 1 GB × 0.00356 = 0.01975 an hour; × 730 = 14.4175
        var estimate = Estimate(Model("""
            arm:
              image: public.ecr.aws/docker/library/nginx:1.27
              cpu: 512
              memory: 1GB
              architecture: ARM64
            """));

        Assert.Equal(14.42m, Item(estimate, "arm").Monthly);
        Assert.Contains("0.5 vCPU, 1 GB, Linux/ARM64, us-east-1 prices", Item(estimate, "arm").Assumptions);
    }

    [Fact]
    public void Spot_takes_the_stated_discount_and_says_it_is_an_estimate()
    {
        // 2 tasks × (0.25 × 0.04048 + 0.5 × 0.004445) × 0.3 = 0.0074055 an hour; × 730 = 5.406015
        var estimate = Estimate(Model("""
            worker:
              image: public.ecr.aws/docker/library/busybox:1.36
              spot: true
              service: {desiredCount: 2}
            """));

        var worker = Item(estimate, "worker");
        Assert.Equal(5.41m, worker.Monthly);
        var note = Assert.Single(worker.Assumptions, a => a.Contains("FARGATE_SPOT", StringComparison.Ordinal));
        Assert.Contains("70%", note);
        Assert.Contains("this is an estimate", note);
        Assert.Contains("https://aws.amazon.com/fargate/pricing/, seen 2026-12-02", note);
    }

    [Fact]
    public void A_spot_strategy_with_a_base_prices_each_share_at_its_rate_and_the_fallback_twin_at_zero()
    {
        // 3 tasks, base 1, then 1:1: 2 on demand and 1 on Spot. One task is 0.0123425 an hour:
        // 2 × 0.0123425 + 1 × 0.0123425 × 0.3 = 0.02838775; × 730 = 20.7230575
        var estimate = Estimate(Model("""
            worker:
              image: public.ecr.aws/docker/library/busybox:1.36
              spot: {onDemandBase: 1, onDemandWeight: 1, spotWeight: 1, fallback: true}
              service: {desiredCount: 3}
            """));

        var worker = Item(estimate, "worker");
        Assert.Equal(20.72m, worker.Monthly);
        Assert.Contains(worker.Assumptions, a => a.StartsWith("1 of 3 tasks on FARGATE_SPOT", StringComparison.Ordinal));
        // The twin runs the same 3 tasks on demand only while Spot has no capacity: 3 × 0.0123425
        Assert.Contains("spot.fallback: the on-demand twin runs only while Fargate Spot has no capacity, so it is counted as 0; while it runs it adds $0.0370 an hour", worker.Assumptions);
    }

    [Fact]
    public void A_task_started_by_events_is_priced_by_the_runs_given_and_otherwise_left_out_never_free()
    {
        // 0.25 vCPU × 0.04048 + 0.5 GB × 0.004445 = 0.0123425 an hour.
        // transcode: 600 runs × 10 minutes = 100 hours → 1.23425.
        // nightly: rate(1 day) = 730 / 24 = 30.4167 runs × 1 hour → 0.375418; its events add 0 (no --runs).
        var model = Model("""
            transcode:
              image: public.ecr.aws/docker/library/busybox:1.36
              events:
                - eventBridge: {pattern: {source: [media.app]}}
            nightly:
              image: public.ecr.aws/docker/library/busybox:1.36
              schedule: rate(1 day)
              events:
                - eventBridge: {pattern: {source: [media.app]}}
            """);
        var inputs = CostInputs.At(Now) with
        {
            Durations = new Dictionary<string, TimeSpan> { ["transcode"] = TimeSpan.FromMinutes(10), ["nightly"] = TimeSpan.FromHours(1) },
        };

        var unknown = CostEstimator.Estimate(model, inputs);
        Assert.Null(Item(unknown, "transcode").Monthly);
        Assert.Contains(Item(unknown, "transcode").Assumptions, a => a.Contains("give `--runs transcode=N`", StringComparison.Ordinal));
        Assert.Equal(0.38m, Item(unknown, "nightly").Monthly);
        Assert.Contains(Item(unknown, "nightly").Assumptions, a => a.StartsWith("runs its event rule start are not counted", StringComparison.Ordinal));
        Assert.Equal(0.38m, unknown.MonthlyTotal);

        var given = CostEstimator.Estimate(model, inputs with { EventRuns = new Dictionary<string, double> { ["transcode"] = 600, ["nightly"] = 60 } });
        Assert.Equal(1.23m, Item(given, "transcode").Monthly);
        Assert.Contains("its event rule: 600 runs a month (--runs)", Item(given, "transcode").Assumptions);
        // nightly: (30.4167 + 60) runs × 1 hour × 0.0123425 = 1.11596
        Assert.Equal(1.12m, Item(given, "nightly").Monthly);
        Assert.Equal(2.35m, given.MonthlyTotal);
    }

    [Theory]
    [InlineData("999999999h")]
    [InlineData("999999999s999999999w")]
    [InlineData("3651d")]
    public void A_duration_past_ten_years_is_refused_in_words_not_an_overflow(string text)
    {
        Assert.Null(DurationText.Parse(text, out var problem));
        Assert.Contains("is longer than 3650 days", problem);
    }

    [Fact]
    public void Ephemeral_storage_above_the_free_20_GB_and_a_public_address_are_added()
    {
        // 0.0123425 + 30 GB × 0.000111 = 0.0156725 an hour; × 730 = 11.440925
        // 0.0123425 + 0.005 = 0.0173425 an hour; × 730 = 12.660025
        var estimate = Estimate(Model("""
            disk:
              image: public.ecr.aws/docker/library/busybox:1.36
              ephemeralStorage: 50
            public:
              image: public.ecr.aws/docker/library/busybox:1.36
              vpc: {assignPublicIp: true}
            """));

        Assert.Equal(11.44m, Item(estimate, "disk").Monthly);
        Assert.Contains("ephemeralStorage 50 GB: 30 GB above the 20 GB Fargate includes", Item(estimate, "disk").Assumptions);
        Assert.Equal(12.66m, Item(estimate, "public").Monthly);
        Assert.Contains("a public IPv4 address per running task (vpc.assignPublicIp)", Item(estimate, "public").Assumptions);
        Assert.Equal(24.10m, estimate.MonthlyTotal);
    }

    [Fact]
    public void The_load_balancer_costs_its_hour_an_assumed_lcu_and_its_public_addresses()
    {
        // The generated network has two public subnets, one ALB address each:
        // 0.0225 + 1 LCU × 0.008 + 2 × 0.005 = 0.0405 an hour; × 730 = 29.565
        var yaml = """
            service: costs
            provider:
              name: aws
              region: us-east-1
            fargate:
              tasks:
                web:
                  image: public.ecr.aws/docker/library/nginx:1.27
                  http: {port: 8080}
            """;
        var model = Engine.ValidateText(yaml, new EngineOptions(Environment: _ => null)).Model!;

        var estimate = Estimate(model);

        var balancer = Item(estimate, "loadBalancer");
        Assert.Equal(29.57m, balancer.Monthly);
        Assert.Equal(0.0405m, balancer.Hourly);
        Assert.Contains(balancer.Assumptions, a => a.StartsWith("an average of 1 LCU: LCUs depend on traffic", StringComparison.Ordinal));
        // The web task: 0.0123425 + its public address 0.005, as the generated network gives one.
        Assert.Equal(12.66m, Item(estimate, "web").Monthly);
        Assert.Equal(42.23m, estimate.MonthlyTotal);
    }

    [Fact]
    public void A_rate_schedule_runs_730_hours_worth_of_times_each_as_long_as_its_duration()
    {
        // rate(1 hour): 730 runs × 0.5 h × (0.04048 + 2 × 0.004445 = 0.04937) = 18.02005
        var estimate = Estimate(Model("""
            hourly:
              image: public.ecr.aws/docker/library/busybox:1.36
              cpu: 1024
              memory: 2GB
              schedule: rate(1 hour)
            """), ("hourly", "30m"));

        var hourly = Item(estimate, "hourly");
        Assert.Equal(18.02m, hourly.Monthly);
        Assert.Equal(["rate(1 hour): 730 runs a month", "each run 30m (--duration)"], hourly.Assumptions.Take(2));
    }

    [Fact]
    public void A_run_shorter_than_a_minute_is_billed_as_one()
    {
        // rate(5 minutes): 8,760 runs × 60 s (45 s billed as Fargate's minimum) × 0.0123425 / 3600 = 1.80201
        var estimate = Estimate(Model("""
            ping:
              image: public.ecr.aws/docker/library/busybox:1.36
              schedule: rate(5 minutes)
              estimatedDuration: 45s
            """));

        Assert.Equal(1.80m, Item(estimate, "ping").Monthly);
        Assert.Contains("each run 45s (estimatedDuration), billed as 1m, Fargate's minimum", Item(estimate, "ping").Assumptions);
    }

    [Fact]
    public void A_cron_counts_its_calendar_runs_in_its_time_zone()
    {
        // 4 vCPU, 8 GB: 4 × 0.04048 + 8 × 0.004445 = 0.19748 an hour; a 2-hour run 0.39496.
        // Daily at 01:30 UTC: 1,461 runs in the 48 months of 2027–2030, 30.4375 a month → 12.0216.
        // At 01:30 in London the spring change skips one a year: 1,457 runs, 30.3542 a month → 11.9887.
        var estimate = Estimate(Model("""
            utc:
              image: public.ecr.aws/docker/library/busybox:1.36
              cpu: 4096
              memory: 8GB
              schedule: cron(30 1 * * ? *)
              estimatedDuration: 2h
            london:
              image: public.ecr.aws/docker/library/busybox:1.36
              cpu: 4096
              memory: 8GB
              schedule: {rate: cron(30 1 * * ? *), timezone: Europe/London}
              estimatedDuration: 2h
            """));

        Assert.Equal(12.02m, Item(estimate, "utc").Monthly);
        Assert.Equal(11.99m, Item(estimate, "london").Monthly);
        Assert.StartsWith("cron(30 1 * * ? *) (Europe/London): 30.35 runs a month", Item(estimate, "london").Assumptions[0]);
    }

    [Fact]
    public void A_schedule_without_a_duration_is_unknown_and_left_out_of_the_total()
    {
        var estimate = Estimate(Model("""
            nightly:
              image: public.ecr.aws/docker/library/busybox:1.36
              schedule: cron(0 3 * * ? *)
            api:
              image: public.ecr.aws/docker/library/busybox:1.36
            """));

        var nightly = Item(estimate, "nightly");
        Assert.Null(nightly.Monthly);
        Assert.StartsWith("duration unknown: left out of the total; give `--duration nightly=30m`", nightly.Assumptions[0]);
        // Only the service: 0.0123425 × 730 = 9.010025
        Assert.Equal(9.01m, estimate.MonthlyTotal);
        Assert.Contains("The total leaves out nightly: see below.", CostReport.Text("costs-dev", estimate));
    }

    [Fact]
    public void Autoscaling_is_priced_at_the_count_ecs_starts_with_and_up_to_the_maximum()
    {
        // ECS starts the service with 1 task, raised to the minimum of 2: 2 × 0.0123425 × 730 = 18.02005;
        // at the maximum of 10: 90.10025
        var estimate = Estimate(Model("""
            api:
              image: public.ecr.aws/docker/library/busybox:1.36
              service:
                autoscaling: {min: 2, max: 10, cpu: 60}
            """));

        var api = Item(estimate, "api");
        Assert.Equal(18.02m, api.Monthly);
        Assert.Equal(90.10m, api.MonthlyMax);
        Assert.Equal(18.02m, estimate.MonthlyTotal);
    }

    [Fact]
    public void A_region_without_price_data_says_so_and_borrows_nothing()
    {
        var estimate = Estimate(Model("""
            api:
              image: public.ecr.aws/docker/library/busybox:1.36
            """, region: "ap-southeast-7"));

        var item = Assert.Single(estimate.Items);
        Assert.Equal("no price data for ap-southeast-7", item.Name);
        Assert.Null(item.Monthly);
        Assert.Null(estimate.MonthlyTotal);
        Assert.Null(estimate.PricesAsOf);
    }

    [Fact]
    public void A_rate_the_regions_file_lacks_makes_the_item_unknown_not_another_regions_price()
    {
        // eu-west-1's file states x86 rates only.
        var estimate = Estimate(Model("""
            arm:
              image: public.ecr.aws/docker/library/busybox:1.36
              architecture: ARM64
            x86:
              image: public.ecr.aws/docker/library/busybox:1.36
            """, region: "eu-west-1"));

        Assert.Null(Item(estimate, "arm").Monthly);
        Assert.Equal("no ARM64 Fargate price data for eu-west-1: left out of the total", Item(estimate, "arm").Assumptions[0]);
        Assert.Equal(9.01m, Item(estimate, "x86").Monthly);
    }

    [Fact]
    public void The_json_has_the_shape_the_issue_gives()
    {
        var estimate = Estimate(Model("""
            api:
              image: public.ecr.aws/docker/library/busybox:1.36
              service:
                autoscaling: {min: 1, max: 3, cpu: 60}
            """));

        var json = System.Text.Json.Nodes.JsonNode.Parse(CostReport.Json(estimate))!.AsObject();

        Assert.Equal(["region", "currency", "pricesAsOf", "monthlyTotal", "items", "notIncluded"], json.Select(p => p.Key));
        Assert.Equal("us-east-1", json["region"]!.GetValue<string>());
        Assert.Equal("USD", json["currency"]!.GetValue<string>());
        Assert.Equal("2026-12-02", json["pricesAsOf"]!.GetValue<string>());
        Assert.Equal(9.01m, json["monthlyTotal"]!.GetValue<decimal>());
        var item = json["items"]![0]!.AsObject();
        Assert.Equal(["name", "monthly", "monthlyMax", "hourly", "assumptions"], item.Select(p => p.Key));
        Assert.Equal(27.03m, item["monthlyMax"]!.GetValue<decimal>());
        Assert.Contains(json["notIncluded"]!.AsArray(), n => n!.GetValue<string>().StartsWith("data transfer", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_price_file_names_its_region_and_gives_each_rate_a_source_and_a_date()
    {
        Assert.Contains("us-east-1", PriceList.Regions);
        foreach (var region in PriceList.Regions)
        {
            var prices = PriceList.For(region)!;
            Assert.Equal(region, prices.Region);
            Assert.All(prices.Rates.Values, r => Assert.StartsWith("https://aws.amazon.com/", r.Page, StringComparison.Ordinal));
            Assert.All(prices.Rates.Values, r => Assert.True(r.Price > 0 && r.Seen <= prices.PricesAsOf));
        }
        // The issue's figures for us-east-1.
        var east = PriceList.For("us-east-1")!;
        Assert.Equal([0.04048m, 0.004445m, 0.03238m, 0.00356m, 0.000111m, 0.005m, 0.0225m, 0.008m],
            new[] { Rate.X86VcpuHour, Rate.X86GbHour, Rate.ArmVcpuHour, Rate.ArmGbHour, Rate.EphemeralStorageGbHour, Rate.PublicIpv4Hour, Rate.LoadBalancerHour, Rate.LoadBalancerLcuHour }
                .Select(r => east.Get(r)!.Value));
    }
}

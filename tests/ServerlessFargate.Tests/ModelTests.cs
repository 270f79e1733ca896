using ServerlessFargate.Model;
using ServerlessFargate.Rules;

namespace ServerlessFargate.Tests;

public sealed class ModelTests
{
    [Theory]
    [InlineData("my-task", "Mytask")]
    [InlineData("nightly_report-v2", "Nightlyreportv2")]
    [InlineData("Worker", "Worker")]
    [InlineData("9lives", "9lives")]
    [InlineData("---", "")]
    public void Task_ids_are_the_reference_plugins(string name, string id) => Assert.Equal(id, LogicalIds.TaskId(name));

    [Theory]
    [InlineData("512", 512)]
    [InlineData("0.5GB", 512)]
    [InlineData("2GB", 2048)]
    [InlineData("2 GB", 2048)]
    [InlineData("120GB", 122880)]
    [InlineData("2 gb", null)]
    [InlineData("2GiB", null)]
    [InlineData("0.3GB", null)]
    [InlineData("lots", null)]
    public void Memory_takes_the_forms_ecs_accepts(string text, int? mib) => Assert.Equal(mib, MemorySize.ParseMiB(text));

    /// <summary>Reads the table the product ships and checks it against the AWS documentation's bounds.</summary>
    [Theory]
    [InlineData(256, 512, 2048, 3)]
    [InlineData(512, 1024, 4096, 4)]
    [InlineData(1024, 2048, 8192, 7)]
    [InlineData(2048, 4096, 16384, 13)]
    [InlineData(4096, 8192, 30720, 23)]
    [InlineData(8192, 16384, 61440, 12)]
    [InlineData(16384, 32768, 122880, 12)]
    public void Fargate_size_table_matches_the_documented_ranges(int cpu, int min, int max, int count)
    {
        var sizes = TaskSizeRule.Sizes[cpu];

        Assert.Equal((min, max, count), (sizes[0], sizes[^1], sizes.Count));
    }

    [Fact]
    public void Size_table_covers_every_cpu_the_schema_allows()
    {
        var schema = System.Text.Json.Nodes.JsonNode.Parse(Schema.EmbeddedSchemas.FargateSchemaText)!;
        var allowed = schema["definitions"]!["cpu"]!["enum"]!.AsArray().Select(v => v!.GetValue<int>()).Order();

        Assert.Equal(allowed, TaskSizeRule.Sizes.Keys.Order());
    }
}

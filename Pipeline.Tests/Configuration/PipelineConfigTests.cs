using Pipeline.Core.Configuration;

namespace Pipeline.Tests.Configuration;

public sealed class PipelineConfigTests
{
    private static readonly Dictionary<string, string> NoEnvironment = new();

    [Fact]
    public void Defaults_come_from_pipeline_conf()
    {
        var config = PipelineConfig.Defaults();
        Assert.Equal(200, config.Section("pipeline.generator").GetInt("rate"));
        Assert.Equal(PipelineConfig.DefaultsOrigin, config.OriginOf("pipeline.generator.rate"));
    }

    [Fact]
    public void Environment_beats_set_which_beats_the_config_file_which_beats_the_defaults()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "pipeline.generator { rate = 300, customers = 7, seed = 9 }");

        var fileOnly = PipelineConfig.Load(file, [], NoEnvironment);
        Assert.Equal(300, fileOnly.Section("pipeline.generator").GetInt("rate"));
        Assert.Equal(file, fileOnly.OriginOf("pipeline.generator.rate"));

        var withSet = PipelineConfig.Load(file, ["pipeline.generator.rate=400", "pipeline.generator.customers=8"], NoEnvironment);
        Assert.Equal(400, withSet.Section("pipeline.generator").GetInt("rate"));

        var withEnv = PipelineConfig.Load(file, ["pipeline.generator.rate=400", "pipeline.generator.customers=8"],
            new Dictionary<string, string> { ["PIPELINE__pipeline__generator__rate"] = "500", ["UNRELATED"] = "x" });
        var generator = withEnv.Section("pipeline.generator");
        Assert.Equal(500, generator.GetInt("rate"));
        Assert.Equal(8, generator.GetInt("customers"));
        Assert.Equal(9, generator.GetInt("seed"));
        Assert.Equal("environment variable PIPELINE__pipeline__generator__rate", withEnv.OriginOf("pipeline.generator.rate"));
        Assert.Equal("--set pipeline.generator.customers", withEnv.OriginOf("pipeline.generator.customers"));
    }

    [Fact]
    public void Override_values_keep_characters_that_are_hocon_syntax()
    {
        var config = PipelineConfig.Load(null, ["pipeline.kafka.bootstrap-servers=127.0.0.1:9092,127.0.0.1:9093"],
            new Dictionary<string, string> { ["PIPELINE__akka__kafka__consumer__kafka-clients__sasl__password"] = "p@ss:w=rd" });
        Assert.Equal("127.0.0.1:9092,127.0.0.1:9093", config.Section("pipeline.kafka").GetString("bootstrap-servers"));
        Assert.Equal("p@ss:w=rd", config.Section("akka.kafka.consumer").GetFlatMap("kafka-clients")["sasl.password"]);
    }

    [Fact]
    public void A_value_of_the_wrong_type_names_the_key_and_the_file_it_came_from()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "pipeline.generator.rate = lots");
        var config = PipelineConfig.Load(file, [], NoEnvironment);
        var error = Assert.Throws<ConfigurationError>(() => config.Section("pipeline.generator").GetInt("rate"));
        Assert.Contains("'pipeline.generator.rate' = 'lots'", error.Message);
        Assert.Contains($"(from {file})", error.Message);
        Assert.Contains("not an integer", error.Message);
    }

    [Fact]
    public void A_missing_value_names_the_key_and_how_to_supply_it()
    {
        var config = PipelineConfig.Defaults();
        var error = Assert.Throws<ConfigurationError>(() => config.Section("pipeline.generator").GetInt("no-such-key"));
        Assert.Contains("Missing required setting 'pipeline.generator.no-such-key'", error.Message);
        Assert.Contains("--set pipeline.generator.no-such-key=VALUE", error.Message);
    }

    [Fact]
    public void Durations_bools_and_ranges_are_checked()
    {
        var config = PipelineConfig.Load(null, ["pipeline.shutdown-timeout=soon", "pipeline.generator.enabled=maybe", "pipeline.topics.partitions=0"], NoEnvironment);
        Assert.Contains("is not a duration", Assert.Throws<ConfigurationError>(() => config.Section("pipeline").GetDuration("shutdown-timeout")).Message);
        Assert.Contains("is not on/off", Assert.Throws<ConfigurationError>(() => config.Section("pipeline.generator").GetBool("enabled")).Message);
        Assert.Contains("out of range", Assert.Throws<ConfigurationError>(() => config.Section("pipeline.topics").GetInt("partitions", 1, 100)).Message);
    }

    [Fact]
    public void A_file_that_is_not_hocon_is_refused_with_its_name()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "pipeline { rate = ");
        var error = Assert.Throws<ConfigurationError>(() => PipelineConfig.Load(file, [], NoEnvironment));
        Assert.Contains(file, error.Message);
    }
}

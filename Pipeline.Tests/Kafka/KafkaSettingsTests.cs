using Akka.Configuration;
using Pipeline.Core.Configuration;
using Pipeline.Core.Kafka.Settings;

namespace Pipeline.Tests.Kafka;

public sealed class KafkaSettingsTests
{
    private static ConfigSection Section(string path, params string[] overrides) =>
        PipelineConfig.Load(null, overrides, new Dictionary<string, string>()).Section(path);

    [Fact]
    public void Consumer_settings_come_from_hocon_and_pass_kafka_clients_through_unchanged()
    {
        var settings = ConsumerSettings.Create(Section("akka.kafka.consumer",
            "akka.kafka.consumer.kafka-clients.security.protocol=SASL_SSL", "akka.kafka.consumer.partition-buffer-size=77"));
        Assert.Equal(77, settings.PartitionBufferSize);
        Assert.Equal(TimeSpan.FromMilliseconds(50), settings.PollTimeout);
        Assert.Equal("SASL_SSL", settings.Properties["security.protocol"]);
        Assert.Equal("10", settings.Properties["fetch.wait.max.ms"]);
        Assert.Equal("latest", settings.Properties["auto.offset.reset"]);

        var config = settings.WithBootstrapServers("b:9092").WithGroupId("g").ToConsumerConfig();
        Assert.Equal("SASL_SSL", config.Get("security.protocol"));
        Assert.False(config.EnableAutoCommit);
        Assert.False(config.EnableAutoOffsetStore);
    }

    [Fact]
    public void Every_with_method_changes_its_value_and_nothing_else()
    {
        var original = ConsumerSettings.Create(Section("akka.kafka.consumer"));
        Assert.Equal(TimeSpan.FromSeconds(3), original.WithPollTimeout(TimeSpan.FromSeconds(3)).PollTimeout);
        Assert.Equal(5, original.WithPartitionBufferSize(5).PartitionBufferSize);
        Assert.Equal(TimeSpan.Zero, original.WithWaitClosePartition(TimeSpan.Zero).WaitClosePartition);
        Assert.Equal(TimeSpan.FromSeconds(1), original.WithCloseTimeout(TimeSpan.FromSeconds(1)).CloseTimeout);
        Assert.Equal(TimeSpan.FromSeconds(9), original.WithMetricsInterval(TimeSpan.FromSeconds(9)).MetricsInterval);
        Assert.Equal(TimeSpan.FromSeconds(4), original.WithCommitRetryDeadline(TimeSpan.FromSeconds(4)).CommitRetryDeadline);
        Assert.Equal(TimeSpan.FromSeconds(7), original.WithPauseAfter(TimeSpan.FromSeconds(7)).PauseAfter);
        Assert.Equal("g", original.WithGroupId("g").GroupId);
        Assert.Equal(original, original.WithPollTimeout(original.PollTimeout)); // a copy, the original untouched
        Assert.Null(original.GroupId);

        var producer = ProducerSettings.Create(Section("akka.kafka.producer"));
        Assert.Equal(3, producer.WithParallelism(3).Parallelism);
        Assert.Equal(TimeSpan.FromSeconds(2), producer.WithFlushTimeout(TimeSpan.FromSeconds(2)).FlushTimeout);
        Assert.Equal("x:1", producer.WithBootstrapServers("x:1").BootstrapServers);
        Assert.Equal("murmur2_random", producer.Properties["partitioner"]);

        var committer = CommitterSettings.Create(Section("akka.kafka.committer"));
        Assert.Equal(new CommitterSettings(1000, TimeSpan.FromSeconds(1), 1), committer);
        Assert.Equal(7, committer.WithMaxBatch(7).MaxBatch);
        Assert.Equal(2, committer.WithParallelism(2).Parallelism);
        Assert.Equal(TimeSpan.FromMilliseconds(5), committer.WithMaxInterval(TimeSpan.FromMilliseconds(5)).MaxInterval);
    }

    [Fact]
    public void Secrets_never_appear_in_the_rendered_settings()
    {
        var consumer = ConsumerSettings.Create(Section("akka.kafka.consumer"))
            .WithProperty("sasl.password", "hunter2").WithProperty("ssl.key.password", "k3y").WithProperty("sasl.username", "app");
        var producer = ProducerSettings.Create(Section("akka.kafka.producer")).WithProperty("sasl.oauthbearer.client.secret", "s3cret");
        var text = consumer + " " + producer;
        Assert.DoesNotContain("hunter2", text);
        Assert.DoesNotContain("k3y", text);
        Assert.DoesNotContain("s3cret", text);
        Assert.Contains("sasl.password=[redacted]", text);
        Assert.Contains("sasl.username=app", text);
    }

    [Fact]
    public void A_missing_group_id_is_a_clear_configuration_error()
    {
        var settings = ConsumerSettings.Create(ConfigSection.Of(ConfigurationFactory.ParseString(PipelineConfig.DefaultsText), "akka.kafka.consumer"))
            .WithBootstrapServers("b:9092");
        Assert.Contains("no group.id", Assert.Throws<ConfigurationError>(() => settings.ToConsumerConfig()).Message);
    }
}

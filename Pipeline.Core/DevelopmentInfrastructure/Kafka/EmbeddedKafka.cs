using System.Runtime.InteropServices;
using System.Text;

namespace Pipeline.Core.DevelopmentInfrastructure.Kafka;

/// <summary>
/// Kafka for development and tests: librdkafka's mock cluster, started inside this process and
/// reachable over TCP on 127.0.0.1 by any Kafka client (other processes, kcat). Real protocol:
/// consumer groups, offset commits, idempotent and transactional producers.
/// Its retention is small (about 5 MiB or 100,000 batches per partition); older data is dropped
/// silently while the high watermark keeps growing, so size backlogs accordingly.
/// </summary>
public sealed class EmbeddedKafka : IDisposable
{
    private readonly object _gate = new();
    private IntPtr _handle;
    private readonly IntPtr _cluster;

    private EmbeddedKafka(IntPtr handle, IntPtr cluster, string bootstrapServers, int brokers)
    {
        _handle = handle;
        _cluster = cluster;
        BootstrapServers = bootstrapServers;
        Brokers = brokers;
    }

    /// <summary>The broker list to pass as <c>bootstrap.servers</c>.</summary>
    public string BootstrapServers { get; }

    /// <summary>How many brokers the cluster has (ids 1..N).</summary>
    public int Brokers { get; }

    public static EmbeddedKafka Start(EmbeddedKafkaSettings? settings = null)
    {
        settings ??= EmbeddedKafkaSettings.Default;
        RdKafkaNative.EnsureLoaded();
        var error = new byte[512];
        var conf = RdKafkaNative.rd_kafka_conf_new();
        Set(conf, "test.mock.num.brokers", settings.Brokers.ToString(System.Globalization.CultureInfo.InvariantCulture), error);
        Set(conf, "log_level", "3", error);
        var handle = RdKafkaNative.rd_kafka_new(RdKafkaNative.ProducerType, conf, error, (UIntPtr)error.Length);
        if (handle == IntPtr.Zero)
            throw new InvalidOperationException("Could not start the embedded Kafka: " + Text(error));
        var cluster = RdKafkaNative.rd_kafka_handle_mock_cluster(handle);
        if (cluster == IntPtr.Zero)
        {
            RdKafkaNative.rd_kafka_destroy(handle);
            throw new InvalidOperationException("librdkafka did not create a mock cluster; its build lacks test.mock support.");
        }
        RdKafkaNative.rd_kafka_mock_group_initial_rebalance_delay_ms(cluster, (int)settings.GroupInitialRebalanceDelay.TotalMilliseconds);
        var bootstraps = Marshal.PtrToStringUTF8(RdKafkaNative.rd_kafka_mock_cluster_bootstraps(cluster))
            ?? throw new InvalidOperationException("The embedded Kafka reported no broker addresses.");
        return new EmbeddedKafka(handle, cluster, bootstraps, settings.Brokers);
    }

    /// <summary>Creates a topic with exactly <paramref name="partitions"/> partitions (the mock's auto-created topics get 4).</summary>
    public void CreateTopic(string topic, int partitions, int replicationFactor = 1)
    {
        var err = RdKafkaNative.rd_kafka_mock_topic_create(Cluster, topic, partitions, Math.Min(replicationFactor, Brokers));
        Check(err, $"create topic '{topic}' with {partitions} partitions");
    }

    /// <summary>Takes a broker off the network (fault injection); its partitions become unavailable until <see cref="SetBrokerUp"/>.</summary>
    public void SetBrokerDown(int brokerId) => Check(RdKafkaNative.rd_kafka_mock_broker_set_down(Cluster, brokerId), $"take broker {brokerId} down");

    public void SetBrokerUp(int brokerId) => Check(RdKafkaNative.rd_kafka_mock_broker_set_up(Cluster, brokerId), $"bring broker {brokerId} up");

    /// <summary>Makes the next <paramref name="errors"/>.Length requests of the given Kafka API (0 = Produce, 1 = Fetch, 8 = OffsetCommit) fail with those error codes.</summary>
    public void PushRequestErrors(short apiKey, params int[] errors) =>
        RdKafkaNative.rd_kafka_mock_push_request_errors_array(Cluster, apiKey, (UIntPtr)errors.Length, errors);

    public void SetPartitionLeader(string topic, int partition, int brokerId) =>
        Check(RdKafkaNative.rd_kafka_mock_partition_set_leader(Cluster, topic, partition, brokerId), $"move leader of {topic}[{partition}]");

    /// <summary>Makes <paramref name="brokerId"/> the coordinator of consumer group <paramref name="groupId"/> (otherwise the group id's hash picks it).</summary>
    public void SetGroupCoordinator(string groupId, int brokerId) =>
        Check(RdKafkaNative.rd_kafka_mock_coordinator_set(Cluster, "group", groupId, brokerId), $"make broker {brokerId} the coordinator of group '{groupId}'");

    public void Dispose()
    {
        lock (_gate)
        {
            if (_handle == IntPtr.Zero)
                return;
            RdKafkaNative.rd_kafka_destroy(_handle);
            _handle = IntPtr.Zero;
        }
    }

    private IntPtr Cluster
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle == IntPtr.Zero, this);
            return _cluster;
        }
    }

    private static void Check(int err, string what)
    {
        if (err != 0)
            throw new InvalidOperationException($"Embedded Kafka could not {what}: {Marshal.PtrToStringUTF8(RdKafkaNative.rd_kafka_err2str(err))}");
    }

    private static void Set(IntPtr conf, string name, string value, byte[] error)
    {
        if (RdKafkaNative.rd_kafka_conf_set(conf, name, value, error, (UIntPtr)error.Length) != 0)
            throw new InvalidOperationException($"librdkafka refused {name}={value}: {Text(error)}");
    }

    private static string Text(byte[] buffer) => Encoding.UTF8.GetString(buffer).TrimEnd('\0');
}

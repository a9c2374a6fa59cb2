using System.Reflection;
using System.Runtime.InteropServices;

namespace Pipeline.Core.DevelopmentInfrastructure.Kafka;

/// <summary>
/// The few librdkafka C functions that Confluent.Kafka does not wrap: the mock cluster's control API.
/// Bound to the very native library Confluent.Kafka loaded (on Debian that is the centos8 build in
/// librdkafka.redist; the generic build needs libsasl2.so.3, which Debian does not ship).
/// </summary>
internal static partial class RdKafkaNative
{
    private const string Library = "rdkafka-loaded";

    static RdKafkaNative()
    {
        NativeLibrary.SetDllImportResolver(typeof(RdKafkaNative).Assembly, Resolve);
    }

    /// <summary>Forces the resolver to be installed before the first call.</summary>
    public static void EnsureLoaded()
    {
        Confluent.Kafka.Library.Load();
        _ = LoadedPath.Value;
    }

    private static readonly Lazy<string> LoadedPath = new(FindLoadedLibrary);

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == Library ? NativeLibrary.Load(LoadedPath.Value) : IntPtr.Zero;

    private static string FindLoadedLibrary()
    {
        Confluent.Kafka.Library.Load();
        if (File.Exists("/proc/self/maps"))
        {
            var path = File.ReadLines("/proc/self/maps")
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(parts => parts.Length >= 6 && parts[5].Contains("librdkafka", StringComparison.Ordinal))
                .Select(parts => parts[5])
                .FirstOrDefault();
            if (path is not null)
                return path;
        }
        throw new PlatformNotSupportedException(
            "Could not find the librdkafka native library that Confluent.Kafka loaded; the embedded Kafka needs Linux (/proc/self/maps).");
    }

    public const int ProducerType = 0;

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr rd_kafka_conf_new();

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rd_kafka_conf_set(IntPtr conf, string name, string value, byte[] errstr, UIntPtr errstrSize);

    [LibraryImport(Library)]
    public static partial IntPtr rd_kafka_new(int type, IntPtr conf, byte[] errstr, UIntPtr errstrSize);

    [LibraryImport(Library)]
    public static partial void rd_kafka_destroy(IntPtr rk);

    [LibraryImport(Library)]
    public static partial IntPtr rd_kafka_handle_mock_cluster(IntPtr rk);

    [LibraryImport(Library)]
    public static partial IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr mcluster);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rd_kafka_mock_topic_create(IntPtr mcluster, string topic, int partitionCount, int replicationFactor);

    [LibraryImport(Library)]
    public static partial void rd_kafka_mock_group_initial_rebalance_delay_ms(IntPtr mcluster, int delayMs);

    [LibraryImport(Library)]
    public static partial int rd_kafka_mock_broker_set_down(IntPtr mcluster, int brokerId);

    [LibraryImport(Library)]
    public static partial int rd_kafka_mock_broker_set_up(IntPtr mcluster, int brokerId);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rd_kafka_mock_partition_set_leader(IntPtr mcluster, string topic, int partition, int brokerId);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rd_kafka_mock_coordinator_set(IntPtr mcluster, string keyType, string key, int brokerId);

    [LibraryImport(Library)]
    public static partial void rd_kafka_mock_push_request_errors_array(IntPtr mcluster, short apiKey, UIntPtr count, int[] errors);

    [LibraryImport(Library)]
    public static partial IntPtr rd_kafka_err2str(int err);
}

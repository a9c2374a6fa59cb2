using System.Text;
using BenchmarkDotNet.Attributes;
using Pipeline.Core.UseCaseRuntime;

namespace Pipeline.Benchmarks;

/// <summary>The partition of a customer's key (murmur2, as Kafka's Java client): run for every produced record and every shard lookup.</summary>
[MemoryDiagnoser]
public class PartitionHashBenchmarks
{
    private readonly string[] _customers = Enumerable.Range(0, 1000).Select(i => $"customer-{i:D5}").ToArray();
    private readonly CustomerShardExtractor _extractor = new(8);
    private byte[][] _keys = [];

    [GlobalSetup]
    public void Setup() => _keys = _customers.Select(Encoding.UTF8.GetBytes).ToArray();

    /// <summary>Key bytes already encoded (the producer's case).</summary>
    [Benchmark(OperationsPerInvoke = 1000)]
    public int PartitionOfBytes()
    {
        var sum = 0;
        foreach (var key in _keys)
            sum += Murmur2Partitioner.PartitionOf(key, 8);
        return sum;
    }

    /// <summary>The shard of a customer id (what sharding asks for every message): encode, hash, format.</summary>
    [Benchmark(OperationsPerInvoke = 1000)]
    public int ShardOfCustomer()
    {
        var sum = 0;
        foreach (var customer in _customers)
            sum += _extractor.ShardOf(customer).Length;
        return sum;
    }
}

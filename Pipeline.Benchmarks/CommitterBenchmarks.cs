using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using BenchmarkDotNet.Attributes;
using Confluent.Kafka;
using Pipeline.Core.Kafka.Dsl;
using Pipeline.Core.Kafka.Messages;
using Pipeline.Core.Kafka.Settings;

namespace Pipeline.Benchmarks;

/// <summary>
/// The committer's batching: 100,000 offsets of 8 partitions folded into batches of the shipped max-batch (1,000) and
/// committed, as every stream's last stage does. Commits go to an in-memory committer that only counts: Kafka's own
/// commit round trip is the kafka bench's business, this measures what the stage adds per offset.
/// </summary>
[MemoryDiagnoser]
public class CommitterBenchmarks
{
    private const int Offsets = 100_000;
    private const int Partitions = 8;

    private ActorSystem _system = null!;
    private IMaterializer _materializer = null!;
    private CountingCommitter _committer = null!;
    private CommittableOffset[] _offsets = [];

    [GlobalSetup]
    public void Setup()
    {
        _system = ActorSystem.Create("benchmarks");
        _materializer = _system.Materializer();
        _committer = new CountingCommitter();
        _offsets = Enumerable.Range(0, Offsets)
            .Select(i => new CommittableOffset(new TopicPartitionOffset("transactions", i % Partitions, i / Partitions), "group", _committer))
            .ToArray();
    }

    [GlobalCleanup]
    public Task CleanupAsync() => _system.Terminate();

    [Benchmark(OperationsPerInvoke = Offsets)]
    public async Task<int> CommitInBatches()
    {
        await Source.From(_offsets)
            .Select(ICommittable (o) => o)
            .RunWith(KafkaCommitter.Sink(new CommitterSettings(1000, TimeSpan.FromSeconds(1), 1)), _materializer);
        return _committer.Commits;
    }

    private sealed class CountingCommitter : ICommitter
    {
        private int _commits;

        public int Commits => _commits;

        public Task CommitAsync(IReadOnlyList<TopicPartitionOffset> nextOffsets)
        {
            Interlocked.Increment(ref _commits);
            return Task.CompletedTask;
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Pipeline.Service.Bench.Diamond;

/// <summary>
/// Which types this process allocates, sampled by the runtime's own allocation ticks (an event about every 100 KB
/// allocated, naming the type of the object that crossed the mark): over a long drain the share of ticks per type is the
/// share of bytes, without a profiler attached. Shows where the per-record allocations of the diamond go.
/// </summary>
internal sealed class AllocationSampler : RuntimeGcListener
{
    private const int AllocationTickEventId = 10;

    private readonly ConcurrentDictionary<string, long> _bytesByType = new();

    // Allocation ticks are verbose events.
    protected override EventLevel Level => EventLevel.Verbose;

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventId != AllocationTickEventId || eventData.PayloadNames is not { } names || eventData.Payload is not { } payload)
            return;
        var type = payload[names.IndexOf("TypeName")] as string ?? "?";
        var amount = Convert.ToInt64(payload[names.IndexOf("AllocationAmount64")]);
        _bytesByType.AddOrUpdate(type, amount, (_, sum) => sum + amount);
    }

    /// <summary>The <paramref name="count"/> types with the most sampled bytes, with their share of all sampled bytes.</summary>
    public IReadOnlyList<(string Type, long Bytes, double Share)> Top(int count)
    {
        var all = _bytesByType.ToArray();
        double total = all.Sum(pair => pair.Value);
        return all.OrderByDescending(pair => pair.Value).Take(count)
            .Select(pair => (pair.Key, pair.Value, total == 0 ? 0 : pair.Value / total)).ToList();
    }
}

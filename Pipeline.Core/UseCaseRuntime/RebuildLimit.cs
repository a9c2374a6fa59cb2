using System.Runtime.CompilerServices;
using Pipeline.Core.Storage;

namespace Pipeline.Core.UseCaseRuntime;

/// <summary>
/// How many entity rebuild reads run at once against one history store, shared by every use case of the node
/// (<c>pipeline.store.max-concurrent-rebuilds</c>). After a node's loss or a rebalance thousands of entities activate at
/// once; unbounded, their reads take every pooled connection, the writes of upstream and downstream wait behind them past
/// their retry deadline, and reads that wait longer than the pool's timeout fail. Bounded, the rest queue here in memory.
/// </summary>
public sealed class RebuildLimit
{
    private static readonly ConditionalWeakTable<IHistoryStore, RebuildLimit> ByStore = new();
    private readonly SemaphoreSlim _slots;

    /// <summary>A limit of <paramref name="maxConcurrent"/> reads at once (at least 1).</summary>
    public RebuildLimit(int maxConcurrent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrent, 1);
        MaxConcurrent = maxConcurrent;
        _slots = new SemaphoreSlim(maxConcurrent, maxConcurrent);
    }

    /// <summary>The most reads running at once.</summary>
    public int MaxConcurrent { get; }

    /// <summary>
    /// The limit of <paramref name="store"/>'s rebuild reads on this node, made with <paramref name="maxConcurrent"/> by the
    /// first caller; every use case reads the same setting, so later callers share it.
    /// </summary>
    public static RebuildLimit Of(IHistoryStore store, int maxConcurrent) => ByStore.GetValue(store, _ => new RebuildLimit(maxConcurrent));

    /// <summary>Runs <paramref name="read"/> once a slot is free; the slot is held until the read has finished, all its pages.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> read, CancellationToken cancellationToken = default)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await read().ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }
}

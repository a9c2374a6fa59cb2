using Akka;
using Akka.Streams.Dsl;

namespace Pipeline.Core.Storage;

/// <summary>The stream stage that writes history: rows in, pass-through values out once their rows are durable.</summary>
public static class HistoryWrites
{
    /// <summary>
    /// A flow taking (rows, pass-through) elements and emitting each pass-through value, in input order,
    /// only after the batch holding its rows was committed. Elements are batched up to
    /// <see cref="HistoryWriteSettings.MaxSize"/> rows or <see cref="HistoryWriteSettings.MaxDelay"/>; with a max delay
    /// of zero, a batch is written as soon as the store takes one, and rows gather into the next batch only while
    /// <see cref="HistoryWriteSettings.Parallelism"/> writes are in flight. At most that many batches are written at
    /// once, so a slow store backpressures upstream with bounded memory. An unavailable store is retried with backoff
    /// until the retry deadline, then the stream fails with <see cref="HistoryStoreUnavailableException"/>.
    /// </summary>
    public static Flow<(IReadOnlyList<HistoryRow> Rows, TPass Pass), TPass, NotUsed> Flow<TPass>(IHistoryStore store, HistoryWriteSettings settings) =>
        FlowWithConflicts<TPass>(store, settings).Select(written => written.Pass);

    /// <summary>
    /// As <see cref="Flow{TPass}"/>, and each pass-through value comes with the conflicts of its own rows: the rows the
    /// store did not write because their key holds other content (empty for new rows and exact repeats).
    /// </summary>
    public static Flow<(IReadOnlyList<HistoryRow> Rows, TPass Pass), (TPass Pass, IReadOnlyList<HistoryConflict> Conflicts), NotUsed> FlowWithConflicts<TPass>(
        IHistoryStore store, HistoryWriteSettings settings) =>
        Batches<TPass>(settings)
            // SelectAsync keeps input order whatever order the writes finish in, and holds at most
            // `parallelism` batches: the bound on what is in flight when the store is slow.
            .SelectAsync(settings.Parallelism, async batch =>
            {
                var elements = batch.ToList();
                var rows = elements.SelectMany(e => e.Rows).ToList();
                var conflicts = await HistoryWriteRetry.AppendAsync(store, rows, settings);
                return elements.Select(e => (e.Pass, ConflictsOf(e.Rows, conflicts))).ToList();
            })
            // SelectAsync fails the stream with the task's AggregateException when the write had already failed by the time
            // it looked; unwrapped, the stream fails with the store's own exception, whose message names the cause and the fix.
            .SelectError(e => e is AggregateException { InnerExceptions.Count: 1 } single ? single.InnerException! : e)
            .SelectMany(passes => passes)
            .Named("history-writes");

    // A conflict names the very row instance it was offered as, so an element finds its own among the batch's few.
    private static IReadOnlyList<HistoryConflict> ConflictsOf(IReadOnlyList<HistoryRow> rows, IReadOnlyList<HistoryConflict> conflicts) =>
        conflicts.Count == 0 ? [] : conflicts.Where(c => rows.Any(r => ReferenceEquals(r, c.Offered))).ToList();

    private static Flow<(IReadOnlyList<HistoryRow> Rows, TPass Pass), IEnumerable<(IReadOnlyList<HistoryRow> Rows, TPass Pass)>, NotUsed> Batches<TPass>(
        HistoryWriteSettings settings)
    {
        var elements = Akka.Streams.Dsl.Flow.Create<(IReadOnlyList<HistoryRow> Rows, TPass Pass)>();
        return settings.MaxDelay > TimeSpan.Zero
            ? elements.GroupedWeightedWithin(settings.MaxSize, settings.MaxSize, settings.MaxDelay, Weight)
            : elements.BatchWeighted(settings.MaxSize, Weight,
                    element => new List<(IReadOnlyList<HistoryRow> Rows, TPass Pass)> { element },
                    (batch, element) =>
                    {
                        batch.Add(element);
                        return batch;
                    })
                .Select(IEnumerable<(IReadOnlyList<HistoryRow> Rows, TPass Pass)> (batch) => batch);

        // Weighted by rows, so an element with many rows fills a batch sooner; an element with no rows still counts
        // one, so it cannot pile up without bound.
        static long Weight((IReadOnlyList<HistoryRow> Rows, TPass Pass) element) => Math.Max(1, element.Rows.Count);
    }
}

using System.Diagnostics;
using Akka.Streams;
using Akka.Streams.Dsl;
using Pipeline.Core.Storage;
using static Pipeline.Tests.Storage.TestRows;

namespace Pipeline.Tests.Storage;

/// <summary>
/// Runs the write flow over a steady stream of elements, one row each, makes the store unavailable for a while in the
/// middle, ends the stream a second after the outage, and records what came out. Each value is checked when it leaves the flow: its row must already be readable
/// through the observer (a connection the outage leaves alone), otherwise the stream fails naming the element.
/// </summary>
public static class WriteFlowUnderOutage
{
    private const int Customers = 3;

    /// <summary>The row element <paramref name="i"/> carries.</summary>
    public static HistoryRow Row(int i) => Record($"c-{i % Customers}", Noon.AddSeconds(i), $"t-{i:D5}");

    /// <summary>
    /// Sends elements at <paramref name="perSecond"/> (as fast as the flow takes them, up to that rate); once
    /// <paramref name="beforeOutage"/> elements went through, holds the outage <paramref name="startOutage"/> starts for
    /// <paramref name="outage"/>, sends for one more second, and lets the stream finish.
    /// </summary>
    public static async Task<OutageRun> RunAsync(
        IHistoryStore store, IHistoryStore observer, HistoryWriteSettings settings, Func<Task<IAsyncDisposable>> startOutage,
        TimeSpan outage, int beforeOutage, int perSecond, IMaterializer materializer)
    {
        var pulled = 0;
        var emitted = 0;
        var ending = false;
        var clock = Stopwatch.StartNew();
        var run = Source.From(Enumerable.Range(0, int.MaxValue))
            .Throttle(perSecond / 20, TimeSpan.FromMilliseconds(50), perSecond / 20, ThrottleMode.Shaping)
            .TakeWhile(_ => !Volatile.Read(ref ending))
            .Select(i =>
            {
                Interlocked.Increment(ref pulled);
                return ((IReadOnlyList<HistoryRow>)[Row(i)], i);
            })
            .Via(HistoryWrites.Flow<int>(store, settings))
            .SelectAsync(1, async pass =>
            {
                var row = Row(pass);
                var page = await observer.ReadPageAsync(
                    new HistoryQuery(HistoryTable.Records, row.CustomerId, row.EventTime, row.EventTime.AddMilliseconds(1)), null, 10);
                if (!page.Rows.Contains(row))
                    throw new InvalidOperationException($"element {pass} left the write flow before its row was stored");
                Interlocked.Increment(ref emitted);
                return pass;
            })
            .RunWith(Sink.Seq<int>(), materializer);

        while (Volatile.Read(ref emitted) < beforeOutage)
        {
            if (run.IsCompleted)
                await run; // failed: throws the cause
            await Task.Delay(20);
        }

        int emittedWhenStarted, storedWhenStarted, emittedAfterSettling = -1, maxInFlight = 0;
        await using (await startOutage())
        {
            emittedWhenStarted = Volatile.Read(ref emitted);
            storedWhenStarted = (await StoredAsync(observer)).Count;
            var during = Stopwatch.StartNew();
            while (during.Elapsed < outage && !run.IsCompleted)
            {
                // Pulled is read first: emitted only grows, so the difference never overstates what is in flight.
                var inFlight = Volatile.Read(ref pulled) - Volatile.Read(ref emitted);
                maxInFlight = Math.Max(maxInFlight, inFlight);
                if (emittedAfterSettling < 0 && during.Elapsed > OutageRun.Settling)
                    emittedAfterSettling = Volatile.Read(ref emitted);
                await Task.Delay(50);
            }
        }
        var emittedWhenEnded = Volatile.Read(ref emitted);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Volatile.Write(ref ending, true);

        var passes = await run.WaitAsync(TimeSpan.FromSeconds(30));
        return new OutageRun(Volatile.Read(ref pulled), passes, emittedWhenStarted, storedWhenStarted, emittedAfterSettling, emittedWhenEnded, maxInFlight,
            await StoredAsync(observer), clock.Elapsed);
    }

    private static async Task<List<HistoryRow>> StoredAsync(IHistoryStore observer)
    {
        var rows = new List<HistoryRow>();
        for (var c = 0; c < Customers; c++)
            rows.AddRange(await ReadAllAsync(observer, Everything(HistoryTable.Records, $"c-{c}")));
        return rows;
    }
}

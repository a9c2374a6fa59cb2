using System.Text;
using Akka;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Pipeline.Core.DeadLetters;
using Pipeline.Core.Storage;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;

namespace Pipeline.Core.Replay;

/// <summary>
/// The records a backfill runs a new use case over, read from the history store, and why its hand-over to the live stream
/// has neither gap nor double delivery.
/// <para>
/// The history store has no scan across customers, so the backfill walks the customers-by-day table that every write of
/// records keeps in the same transaction (a day partition listing its customers, as a Cassandra layout would): day by day,
/// customer by customer, each customer's records of the day in clustering order. Days follow one another, so each
/// customer's records reach its entity in event-time order, the order the live stream and an entity's rebuild use.
/// </para>
/// <para>
/// Hand-over (see <see cref="BackfillHandOver"/>): before reading anything, the backfill notes the end offsets E of the
/// transactions topic and commits them for the use case's consumer group, which has none yet; the live stream, whenever it
/// starts, begins exactly at E. Then:
/// - No gap. Upstream writes a record to the history store before producing it, so every record before E was stored before
///   E was noted, and the backfill, which reads each customer-day afterwards, sees it; upstream accepted it before then, so
///   its event time is at most then + upstream's max-future-skew, the backfill's upper bound. Every record at or after E is
///   the live stream's.
/// - No double delivery. What both evaluate are records at or after E that were already in the store when the backfill read
///   their customer-day (in flight in upstream when E was noted, or arriving while the backfill runs). Cutting them off
///   exactly is not possible from the store: it does not know offsets, and event time does not order records across
///   customers the way offsets do (cutting at "the event time of the first record at E" would lose late records of other
///   customers). Both evaluations fold the same history in the same order, so they give the same feedback under the same
///   deterministic id, and downstream delivers an id once; only the crash window downstream already documents (between a
///   notification's acknowledgement and its store write) could repeat one.
/// - Entity state needs no warming hand-over: an entity's state is a fold over the customer's history window, which the
///   store holds, so the live stream's entities rebuild it on activation just as the backfill's did.
/// </para>
/// </summary>
public static class HistoryBackfill
{
    /// <summary>The source of a backfill's stored records, marked "history-store" in the dead letters of a variant that throws.</summary>
    public const string SourceName = "history-store";

    /// <summary>
    /// Every stored record with <paramref name="from"/> &lt;= event time &lt;= <paramref name="through"/>, day by day, customer by
    /// customer, as inputs of <see cref="UseCaseEvaluation"/>; <paramref name="readParallelism"/> customer-days are read at once.
    /// </summary>
    public static Source<UseCaseInput<BackfillPosition>, NotUsed> Inputs(
        IHistoryStore store, TransactionHistory history, DateTimeOffset from, DateTimeOffset through, int customersPageSize, int readParallelism)
    {
        var firstDay = DayBucket.Of(from);
        var lastDay = DayBucket.Of(through);
        return Source.From(Enumerable.Range(firstDay, lastDay - firstDay + 1))
            .ConcatMany(day => HistoryReads.Customers(store, day, customersPageSize).Select(customer => (Day: day, Customer: customer)))
            .SelectAsync(readParallelism, async next =>
            {
                var dayStart = DateTimeOffset.FromUnixTimeMilliseconds(DayBucket.StartMillis(next.Day));
                var rows = await history.ReadRowsAsync(next.Customer, Max(from, dayStart), Min(through, dayStart.AddDays(1).AddMilliseconds(-1)))
                    .ConfigureAwait(false);
                return (next.Day, Rows: rows);
            })
            .SelectMany(read => read.Rows.Select(r => new UseCaseInput<BackfillPosition>(r.Transaction, Origin(r.Row), new BackfillPosition(read.Day, r.Row.CustomerId))));
    }

    private static UseCaseInputOrigin Origin(HistoryRow row) => new(
        Encoding.UTF8.GetBytes(row.CustomerId), row.Payload, null, new DeadLetterSource(SourceName, -1, -1),
        // A stored record has no Kafka timestamp; its feedback carries the time the backfill read it.
        new Timestamp(DateTime.UtcNow, TimestampType.CreateTime));

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}

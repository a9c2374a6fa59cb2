using System.Diagnostics;
using Pipeline.Contracts;
using Pipeline.Core.Schemas;
using Pipeline.Core.Storage;
using Pipeline.Core.Storage.PostgreSql;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Tests.Storage;

/// <summary>
/// A burst of entity activations, as after a node's loss, against the real PostgreSQL store while upstream and downstream
/// keep writing: with the shipped <c>pipeline.store.max-concurrent-rebuilds</c> every rebuild read completes with its
/// customer's whole window and no write misses a short retry deadline. Unbounded, the reads took the whole connection pool:
/// the writes waited behind them past the deadline and reads failed on the pool's timeout.
/// </summary>
public sealed class ActivationBurstTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Customers = 2_000;
    private const int Days = 20;
    private const int WriterRowsPerBatch = 20;
    private static readonly DateTimeOffset Newest = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan RetryDeadline = TimeSpan.FromSeconds(1);
    // Smaller than the server's connection limit, so an unbounded burst meets the pool's limit, as in production, and not
    // the shared server's; the rebuild limit leaves the writers a few connections of it.
    private const int PoolSize = 24;

    private string _schema = "";
    private TestSchemaRegistry _registry = null!;

    public async Task InitializeAsync()
    {
        _schema = await TestPostgres.CreateSchemaAsync("activation_burst");
        _registry = await TestSchemaRegistry.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        await TestPostgres.DropSchemaAsync(_schema);
    }

    [Fact]
    public async Task Two_thousand_activations_at_once_all_rebuild_and_no_write_of_upstream_or_downstream_misses_its_retry_deadline()
    {
        var settings = UseCaseStreamSettings.Create(Pipeline.Core.Configuration.PipelineConfig.Defaults());
        await using var store = new PostgreSqlHistoryStore(new PostgreSqlStoreSettings(
            $"{TestPostgres.ConnectionString};Maximum Pool Size={PoolSize};Application Name={_schema}", _schema));
        await store.InitializeAsync();
        var encoder = await AvroValueEncoder<Transaction>.CreateAsync(_registry.Client, _registry.Settings, "transactions");
        var expected = await LoadHistoryAsync(store, encoder);
        var history = new TransactionHistory(store, _registry.Client, settings.HistoryPageSize, settings.MaxConcurrentRebuilds);
        var writes = new HistoryWriteSettings(MaxSize: 1000, MaxDelay: TimeSpan.FromMilliseconds(20), Parallelism: 2,
            MinBackoff: TimeSpan.FromMilliseconds(100), MaxBackoff: TimeSpan.FromSeconds(1), RetryDeadline);

        using var stop = new CancellationTokenSource();
        var upstream = WriteUntilAsync(store, writes, HistoryTable.Records, encoder, stop.Token);
        var downstream = WriteUntilAsync(store, writes, HistoryTable.Outputs, encoder, stop.Token);
        var clock = Stopwatch.StartNew();
        var activations = await Task.WhenAll(Enumerable.Range(0, Customers).Select(c => Task.Run(async () =>
        {
            try
            {
                var transactions = await history.ReadAsync(CustomerId(c), Newest.AddDays(-Days), Newest.AddDays(1));
                return (Customer: c, Rows: transactions.Count, Error: (string?)null);
            }
            catch (Exception e)
            {
                return (Customer: c, Rows: 0, Error: $"{e.GetType().Name}: {e.Message}");
            }
        })));
        var burst = clock.Elapsed;
        await stop.CancelAsync();
        var upstreamResult = await upstream;
        var downstreamResult = await downstream;

        var failed = activations.Where(a => a.Error is not null).ToList();
        output.WriteLine($"{Customers} activations with max-concurrent-rebuilds = {settings.MaxConcurrentRebuilds} in {burst.TotalSeconds:F1} s " +
                         $"({Customers / burst.TotalSeconds:F0}/s), {failed.Count} failed{(failed.Count > 0 ? $", first: {failed[0].Error}" : "")}");
        output.WriteLine($"upstream: {upstreamResult.Batches} batches, slowest {upstreamResult.Slowest.TotalMilliseconds:F0} ms, {upstreamResult.Missed.Count} missed the deadline");
        output.WriteLine($"downstream: {downstreamResult.Batches} batches, slowest {downstreamResult.Slowest.TotalMilliseconds:F0} ms, {downstreamResult.Missed.Count} missed the deadline");
        output.WriteLine($"load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");

        Assert.Empty(failed);
        Assert.All(activations, a => Assert.Equal(expected[a.Customer], a.Rows));
        Assert.True(upstreamResult.Batches > 0 && downstreamResult.Batches > 0, "the writers wrote nothing during the burst");
        Assert.Empty(upstreamResult.Missed);
        Assert.Empty(downstreamResult.Missed);
    }

    private static string CustomerId(int customer) => $"c-{customer:D5}";

    /// <summary>2 or 3 transactions per customer and day for <see cref="Days"/> days; returns each customer's count.</summary>
    private static async Task<int[]> LoadHistoryAsync(PostgreSqlHistoryStore store, AvroValueEncoder<Transaction> encoder)
    {
        var counts = new int[Customers];
        var rows = new List<HistoryRow>();
        for (var day = 0; day < Days; day++)
        {
            for (var c = 0; c < Customers; c++)
            {
                var perDay = 2 + (c + day) % 2;
                for (var k = 0; k < perDay; k++)
                {
                    var time = Newest.AddDays(-day).AddMinutes(c % 1000 + k * 7);
                    rows.Add(TransactionRow(encoder, CustomerId(c), time, $"t-{c}-{day}-{k}"));
                    counts[c]++;
                }
                if (rows.Count >= 5_000)
                {
                    await store.AppendAsync(rows);
                    rows.Clear();
                }
            }
        }
        await store.AppendAsync(rows);
        return counts;
    }

    private static HistoryRow TransactionRow(AvroValueEncoder<Transaction> encoder, string customer, DateTimeOffset time, string id,
        HistoryTable table = HistoryTable.Records, string kind = nameof(Transaction)) =>
        new(table, customer, time, id, kind, encoder.Encode(new Transaction
        {
            transactionId = id, customerId = customer, merchant = "Lidl", category = "grocery", amountMinor = 1_250, tipMinor = 0, currency = "EUR",
            timestamp = time.UtcDateTime
        }));

    private sealed record WriterResult(int Batches, TimeSpan Slowest, List<string> Missed);

    /// <summary>
    /// Writes a batch every max delay, as a write flow at a steady rate, to the newest day of <paramref name="table"/> (new
    /// customers, so the reads' windows stay as loaded), with the flow's own retry up to the deadline, until stopped.
    /// </summary>
    private static async Task<WriterResult> WriteUntilAsync(
        PostgreSqlHistoryStore store, HistoryWriteSettings settings, HistoryTable table, AvroValueEncoder<Transaction> encoder, CancellationToken stop)
    {
        var batches = 0;
        var slowest = TimeSpan.Zero;
        var missed = new List<string>();
        while (!stop.IsCancellationRequested)
        {
            // Downstream's outputs carry a use case's feedback; its bytes do not matter to the store, a transaction's will do.
            var kind = table == HistoryTable.Records ? nameof(Transaction) : "duplicate-charge";
            var rows = Enumerable.Range(0, WriterRowsPerBatch)
                .Select(i => TransactionRow(encoder, $"w-{i:D3}", Newest.AddHours(12).AddMilliseconds(batches * 100 + i), $"{table}-{batches}-{i}", table, kind))
                .ToList();
            var started = Stopwatch.GetTimestamp();
            try
            {
                await HistoryWriteRetry.AppendAsync(store, rows, settings);
            }
            catch (HistoryStoreUnavailableException e)
            {
                missed.Add(e.Message);
            }
            var took = Stopwatch.GetElapsedTime(started);
            slowest = took > slowest ? took : slowest;
            batches++;
            await Task.Delay(settings.MaxDelay, CancellationToken.None);
        }
        return new WriterResult(batches, slowest, missed);
    }
}

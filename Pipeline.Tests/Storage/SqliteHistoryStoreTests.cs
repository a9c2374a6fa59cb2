using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Core.Storage;
using Pipeline.Core.Storage.Sqlite;
using Pipeline.Tests.Support;
using Xunit.Abstractions;
using static Pipeline.Tests.Storage.TestRows;

namespace Pipeline.Tests.Storage;

/// <summary>The history store contract on SQLite, each test on its own database file.</summary>
public sealed class SqliteHistoryStoreTests(ITestOutputHelper output) : HistoryStoreContract
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "pipeline-store-tests", Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(_directory, "history.db");

    protected override Task<IHistoryStore> CreateStoreAsync() => Task.FromResult<IHistoryStore>(new SqliteHistoryStore(
        new SqliteStoreSettings(DatabasePath, TimeSpan.FromMilliseconds(200), SqliteSynchronous.Normal)));

    /// <summary>Another connection takes SQLite's write lock, as a second writer process would.</summary>
    protected override async Task<IAsyncDisposable> PauseStoreAsync() => await SqliteWriteLock.TakeAsync(DatabasePath);

    protected override async Task DropCustomerDaysTableAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "DROP TABLE history_customer_days";
        await command.ExecuteNonQueryAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); }
        catch (IOException) { /* a temp directory left behind does no harm */ }
    }

    [Fact]
    public async Task The_database_file_is_in_wal_mode()
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_database_locked_by_another_connection_for_10s_stalls_the_write_flow_which_then_resumes_without_loss()
    {
        var counting = new CountingHistoryStore(Store);

        var run = await RunThroughOutageAsync(counting, Store, PauseStoreAsync);
        output.WriteLine($"{run.Sent} elements in {run.Elapsed.TotalSeconds:F1}s; {run.EmittedWhenStarted} out when the lock was taken, " +
                          $"{run.EmittedWhenEnded} when it was released; {counting.FailedAppends} failed writes, at most {run.MaxInFlight} elements in flight");

        AssertNothingLeftTheFlowDuringTheOutage(run);
        Assert.True(counting.FailedAppends > 0, "no write failed, so the lock did not block the store");
    }

    [Fact]
    public async Task A_scheduled_retention_run_that_finds_the_database_locked_is_reported_and_the_next_check_succeeds()
    {
        await Store.AppendAsync([Record("c-1", Noon.AddDays(-61), "t-61d"), Record("c-1", Noon, "t-now")]);
        var clock = new FakeTimeProvider(Noon);
        var runs = Channel.CreateUnbounded<RetentionRun>();
        using var stop = new CancellationTokenSource();
        Task schedule;

        await using (await PauseStoreAsync())
        {
            schedule = HistoryRetention.Start(Store, RetentionSettings, StreamTimeOn(clock), clock, stop.Token, run => runs.Writer.TryWrite(run));
            var failed = await NextRunAsync(runs);
            Assert.IsType<SqliteException>(failed.Failure);
            Assert.Empty(failed.Dropped);
            Assert.Contains(Store.Description, failed.ToString(), StringComparison.Ordinal);
            Assert.Contains("The next check tries again", failed.ToString(), StringComparison.Ordinal);
        }

        clock.Advance(RetentionSettings.RetentionCheckInterval);
        var next = await NextRunAsync(runs);
        Assert.Null(next.Failure);
        Assert.Equal([new DroppedDay(new DateOnly(2026, 9, 24), 1)], next.Dropped);
        Assert.Equal(["t-now"], (await ReadAllAsync(Store, Everything(HistoryTable.Records, "c-1"))).Select(r => r.Id));

        await stop.CancelAsync();
        await schedule.WaitAsync(TimeSpan.FromSeconds(10));
    }
}

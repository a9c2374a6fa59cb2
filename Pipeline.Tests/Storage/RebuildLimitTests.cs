using Pipeline.Core.Configuration;
using Pipeline.Core.Storage;
using Pipeline.Core.Storage.PostgreSql;
using Pipeline.Core.UseCaseRuntime;

namespace Pipeline.Tests.Storage;

public sealed class RebuildLimitTests
{
    [Fact]
    public async Task No_more_reads_than_the_limit_run_at_once_and_every_read_runs()
    {
        var limit = new RebuildLimit(4);
        var running = 0;
        var most = 0;
        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => limit.RunAsync(async () =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            await Task.Delay(2);
            Interlocked.Decrement(ref running);
            return i;
        }))));

        Assert.Equal(Enumerable.Range(0, 200), results);
        Assert.Equal(4, most);
    }

    [Fact]
    public async Task A_failed_read_gives_its_slot_back()
    {
        var limit = new RebuildLimit(1);
        await Assert.ThrowsAsync<InvalidOperationException>(() => limit.RunAsync<int>(() => throw new InvalidOperationException("store down")));

        Assert.Equal(7, await limit.RunAsync(() => Task.FromResult(7)).WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Every_use_case_of_a_node_shares_one_limit_per_store()
    {
        // A store contacts nothing before it is initialized.
        await using var store = new PostgreSqlHistoryStore(new PostgreSqlStoreSettings("Host=127.0.0.1", "public"));
        await using var other = new PostgreSqlHistoryStore(new PostgreSqlStoreSettings("Host=127.0.0.1", "public"));

        Assert.Same(RebuildLimit.Of(store, 16), RebuildLimit.Of(store, 16));
        Assert.NotSame(RebuildLimit.Of(store, 16), RebuildLimit.Of(other, 16));
    }

    [Fact]
    public void The_setting_defaults_to_16_and_a_value_below_1_names_the_setting_and_the_range()
    {
        Assert.Equal(16, UseCaseStreamSettings.Create(PipelineConfig.Defaults()).MaxConcurrentRebuilds);

        var error = Assert.Throws<ConfigurationError>(() => UseCaseStreamSettings.Create(
            PipelineConfig.Load(null, ["pipeline.store.max-concurrent-rebuilds=0"], new Dictionary<string, string>())));
        Assert.Contains("pipeline.store.max-concurrent-rebuilds", error.Message, StringComparison.Ordinal);
        Assert.Contains("from 1 to 10000", error.Message, StringComparison.Ordinal);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}

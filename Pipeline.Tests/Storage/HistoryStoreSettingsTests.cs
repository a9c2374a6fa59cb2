using Pipeline.Core.Configuration;
using Pipeline.Core.Storage;

namespace Pipeline.Tests.Storage;

public sealed class HistoryStoreSettingsTests
{
    private static HistoryStoreSettings Load(IEnumerable<string>? set = null, IDictionary<string, string>? environment = null) =>
        HistoryStoreSettings.Create(PipelineConfig.Load(null, set ?? [], environment ?? new Dictionary<string, string>()));

    [Fact]
    public void The_shipped_defaults_are_sqlite_under_the_data_dir_with_70_days_retention()
    {
        var settings = Load();

        Assert.Equal(StoreProvider.Sqlite, settings.Provider);
        // The longest default use-case history (recurring-charge-increase), which entities rebuild from.
        Assert.Equal(TimeSpan.FromDays(70), settings.Retention);
        Assert.Equal(TimeSpan.FromHours(1), settings.RetentionCheckInterval);
        Assert.Equal(Path.Combine("data", "history.db"), settings.Sqlite.Path);
        Assert.Equal(SqliteSynchronous.Full, settings.Sqlite.Synchronous);
        Assert.Equal("public", settings.PostgreSql.Schema);
        Assert.Equal(new HistoryWriteSettings(1000, TimeSpan.FromMilliseconds(20), 2, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60)), settings.Write);
    }

    [Fact]
    public void Provider_and_connection_string_come_from_overrides_and_the_environment()
    {
        var settings = Load(
            ["pipeline.store.provider=postgresql", "pipeline.store.write.max-size=500"],
            new Dictionary<string, string>
            {
                ["PIPELINE__pipeline__store__postgresql__connection-string"] = "Host=db.internal;Port=6432;Database=history;Username=svc;Password=hunter2"
            });

        Assert.Equal(StoreProvider.PostgreSql, settings.Provider);
        Assert.Equal(500, settings.Write.MaxSize);
        Assert.Equal("Host=db.internal;Port=6432;Database=history;Username=svc;Password=hunter2", settings.PostgreSql.ConnectionString);
    }

    [Fact]
    public void No_string_form_of_the_settings_shows_the_password()
    {
        var settings = Load(environment: new Dictionary<string, string>
        {
            ["PIPELINE__pipeline__store__postgresql__connection-string"] = "Host=db;Username=svc;Password=hunter2"
        });

        Assert.DoesNotContain("hunter2", settings.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", settings.PostgreSql.ToString(), StringComparison.Ordinal);
        Assert.Contains("Password=***", settings.PostgreSql.RedactedConnectionString, StringComparison.Ordinal);
        Assert.Contains("Host=db", settings.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pipeline.store.provider=cassandra", "pipeline.store.provider")]
    [InlineData("pipeline.store.retention=12h", "pipeline.store.retention")]
    [InlineData("pipeline.store.retention-check-interval=0s", "pipeline.store.retention-check-interval")]
    [InlineData("pipeline.store.write.parallelism=0", "pipeline.store.write.parallelism")]
    [InlineData("pipeline.store.postgresql.schema=Bad-Name", "pipeline.store.postgresql.schema")]
    [InlineData("pipeline.store.write.max-backoff=10ms", "pipeline.store.write.max-backoff")]
    public void A_bad_value_is_refused_naming_its_key(string assignment, string key)
    {
        var error = Assert.Throws<ConfigurationError>(() => Load([assignment]));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }
}

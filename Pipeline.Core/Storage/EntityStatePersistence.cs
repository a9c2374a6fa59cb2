using Akka.Configuration;
using Microsoft.Data.Sqlite;
using Pipeline.Core.Configuration;

namespace Pipeline.Core.Storage;

/// <summary>
/// The Akka.Persistence configuration of the use cases' entity state (journal and snapshots), on the same
/// provider as the history store: Akka.Persistence.Sql on SQLite (a file) or on PostgreSQL (the store's schema).
/// </summary>
public static class EntityStatePersistence
{
    /// <summary>
    /// The HOCON that makes Akka.Persistence.Sql the journal and snapshot store, with the plugin's own
    /// defaults as fallback. Tables are created at first use.
    /// </summary>
    public static Config Hocon(HistoryStoreSettings settings)
    {
        var (connectionString, providerName, schema) = settings.Provider switch
        {
            StoreProvider.Sqlite => (SqliteConnectionString(settings.Sqlite), "SQLite.MS", null),
            StoreProvider.PostgreSql => (settings.PostgreSql.ConnectionString, "PostgreSQL.15", settings.PostgreSql.Schema),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Provider, "unknown store provider")
        };
        var schemaLine = schema is null ? "" : $"default.schema-name = {HoconText.Quote(schema)}";
        var hocon = $$"""
            akka.persistence {
              journal {
                plugin = "akka.persistence.journal.sql"
                sql {
                  connection-string = {{HoconText.Quote(connectionString)}}
                  provider-name = {{HoconText.Quote(providerName)}}
                  auto-initialize = on
                  {{schemaLine}}
                }
              }
              snapshot-store {
                plugin = "akka.persistence.snapshot-store.sql"
                sql {
                  connection-string = {{HoconText.Quote(connectionString)}}
                  provider-name = {{HoconText.Quote(providerName)}}
                  auto-initialize = on
                  {{schemaLine}}
                }
              }
            }
            """;
        return ConfigurationFactory.ParseString(hocon).WithFallback(Akka.Persistence.Sql.SqlPersistence.DefaultConfiguration);
    }

    private static string SqliteConnectionString(SqliteStoreSettings sqlite)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(sqlite.EntityStatePath));
        if (directory is not null)
            Directory.CreateDirectory(directory);
        return new SqliteConnectionStringBuilder { DataSource = sqlite.EntityStatePath, Mode = SqliteOpenMode.ReadWriteCreate }.ToString();
    }
}

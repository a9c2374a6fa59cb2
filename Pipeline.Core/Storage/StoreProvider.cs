namespace Pipeline.Core.Storage;

/// <summary>Which database keeps the history and the entity state.</summary>
public enum StoreProvider
{
    /// <summary>An embedded SQLite file under <c>pipeline.data-dir</c>: the default for development and tests.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server, with the history partitioned by day: the production choice.</summary>
    PostgreSql
}

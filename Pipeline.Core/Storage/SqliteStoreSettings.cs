using Pipeline.Core.Configuration;

namespace Pipeline.Core.Storage;

/// <summary>The embedded SQLite store, from <c>pipeline.store.sqlite</c>, with paths already resolved against <c>pipeline.data-dir</c>.</summary>
public sealed record SqliteStoreSettings(string Path, TimeSpan BusyTimeout, SqliteSynchronous Synchronous)
{
    /// <summary>Reads the section; relative paths are taken relative to <paramref name="dataDir"/>.</summary>
    public static SqliteStoreSettings Create(ConfigSection section, string dataDir) => new(
        System.IO.Path.Combine(dataDir, section.GetString("path")),
        section.GetDuration("busy-timeout"),
        section.GetEnum<SqliteSynchronous>("synchronous"));
}

/// <summary>SQLite's synchronous pragma in WAL mode: how much a committed write survives.</summary>
public enum SqliteSynchronous
{
    /// <summary>Commits survive a process crash; the last ones may be lost on power failure.</summary>
    Normal,

    /// <summary>Every commit is flushed to disk and survives power failure.</summary>
    Full
}

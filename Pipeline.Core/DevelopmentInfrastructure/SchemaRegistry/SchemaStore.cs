using Microsoft.Data.Sqlite;

namespace Pipeline.Core.DevelopmentInfrastructure.SchemaRegistry;

/// <summary>
/// The embedded registry's SQLite file: schemas with their global ids (one id per distinct canonical schema),
/// the versions of each subject, and compatibility levels. Not thread-safe: <see cref="RegistryService"/> serialises access.
/// </summary>
internal sealed class SchemaStore : IDisposable
{
    /// <summary>The subject key under which the global compatibility level is stored.</summary>
    private const string GlobalConfigKey = "";

    private readonly SqliteConnection _connection;
    private SqliteTransaction? _transaction;

    private SchemaStore(SqliteConnection connection) => _connection = connection;

    public static SchemaStore Open(string databasePath)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(databasePath));
        if (!string.IsNullOrEmpty(directory))
            Directory.CreateDirectory(directory);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        connection.Open();
        var store = new SchemaStore(connection);
        store.Execute("""
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS schemas (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                canonical TEXT NOT NULL UNIQUE,
                schema TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS subject_versions (
                subject TEXT NOT NULL,
                version INTEGER NOT NULL,
                schema_id INTEGER NOT NULL REFERENCES schemas(id),
                deleted INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (subject, version));
            CREATE TABLE IF NOT EXISTS compatibility (
                subject TEXT PRIMARY KEY,
                level TEXT NOT NULL);
            """);
        return store;
    }

    /// <summary>The id of a canonical schema, adding it when new; the same schema always keeps its first id.</summary>
    public int IdOf(string canonical, string schema)
    {
        var existing = SchemaIdOf(canonical);
        if (existing is not null)
            return existing.Value;
        return Convert.ToInt32(Scalar("INSERT INTO schemas (canonical, schema) VALUES ($canonical, $schema) RETURNING id",
            ("$canonical", canonical), ("$schema", schema)));
    }

    public int? SchemaIdOf(string canonical) =>
        Scalar("SELECT id FROM schemas WHERE canonical = $canonical", ("$canonical", canonical)) is long id ? (int)id : null;

    public string? SchemaById(int id) => Scalar("SELECT schema FROM schemas WHERE id = $id", ("$id", id)) as string;

    /// <summary>Every version of a subject, oldest first, soft-deleted ones included.</summary>
    public IReadOnlyList<StoredVersion> Versions(string subject) => Query(
        "SELECT v.subject, v.version, v.schema_id, s.schema, v.deleted FROM subject_versions v JOIN schemas s ON s.id = v.schema_id " +
        "WHERE v.subject = $subject ORDER BY v.version", ("$subject", subject));

    /// <summary>Every (subject, version) that uses a schema id.</summary>
    public IReadOnlyList<StoredVersion> VersionsOfSchema(int id) => Query(
        "SELECT v.subject, v.version, v.schema_id, s.schema, v.deleted FROM subject_versions v JOIN schemas s ON s.id = v.schema_id " +
        "WHERE v.schema_id = $id ORDER BY v.subject, v.version", ("$id", id));

    public IReadOnlyList<string> Subjects(bool includeDeleted)
    {
        var sql = includeDeleted
            ? "SELECT DISTINCT subject FROM subject_versions ORDER BY subject"
            : "SELECT DISTINCT subject FROM subject_versions WHERE deleted = 0 ORDER BY subject";
        using var command = Command(sql);
        using var reader = command.ExecuteReader();
        var subjects = new List<string>();
        while (reader.Read())
            subjects.Add(reader.GetString(0));
        return subjects;
    }

    public void AddVersion(string subject, int version, int schemaId) => Execute(
        "INSERT INTO subject_versions (subject, version, schema_id) VALUES ($subject, $version, $id)",
        ("$subject", subject), ("$version", version), ("$id", schemaId));

    public void SoftDelete(string subject, int version) => Execute(
        "UPDATE subject_versions SET deleted = 1 WHERE subject = $subject AND version = $version", ("$subject", subject), ("$version", version));

    public void HardDelete(string subject, int version) => Execute(
        "DELETE FROM subject_versions WHERE subject = $subject AND version = $version", ("$subject", subject), ("$version", version));

    /// <summary>The level set for a subject, or the global one when <paramref name="subject"/> is null; null when none is set.</summary>
    public string? Compatibility(string? subject) =>
        Scalar("SELECT level FROM compatibility WHERE subject = $subject", ("$subject", subject ?? GlobalConfigKey)) as string;

    public void SetCompatibility(string? subject, string level) => Execute(
        "INSERT INTO compatibility (subject, level) VALUES ($subject, $level) ON CONFLICT(subject) DO UPDATE SET level = excluded.level",
        ("$subject", subject ?? GlobalConfigKey), ("$level", level));

    public void DeleteCompatibility(string? subject) =>
        Execute("DELETE FROM compatibility WHERE subject = $subject", ("$subject", subject ?? GlobalConfigKey));

    /// <summary>Runs <paramref name="work"/> in one SQLite transaction, so a registration is all-or-nothing.</summary>
    public T InTransaction<T>(Func<T> work)
    {
        using var transaction = _connection.BeginTransaction();
        _transaction = transaction;
        try
        {
            var result = work();
            transaction.Commit();
            return result;
        }
        finally
        {
            _transaction = null;
        }
    }

    public void Dispose() => _connection.Dispose();

    private IReadOnlyList<StoredVersion> Query(string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        using var reader = command.ExecuteReader();
        var rows = new List<StoredVersion>();
        while (reader.Read())
            rows.Add(new StoredVersion(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetString(3), reader.GetInt64(4) != 0));
        return rows;
    }

    private object? Scalar(string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        return command.ExecuteScalar();
    }

    private void Execute(string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        command.ExecuteNonQuery();
    }

    private SqliteCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = _transaction;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        return command;
    }
}

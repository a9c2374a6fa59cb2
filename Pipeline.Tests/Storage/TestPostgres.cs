using Npgsql;

namespace Pipeline.Tests.Storage;

/// <summary>
/// The PostgreSQL server of the tests, from the environment variable that test.sh exports after starting it.
/// Each test gets its own schema, so tests run in parallel without seeing each other's tables.
/// </summary>
public static class TestPostgres
{
    public const string EnvironmentVariable = "PIPELINE_TEST_POSTGRES";

    /// <summary>The server's connection string; fails the test (never skips it) when the variable is missing.</summary>
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set, so the PostgreSQL tests cannot run. Run the tests with ./test.sh, which " +
                $"starts PostgreSQL (scripts/start-postgres.sh) and exports {EnvironmentVariable}.");

    /// <summary>Creates a fresh schema with a unique name.</summary>
    public static async Task<string> CreateSchemaAsync(string prefix)
    {
        var schema = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)];
        await ExecuteAsync($"CREATE SCHEMA {schema}");
        return schema;
    }

    /// <summary>Drops a schema made by <see cref="CreateSchemaAsync"/> and everything in it.</summary>
    public static Task DropSchemaAsync(string schema) => ExecuteAsync($"DROP SCHEMA IF EXISTS {schema} CASCADE");

    /// <summary>The names of the tables in a schema.</summary>
    public static async Task<List<string>> TablesAsync(string schema)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = @schema", connection);
        command.Parameters.AddWithValue("schema", schema);
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            names.Add(reader.GetString(0));
        return names;
    }

    public static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

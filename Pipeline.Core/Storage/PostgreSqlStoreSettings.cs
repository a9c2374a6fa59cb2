using Npgsql;
using Pipeline.Core.Configuration;

namespace Pipeline.Core.Storage;

/// <summary>The PostgreSQL store, from <c>pipeline.store.postgresql</c>. Its string form never shows the password.</summary>
public sealed record PostgreSqlStoreSettings
{
    /// <summary>Creates settings; throws <see cref="ConfigurationError"/> when the connection string or schema is malformed.</summary>
    public PostgreSqlStoreSettings(string connectionString, string schema)
    {
        try { _ = new NpgsqlConnectionStringBuilder(connectionString); }
        catch (ArgumentException e)
        {
            // The message of the parser can quote the string, so it is not repeated here.
            throw new ConfigurationError(
                "Setting 'pipeline.store.postgresql.connection-string' is not a valid Npgsql connection string " +
                "(e.g. Host=db;Port=5432;Database=pipeline;Username=pipeline;Password=...); fix its syntax.", e);
        }
        if (!PostgreSqlNames.IsPlainIdentifier(schema))
            throw new ConfigurationError(
                $"Setting 'pipeline.store.postgresql.schema' = '{schema}' is not a plain identifier; use lower-case letters, digits and '_', starting with a letter.");
        ConnectionString = connectionString;
        Schema = schema;
    }

    /// <summary>The Npgsql connection string, secrets included: never log it, log <see cref="RedactedConnectionString"/>.</summary>
    public string ConnectionString { get; }

    /// <summary>The schema holding the history tables.</summary>
    public string Schema { get; }

    /// <summary>The connection string with its password replaced by <c>***</c>.</summary>
    public string RedactedConnectionString => Redact(ConnectionString);

    /// <summary>Reads the section strictly.</summary>
    public static PostgreSqlStoreSettings Create(ConfigSection section) =>
        new(section.GetString("connection-string"), section.GetString("schema"));

    /// <summary>Replaces the password of an Npgsql connection string with <c>***</c>.</summary>
    public static string Redact(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(builder.Password))
            builder.Password = "***";
        return builder.ConnectionString;
    }

    /// <inheritdoc />
    public override string ToString() => $"PostgreSqlStoreSettings {{ ConnectionString = {RedactedConnectionString}, Schema = {Schema} }}";
}

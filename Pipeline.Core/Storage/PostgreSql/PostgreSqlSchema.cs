namespace Pipeline.Core.Storage.PostgreSql;

/// <summary>
/// The DDL of the PostgreSQL history: one parent table per history table, partitioned by range of the
/// day bucket, with the Cassandra key as primary key. Every statement is idempotent.
/// </summary>
internal static class PostgreSqlSchema
{
    /// <summary>Creates the schema and both parent tables when missing.</summary>
    public static string Create(string schema) =>
        $"CREATE SCHEMA IF NOT EXISTS {schema};\n" +
        CreateParent(schema, HistoryTable.Records) +
        CreateParent(schema, HistoryTable.Outputs);

    /// <summary>Creates the partition of one day when missing.</summary>
    public static string CreatePartition(string schema, HistoryTable table, int day) =>
        $"CREATE TABLE IF NOT EXISTS {schema}.{PostgreSqlNames.Partition(table, day)} " +
        $"PARTITION OF {schema}.{PostgreSqlNames.Table(table)} FOR VALUES FROM ({day}) TO ({day + 1});";

    /// <summary>Lists the day partitions of a parent table (name only).</summary>
    public const string ListPartitions = """
        SELECT child.relname
        FROM pg_inherits i
        JOIN pg_class parent ON parent.oid = i.inhparent
        JOIN pg_class child ON child.oid = i.inhrelid
        JOIN pg_namespace ns ON ns.oid = parent.relnamespace
        WHERE ns.nspname = @schema AND parent.relname = @parent
        """;

    private static string CreateParent(string schema, HistoryTable table) => $"""
        CREATE TABLE IF NOT EXISTS {schema}.{PostgreSqlNames.Table(table)} (
            customer_id text NOT NULL,
            day integer NOT NULL,
            event_time bigint NOT NULL,
            id text NOT NULL,
            kind text NOT NULL,
            payload bytea NOT NULL,
            PRIMARY KEY (customer_id, day, event_time, id)
        ) PARTITION BY RANGE (day);

        """;
}

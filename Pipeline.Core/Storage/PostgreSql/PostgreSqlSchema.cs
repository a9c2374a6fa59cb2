namespace Pipeline.Core.Storage.PostgreSql;

/// <summary>
/// The DDL of the PostgreSQL history: one parent table per history table, partitioned by range of the
/// day bucket, with the Cassandra key as primary key. Every statement is idempotent.
/// </summary>
internal static class PostgreSqlSchema
{
    /// <summary>Creates the schema and the parent tables when missing.</summary>
    public static string Create(string schema) =>
        $"CREATE SCHEMA IF NOT EXISTS {schema};\n" +
        CreateParent(schema, HistoryTable.Records) +
        CreateParent(schema, HistoryTable.Outputs) +
        $"""
        CREATE TABLE IF NOT EXISTS {schema}.{PostgreSqlNames.CustomerDays} (
            day integer NOT NULL,
            customer_id text NOT NULL,
            PRIMARY KEY (day, customer_id)
        ) PARTITION BY RANGE (day);

        """;

    /// <summary>Whether the customers-by-day table is missing (a schema from before it), so it must be filled from the records once.</summary>
    public static string CustomerDaysMissing(string schema) =>
        $"SELECT to_regclass('{schema}.{PostgreSqlNames.CustomerDays}') IS NULL";

    /// <summary>The days the records table holds (to create the customers-by-day partitions before filling them).</summary>
    public static string RecordDays(string schema) => $"SELECT DISTINCT day FROM {schema}.{PostgreSqlNames.Table(HistoryTable.Records)}";

    /// <summary>Fills the customers-by-day table from the records.</summary>
    public static string FillCustomerDays(string schema) =>
        $"INSERT INTO {schema}.{PostgreSqlNames.CustomerDays} (day, customer_id) " +
        $"SELECT DISTINCT day, customer_id FROM {schema}.{PostgreSqlNames.Table(HistoryTable.Records)} ON CONFLICT DO NOTHING";

    /// <summary>Creates the partition of one day of a parent table when missing.</summary>
    public static string CreatePartition(string schema, string parent, int day) =>
        $"CREATE TABLE IF NOT EXISTS {schema}.{PostgreSqlNames.Partition(parent, day)} " +
        $"PARTITION OF {schema}.{parent} FOR VALUES FROM ({day}) TO ({day + 1});";

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

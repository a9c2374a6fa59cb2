namespace Pipeline.Core.Storage;

/// <summary>The two kinds of history the store keeps, each in its own table.</summary>
public enum HistoryTable
{
    /// <summary>Input records (transactions); the row id is the record id and the kind names the record type.</summary>
    Records,

    /// <summary>Use-case outputs (feedback); the row id is the feedback id and the kind is the use case.</summary>
    Outputs
}

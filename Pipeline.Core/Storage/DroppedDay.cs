namespace Pipeline.Core.Storage;

/// <summary>A day bucket retention dropped, with the rows (records and outputs) it held.</summary>
public sealed record DroppedDay(DateOnly Day, long Rows)
{
    public override string ToString() => $"{Day:yyyy-MM-dd} ({Rows} rows)";
}

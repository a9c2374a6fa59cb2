namespace Pipeline.Core.Kafka.Settings;

/// <summary>Where a source starts reading each newly assigned partition.</summary>
public abstract record StartPosition
{
    /// <summary>The group's committed offset; with none, the consumer's auto.offset.reset decides.</summary>
    public static StartPosition Committed { get; } = new CommittedPosition();

    /// <summary>The oldest retained record, ignoring committed offsets.</summary>
    public static StartPosition Beginning { get; } = new BeginningPosition();

    /// <summary>Only records produced from now on, ignoring committed offsets.</summary>
    public static StartPosition End { get; } = new EndPosition();

    /// <summary>The first record whose timestamp is at or after <paramref name="time"/> (for replay).</summary>
    public static StartPosition FromTime(DateTimeOffset time) => new TimestampPosition(time);

    internal sealed record CommittedPosition : StartPosition;

    internal sealed record BeginningPosition : StartPosition;

    internal sealed record EndPosition : StartPosition;

    internal sealed record TimestampPosition(DateTimeOffset Time) : StartPosition;
}

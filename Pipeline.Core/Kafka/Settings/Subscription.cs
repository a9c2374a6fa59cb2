namespace Pipeline.Core.Kafka.Settings;

/// <summary>What a source subscribes to, where it starts, and who hears about rebalances. Immutable.</summary>
public sealed record Subscription(IReadOnlyList<string> Topics, StartPosition Start, IPartitionEventListener? Listener)
{
    public static Subscription ForTopics(params string[] topics) => new(topics, StartPosition.Committed, null);

    public Subscription WithStart(StartPosition start) => this with { Start = start };

    public Subscription WithListener(IPartitionEventListener listener) => this with { Listener = listener };

    public override string ToString() => $"topics [{string.Join(", ", Topics)}] from {Start}";
}

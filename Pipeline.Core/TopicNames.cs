using Pipeline.Core.Configuration;

namespace Pipeline.Core;

/// <summary>The topics of the diamond, from <c>pipeline.topics</c>.</summary>
public sealed record TopicNames(
    string Raw,
    string Transactions,
    string CustomerSettings,
    string Feedback,
    string Notifications,
    string DeadLetters,
    int Partitions)
{
    public static TopicNames Create(ConfigSection section) => new(
        section.GetString("raw"),
        section.GetString("transactions"),
        section.GetString("customer-settings"),
        section.GetString("feedback"),
        section.GetString("notifications"),
        section.GetString("dead-letters"),
        section.GetInt("partitions", 1, 10_000));

    public IReadOnlyList<string> All => [Raw, Transactions, CustomerSettings, Feedback, Notifications, DeadLetters];
}

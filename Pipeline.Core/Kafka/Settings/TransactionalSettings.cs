using Pipeline.Core.Configuration;

namespace Pipeline.Core.Kafka.Settings;

/// <summary>Settings of the exactly-once flow, from <c>akka.kafka.transactional</c>.</summary>
internal sealed record TransactionalSettings(TimeSpan CommitInterval, TimeSpan TransactionTimeout)
{
    public static TransactionalSettings Create(ConfigSection section) => new(
        section.GetDuration("commit-interval"),
        section.GetDuration("transaction-timeout"));

    public TransactionalSettings WithCommitInterval(TimeSpan value) => this with { CommitInterval = value };
}

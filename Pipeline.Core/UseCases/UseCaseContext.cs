namespace Pipeline.Core.UseCases;

/// <summary>What a use case knows besides its own state and settings when it evaluates one transaction.</summary>
/// <param name="Customer">The customer's own settings.</param>
/// <param name="History">How far back use-case state may look (<c>pipeline.use-cases.history</c>, 60 days).</param>
public sealed record UseCaseContext(CustomerSettings Customer, TimeSpan History)
{
    /// <summary>The oldest instant still inside the history window of <paramref name="transaction"/>; older entries are evicted.</summary>
    public DateTimeOffset HistoryStart(CardTransaction transaction) => transaction.Timestamp - History;
}

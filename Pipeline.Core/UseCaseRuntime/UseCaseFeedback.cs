using Pipeline.Core.UseCases;

namespace Pipeline.Core.UseCaseRuntime;

/// <summary>
/// One finding of one use case variant about one transaction, as published on the <c>feedback</c> topic.
/// Every field is derived from the transaction and the finding, so a replay produces an identical record.
/// </summary>
/// <param name="FeedbackId">Derived from use case, variant and transaction id (see <see cref="FeedbackIds"/>).</param>
/// <param name="Timestamp">The transaction's event time.</param>
public sealed record UseCaseFeedback(
    string FeedbackId,
    string UseCase,
    string Variant,
    string CustomerId,
    string TransactionId,
    string Message,
    DateTimeOffset Timestamp);

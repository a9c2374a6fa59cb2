using Pipeline.Core.UseCases;

namespace Pipeline.Core.UseCaseRuntime;

/// <summary>Asks a customer's entity of one use case to apply one transaction with every variant.</summary>
/// <param name="Transaction">The transaction, in the customer's Kafka order.</param>
/// <param name="Customer">The customer's own settings at the time of the transaction.</param>
public sealed record EvaluateTransaction(CardTransaction Transaction, CustomerSettings Customer);

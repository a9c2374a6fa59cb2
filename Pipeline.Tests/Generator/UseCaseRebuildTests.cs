using Pipeline.Core.Configuration;
using Pipeline.Core.UseCases;
using Pipeline.UseCases;
using Xunit.Abstractions;

namespace Pipeline.Tests.Generator;

/// <summary>
/// An entity that activates (after passivation, a rebalance or a crash) rebuilds its state from the customer's records
/// within the history window, read from the store. Over 200,000 generated records, with every use case's default settings,
/// a state rebuilt that way at every transaction with a finding and at every 100th other one decides that transaction exactly like the state of an entity that saw
/// every record before it.
/// </summary>
public sealed class UseCaseRebuildTests(ITestOutputHelper output)
{
    private const int RebuildEvery = 100;

    public static TheoryData<string, string> Variants => UseCaseQualityTests.Variants;

    [Theory]
    [MemberData(nameof(Variants))]
    public void A_state_rebuilt_from_the_history_window_decides_like_one_that_saw_every_record(string name, string variant)
    {
        var useCase = UseCaseRegistry.Discover(UseCasesAssembly.Assembly)
            .Configure(PipelineConfig.Defaults().Section("pipeline.use-cases"))
            .Single(u => u.Name == name && u.Variant == variant);

        var memories = new Dictionary<string, UseCaseMemory>();
        var seen = new Dictionary<string, List<CardTransaction>>();
        int rebuilds = 0, findings = 0;
        var index = 0;
        foreach (var (_, transaction) in GeneratedSample.Records)
        {
            var customer = CustomerSettings.None(transaction.CustomerId);
            var history = seen.TryGetValue(transaction.CustomerId, out var list) ? list : seen[transaction.CustomerId] = [];
            history.Add(transaction);

            if (!memories.TryGetValue(transaction.CustomerId, out var memory))
                memories[transaction.CustomerId] = memory = useCase.NewMemory();
            var feedback = useCase.Apply(memory, transaction, customer);

            if (index++ % RebuildEvery != 0 && feedback is null)
                continue;
            // As the entity does: one range read from the activating transaction back one window, folded, then the transaction.
            var from = transaction.Timestamp - useCase.History;
            var rebuilt = useCase.NewMemory();
            foreach (var earlier in history.Where(t => t.Timestamp >= from && t.Timestamp <= transaction.Timestamp))
                useCase.Apply(rebuilt, earlier, customer);
            var rebuiltFeedback = useCase.Apply(rebuilt, transaction, customer);

            Assert.True(feedback == rebuiltFeedback,
                $"{name}/{variant}, transaction {transaction.TransactionId} of {transaction.CustomerId} at {transaction.Timestamp:O}: " +
                $"an entity that saw everything gives '{feedback?.Message}', one rebuilt from {useCase.History.TotalDays} days gives '{rebuiltFeedback?.Message}'");
            rebuilds++;
            if (feedback is not null)
                findings++;
        }
        output.WriteLine($"{name}/{variant}: {rebuilds} rebuilds compared, {findings} of them with a finding");
        Assert.True(findings > 0, "no rebuild point had a finding: the comparison would not notice a missed one");
    }
}

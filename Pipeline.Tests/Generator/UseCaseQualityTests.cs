using Pipeline.Core.Configuration;
using Pipeline.Core.Generator;
using Pipeline.Core.UseCases;
using Pipeline.UseCases;
using Xunit.Abstractions;

namespace Pipeline.Tests.Generator;

/// <summary>
/// Runs every reference use case with its default settings over 200,000 generated records (about 75
/// simulated days of 1,000 customers), one memory per customer as a host would keep it, and compares
/// the feedback with the generator's ground truth.
/// </summary>
public sealed class UseCaseQualityTests(ITestOutputHelper output)
{
    private const double Required = 0.95;

    public static TheoryData<string, string> Variants => new()
    {
        { "DuplicateCharge", "A" },
        { "UnusualTip", "A" },
        { "RecurringChargeIncrease", "A" },
        { "LargePurchase", "A" },
        { "LargePurchase", "B" }
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void Precision_and_recall_against_the_ground_truth_are_at_least_95_percent(string name, string variant)
    {
        var useCase = UseCaseRegistry.Discover(UseCasesAssembly.Assembly)
            .Configure(PipelineConfig.Defaults().Section("pipeline.use-cases"))
            .Single(u => u.Name == name && u.Variant == variant);

        var memories = new Dictionary<string, UseCaseMemory>();
        var reported = new HashSet<string>();
        foreach (var (_, transaction) in GeneratedSample.Records)
        {
            if (!memories.TryGetValue(transaction.CustomerId, out var memory))
                memories[transaction.CustomerId] = memory = useCase.NewMemory();
            if (useCase.Apply(memory, transaction, CustomerSettings.None(transaction.CustomerId)) is { } feedback)
                reported.Add(feedback.TransactionId);
        }

        var expected = Enum.Parse<ExpectedUseCase>(name);
        var truth = GeneratedSample.Records.Where(r => r.Record.Expected == expected).Select(r => r.Record.TransactionId).ToHashSet();
        var truePositives = reported.Count(truth.Contains);
        var precision = truePositives / (double)reported.Count;
        var recall = truePositives / (double)truth.Count;
        output.WriteLine($"{name}/{variant}: {truth.Count} injected, {reported.Count} reported, precision {precision:P2}, recall {recall:P2}");

        Assert.True(truth.Count >= 100, $"only {truth.Count} injections of {name}: too few to measure");
        Assert.True(precision >= Required, $"{name}/{variant}: precision {precision:P2} ({reported.Count - truePositives} false of {reported.Count} reported)");
        Assert.True(recall >= Required, $"{name}/{variant}: recall {recall:P2} ({truth.Count - truePositives} of {truth.Count} injected missed)");
    }
}

using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;
using Xunit.Abstractions;

namespace Pipeline.Tests.Generator;

/// <summary>
/// Runs every registered use case that targets a behaviour the generator injects, with its default settings, over
/// 200,000 generated records (about 75 simulated days of 1,000 customers), one memory per customer as a host would keep
/// it, and compares the feedback with the generator's ground truth.
/// </summary>
public sealed class UseCaseQualityTests(ITestOutputHelper output)
{
    private const double Required = 0.95;

    public static TheoryData<string, string> Variants => RegisteredVariants.Targeted();

    [Theory]
    [MemberData(nameof(Variants))]
    public void Precision_and_recall_against_the_ground_truth_are_at_least_95_percent(string key, string variant)
    {
        var useCase = RegisteredVariants.Configure(key, variant);
        var target = useCase.UseCase.TargetBehaviour;

        var fold = new CustomerFold(useCase);
        var reported = new HashSet<string>();
        foreach (var (_, transaction) in GeneratedSample.Records)
        {
            if (fold.Apply(transaction, CustomerSettings.None(transaction.CustomerId)) is { } feedback)
                reported.Add(feedback.TransactionId);
        }

        var truth = GeneratedSample.Records.Where(r => r.Record.Behaviour == target).Select(r => r.Record.TransactionId).ToHashSet();
        var truePositives = reported.Count(truth.Contains);
        var precision = truePositives / (double)reported.Count;
        var recall = truePositives / (double)truth.Count;
        output.WriteLine($"{useCase}: {truth.Count} injected, {reported.Count} reported, precision {precision:P2}, recall {recall:P2}");

        Assert.True(truth.Count >= 100, $"only {truth.Count} injections of {target}: too few to measure");
        Assert.True(precision >= Required, $"{useCase}: precision {precision:P2} ({reported.Count - truePositives} false of {reported.Count} reported)");
        Assert.True(recall >= Required, $"{useCase}: recall {recall:P2} ({truth.Count - truePositives} of {truth.Count} injected missed)");
    }
}

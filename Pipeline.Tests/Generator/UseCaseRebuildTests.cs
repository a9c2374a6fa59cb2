using Pipeline.Core.Trial;
using Xunit.Abstractions;

namespace Pipeline.Tests.Generator;

/// <summary>
/// An entity that activates (after passivation, a rebalance or a crash) rebuilds its state from the customer's records
/// within the history window, read from the store. For every registered use case, over 200,000 generated records with its
/// default settings, a state rebuilt that way at every transaction with a finding and at every 100th other one decides
/// that transaction exactly like the state of an entity that saw every record before it: the check of <c>pipeline try</c>.
/// </summary>
public sealed class UseCaseRebuildTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> Variants => RegisteredVariants.All();

    [Theory]
    [MemberData(nameof(Variants))]
    public void A_state_rebuilt_from_the_history_window_decides_like_one_that_saw_every_record(string key, string variant)
    {
        var useCase = RegisteredVariants.Configure(key, variant);
        var records = GeneratedSample.Records.Select(r => new TrialRecord(r.Transaction, r.Record.Behaviour));

        var report = UseCaseTrial.Run(key, [useCase], records, new TrialOptions(RebuildEvery: 100, SampleMessages: 0, GroundTruth: true)).Variants.Single();

        output.WriteLine($"{useCase}: {report.RebuildsCompared} rebuilds compared, {report.RebuildsWithFinding} of them with a finding, {report.Mismatches} differ");
        Assert.True(report.FirstMismatch is null,
            $"{useCase}: {report.Mismatches} rebuilt states decided differently; first {report.FirstMismatch}");
        Assert.True(report.RebuildsWithFinding > 0, "no rebuild point had a finding: the comparison would not notice a missed one");
    }
}

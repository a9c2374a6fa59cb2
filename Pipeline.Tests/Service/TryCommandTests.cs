using System.Collections.Immutable;
using Pipeline.Core.Configuration;
using Pipeline.Core.Generator;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;
using Pipeline.Service.Trial;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Service;

/// <summary>
/// <c>pipeline try</c>: the real executable on a reference use case, and the same run in process on a use case whose state
/// is not a function of its history window, which the rebuild check must catch.
/// </summary>
public sealed class TryCommandTests
{
    [Fact]
    public void A_reference_use_case_prints_its_findings_quality_per_variant_cost_and_a_passed_rebuild_check_and_exits_0()
    {
        using var run = PipelineProcess.Start("try", "--use-case", "large-purchase", "--records", "60000", "--customers", "300");
        Assert.True(run.WaitForExit(TimeSpan.FromMinutes(3)), "pipeline try did not finish:\n" + run.Output);
        var output = run.Output;
        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}:\n{output}");

        Assert.Contains("pipeline try large-purchase: generated records (300 customers, seed 42)", output);
        foreach (var variant in new[] { "LargePurchase/A  targets large-purchase", "LargePurchase/B  targets large-purchase" })
            Assert.Contains(variant, output);
        Assert.Matches(@"precision \d+\.\d % \([\d,]+ of [\d,]+ reported\), recall \d+\.\d % \([\d,]+ of [\d,]+ injected\)", output);
        Assert.Matches(@"evaluate   p50 \d+\.\d us, p99 \d+\.\d us", output);
        Assert.Matches(@"rebuild    passed: [\d,]+ states rebuilt from the history window decided like long-lived ones, [1-9][\d,]* with a finding", output);
        Assert.Matches(@"sample\s+t-\d{8} c-\d{6} ", output);
        Assert.Contains("result: the rebuild check passed (exit code 0)", output);
    }

    [Fact]
    public void A_use_case_that_remembers_beyond_its_window_fails_the_rebuild_check_naming_the_transaction_and_exits_non_zero()
    {
        var config = PipelineConfig.Load(null, ["pipeline.use-cases.purchase-counter.history=2d"], new Dictionary<string, string>());
        var registry = UseCaseRegistry.Of([new PurchaseCounter()]);
        var output = new StringWriter();
        var errors = new StringWriter();

        var exitCode = TryRun.Run(config, registry, new TryOptions("purchase-counter", 20_000, 200, null, null), output, errors);

        var text = output.ToString();
        Assert.True(exitCode == TryRun.RebuildCheckFailed, $"exit code {exitCode}:\n{text}{errors}");
        Assert.Matches(@"rebuild    FAILED: [\d,]+ of [\d,]+ rebuilt states decided differently; first at t-\d{8} of c-\d{6} at \S+: " +
            @"the long-lived state gives '10th purchase ever\.', the one rebuilt from the history window gives no finding", text);
        Assert.Contains("result: the rebuild check FAILED (exit code 1)", text);
        // Its target is not a behaviour the generator injects: said plainly, and its findings are still shown.
        Assert.Contains("PurchaseCounter/A  targets repeat-buyer", text);
        Assert.Contains("no precision or recall: the generator injects no 'repeat-buyer'", text);
        Assert.Matches(@"sample\s+t-\d{8} c-\d{6} \S+  10th purchase ever\.", text);
    }

    [Fact]
    public void Records_from_a_file_are_tried_without_ground_truth_and_refused_lines_are_counted_with_the_first_reason()
    {
        var settings = GeneratorSettings.Create(PipelineConfig.Defaults().Section("pipeline.generator"), DateTimeOffset.UtcNow) with { Customers = 50 };
        var lines = TransactionGenerator.Create(settings).Records().Take(3_000).Select(r => System.Text.Encoding.UTF8.GetString(r.Value)).ToList();
        lines.Insert(10, "{\"transactionId\": 12}");
        var path = Path.Combine(Directory.CreateTempSubdirectory("pipeline-try-").FullName, "records.jsonl");
        File.WriteAllLines(path, lines);

        using var run = PipelineProcess.Start("try", "--use-case", "duplicate-charge", "--input", path);
        Assert.True(run.WaitForExit(TimeSpan.FromMinutes(2)), "pipeline try did not finish:\n" + run.Output);
        var output = run.Output;
        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}:\n{output}");
        Assert.Contains($"pipeline try duplicate-charge: records of {path}", output);
        Assert.Contains("1 records refused as the upstream would (dead letters live); first: records.jsonl line 11:", output);
        Assert.Contains("findings", output);
        Assert.Contains("of 3,000 transactions", output);
        Assert.Contains("no precision or recall: records read from a file carry no ground truth", output);
    }

    [Fact]
    public void A_missing_input_file_is_refused_with_the_fix()
    {
        using var run = PipelineProcess.Start("try", "--use-case", "duplicate-charge", "--input", "/nonexistent/records.jsonl");
        Assert.True(run.WaitForExit(TimeSpan.FromMinutes(1)), run.Output);
        Assert.Equal(TryRun.NoInput, run.ExitCode);
        Assert.Contains("--input '/nonexistent/records.jsonl' does not exist. Give a file of raw JSON records, one per line", run.Output);
    }

    /// <summary>Reports every customer's 10th purchase ever: a count that a state rebuilt from a short window cannot know.</summary>
    public sealed class PurchaseCounter : UseCase<PurchaseCounter.Count, NoSettings>
    {
        public override string Name => "PurchaseCounter";

        public override string? TargetBehaviour => "repeat-buyer";

        public override Count InitialState => new(0);

        public override NoSettings ReadSettings(ConfigSection section) => NoSettings.Instance;

        public override Evaluation<Count> Evaluate(Count state, CardTransaction transaction, NoSettings settings, UseCaseContext context)
        {
            var next = new Count(state.Purchases + 1);
            return next.Purchases == 10 ? Evaluation.Report(next, "10th purchase ever.") : Evaluation.Quiet(next);
        }

        public sealed record Count(int Purchases);
    }

    public sealed record NoSettings
    {
        public static readonly NoSettings Instance = new();
    }
}

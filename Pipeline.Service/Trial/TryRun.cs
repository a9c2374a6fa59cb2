using Pipeline.Core.Configuration;
using Pipeline.Core.Generator;
using Pipeline.Core.Trial;
using Pipeline.Core.Upstream;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;

namespace Pipeline.Service.Trial;

/// <summary>
/// <c>pipeline try</c>: one use case over generated records (or a file of raw records) in process, then its report.
/// Works on any registered <see cref="IUseCase"/>, whatever it is written in.
/// </summary>
internal static class TryRun
{
    /// <summary>Exit code: the rebuild check failed.</summary>
    public const int RebuildCheckFailed = 1;

    /// <summary>Exit code: the input could not be read or held no record.</summary>
    public const int NoInput = 2;

    public static int Run(PipelineConfig config, UseCaseRegistry registry, TryOptions options, TextWriter output, TextWriter errors)
    {
        var variants = registry.ConfigureOne(config.Section("pipeline.use-cases"), options.UseCase);
        var trialOptions = TrialOptions.Create(config.Section("pipeline.try"), groundTruth: options.Input is null);
        var input = new TrialInput(new RawTransactionParser(UpstreamSettings.Create(config).Limits, TimeProvider.System));
        string source;
        IEnumerable<TrialRecord> records;
        if (options.Input is { } path)
        {
            if (!File.Exists(path))
            {
                errors.WriteLine($"--input '{path}' does not exist. Give a file of raw JSON records, one per line (the format of 'pipeline generate').");
                return NoInput;
            }
            source = $"records of {path}";
            records = input.FromFile(path);
        }
        else
        {
            var generator = GeneratorSettings.Create(config.Section("pipeline.generator"), DateTimeOffset.UtcNow);
            generator = generator with { Customers = options.Customers ?? generator.Customers, Seed = options.Seed ?? generator.Seed };
            source = $"generated records ({generator.Customers:N0} customers, seed {generator.Seed})";
            records = input.FromGenerator(generator, options.Records ?? config.Section("pipeline.try").GetInt("records", 1, 100_000_000));
        }

        TrialReport report;
        try
        {
            report = UseCaseTrial.Run(options.UseCase, variants, records, trialOptions);
        }
        catch (IOException e)
        {
            errors.WriteLine($"--input '{options.Input}' cannot be read: {e.Message}");
            return NoInput;
        }
        TrialReportText.Write(report, source, input, output);
        if (report.Variants.All(v => v.Records == 0))
        {
            errors.WriteLine($"No record was evaluated: all {input.Rejected} were refused. Fix the records (first refusal above).");
            return NoInput;
        }
        return report.Passed ? 0 : RebuildCheckFailed;
    }
}

using System.CommandLine;
using Pipeline.Service.Run;
using Pipeline.Service.Trial;

namespace Pipeline.Service.Commands;

/// <summary><c>pipeline try</c>: the author's loop, one use case over generated (or given) records in process, without Kafka.</summary>
internal static class TryCommand
{
    private static readonly Option<string> UseCase = new("--use-case") { Description = "The use case to try, by key, e.g. duplicate-charge (every variant runs).", Required = true };
    private static readonly Option<int?> Records = new("--records") { Description = "How many generated records (default: pipeline.try.records)." };
    private static readonly Option<int?> Customers = new("--customers") { Description = "Synthetic customers (default: pipeline.generator.customers)." };
    private static readonly Option<int?> Seed = new("--seed") { Description = "Seed of the generator (default: pipeline.generator.seed)." };
    private static readonly Option<string?> Input = new("--input")
    {
        Description = "Read raw JSON records from this file, one per line, instead of generating them (no ground truth then)."
    };

    public static Command Create()
    {
        var command = new Command("try",
            "Run one use case over generated records in process and print its findings, precision and recall, evaluate cost and the rebuild check; " +
            "exit code 0 only when the rebuild check passes.");
        foreach (var option in new Option[] { UseCase, Records, Customers, Seed, Input })
            command.Options.Add(option);
        CommonOptions.AddTo(command);
        command.SetAction(parse =>
        {
            var config = CommonOptions.Load(parse);
            var options = new TryOptions(parse.GetValue(UseCase)!, parse.GetValue(Records), parse.GetValue(Customers), parse.GetValue(Seed), parse.GetValue(Input));
            return TryRun.Run(config, RunSettings.AvailableUseCases(config), options, Console.Out, Console.Error);
        });
        return command;
    }
}

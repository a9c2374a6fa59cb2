using System.CommandLine;
using Pipeline.Core.Configuration;
using Pipeline.Service.Replay;

namespace Pipeline.Service.Commands;

/// <summary><c>pipeline backfill</c>: runs a new use case over the last N days of history, then hands over to its live stream.</summary>
internal static class BackfillCommand
{
    private static readonly Option<string> UseCase = new("--use-case") { Description = "The use case to backfill, by key, e.g. duplicate-charge.", Required = true };
    private static readonly Option<int> Days = new("--days") { Description = "How many days back from now the history is evaluated.", Required = true };
    private static readonly Option<string?> OutputTopic = new("--output-topic")
    {
        Description = "Topic the feedback goes to (default: pipeline.topics.feedback, so downstream delivers it)."
    };

    public static Command Create()
    {
        var command = new Command("backfill",
            "Run a use case over the last N days of the history store and send its feedback; its live stream then starts where the backfill left off.");
        foreach (var option in new Option[] { UseCase, Days, OutputTopic })
            command.Options.Add(option);
        CommonOptions.AddTo(command);
        command.SetAction(async (parse, _) =>
        {
            var config = CommonOptions.Load(parse);
            var days = parse.GetValue(Days);
            if (days < 1)
                throw new ConfigurationError($"--days {days} must be at least 1: the number of days back from now to evaluate.");
            using var signal = new ShutdownSignal();
            return await BackfillRun.RunAsync(config, parse.GetValue(UseCase)!, days, parse.GetValue(OutputTopic), signal.Token);
        });
        return command;
    }
}

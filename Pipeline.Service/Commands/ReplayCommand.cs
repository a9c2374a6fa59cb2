using System.CommandLine;
using Pipeline.Core.Configuration;
using Pipeline.Service.Replay;

namespace Pipeline.Service.Commands;

/// <summary><c>pipeline replay</c>: re-runs one use case over a time range of the transactions topic, next to the live pipeline.</summary>
internal static class ReplayCommand
{
    private static readonly Option<string> UseCase = new("--use-case") { Description = "The use case to replay, by key, e.g. duplicate-charge.", Required = true };
    private static readonly Option<string> From = new("--from") { Description = "Replay records whose Kafka timestamp is at or after this ISO 8601 time (UTC unless an offset is given).", Required = true };
    private static readonly Option<string?> To = new("--to") { Description = "Stop at the first record after this ISO 8601 time (default: when caught up with the end the topic had at start)." };
    private static readonly Option<string?> Group = new("--group") { Description = "Consumer group of the replay (default: pipeline.replay.group-id-prefix + use case + start time)." };
    private static readonly Option<string?> OutputTopic = new("--output-topic")
    {
        Description = "Topic the replay's feedback goes to (default: pipeline.replay.output-topic). The live feedback topic is safe too: feedback ids are deterministic and downstream delivers each once."
    };

    public static Command Create()
    {
        var command = new Command("replay", "Re-run one use case over a time range of the transactions topic under its own consumer group, print a summary and exit.");
        foreach (var option in new Option[] { UseCase, From, To, Group, OutputTopic })
            command.Options.Add(option);
        CommonOptions.AddTo(command);
        command.SetAction(async (parse, _) =>
        {
            var config = CommonOptions.Load(parse);
            var from = IsoTime.Parse(parse.GetValue(From)!, "--from");
            var to = parse.GetValue(To) is { } text ? IsoTime.Parse(text, "--to") : (DateTimeOffset?)null;
            if (to < from)
                throw new ConfigurationError($"--to ({to:O}) is before --from ({from:O}); give a range that ends after it starts.");
            using var signal = new ShutdownSignal();
            return await ReplayRun.RunAsync(config, new ReplayOptions(parse.GetValue(UseCase)!, from, to, parse.GetValue(Group), parse.GetValue(OutputTopic)), signal.Token);
        });
        return command;
    }
}

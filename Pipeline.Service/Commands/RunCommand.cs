using System.CommandLine;
using Pipeline.Service.Run;

namespace Pipeline.Service.Commands;

/// <summary><c>pipeline run</c>: the main job; with no arguments on the embedded defaults.</summary>
internal static class RunCommand
{
    private static readonly Option<bool> CheckConfig = new("--check-config")
    {
        Description = "Validate the configuration and exit: 0 when valid, 1 with a message naming the bad key."
    };

    public static Command Create()
    {
        var command = new Command("run", "Run the pipeline: embedded Kafka, load generator and live progress by default; Ctrl-C stops gracefully.");
        CommonOptions.AddTo(command);
        command.Options.Add(CheckConfig);
        command.SetAction(async (parse, _) =>
        {
            var config = CommonOptions.Load(parse);
            if (parse.GetValue(CheckConfig))
            {
                var settings = RunSettings.Create(config);
                Console.Out.WriteLine($"configuration valid: kafka {settings.BootstrapServers}, http {settings.Http.Url}, topics {string.Join(", ", settings.Topics.All)}");
                return 0;
            }
            using var signal = new ShutdownSignal();
            return await PipelineRun.RunAsync(config, signal.Token);
        });
        return command;
    }
}

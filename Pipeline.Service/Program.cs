using System.CommandLine;
using Pipeline.Core.Configuration;
using Pipeline.Service.Commands;

var root = new RootCommand("Akka Pipeline: per-event stream processing of customer records on Kafka.");
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(InfraCommand.Create());
root.Subcommands.Add(GenerateCommand.Create());
root.Subcommands.Add(StatusCommand.Create());
root.Subcommands.Add(ReplayCommand.Create());
root.Subcommands.Add(BackfillCommand.Create());
root.Subcommands.Add(TryCommand.Create());
root.Subcommands.Add(PrintCommand.Create());
BenchStoreCommand.AddTo(root);
BenchKafkaCommand.AddTo(root);
BenchPipelineCommand.AddTo(root);
BenchIsolationCommand.AddTo(root);
BenchScalingCommand.AddTo(root);
BenchMemoryCommand.AddTo(root);

try
{
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false });
}
catch (ConfigurationError e)
{
    Console.Error.WriteLine($"configuration error: {e.Message}");
    return 1;
}

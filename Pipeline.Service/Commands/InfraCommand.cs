using System.CommandLine;
using Pipeline.Core.Configuration;
using Pipeline.Core.DevelopmentInfrastructure.Kafka;

namespace Pipeline.Service.Commands;

/// <summary>
/// <c>pipeline infra</c>: hosts the embedded infrastructure alone in the foreground and prints how to
/// reach it, so other pipeline processes, tests or kcat can share it.
/// </summary>
internal static class InfraCommand
{
    public static Command Create()
    {
        var command = new Command("infra", "Run the embedded Kafka and schema registry alone in the foreground and print their addresses; Ctrl-C stops them.");
        CommonOptions.AddTo(command);
        command.SetAction(async (parse, _) =>
        {
            var config = CommonOptions.Load(parse);
            using var signal = new ShutdownSignal();
            await using var infra = EmbeddedInfrastructure.Start(config);
            Console.Out.WriteLine($"bootstrap.servers={infra.Kafka.BootstrapServers}");
            await infra.StartSchemaRegistryAsync(config);
            Console.Out.WriteLine($"schema.registry.url={infra.SchemaRegistry!.Url}");
            Console.Out.Flush();
            try { await Task.Delay(Timeout.Infinite, signal.Token); }
            catch (OperationCanceledException) { }
            Console.Error.WriteLine("infra: stopping");
            return 0;
        });
        return command;
    }
}

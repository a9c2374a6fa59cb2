using Pipeline.Core.Configuration;
using Serilog;
using Serilog.Events;

namespace Pipeline.Service.Run;

/// <summary>
/// Structured logs through Serilog (Akka's logs too, through Akka.Logger.Serilog), one line per event on standard
/// error, so they never mix with the live view or the status tables on standard output.
/// </summary>
internal static class Logging
{
    /// <summary>Configures the global logger from <c>pipeline.logging</c>; Akka's level stays <c>akka.loglevel</c>.</summary>
    public static void Configure(PipelineConfig config)
    {
        var section = config.Section("pipeline.logging");
        var level = section.GetEnum<LogEventLevel>("level");
        var json = section.GetString("format") switch
        {
            "text" => false,
            "json" => true,
            var other => throw new ConfigurationError($"Setting 'pipeline.logging.format' = '{other}' (from {config.OriginOf("pipeline.logging.format")}) must be \"text\" or \"json\".")
        };
        var logger = new LoggerConfiguration().MinimumLevel.Is(level);
        Log.Logger = (json
                ? logger.WriteTo.Console(new Serilog.Formatting.Json.JsonFormatter(renderMessage: true), standardErrorFromLevel: LogEventLevel.Verbose)
                : logger.WriteTo.Console(outputTemplate: "{Timestamp:HH:mm:ss.fff} {Level:u3} {SourceContext}: {Message:lj}{NewLine}{Exception}",
                    standardErrorFromLevel: LogEventLevel.Verbose))
            .CreateLogger();
        // What Python use cases print (and their warnings) reaches the log, one line per event, named after the use case.
        var python = Log.ForContext("SourceContext", "python");
        Pipeline.Core.UseCaseRuntime.Python.PythonResources.Log = line => python.Information("{PythonOutput}", line);
    }
}

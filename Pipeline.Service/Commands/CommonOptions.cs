using System.Collections;
using System.CommandLine;
using Pipeline.Core.Configuration;

namespace Pipeline.Service.Commands;

/// <summary>The options every command shares: where configuration comes from.</summary>
internal static class CommonOptions
{
    public static readonly Option<string?> Config = new("--config")
    {
        Description = "A HOCON file whose settings override config/pipeline.conf."
    };

    public static readonly Option<string[]> Set = new("--set")
    {
        Description = "Override one setting, e.g. --set pipeline.generator.rate=500 (repeatable; wins over --config).",
        AllowMultipleArgumentsPerToken = false,
        Arity = ArgumentArity.ZeroOrMore
    };

    public static void AddTo(Command command)
    {
        command.Options.Add(Config);
        command.Options.Add(Set);
    }

    /// <summary>Loads the layered configuration for a parsed command line.</summary>
    public static PipelineConfig Load(ParseResult parse) => Load(parse, []);

    /// <summary>Loads the layered configuration for a parsed command line, with <paramref name="overrides"/> winning over its --set values.</summary>
    public static PipelineConfig Load(ParseResult parse, IEnumerable<string> overrides) => PipelineConfig.Load(
        parse.GetValue(Config),
        [.. parse.GetValue(Set) ?? [], .. overrides],
        Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? ""));
}

using System.Reflection;
using Akka.Configuration;

namespace Pipeline.Core.Configuration;

/// <summary>
/// The layered HOCON configuration of the service. Precedence, highest first:
/// environment variables <c>PIPELINE__path__to__key</c>, <c>--set path=value</c>, <c>--config FILE</c>,
/// then the defaults in config/pipeline.conf (embedded in this assembly).
/// </summary>
public sealed class PipelineConfig
{
    public const string DefaultsOrigin = "config/pipeline.conf";
    public const string EnvironmentPrefix = "PIPELINE__";

    private readonly IReadOnlyList<ConfigLayer> _layersHighestFirst;

    private PipelineConfig(IReadOnlyList<ConfigLayer> layersHighestFirst)
    {
        _layersHighestFirst = layersHighestFirst;
        Config merged = layersHighestFirst[^1].Config;
        for (var i = layersHighestFirst.Count - 2; i >= 0; i--)
            merged = layersHighestFirst[i].Config.WithFallback(merged);
        Root = merged;
    }

    /// <summary>The merged configuration.</summary>
    public Config Root { get; }

    /// <summary>The merged configuration as a section that reports key and origin on bad values.</summary>
    public ConfigSection Section(string path) => new(Root.GetConfig(path) ?? ConfigurationFactory.Empty, path, OriginOf);

    /// <summary>The text of config/pipeline.conf as shipped.</summary>
    public static string DefaultsText
    {
        get
        {
            using var stream = typeof(PipelineConfig).Assembly.GetManifestResourceStream("pipeline.conf")
                ?? throw new InvalidOperationException("pipeline.conf is not embedded in Pipeline.Core");
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
    }

    /// <summary>Only the shipped defaults.</summary>
    public static PipelineConfig Defaults() => Load(null, [], new Dictionary<string, string>());

    /// <summary>Loads the layers; throws <see cref="ConfigurationError"/> naming the file or override that does not parse.</summary>
    public static PipelineConfig Load(string? configFile, IEnumerable<string> setOverrides, IDictionary<string, string> environment)
    {
        var layers = new List<ConfigLayer>();

        var env = environment
            .Where(kv => kv.Key.StartsWith(EnvironmentPrefix, StringComparison.Ordinal) && kv.Key.Length > EnvironmentPrefix.Length)
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .ToList();
        foreach (var (name, value) in env)
        {
            var path = name[EnvironmentPrefix.Length..].Replace("__", ".", StringComparison.Ordinal);
            layers.Add(new ConfigLayer($"environment variable {name}", ParseAssignment(path, value, $"environment variable {name}")));
        }

        foreach (var assignment in setOverrides.Reverse())
        {
            var eq = assignment.IndexOf('=');
            if (eq <= 0)
                throw new ConfigurationError($"--set '{assignment}' is not of the form path=value, e.g. --set pipeline.generator.rate=500.");
            var path = assignment[..eq].Trim();
            layers.Add(new ConfigLayer($"--set {path}", ParseAssignment(path, assignment[(eq + 1)..], $"--set {assignment}")));
        }

        if (configFile is not null)
        {
            if (!File.Exists(configFile))
                throw new ConfigurationError($"Config file '{configFile}' does not exist. Pass an existing HOCON file to --config.");
            layers.Add(new ConfigLayer(configFile, ParseText(File.ReadAllText(configFile), configFile)));
        }

        layers.Add(new ConfigLayer(DefaultsOrigin, ParseText(DefaultsText, DefaultsOrigin)));
        return new PipelineConfig(layers);
    }

    /// <summary>Names the layer that supplied a key: the file, the --set override or the environment variable.</summary>
    public string OriginOf(string path)
    {
        foreach (var layer in _layersHighestFirst)
        {
            if (HasPathSafe(layer.Config, path))
                return layer.Origin;
        }
        return DefaultsOrigin;
    }

    private static bool HasPathSafe(Config config, string path)
    {
        try { return config.HasPath(path); }
        catch (Exception) { return false; }
    }

    private static Config ParseText(string text, string origin)
    {
        Config config;
        try { config = ConfigurationFactory.ParseString(text); }
        catch (Exception e)
        {
            throw new ConfigurationError($"{origin} is not valid HOCON: {e.Message}. Fix the syntax at the position given.", e);
        }
        // Akka's parser is lenient: a truncated line such as "rate =" parses to a key without a value.
        var empty = EmptyKeys(config.Root, "").FirstOrDefault();
        if (empty is not null)
            throw new ConfigurationError($"{origin} is not valid HOCON: '{empty}' has no value. Complete or remove that line.");
        return config;
    }

    private static IEnumerable<string> EmptyKeys(Akka.Configuration.Hocon.HoconValue value, string path)
    {
        if (value.IsObject())
        {
            foreach (var (key, child) in value.GetObject().Items)
            {
                foreach (var empty in EmptyKeys(child, path.Length == 0 ? key : path + "." + key))
                    yield return empty;
            }
        }
        else if (value.IsEmpty && !value.IsArray() && path.Length > 0)
            yield return path;
    }

    // Values from the command line and environment are taken as strings unless they are a HOCON list or
    // object: HOCON reads "500" or "10s" as a number or duration on demand, and quoting keeps ':' and ','
    // (bootstrap server lists) from being read as syntax.
    private static Config ParseAssignment(string path, string value, string origin)
    {
        var trimmed = value.Trim();
        var literal = trimmed.StartsWith('[') || trimmed.StartsWith('{')
            ? trimmed
            : "\"" + trimmed.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
        return ParseText($"{path} = {literal}", origin);
    }
}

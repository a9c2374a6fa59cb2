using Pipeline.Core.Configuration;

namespace Pipeline.Core.Schemas;

/// <summary>Settings of the embedded registry, from <c>pipeline.schema-registry.embedded</c>.</summary>
/// <param name="Port">Port on 127.0.0.1; 0 picks a free one.</param>
/// <param name="DatabasePath">The SQLite file holding the schemas.</param>
/// <param name="DefaultCompatibility">The level of subjects without their own, until changed with PUT /config.</param>
public sealed record EmbeddedSchemaRegistrySettings(int Port, string DatabasePath, CompatibilityLevel DefaultCompatibility)
{
    /// <summary>Reads the settings; the database path is taken relative to <paramref name="dataDirectory"/>.</summary>
    public static EmbeddedSchemaRegistrySettings Create(ConfigSection section, string dataDirectory)
    {
        var levelName = section.GetString("compatibility");
        if (!CompatibilityLevels.TryParse(levelName, out var level))
            throw new ConfigurationError(
                $"Setting '{section.Path}.compatibility' = '{levelName}' is not a compatibility level; use one of {CompatibilityLevels.AllNames}.");
        return new EmbeddedSchemaRegistrySettings(
            section.GetInt("port", 0, 65535),
            Path.Combine(dataDirectory, section.GetString("database")),
            level);
    }

    /// <summary>Reads <c>pipeline.schema-registry.embedded</c> and <c>pipeline.data-dir</c>.</summary>
    public static EmbeddedSchemaRegistrySettings Create(PipelineConfig config) => Create(
        config.Section("pipeline.schema-registry.embedded"),
        config.Section("pipeline").GetString("data-dir"));
}

using Confluent.SchemaRegistry;

namespace Pipeline.Core.Schemas;

/// <summary>Builds the Confluent registry client from <see cref="SchemaRegistrySettings"/>.</summary>
public static class SchemaRegistryClients
{
    /// <summary>
    /// A caching client for the registry at <see cref="SchemaRegistrySettings.Url"/>. With <c>url = "embedded"</c>,
    /// start the embedded registry first and pass <c>settings with { Url = registry.Url }</c>.
    /// </summary>
    public static CachedSchemaRegistryClient Create(SchemaRegistrySettings settings)
    {
        if (settings.IsEmbedded)
            throw new InvalidOperationException(
                "pipeline.schema-registry.url is \"embedded\" but no embedded registry address was given: start EmbeddedSchemaRegistry " +
                "and create the client with settings whose Url is the registry's Url.");
        return new CachedSchemaRegistryClient(new SchemaRegistryConfig
        {
            Url = settings.Url,
            RequestTimeoutMs = (int)settings.RequestTimeout.TotalMilliseconds,
            MaxCachedSchemas = settings.MaxCachedSchemas
        });
    }
}

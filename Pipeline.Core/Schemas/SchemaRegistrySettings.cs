using Confluent.SchemaRegistry;
using Pipeline.Core.Configuration;

namespace Pipeline.Core.Schemas;

/// <summary>How the service reaches its schema registry, from <c>pipeline.schema-registry</c>.</summary>
/// <param name="Url">Base URL of the registry, or <see cref="EmbeddedUrl"/> for the one started inside the process.</param>
/// <param name="AutoRegister">Whether producers register their schema at start when the subject lacks it.</param>
/// <param name="SubjectNameStrategy">How a topic and record name map to a subject.</param>
/// <param name="RequestTimeout">Timeout of one HTTP request to the registry.</param>
/// <param name="MaxCachedSchemas">Size of the client's schema cache.</param>
/// <param name="Embedded">Settings of the embedded registry.</param>
public sealed record SchemaRegistrySettings(
    string Url,
    bool AutoRegister,
    SubjectNameStrategy SubjectNameStrategy,
    TimeSpan RequestTimeout,
    int MaxCachedSchemas,
    EmbeddedSchemaRegistrySettings Embedded)
{
    /// <summary>The <c>url</c> value that selects the embedded registry.</summary>
    public const string EmbeddedUrl = "embedded";

    /// <summary>Whether <see cref="Url"/> names the embedded registry, whose address is known only once it started.</summary>
    public bool IsEmbedded => string.Equals(Url, EmbeddedUrl, StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads <c>pipeline.schema-registry</c> (and <c>pipeline.data-dir</c> for the embedded store).</summary>
    public static SchemaRegistrySettings Create(PipelineConfig config)
    {
        var section = config.Section("pipeline.schema-registry");
        var url = section.GetString("url").Trim();
        if (!string.Equals(url, EmbeddedUrl, StringComparison.OrdinalIgnoreCase) &&
            url.Split(',').Any(u => !Uri.TryCreate(u.Trim(), UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https")))
            throw new ConfigurationError(
                $"Setting 'pipeline.schema-registry.url' = '{url}' (from {config.OriginOf("pipeline.schema-registry.url")}) is neither " +
                "\"embedded\" nor http(s) URLs; use e.g. \"http://schema-registry:8081\".");
        var strategy = section.GetEnum<SubjectNameStrategy>("subject-name-strategy");
        if (strategy is not (SubjectNameStrategy.Topic or SubjectNameStrategy.Record or SubjectNameStrategy.TopicRecord))
            throw new ConfigurationError(
                $"Setting 'pipeline.schema-registry.subject-name-strategy' (from {config.OriginOf("pipeline.schema-registry.subject-name-strategy")}) " +
                "must be topic, record or topic-record.");
        return new SchemaRegistrySettings(
            url,
            section.GetBool("auto-register"),
            strategy,
            section.GetDuration("request-timeout"),
            section.GetInt("max-cached-schemas", 1, int.MaxValue),
            EmbeddedSchemaRegistrySettings.Create(config));
    }

    /// <summary>The subject a record of <paramref name="recordFullName"/> on <paramref name="topic"/> is registered under.</summary>
    public Task<string> SubjectForAsync(string topic, string recordFullName, bool isKey = false) =>
        SubjectNameStrategy.ToAsyncDelegate()(
            new Confluent.Kafka.SerializationContext(isKey ? Confluent.Kafka.MessageComponentType.Key : Confluent.Kafka.MessageComponentType.Value, topic),
            recordFullName);
}

using System.Text.Json.Serialization;
using Pipeline.Core.Schemas;

namespace Pipeline.Core.DevelopmentInfrastructure.SchemaRegistry;

/// <summary>The JSON bodies of the Confluent Schema Registry REST API, with its property names.</summary>
internal static class RegistryResponses
{
    public sealed record Error([property: JsonPropertyName("error_code")] int ErrorCode, [property: JsonPropertyName("message")] string Message);

    public sealed record Id([property: JsonPropertyName("id")] int SchemaId);

    public sealed record SchemaText([property: JsonPropertyName("schema")] string Schema);

    public sealed record SubjectVersion(
        [property: JsonPropertyName("subject")] string Subject,
        [property: JsonPropertyName("version")] int Version);

    public sealed record Registered(
        [property: JsonPropertyName("subject")] string Subject,
        [property: JsonPropertyName("version")] int Version,
        [property: JsonPropertyName("id")] int Id,
        [property: JsonPropertyName("schema")] string Schema)
    {
        public static Registered Of(StoredVersion v) => new(v.Subject, v.Version, v.Id, v.Schema);
    }

    public sealed record Compatibility(
        [property: JsonPropertyName("is_compatible")] bool IsCompatible,
        [property: JsonPropertyName("messages"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Messages);

    public sealed record ConfigLevel([property: JsonPropertyName("compatibilityLevel")] string CompatibilityLevel);

    public sealed record ConfigUpdate([property: JsonPropertyName("compatibility")] string CompatibilityLevel);

    public sealed record Mode([property: JsonPropertyName("mode")] string Value);
}

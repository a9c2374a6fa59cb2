using System.Collections.Immutable;

namespace Pipeline.Core.Kafka.Settings;

/// <summary>
/// Raw librdkafka properties from a HOCON <c>kafka-clients</c> block, passed to the client unchanged.
/// Rendering redacts anything that looks like a secret so settings can be logged safely.
/// </summary>
internal static class KafkaClientProperties
{
    private static readonly string[] SecretMarkers = ["password", "secret", "token", "jaas", "key.pem", "keystore", "credentials", "sasl.oauthbearer.config"];

    public static bool IsSecret(string key) =>
        SecretMarkers.Any(marker => key.Contains(marker, StringComparison.OrdinalIgnoreCase));

    /// <summary>Renders the properties with secret values replaced by <c>[redacted]</c>.</summary>
    public static string Render(IImmutableDictionary<string, string> properties) =>
        "{" + string.Join(", ", properties.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{p.Key}={(IsSecret(p.Key) ? "[redacted]" : p.Value)}")) + "}";
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Avro.Specific;
using Confluent.SchemaRegistry;
using Schema = Avro.Schema;

namespace Pipeline.Core.Schemas;

/// <summary>
/// The check every producer makes at start, before it sends anything: is its schema compatible with its subject
/// under the subject's compatibility level? It asks the registry's compatibility endpoint for verbose messages,
/// then registers the schema (or, with auto-register off, checks that it is registered).
/// </summary>
public static class SchemaContract
{
    private const string ContentType = "application/vnd.schemaregistry.v1+json";

    /// <summary>Checks and registers the schema of the generated contract <typeparamref name="T"/> for values of <paramref name="topic"/>.</summary>
    /// <exception cref="IncompatibleSchemaException">The schema breaks the subject's compatibility level.</exception>
    /// <exception cref="SchemaNotRegisteredException">Auto-register is off and the schema is not registered.</exception>
    public static Task<RegisteredContract> EnsureCompatibleAsync<T>(
        ISchemaRegistryClient client, SchemaRegistrySettings settings, string topic, CancellationToken cancellationToken = default)
        where T : ISpecificRecord, new() =>
        EnsureCompatibleAsync(client, settings, topic, new T().Schema, isKey: false, cancellationToken);

    /// <summary>Checks and registers <paramref name="schema"/> under the subject that <paramref name="topic"/> and the settings' strategy name.</summary>
    /// <exception cref="IncompatibleSchemaException">The schema breaks the subject's compatibility level.</exception>
    /// <exception cref="SchemaNotRegisteredException">Auto-register is off and the schema is not registered.</exception>
    public static async Task<RegisteredContract> EnsureCompatibleAsync(
        ISchemaRegistryClient client, SchemaRegistrySettings settings, string topic, Schema schema, bool isKey, CancellationToken cancellationToken = default)
    {
        var subject = await settings.SubjectForAsync(topic, schema.Fullname, isKey);
        var text = schema.ToString();
        using var http = new HttpClient { BaseAddress = new Uri(settings.Url.Split(',')[0].Trim().TrimEnd('/') + "/"), Timeout = settings.RequestTimeout };

        var problems = await IncompatibilitiesAsync(http, subject, text, cancellationToken);
        if (problems.Count > 0)
            throw new IncompatibleSchemaException(subject, await LevelAsync(http, subject, cancellationToken), schema.Fullname, problems);

        var registrySchema = new Confluent.SchemaRegistry.Schema(text, SchemaType.Avro);
        try
        {
            var id = settings.AutoRegister
                ? await client.RegisterSchemaAsync(subject, registrySchema)
                : await client.GetSchemaIdAsync(subject, registrySchema);
            return new RegisteredContract(subject, id);
        }
        catch (SchemaRegistryException e) when (e.ErrorCode == 409)
        {
            // Another version was registered between the check and the registration.
            throw new IncompatibleSchemaException(subject, await LevelAsync(http, subject, cancellationToken), schema.Fullname, [e.Message]);
        }
        catch (SchemaRegistryException e) when (!settings.AutoRegister && e.ErrorCode is 40401 or 40403)
        {
            throw new SchemaNotRegisteredException(subject, schema.Fullname);
        }
    }

    private static async Task<IReadOnlyList<string>> IncompatibilitiesAsync(HttpClient http, string subject, string schema, CancellationToken cancellationToken)
    {
        using var content = JsonContent.Create(new Dictionary<string, string> { ["schema"] = schema });
        content.Headers.ContentType = new(ContentType);
        using var response = await http.PostAsync($"compatibility/subjects/{Uri.EscapeDataString(subject)}/versions?verbose=true", content, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        using var json = Parse(body, response.StatusCode);
        if (response.StatusCode == HttpStatusCode.NotFound && ErrorCode(json) == 40401)
            return []; // a subject without versions accepts any first schema
        if (!response.IsSuccessStatusCode)
            throw new SchemaRegistryException($"The compatibility check of subject '{subject}' failed: {body}", response.StatusCode, ErrorCode(json));
        if (json.RootElement.GetProperty("is_compatible").GetBoolean())
            return [];
        return json.RootElement.TryGetProperty("messages", out var messages) && messages.GetArrayLength() > 0
            ? messages.EnumerateArray().Select(m => m.ValueKind == JsonValueKind.String ? m.GetString()! : m.GetRawText()).ToList()
            : ["the registry reports it incompatible without details"];
    }

    private static async Task<string> LevelAsync(HttpClient http, string subject, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"config/{Uri.EscapeDataString(subject)}?defaultToGlobal=true", cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        using var json = Parse(body, response.StatusCode);
        return response.IsSuccessStatusCode && json.RootElement.TryGetProperty("compatibilityLevel", out var level)
            ? level.GetString() ?? "unknown"
            : "unknown (the registry did not report it)";
    }

    private static JsonDocument Parse(string body, HttpStatusCode status)
    {
        try { return JsonDocument.Parse(body); }
        catch (JsonException e)
        {
            throw new SchemaRegistryException($"The schema registry answered HTTP {(int)status} with a body that is not JSON: {body}", status, (int)status, e);
        }
    }

    private static int ErrorCode(JsonDocument json) =>
        json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("error_code", out var code) && code.TryGetInt32(out var value)
            ? value
            : -1;
}

/// <summary>The subject a producer's schema is registered under, and its global id.</summary>
public sealed record RegisteredContract(string Subject, int SchemaId);

using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Pipeline.Core.Schemas;
using static Pipeline.Core.DevelopmentInfrastructure.SchemaRegistry.RegistryResponses;

namespace Pipeline.Core.DevelopmentInfrastructure.SchemaRegistry;

/// <summary>
/// The HTTP routes of the embedded registry: the part of the Confluent Schema Registry REST API used by the
/// Confluent clients and by operators, with the same paths, JSON bodies and error codes.
/// </summary>
internal static class RegistryEndpoints
{
    public const string ContentType = "application/vnd.schemaregistry.v1+json";

    public static void Map(IEndpointRouteBuilder app, RegistryService registry)
    {
        app.MapGet("/", () => Ok(new Dictionary<string, string>()));
        app.MapGet("/schemas/types", () => Ok(new[] { "AVRO" }));
        app.MapGet("/mode", () => Ok(new Mode("READWRITE")));

        app.MapGet("/schemas/ids/{id:int}", (int id) => Ok(new SchemaText(registry.SchemaById(id))));
        app.MapGet("/schemas/ids/{id:int}/schema", (int id) => Raw(registry.SchemaById(id)));
        app.MapGet("/schemas/ids/{id:int}/versions", (int id) =>
            Ok(registry.VersionsOfSchema(id).Select(v => new SubjectVersion(v.Subject, v.Version)).ToList()));

        app.MapGet("/subjects", (bool? deleted) => Ok(registry.Subjects(deleted ?? false)));
        app.MapGet("/subjects/{subject}/versions", (string subject, bool? deleted) => Ok(registry.VersionNumbers(subject, deleted ?? false)));
        app.MapGet("/subjects/{subject}/versions/{version}", (string subject, string version, bool? deleted) =>
            Ok(Registered.Of(registry.Version(subject, VersionSpec.Parse(version), deleted ?? false))));
        app.MapGet("/subjects/{subject}/versions/{version}/schema", (string subject, string version) =>
            Raw(registry.Version(subject, VersionSpec.Parse(version), includeDeleted: false).Schema));
        app.MapPost("/subjects/{subject}/versions", async (string subject, HttpRequest request) =>
        {
            var registered = registry.Register(subject, await ReadSchemaAsync(request));
            return Ok(new Id(registered.Id));
        });
        app.MapPost("/subjects/{subject}", async (string subject, bool? deleted, HttpRequest request) =>
            Ok(Registered.Of(registry.Lookup(subject, await ReadSchemaAsync(request), deleted ?? false))));
        app.MapDelete("/subjects/{subject}/versions/{version}", (string subject, string version, bool? permanent) =>
            Ok(registry.DeleteVersion(subject, VersionSpec.Parse(version), permanent ?? false)));
        app.MapDelete("/subjects/{subject}", (string subject, bool? permanent) => Ok(registry.DeleteSubject(subject, permanent ?? false)));

        app.MapPost("/compatibility/subjects/{subject}/versions/{version}", async (string subject, string version, bool? verbose, HttpRequest request) =>
            Compatible(registry.TestCompatibility(subject, VersionSpec.Parse(version), await ReadSchemaAsync(request)).Problems, verbose ?? false));
        app.MapPost("/compatibility/subjects/{subject}/versions", async (string subject, bool? verbose, HttpRequest request) =>
            Compatible(registry.TestCompatibility(subject, null, await ReadSchemaAsync(request)).Problems, verbose ?? false));

        app.MapGet("/config", () => Ok(new ConfigLevel(registry.Compatibility(null, defaultToGlobal: true).ToWireName())));
        app.MapPut("/config", async (HttpRequest request) =>
            Ok(new ConfigUpdate(registry.SetCompatibility(null, await ReadCompatibilityAsync(request)).ToWireName())));
        app.MapDelete("/config", () => Ok(new ConfigLevel(registry.DeleteCompatibility(null).ToWireName())));
        app.MapGet("/config/{subject}", (string subject, bool? defaultToGlobal) =>
            Ok(new ConfigLevel(registry.Compatibility(subject, defaultToGlobal ?? false).ToWireName())));
        app.MapPut("/config/{subject}", async (string subject, HttpRequest request) =>
            Ok(new ConfigUpdate(registry.SetCompatibility(subject, await ReadCompatibilityAsync(request)).ToWireName())));
        app.MapDelete("/config/{subject}", (string subject) => Ok(new ConfigLevel(registry.DeleteCompatibility(subject).ToWireName())));
    }

    /// <summary>Turns <see cref="RegistryError"/> into Confluent's error body, and unknown routes into its 404 body.</summary>
    public static async Task HandleErrorsAsync(HttpContext context, Func<Task> next)
    {
        try
        {
            await next();
            if (context.Response.StatusCode == StatusCodes.Status404NotFound && !context.Response.HasStarted && context.GetEndpoint() is null)
                await WriteErrorAsync(context, new RegistryError(404, "HTTP 404 Not Found"));
            else if (context.Response.StatusCode == StatusCodes.Status405MethodNotAllowed && !context.Response.HasStarted)
                await WriteErrorAsync(context, new RegistryError(405, "HTTP 405 Method Not Allowed"));
        }
        catch (RegistryError e) when (!context.Response.HasStarted)
        {
            await WriteErrorAsync(context, e);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            await WriteErrorAsync(context, new RegistryError(RegistryError.BadRequest, e.Message));
        }
    }

    private static Task WriteErrorAsync(HttpContext context, RegistryError error)
    {
        context.Response.StatusCode = error.HttpStatus;
        context.Response.ContentType = ContentType;
        return context.Response.WriteAsync(JsonSerializer.Serialize(new Error(error.ErrorCode, error.Message)));
    }

    private static IResult Ok<T>(T body) => Results.Json(body, contentType: ContentType);

    private static IResult Raw(string schema) => Results.Text(schema, ContentType);

    private static IResult Compatible(IReadOnlyList<string> problems, bool verbose) =>
        Ok(new Compatibility(problems.Count == 0, verbose ? problems : null));

    // The Confluent clients send "application/vnd.schemaregistry.v1+json" (or none), so the body is read as JSON
    // whatever its declared content type.
    private static async Task<JsonElement> ReadBodyAsync(HttpRequest request)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new RegistryError(RegistryError.BadRequest, "The request body must be a JSON object.");
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new RegistryError(RegistryError.BadRequest, $"The request body is not valid JSON: {e.Message}");
        }
    }

    private static async Task<string> ReadSchemaAsync(HttpRequest request)
    {
        var body = await ReadBodyAsync(request);
        if (body.TryGetProperty("schemaType", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() != "AVRO")
            throw new RegistryError(RegistryError.InvalidSchema, $"Invalid schema: schemaType {type.GetString()} is not supported by the embedded registry; only AVRO is.");
        if (body.TryGetProperty("references", out var references) && references.ValueKind == JsonValueKind.Array && references.GetArrayLength() > 0)
            throw new RegistryError(RegistryError.InvalidSchema, "Invalid schema: schema references are not supported by the embedded registry.");
        return body.TryGetProperty("schema", out var schema) && schema.ValueKind == JsonValueKind.String ? schema.GetString()! : "";
    }

    private static async Task<string?> ReadCompatibilityAsync(HttpRequest request)
    {
        var body = await ReadBodyAsync(request);
        return body.TryGetProperty("compatibility", out var level) && level.ValueKind == JsonValueKind.String ? level.GetString() : null;
    }
}

using System.Net;
using System.Text;
using System.Text.Json;
using Pipeline.Contracts;
using Pipeline.Tests.Schemas;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.DevelopmentInfrastructure;

/// <summary>The operator-facing REST calls of the embedded registry, with Confluent's paths, bodies and error codes.</summary>
public sealed class RegistryHttpApiTests
{
    private static StringContent Json(object body) =>
        new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/vnd.schemaregistry.v1+json");

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient http, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : Json(body) };
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task Compatibility_config_is_global_and_per_subject_and_rejects_unknown_levels()
    {
        await using var registry = await TestSchemaRegistry.StartAsync();
        var http = registry.Http;

        Assert.Equal("BACKWARD", (await SendAsync(http, HttpMethod.Get, "config")).Body.GetProperty("compatibilityLevel").GetString());
        var notConfigured = await SendAsync(http, HttpMethod.Get, "config/orders-value");
        Assert.Equal(HttpStatusCode.NotFound, notConfigured.Status);
        Assert.Equal(40408, notConfigured.Body.GetProperty("error_code").GetInt32());
        Assert.Equal("BACKWARD", (await SendAsync(http, HttpMethod.Get, "config/orders-value?defaultToGlobal=true")).Body.GetProperty("compatibilityLevel").GetString());

        var set = await SendAsync(http, HttpMethod.Put, "config/orders-value", new { compatibility = "FULL_TRANSITIVE" });
        Assert.Equal("FULL_TRANSITIVE", set.Body.GetProperty("compatibility").GetString());
        await SendAsync(http, HttpMethod.Put, "config", new { compatibility = "NONE" });
        Assert.Equal("FULL_TRANSITIVE", (await SendAsync(http, HttpMethod.Get, "config/orders-value")).Body.GetProperty("compatibilityLevel").GetString());
        Assert.Equal("NONE", (await SendAsync(http, HttpMethod.Get, "config")).Body.GetProperty("compatibilityLevel").GetString());

        var invalid = await SendAsync(http, HttpMethod.Put, "config/orders-value", new { compatibility = "SIDEWAYS" });
        Assert.Equal((HttpStatusCode)422, invalid.Status);
        Assert.Equal(42203, invalid.Body.GetProperty("error_code").GetInt32());

        await SendAsync(http, HttpMethod.Delete, "config/orders-value");
        Assert.Equal("NONE", (await SendAsync(http, HttpMethod.Get, "config/orders-value?defaultToGlobal=true")).Body.GetProperty("compatibilityLevel").GetString());
    }

    [Fact]
    public async Task Subjects_versions_lookup_and_delete_follow_the_Confluent_API()
    {
        await using var registry = await TestSchemaRegistry.StartAsync();
        var http = registry.Http;
        await SendAsync(http, HttpMethod.Put, "config/t-value", new { compatibility = "NONE" });
        var v1 = await SendAsync(http, HttpMethod.Post, "subjects/t-value/versions", new { schema = Transaction._SCHEMA.ToString() });
        var v2 = await SendAsync(http, HttpMethod.Post, "subjects/t-value/versions", new { schema = Feedback._SCHEMA.ToString() });

        Assert.Equal(["t-value"], (await SendAsync(http, HttpMethod.Get, "subjects")).Body.EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([1, 2], (await SendAsync(http, HttpMethod.Get, "subjects/t-value/versions")).Body.EnumerateArray().Select(e => e.GetInt32()));
        var latest = (await SendAsync(http, HttpMethod.Get, "subjects/t-value/versions/latest")).Body;
        Assert.Equal(2, latest.GetProperty("version").GetInt32());
        Assert.Equal(v2.Body.GetProperty("id").GetInt32(), latest.GetProperty("id").GetInt32());
        var lookup = (await SendAsync(http, HttpMethod.Post, "subjects/t-value", new { schema = Transaction._SCHEMA.ToString() })).Body;
        Assert.Equal(1, lookup.GetProperty("version").GetInt32());
        Assert.Equal(v1.Body.GetProperty("id").GetInt32(), lookup.GetProperty("id").GetInt32());
        var notThere = await SendAsync(http, HttpMethod.Post, "subjects/t-value", new { schema = Notification._SCHEMA.ToString() });
        Assert.Equal(40403, notThere.Body.GetProperty("error_code").GetInt32());

        Assert.Equal(2, (await SendAsync(http, HttpMethod.Delete, "subjects/t-value/versions/2")).Body.GetInt32());
        Assert.Equal(1, (await SendAsync(http, HttpMethod.Get, "subjects/t-value/versions/latest")).Body.GetProperty("version").GetInt32());
        Assert.Equal(40402, (await SendAsync(http, HttpMethod.Get, "subjects/t-value/versions/2")).Body.GetProperty("error_code").GetInt32());
        Assert.Equal(42202, (await SendAsync(http, HttpMethod.Get, "subjects/t-value/versions/zero")).Body.GetProperty("error_code").GetInt32());
        Assert.Equal(40401, (await SendAsync(http, HttpMethod.Get, "subjects/nothing/versions")).Body.GetProperty("error_code").GetInt32());
        var v3 = await SendAsync(http, HttpMethod.Post, "subjects/t-value/versions", new { schema = Feedback._SCHEMA.ToString() });
        Assert.Equal(v2.Body.GetProperty("id").GetInt32(), v3.Body.GetProperty("id").GetInt32()); // ids are per schema, versions per subject
        Assert.Equal([1, 3], (await SendAsync(http, HttpMethod.Get, "subjects/t-value/versions")).Body.EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public async Task Unknown_routes_like_the_clients_first_associations_call_answer_404_in_Confluent_shape()
    {
        await using var registry = await TestSchemaRegistry.StartAsync();

        var (status, body) = await SendAsync(registry.Http, HttpMethod.Get, "associations/resources/-/transactions?resourceType=topic&associationType=value");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(404, body.GetProperty("error_code").GetInt32());
    }

    [Fact]
    public async Task The_verbose_compatibility_check_lists_the_incompatibilities()
    {
        await using var registry = await TestSchemaRegistry.StartAsync();
        await SendAsync(registry.Http, HttpMethod.Post, "subjects/p-value/versions", new { schema = EvolvingSchemas.V1.ToString() });

        var ok = await SendAsync(registry.Http, HttpMethod.Post, "compatibility/subjects/p-value/versions/latest", new { schema = EvolvingSchemas.V2WithDefault.ToString() });
        var bad = await SendAsync(registry.Http, HttpMethod.Post, "compatibility/subjects/p-value/versions?verbose=true", new { schema = EvolvingSchemas.V2Required.ToString() });

        Assert.True(ok.Body.GetProperty("is_compatible").GetBoolean());
        Assert.False(ok.Body.TryGetProperty("messages", out _));
        Assert.False(bad.Body.GetProperty("is_compatible").GetBoolean());
        Assert.Contains("/channel", Assert.Single(bad.Body.GetProperty("messages").EnumerateArray()).GetString());
    }
}

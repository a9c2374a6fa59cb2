using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Core.Schemas;

namespace Pipeline.Core.DevelopmentInfrastructure.SchemaRegistry;

/// <summary>
/// A schema registry for development and tests, speaking the Confluent Schema Registry REST API on 127.0.0.1
/// only, so the real Confluent clients and serdes use it unchanged. Schemas live in a SQLite file: ids stay the
/// same across restarts.
/// </summary>
public sealed class EmbeddedSchemaRegistry : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RegistryService _registry;

    private EmbeddedSchemaRegistry(WebApplication app, RegistryService registry, string url)
    {
        _app = app;
        _registry = registry;
        Url = url;
    }

    /// <summary>The base URL to give the registry clients, e.g. <c>http://127.0.0.1:40123</c>.</summary>
    public string Url { get; }

    /// <summary>Opens the store and starts listening; returns once requests are accepted.</summary>
    public static async Task<EmbeddedSchemaRegistry> StartAsync(EmbeddedSchemaRegistrySettings settings, CancellationToken cancellationToken = default)
    {
        var registry = new RegistryService(SchemaStore.Open(settings.DatabasePath), settings.DefaultCompatibility);
        WebApplication? app = null;
        try
        {
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, settings.Port));
            app = builder.Build();
            app.Use(RegistryEndpoints.HandleErrorsAsync);
            RegistryEndpoints.Map(app, registry);
            await app.StartAsync(cancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
            return new EmbeddedSchemaRegistry(app, registry, address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
        }
        catch (IOException e)
        {
            await DisposeAsync(app, registry);
            throw new InvalidOperationException(
                $"The embedded schema registry could not listen on 127.0.0.1:{settings.Port} ({e.Message}); " +
                "set pipeline.schema-registry.embedded.port to a free port, or 0 for any.", e);
        }
        catch
        {
            await DisposeAsync(app, registry);
            throw;
        }
    }

    /// <summary>Stops listening and closes the store.</summary>
    public ValueTask DisposeAsync() => DisposeAsync(_app, _registry);

    private static async ValueTask DisposeAsync(WebApplication? app, RegistryService registry)
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        registry.Dispose();
    }
}

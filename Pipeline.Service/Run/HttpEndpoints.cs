using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Pipeline.Service.Run;

/// <summary>The HTTP endpoints of a node: liveness, readiness, Prometheus metrics and (when given) the admin API.</summary>
internal sealed class HttpEndpoints : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HttpEndpoints(WebApplication app) => _app = app;

    /// <summary>The address actually bound (resolves port 0).</summary>
    public string Url => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    public static async Task<HttpEndpoints> StartAsync(HttpSettings settings, Func<bool> ready, AdminApi? admin = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(settings.Url);
        var app = builder.Build();
        app.MapGet("/health/live", () => Results.Text("live"));
        app.MapGet("/health/ready", () => ready() ? Results.Text("ready") : Results.Text("not ready", statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapMetrics("/metrics");
        admin?.Map(app, settings);
        try
        {
            await app.StartAsync();
        }
        catch (IOException e)
        {
            throw new Core.Configuration.ConfigurationError(
                $"Cannot listen on {settings.Url} ({e.Message}). Choose another pipeline.http.port (0 picks a free one) or stop the process using it.", e);
        }
        return new HttpEndpoints(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

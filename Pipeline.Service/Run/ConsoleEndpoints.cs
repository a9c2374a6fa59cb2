using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Pipeline.Core.DeadLetters;

namespace Pipeline.Service.Run;

/// <summary>
/// The browser console: its page at <c>/ui</c> (assets embedded in the binary, nothing loaded from elsewhere) and the admin
/// views it reads besides use cases and experiments: the live figures, the experiments over time, dead letters, the cluster.
/// </summary>
internal sealed class ConsoleEndpoints(PipelineNode node, LiveFigures figures, DeadLetterTail deadLetters, ConsoleSettings settings)
{
    /// <summary>Adds the views to the admin group (which already checks the token).</summary>
    public void MapAdmin(RouteGroupBuilder admin)
    {
        admin.MapGet("/figures", () => Results.Json(FiguresView.Of(figures.Latest)));
        admin.MapGet("/experiments/history", () => Results.Json(figures.ExperimentHistory));
        admin.MapGet("/dead-letters", async () => Results.Json(new DeadLettersView(
            DeadLetterMetrics.Default.Counts().OrderBy(c => c.Stage, StringComparer.Ordinal).ThenBy(c => c.Reason, StringComparer.Ordinal)
                .Select(c => new DeadLetterCount(c.Stage, c.Reason, c.Count)).ToList(),
            await deadLetters.LatestAsync())));
        admin.MapGet("/cluster", async () => Results.Json(await ClusterView.ReadAsync(node, settings.QueryTimeout)));
    }

    /// <summary>
    /// Serves the page. It holds no data (everything it shows comes from /admin with the token the user enters), so with a
    /// token configured it is served to anyone who reaches the port; without one, only while the node listens on loopback,
    /// like the admin API.
    /// </summary>
    public static void MapPage(WebApplication app, HttpSettings http)
    {
        IResult Asset(string file)
        {
            if (http.AdminToken.Length == 0 && !http.IsLoopback)
                return Results.Text("The console needs an admin token when the node listens beyond loopback: set PIPELINE__pipeline__http__admin-token.",
                    statusCode: StatusCodes.Status403Forbidden);
            return ConsoleAssets.Find(file) is { } asset ? new AssetResult(asset) : Results.NotFound();
        }
        // "/ui" and "/ui/" are one route; the page's relative asset links need the slash.
        app.MapGet("/ui/{file?}", (HttpRequest request, string? file) =>
            file is not null ? Asset(file) : request.Path.Value!.EndsWith('/') ? Asset("index.html") : Results.Redirect("/ui/"));
    }

    private sealed class AssetResult(ConsoleAsset asset) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            var headers = context.Response.Headers;
            headers.ContentType = asset.ContentType;
            headers.CacheControl = "no-cache";
            headers.XContentTypeOptions = "nosniff";
            // Nothing but this node: no script, style, font or image from anywhere else, and no framing by another site.
            headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
            return context.Response.Body.WriteAsync(asset.Content).AsTask();
        }
    }

    private sealed record FiguresView(DateTime At, double GeneratedPerSecond, IReadOnlyList<StreamFigures> Streams)
    {
        public static FiguresView Of(FiguresSnapshot snapshot) => new(snapshot.At, snapshot.GeneratedPerSecond,
            snapshot.Streams.Select(s => new StreamFigures(s.Stream, s.ProcessedPerSecond, s.Processed, s.Lag,
                s.Latency.P50, s.Latency.P99, s.Latency.P999, s.Latency.Max)).ToList());
    }

    private sealed record StreamFigures(string Stream, double RecordsPerSecond, long Processed, long Lag,
        double LatencyP50Ms, double LatencyP99Ms, double LatencyP999Ms, double LatencyMaxMs);

    private sealed record DeadLettersView(IReadOnlyList<DeadLetterCount> Counts, IReadOnlyList<DeadLetterView> Latest);

    private sealed record DeadLetterCount(string Stage, string Reason, double Count);
}

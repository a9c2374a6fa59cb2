using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Pipeline.Core.Downstream;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;

namespace Pipeline.Service.Run;

/// <summary>
/// The admin endpoints: use cases (list, start, stop, reload a Python one) and experiments (shares and counts, change a share at runtime).
/// With a token configured every request needs <c>Authorization: Bearer TOKEN</c>; without one they answer only
/// when the node listens on loopback. With <paramref name="console"/>, also the browser console and the views it reads.
/// </summary>
internal sealed class AdminApi(PipelineNode node, string token, ConsoleEndpoints? console = null)
{
    public void Map(WebApplication app, HttpSettings settings)
    {
        var admin = app.MapGroup("/admin").AddEndpointFilter(async (context, next) =>
        {
            var refusal = Authorize(context.HttpContext.Request, settings);
            return refusal ?? await next(context);
        });
        console?.MapAdmin(admin);
        if (console is not null)
            ConsoleEndpoints.MapPage(app, settings);
        admin.MapGet("/use-cases", () => Results.Json(node.UseCases.Status().Select(UseCaseView.Of)));
        admin.MapPost("/use-cases/{key}/start", (string key) =>
        {
            if (node.UseCases.Stream(key) is not { } stream)
                return UnknownUseCase(key);
            stream.Start();
            return Results.Json(UseCaseView.Of(node.UseCases.Status().Single(s => s.Key == key)));
        });
        admin.MapPost("/use-cases/{key}/stop", async (string key) =>
        {
            if (node.UseCases.Stream(key) is not { } stream)
                return UnknownUseCase(key);
            await stream.StopAsync(TimeSpan.FromSeconds(30));
            return Results.Json(UseCaseView.Of(node.UseCases.Status().Single(s => s.Key == key)));
        });
        admin.MapPost("/use-cases/{key}/reload", async (string key) =>
        {
            try
            {
                var refused = await node.UseCases.ReloadAsync(key, TimeSpan.FromSeconds(30));
                return refused is null
                    ? Results.Json(UseCaseView.Of(node.UseCases.Status().Single(s => s.Key == key)))
                    : Results.Json(new { error = refused }, statusCode: StatusCodes.Status422UnprocessableEntity);
            }
            catch (KeyNotFoundException)
            {
                return UnknownUseCase(key);
            }
            catch (InvalidOperationException e)
            {
                return Results.Json(new { error = e.Message }, statusCode: StatusCodes.Status400BadRequest);
            }
        });
        admin.MapGet("/experiments", () => Results.Json(node.Experiments.BShares.Select(e => ExperimentView.Of(e.Key, e.Value))));
        admin.MapPut("/experiments/{key}", (string key, ExperimentChange change) =>
        {
            try
            {
                node.Experiments.SetBShare(key, change.BShare);
                return Results.Json(ExperimentView.Of(key, change.BShare));
            }
            catch (KeyNotFoundException e)
            {
                return Results.Json(new { error = e.Message }, statusCode: StatusCodes.Status404NotFound);
            }
            catch (ArgumentOutOfRangeException e)
            {
                return Results.Json(new { error = e.Message }, statusCode: StatusCodes.Status400BadRequest);
            }
        });
    }

    private IResult? Authorize(HttpRequest request, HttpSettings settings)
    {
        if (token.Length == 0)
            return settings.IsLoopback
                ? null
                : Results.Json(new { error = "The admin endpoints need a token when the node listens beyond loopback: set PIPELINE__pipeline__http__admin-token." },
                    statusCode: StatusCodes.Status403Forbidden);
        var given = request.Headers.Authorization.ToString();
        var expected = "Bearer " + token;
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected))
            ? null
            : Results.Json(new { error = "Missing or wrong bearer token: send 'Authorization: Bearer <pipeline.http.admin-token>'." }, statusCode: StatusCodes.Status401Unauthorized);
    }

    private IResult UnknownUseCase(string key) =>
        Results.Json(new { error = $"No use case '{key}' runs on this node. Use cases: {string.Join(", ", node.UseCases.Keys)}." }, statusCode: StatusCodes.Status404NotFound);

    /// <summary>The body of PUT /admin/experiments/{key}.</summary>
    public sealed record ExperimentChange(double BShare);

    private sealed record UseCaseView(string Key, string Name, IReadOnlyList<string> Variants, string State, int Restarts, string? LastFailure, long Lag,
        double CpuSeconds, long MemoryBytes, bool Reloadable, IReadOnlyDictionary<string, long> Findings, IReadOnlyList<FindingView> LatestFindings)
    {
        public static UseCaseView Of(UseCaseStatus status) =>
            new(status.Key, status.Name, status.Variants, status.State.ToString(), status.Restarts, status.LastFailure, status.Lag,
                status.CpuSeconds, status.MemoryBytes, status.Reloadable, status.Findings,
                status.LatestFindings.Select(f => new FindingView(f.Variant, f.CustomerId, f.TransactionId, f.Timestamp, f.Message)).ToList());
    }

    private sealed record FindingView(string Variant, string CustomerId, string TransactionId, DateTimeOffset Timestamp, string Message);

    private sealed record VariantCounts(double Produced, double Delivered);

    private sealed record ExperimentView(string Key, double BShare, VariantCounts A, VariantCounts B, IReadOnlyDictionary<string, double> Agreement)
    {
        public static ExperimentView Of(string key, double share)
        {
            var name = UseCaseNames.ToName(key);
            VariantCounts Counts(string variant) => new(
                ExperimentMetrics.Produced.WithLabels(name, variant).Value,
                ExperimentMetrics.Delivered.WithLabels(name, variant).Value);
            var agreement = new[] { "both", "a-only", "b-only", "neither" }
                .ToDictionary(outcome => outcome, outcome => ExperimentMetrics.Agreement.WithLabels(name, outcome).Value);
            return new ExperimentView(key, share, Counts("A"), Counts("B"), agreement);
        }
    }
}

using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Pipeline.Service.Run;
using Spectre.Console;

namespace Pipeline.Service.Commands;

/// <summary><c>pipeline status</c>: the admin view of a running node (use cases, experiments) as tables in the terminal.</summary>
internal static class StatusCommand
{
    private static readonly Option<string?> Url = new("--url")
    {
        Description = "Base URL of the node's HTTP endpoints; default: pipeline.http bind and port from the configuration."
    };

    public static Command Create()
    {
        var command = new Command("status", "Show the use cases and experiments of a running node.");
        CommonOptions.AddTo(command);
        command.Options.Add(Url);
        command.SetAction(async (parse, cancellation) =>
        {
            var http = HttpSettings.Create(CommonOptions.Load(parse).Section("pipeline.http"));
            var url = parse.GetValue(Url) ?? http.Url;
            using var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };
            if (http.AdminToken.Length > 0)
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", http.AdminToken);
            try
            {
                var useCases = await GetAsync(client, "/admin/use-cases", cancellation);
                var experiments = await GetAsync(client, "/admin/experiments", cancellation);
                // Piped output has no terminal width; Spectre would assume 80 columns and wrap the names.
                if (Console.IsOutputRedirected)
                    AnsiConsole.Profile.Width = 200;
                AnsiConsole.Write(UseCaseTable(useCases));
                AnsiConsole.Write(LatestFindingsTable(useCases));
                AnsiConsole.Write(ExperimentTable(experiments));
                return 0;
            }
            catch (HttpRequestException e)
            {
                Console.Error.WriteLine($"status: cannot read the admin API at {url} ({e.Message}). Is `pipeline run` running there? Pass its address with --url, " +
                                        "and the token in PIPELINE__pipeline__http__admin-token when it has one.");
                return 1;
            }
        });
        return command;
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string path, CancellationToken cancellation)
    {
        using var response = await client.GetAsync(path, cancellation);
        var body = await response.Content.ReadAsStringAsync(cancellation);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"{path} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static Table UseCaseTable(JsonElement useCases)
    {
        var table = new Table().Title("use cases").AddColumns("key", "variants", "state", "restarts", "lag", "findings", "cpu s", "memory MiB", "last failure");
        foreach (var u in useCases.EnumerateArray())
        {
            table.AddRow(
                Markup.Escape(u.GetProperty("key").GetString()!),
                string.Join(", ", u.GetProperty("variants").EnumerateArray().Select(v => v.GetString())),
                u.GetProperty("state").GetString()!,
                u.GetProperty("restarts").GetInt32().ToString(CultureInfo.InvariantCulture),
                u.GetProperty("lag").GetInt64().ToString("N0", CultureInfo.InvariantCulture),
                string.Join(", ", u.GetProperty("findings").EnumerateObject().Select(f => $"{f.Name} {f.Value.GetInt64().ToString("N0", CultureInfo.InvariantCulture)}")),
                // Older nodes do not report resources.
                u.TryGetProperty("cpuSeconds", out var cpu) ? cpu.GetDouble().ToString("N1", CultureInfo.InvariantCulture) : "",
                u.TryGetProperty("memoryBytes", out var memory) ? (memory.GetInt64() / 1048576.0).ToString("N1", CultureInfo.InvariantCulture) : "",
                Markup.Escape(u.GetProperty("lastFailure").GetString() ?? ""));
        }
        return table;
    }

    private static Table LatestFindingsTable(JsonElement useCases)
    {
        var table = new Table().Title("latest findings").AddColumns("key", "variant", "customer", "transaction", "event time", "message");
        foreach (var u in useCases.EnumerateArray())
        {
            foreach (var f in u.GetProperty("latestFindings").EnumerateArray())
            {
                table.AddRow(Markup.Escape(u.GetProperty("key").GetString()!), f.GetProperty("variant").GetString()!,
                    Markup.Escape(f.GetProperty("customerId").GetString()!), Markup.Escape(f.GetProperty("transactionId").GetString()!),
                    f.GetProperty("timestamp").GetDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                    Markup.Escape(f.GetProperty("message").GetString()!));
            }
        }
        return table;
    }

    private static Table ExperimentTable(JsonElement experiments)
    {
        var table = new Table().Title("experiments").AddColumns("key", "B share %", "A produced/delivered", "B produced/delivered", "both", "a-only", "b-only");
        foreach (var e in experiments.EnumerateArray())
        {
            string Counts(string variant) =>
                $"{e.GetProperty(variant).GetProperty("produced").GetDouble():N0} / {e.GetProperty(variant).GetProperty("delivered").GetDouble():N0}";
            string Agreement(string outcome) => e.GetProperty("agreement").GetProperty(outcome).GetDouble().ToString("N0", CultureInfo.InvariantCulture);
            table.AddRow(Markup.Escape(e.GetProperty("key").GetString()!), e.GetProperty("bShare").GetDouble().ToString(CultureInfo.InvariantCulture),
                Counts("a"), Counts("b"), Agreement("both"), Agreement("a-only"), Agreement("b-only"));
        }
        return table;
    }
}

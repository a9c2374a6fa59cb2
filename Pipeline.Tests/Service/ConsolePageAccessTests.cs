using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Service.Run;

namespace Pipeline.Tests.Service;

/// <summary>The console page follows the admin API's rule: without a token it is served only while the node listens on loopback.</summary>
public sealed class ConsolePageAccessTests
{
    [Theory]
    [InlineData("127.0.0.1", "", HttpStatusCode.OK)]
    [InlineData("0.0.0.0", "", HttpStatusCode.Forbidden)]
    [InlineData("0.0.0.0", "a-token", HttpStatusCode.OK)]
    public async Task The_page_is_refused_beyond_loopback_without_a_token(string bind, string token, HttpStatusCode expected)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://{bind}:0");
        await using var app = builder.Build();
        ConsoleEndpoints.MapPage(app, new HttpSettings(bind, 0, token));
        await app.StartAsync();
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
            .Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)).Port;
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        using var page = await http.GetAsync("/ui/");
        var body = await page.Content.ReadAsStringAsync();
        Assert.Equal(expected, page.StatusCode);
        if (expected == HttpStatusCode.Forbidden)
            Assert.Contains("PIPELINE__pipeline__http__admin-token", body);
        else
            Assert.Contains("<title>Akka Pipeline console</title>", body);
        await app.StopAsync();
    }
}

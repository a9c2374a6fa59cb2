using Pipeline.Core.Configuration;

namespace Pipeline.Service.Run;

/// <summary>The node's HTTP endpoints, from <c>pipeline.http</c>.</summary>
/// <param name="AdminToken">Bearer token the admin endpoints require; empty: none (then admin answers only on a loopback bind).</param>
internal sealed record HttpSettings(string Bind, int Port, string AdminToken)
{
    public static HttpSettings Create(ConfigSection section) =>
        new(section.GetString("bind"), section.GetInt("port", 0, 65535), section.GetString("admin-token"));

    public string Url => $"http://{Bind}:{Port}";

    /// <summary>Whether only this machine can reach the endpoints.</summary>
    public bool IsLoopback => Bind is "127.0.0.1" or "localhost" or "::1";
}

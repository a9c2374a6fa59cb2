using Pipeline.Core.Configuration;

namespace Pipeline.Service.Run;

/// <summary>Where the HTTP endpoints listen, from <c>pipeline.http</c>.</summary>
internal sealed record HttpSettings(string Bind, int Port)
{
    public static HttpSettings Create(ConfigSection section) => new(section.GetString("bind"), section.GetInt("port", 0, 65535));

    public string Url => $"http://{Bind}:{Port}";
}

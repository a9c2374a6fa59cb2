using Pipeline.Core.Configuration;

namespace Pipeline.Core.Upstream;

/// <summary>Settings of dead letters, from <c>pipeline.dead-letters</c>.</summary>
/// <param name="MaxHeaderValueBytes">Longest header value in UTF-8 bytes; longer values are cut.</param>
public sealed record DeadLetterSettings(int MaxHeaderValueBytes)
{
    public static DeadLetterSettings Create(ConfigSection section) =>
        new(section.GetInt("max-header-value-bytes", 16, 1024 * 1024));
}

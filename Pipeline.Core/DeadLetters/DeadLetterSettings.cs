using Pipeline.Core.Configuration;

namespace Pipeline.Core.DeadLetters;

/// <summary>Settings of dead letters, from <c>pipeline.dead-letters</c>.</summary>
/// <param name="MaxHeaderValueBytes">Longest header value in UTF-8 bytes; longer values are cut.</param>
/// <param name="MaxValueBytes">Longest key or value a dead letter carries; a longer one is cut to this size, with its full size and SHA-256 in headers.</param>
/// <param name="PoisonAfter">Failures of a stream on one record after which the record goes to the dead letters as poison.</param>
public sealed record DeadLetterSettings(int MaxHeaderValueBytes, int MaxValueBytes, int PoisonAfter)
{
    public static DeadLetterSettings Create(ConfigSection section) => new(
        section.GetInt("max-header-value-bytes", 16, 1024 * 1024),
        section.GetInt("max-value-bytes", 1024, 64 * 1024 * 1024),
        section.GetInt("poison-after", 1, 1000));
}

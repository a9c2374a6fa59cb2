using System.Globalization;
using Pipeline.Core.Configuration;

namespace Pipeline.Service.Commands;

/// <summary>Times given on the command line: ISO 8601, UTC unless an offset is given.</summary>
internal static class IsoTime
{
    public static DateTimeOffset Parse(string text, string option) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw new ConfigurationError($"{option} '{text}' is not an ISO 8601 time; give one such as 2026-11-24T10:00:00Z.");
}

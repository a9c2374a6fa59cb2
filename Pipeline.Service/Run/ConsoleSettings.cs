using Pipeline.Core.Configuration;

namespace Pipeline.Service.Run;

/// <summary>The browser console at <c>/ui</c> and the admin views behind it, from <c>pipeline.console</c>.</summary>
/// <param name="HistoryPoints">Samples of each experiment's counts kept for the chart (one per progress refresh).</param>
/// <param name="LatestDeadLetters">Dead letters whose headers <c>/admin/dead-letters</c> shows.</param>
/// <param name="DeadLettersMaxAge">How long a read of the dead-letters topic is reused before it is read again.</param>
/// <param name="QueryTimeout">How long a read behind the console waits at most (the shard regions' statistics, the dead-letters topic).</param>
internal sealed record ConsoleSettings(int HistoryPoints, int LatestDeadLetters, TimeSpan DeadLettersMaxAge, TimeSpan QueryTimeout)
{
    public static ConsoleSettings Create(ConfigSection section) => new(
        section.GetInt("history-points", 2, 100_000),
        section.GetInt("latest-dead-letters", 0, 1_000),
        section.GetDuration("dead-letters-max-age"),
        section.GetDuration("query-timeout"));
}

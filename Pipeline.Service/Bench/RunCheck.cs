namespace Pipeline.Service.Bench;

/// <summary>
/// The at-least-once check of one run: the output topic holds exactly one record per input record (none
/// lost to the broker's retention) and the group committed the end of every input partition.
/// </summary>
internal static class RunCheck
{
    /// <summary>What is wrong with the run, or null when its counts are verified.</summary>
    public static string? Problem(TopicInspector inspector, string input, TopicCounts inputCounts, string output, string groupId, long expected)
    {
        var produced = inspector.Watermarks(output);
        if (produced.LostRecords)
            return $"{output} lost records to the embedded broker's retention (low watermark above 0)";
        if (produced.Retained != expected)
            return $"{output} holds {produced.Retained} records, expected {expected}";
        var committed = inspector.Committed(input, groupId);
        for (var p = 0; p < committed.Length; p++)
        {
            if (committed[p] != inputCounts.High[p])
                return $"group {groupId} committed offset {committed[p]} on {input}[{p}], which ends at {inputCounts.High[p]}";
        }
        return null;
    }
}

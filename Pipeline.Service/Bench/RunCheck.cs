namespace Pipeline.Service.Bench;

/// <summary>
/// The at-least-once check of one run: the broker appended exactly one output record per input record and
/// the group committed the end of every input partition. Outputs are counted by their high watermarks, which
/// count every appended record even after the embedded broker's retention dropped old ones (a million lz4
/// records in the variants' small batches exceed it; nothing reads them back in throughput mode).
/// </summary>
internal static class RunCheck
{
    /// <summary>What is wrong with the run, or null when its counts are verified.</summary>
    public static string? Problem(TopicInspector inspector, string input, TopicCounts inputCounts, string output, string groupId, long expected)
    {
        var produced = inspector.Watermarks(output).Appended;
        if (produced != expected)
            return $"{output} received {produced} records, expected {expected}";
        var committed = inspector.Committed(input, groupId);
        for (var p = 0; p < committed.Length; p++)
        {
            if (committed[p] != inputCounts.High[p])
                return $"group {groupId} committed offset {committed[p]} on {input}[{p}], which ends at {inputCounts.High[p]}";
        }
        return null;
    }
}

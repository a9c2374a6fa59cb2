namespace Pipeline.Service.Bench;

/// <summary>The median the benchmark tables report: of an even count, the mean of the two middle values.</summary>
internal static class Medians
{
    /// <summary>The median of <paramref name="values"/>, 0 when there are none.</summary>
    public static double Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
            return 0;
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}

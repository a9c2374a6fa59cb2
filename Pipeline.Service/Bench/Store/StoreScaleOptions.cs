namespace Pipeline.Service.Bench.Store;

/// <summary>What <c>pipeline bench store --scale</c> loads and measures.</summary>
/// <param name="SizesRows">The history sizes, in rows, loaded one after another (each adds customers to the previous).</param>
/// <param name="Days">Daily partitions the history spans.</param>
/// <param name="BurstActivations">Entities activating at once in the burst.</param>
/// <param name="MeasureSeconds">How long each insert-rate measurement runs.</param>
/// <param name="NormalWriteRate">Rows/s of the write load the burst runs under.</param>
/// <param name="ReadSamples">Customers whose window read is timed, warm and cold each.</param>
/// <param name="ConcurrentReaders">Readers running while the insert rate under reads is measured.</param>
/// <param name="RebuildLimits">The rebuild limits each burst runs with, besides one without a limit.</param>
internal sealed record StoreScaleOptions(
    IReadOnlyList<long> SizesRows,
    int Days,
    int BurstActivations,
    double MeasureSeconds,
    int NormalWriteRate,
    int ReadSamples,
    int ConcurrentReaders,
    IReadOnlyList<int> RebuildLimits);

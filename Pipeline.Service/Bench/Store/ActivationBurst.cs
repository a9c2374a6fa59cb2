using System.Diagnostics;
using Pipeline.Core.UseCaseRuntime;

namespace Pipeline.Service.Bench.Store;

/// <summary>
/// Entities of customers not read before activating all at once, as after a node's loss: each reads its window through the
/// same <see cref="RebuildLimit"/> the entities use. Says how long until all were rebuilt and how many reads failed.
/// </summary>
internal static class ActivationBurst
{
    public sealed record Result(int Activations, TimeSpan Elapsed, int Failed, string? FirstError)
    {
        public double PerSecond => (Activations - Failed) / Elapsed.TotalSeconds;
    }

    public static async Task<Result> RunAsync(IReadOnlyList<string> customers, RebuildLimit limit, Func<string, Task<int>> read)
    {
        var failed = 0;
        string? firstError = null;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(customers.Select(customer => Task.Run(async () =>
        {
            try
            {
                await limit.RunAsync(() => read(customer));
            }
            catch (Exception e)
            {
                if (Interlocked.Increment(ref failed) == 1)
                    firstError = $"{e.GetType().Name}: {e.Message}";
            }
        })));
        return new Result(customers.Count, clock.Elapsed, failed, firstError);
    }
}

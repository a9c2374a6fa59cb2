using System.Collections.Concurrent;

namespace Pipeline.Core.UseCaseRuntime;

/// <summary>
/// What a running use case has reported: how many findings per variant, and the latest few, so an author sees a new rule's
/// findings in the admin API, <c>pipeline status</c> and the live view without reading a topic. Safe from many threads.
/// </summary>
public sealed class UseCaseFindings(int latest)
{
    private readonly ConcurrentDictionary<string, long> _perVariant = new(StringComparer.Ordinal);
    private readonly Queue<UseCaseFeedback> _latest = new();

    public void Observe(IReadOnlyList<UseCaseFeedback> findings)
    {
        if (findings.Count == 0)
            return;
        foreach (var finding in findings)
            _perVariant.AddOrUpdate(finding.Variant, 1, static (_, n) => n + 1);
        lock (_latest)
        {
            foreach (var finding in findings)
            {
                _latest.Enqueue(finding);
                while (_latest.Count > latest)
                    _latest.Dequeue();
            }
        }
    }

    /// <summary>Findings so far per variant ("A", "B").</summary>
    public IReadOnlyDictionary<string, long> PerVariant => new SortedDictionary<string, long>(_perVariant, StringComparer.Ordinal);

    /// <summary>The latest findings, newest last.</summary>
    public IReadOnlyList<UseCaseFeedback> Latest
    {
        get
        {
            lock (_latest)
                return _latest.ToList();
        }
    }
}

using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Core.UseCaseRuntime;

/// <summary>
/// The A/B experiments: for each use case with two variants, the share of customers (0-100 %) assigned to B. A
/// customer's assignment is a stable hash of (customer id, experiment name), so it never flips while the share is
/// unchanged, and raising the share only moves customers from A to B. Shares change at runtime (admin API).
/// </summary>
public sealed class Experiments
{
    private readonly ConcurrentDictionary<string, double> _bShares;

    public Experiments(IReadOnlyDictionary<string, double> bSharePercentByUseCase)
    {
        foreach (var (name, share) in bSharePercentByUseCase)
            Validate(name, share);
        _bShares = new ConcurrentDictionary<string, double>(bSharePercentByUseCase);
    }

    /// <summary>The experiments by use case name, with their current B share in percent.</summary>
    public IReadOnlyDictionary<string, double> BShares => new SortedDictionary<string, double>(_bShares, StringComparer.Ordinal);

    /// <summary>Whether the use case runs as an experiment.</summary>
    public bool Has(string useCase) => _bShares.ContainsKey(useCase);

    /// <summary>Sets the B share of an existing experiment.</summary>
    /// <exception cref="KeyNotFoundException">No experiment of that name.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The share is outside 0-100.</exception>
    public void SetBShare(string useCase, double percent)
    {
        if (!_bShares.ContainsKey(useCase))
            throw new KeyNotFoundException($"There is no experiment '{useCase}'. Experiments: {string.Join(", ", _bShares.Keys.Order())}.");
        Validate(useCase, percent);
        _bShares[useCase] = percent;
    }

    /// <summary>The variant whose feedback reaches the customer: "A" or "B" for an experiment, the only variant otherwise.</summary>
    public string AssignedVariant(string useCase, string customerId) =>
        _bShares.TryGetValue(useCase, out var share) && Bucket(useCase, customerId) < share * 100 ? "B" : "A";

    /// <summary>The customer's bucket in [0, 10000): basis points, so shares like 12.5 % are exact.</summary>
    internal static int Bucket(string useCase, string customerId)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{useCase}/{customerId}"), hash);
        return (int)(BitConverter.ToUInt32(hash) % 10_000);
    }

    private static void Validate(string useCase, double percent)
    {
        if (percent is < 0 or > 100 || double.IsNaN(percent))
            throw new ArgumentOutOfRangeException(nameof(percent), percent, $"The B share of '{useCase}' must be between 0 and 100 (percent).");
    }
}

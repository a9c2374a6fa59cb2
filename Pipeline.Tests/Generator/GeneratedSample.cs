using Pipeline.Core.Generator;
using Pipeline.Core.UseCases;

namespace Pipeline.Tests.Generator;

/// <summary>
/// 200,000 records of the default generator (about 75 simulated days of 1,000 customers), generated
/// once per test run and shared by the tests that measure proportions and use-case quality.
/// </summary>
internal static class GeneratedSample
{
    public const int Size = 200_000;

    private static readonly Lazy<IReadOnlyList<(GeneratedRecord Record, CardTransaction Transaction)>> Lazy = new(() =>
        TransactionGenerator.Create(GeneratorTests.DefaultSettings()).Records().Take(Size)
            .Select(r => (r, RawRecordParser.Parse(r.Value))).ToList());

    public static IReadOnlyList<(GeneratedRecord Record, CardTransaction Transaction)> Records => Lazy.Value;
}

using Pipeline.Core.DeadLetters;
using Pipeline.Core.Generator;
using Pipeline.Core.Trial;
using Pipeline.Core.Upstream;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;

namespace Pipeline.Service.Trial;

/// <summary>
/// The records a trial feeds its use case: raw JSON records, from the generator or a JSON-lines file, read by the
/// upstream's own parser so the use case sees what it would see in the pipeline. Records the parser refuses are counted
/// (live, they go to dead letters), not evaluated.
/// </summary>
internal sealed class TrialInput(RawTransactionParser parser)
{
    /// <summary>Records refused by the parser.</summary>
    public int Rejected { get; private set; }

    /// <summary>The first refusal: where, and why.</summary>
    public string? FirstRejection { get; private set; }

    /// <summary>The oldest and newest event times of the accepted records.</summary>
    public (DateTimeOffset Oldest, DateTimeOffset Newest)? Span { get; private set; }

    public IEnumerable<TrialRecord> FromGenerator(GeneratorSettings settings, int count) =>
        TransactionGenerator.Create(settings).Records().Take(count)
            .Select(record => Accept(record.Value, $"generated record {record.TransactionId}", record.Behaviour))
            .OfType<TrialRecord>();

    public IEnumerable<TrialRecord> FromFile(string path)
    {
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            if (Accept(System.Text.Encoding.UTF8.GetBytes(line), $"{Path.GetFileName(path)} line {number}", null) is { } record)
                yield return record;
        }
    }

    private TrialRecord? Accept(byte[] raw, string where, string? behaviour)
    {
        var parsed = parser.Parse(raw);
        if (parsed.Value is null)
        {
            Rejected++;
            FirstRejection ??= $"{where}: {parsed.Rejection}";
            return null;
        }
        var transaction = parsed.Value.ToCardTransaction();
        Span = Span is { } span
            ? (Min(span.Oldest, transaction.Timestamp), Max(span.Newest, transaction.Timestamp))
            : (transaction.Timestamp, transaction.Timestamp);
        return new TrialRecord(transaction, behaviour);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a <= b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a >= b ? a : b;
}

using System.Globalization;
using Pipeline.Core.Trial;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;

namespace Pipeline.Service.Trial;

/// <summary>Prints a trial's report for the author: per variant, findings, quality, cost and the rebuild check.</summary>
internal static class TrialReportText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Write(TrialReport report, string source, TrialInput input, TextWriter output)
    {
        var span = input.Span is { } s ? $", event times {s.Oldest:yyyy-MM-dd} .. {s.Newest:yyyy-MM-dd}" : "";
        output.WriteLine(string.Create(Invariant, $"pipeline try {report.UseCaseKey}: {source}{span}, {report.Took.TotalSeconds:0.0} s"));
        if (input.Rejected > 0)
            output.WriteLine(string.Create(Invariant, $"  {input.Rejected:N0} records refused as the upstream would (dead letters live); first: {input.FirstRejection}"));
        foreach (var variant in report.Variants)
        {
            output.WriteLine();
            Write(variant, output);
        }
        output.WriteLine();
        output.WriteLine(report.Passed
            ? "result: the rebuild check passed (exit code 0)"
            : "result: the rebuild check FAILED (exit code 1): the state must be a function of the history window alone; see docs/use-cases.md");
    }

    private static void Write(VariantReport v, TextWriter output)
    {
        var quality = v.Quality;
        output.WriteLine($"{v.Name}/{v.Variant}" + (quality.Behaviour is { } b ? $"  targets {b}" : "  targets no injected behaviour"));
        output.WriteLine(string.Create(Invariant, $"  findings   {v.Findings:N0} of {v.Records:N0} transactions; {v.Errors:N0} evaluations threw")
            + (v.FirstError is { } e ? $" (first: {e})" : ""));
        output.WriteLine("  quality    " + Quality(quality));
        output.WriteLine(string.Create(Invariant, $"  evaluate   p50 {Micros(v.EvaluateP50)}, p99 {Micros(v.EvaluateP99)}"));
        output.WriteLine("  rebuild    " + Rebuild(v));
        foreach (var (label, list) in new[] { ("sample", v.Sample), ("not injected", v.FalsePositives) })
        {
            for (var i = 0; i < list.Count; i++)
                output.WriteLine($"  {(i == 0 ? label : ""),-12} {Line(list[i])}");
        }
    }

    private static string Quality(TrialQuality q)
    {
        if (q.Unmeasured is { } why)
            return $"no precision or recall: {why}";
        var precision = q.Precision is { } p ? string.Create(Invariant, $"{p:P1} ({q.TruePositives:N0} of {q.Reported:N0} reported)") : "n/a (nothing reported)";
        var recall = q.Recall is { } r
            ? string.Create(Invariant, $"{r:P1} ({q.TruePositives:N0} of {q.Injected:N0} injected)")
            : $"n/a (no '{q.Behaviour}' injected in these records: give more --records)";
        return $"precision {precision}, recall {recall}";
    }

    private static string Rebuild(VariantReport v)
    {
        if (v.FirstMismatch is { } m)
            return string.Create(Invariant,
                $"FAILED: {v.Mismatches:N0} of {v.RebuildsCompared:N0} rebuilt states decided differently; first at {m.TransactionId} of {m.CustomerId} " +
                $"at {m.Timestamp:O}: the long-lived state gives {Message(m.LongLived)}, the one rebuilt from the history window gives {Message(m.Rebuilt)}");
        var note = v.RebuildsWithFinding == 0 ? " (none with a finding: a missed finding after a rebuild would go unnoticed)" : "";
        return string.Create(Invariant, $"passed: {v.RebuildsCompared:N0} states rebuilt from the history window decided like long-lived ones, {v.RebuildsWithFinding:N0} with a finding{note}");
    }

    private static string Line(UseCaseFeedback f) =>
        string.Create(Invariant, $"{f.TransactionId} {f.CustomerId} {f.Timestamp:yyyy-MM-ddTHH:mm:ssZ}  {f.Message}");

    private static string Message(string? message) => message is null ? "no finding" : $"'{message}'";

    private static string Micros(TimeSpan t) => string.Create(Invariant, $"{t.TotalMicroseconds:0.0} us");
}

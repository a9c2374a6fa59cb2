using Pipeline.Contracts;
using Pipeline.Core.Storage;

namespace Pipeline.Core.Downstream;

/// <summary>
/// Decides whether a feedback record was delivered already: first against the ids this stream saw recently (which
/// also catches a duplicate still in flight), then against the outputs in the history store, written after each
/// notification's acknowledgement. So a replay or a duplicate delivery of feedback never yields a second
/// notification; only a crash between a notification's acknowledgement and its store write can, and the
/// notification id (the feedback id) lets consumers drop that one.
/// </summary>
internal sealed class FeedbackDeduplicator(IHistoryStore store, int capacity)
{
    private readonly HashSet<string> _recent = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    /// <summary>Claims the id in memory; false when it was seen recently. Call in stream order (not concurrently).</summary>
    public bool ClaimRecent(string feedbackId)
    {
        if (!_recent.Add(feedbackId))
            return false;
        _order.Enqueue(feedbackId);
        if (_order.Count > capacity)
            _recent.Remove(_order.Dequeue());
        return true;
    }

    /// <summary>Whether the store already holds the output of this feedback (one point read in the customer's partition).</summary>
    public async Task<bool> IsStoredAsync(Feedback feedback, CancellationToken cancellationToken = default)
    {
        var at = new DateTimeOffset(DateTime.SpecifyKind(feedback.timestamp, DateTimeKind.Utc));
        var query = new HistoryQuery(HistoryTable.Outputs, feedback.customerId, at, at.AddMilliseconds(1));
        HistoryCursor? after = null;
        do
        {
            var page = await store.ReadPageAsync(query, after, 100, cancellationToken).ConfigureAwait(false);
            if (page.Rows.Any(row => row.Id == feedback.feedbackId))
                return true;
            after = page.Next;
        } while (after is not null);
        return false;
    }
}

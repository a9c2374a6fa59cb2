using Akka;
using Akka.Streams.Dsl;
using Akka.Util;

namespace Pipeline.Core.Storage;

/// <summary>Reading history as a stream.</summary>
public static class HistoryReads
{
    /// <summary>
    /// The rows of <paramref name="query"/> in clustering order. Pages of <paramref name="pageSize"/> rows are
    /// fetched lazily: the next page is queried only when downstream has consumed the previous one and pulls.
    /// </summary>
    public static Source<HistoryRow, NotUsed> Source(IHistoryStore store, HistoryQuery query, int pageSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        return Akka.Streams.Dsl.Source
            .UnfoldAsync<PageState, IReadOnlyList<HistoryRow>>(new PageState(null, false), async state =>
            {
                if (state.Finished)
                    return Option<(PageState, IReadOnlyList<HistoryRow>)>.None;
                var page = await store.ReadPageAsync(query, state.After, pageSize);
                if (page.Rows.Count == 0)
                    return Option<(PageState, IReadOnlyList<HistoryRow>)>.None;
                return (new PageState(page.Next, page.Next is null), page.Rows);
            })
            .SelectMany(rows => rows)
            .Named("history-reads");
    }

    private sealed record PageState(HistoryCursor? After, bool Finished);
}

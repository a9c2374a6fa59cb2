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

    /// <summary>
    /// The customers with records in day bucket <paramref name="day"/>, in id order, fetched <paramref name="pageSize"/> at a
    /// time when downstream pulls.
    /// </summary>
    public static Source<string, NotUsed> Customers(IHistoryStore store, int day, int pageSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        return Akka.Streams.Dsl.Source
            .UnfoldAsync<CustomerPageState, IReadOnlyList<string>>(new CustomerPageState(null, false), async state =>
            {
                if (state.Finished)
                    return Option<(CustomerPageState, IReadOnlyList<string>)>.None;
                var customers = await store.ReadCustomersAsync(day, state.After, pageSize);
                if (customers.Count == 0)
                    return Option<(CustomerPageState, IReadOnlyList<string>)>.None;
                return (new CustomerPageState(customers[^1], customers.Count < pageSize), customers);
            })
            .SelectMany(customers => customers)
            .Named("history-customers");
    }

    private sealed record PageState(HistoryCursor? After, bool Finished);

    private sealed record CustomerPageState(string? After, bool Finished);
}

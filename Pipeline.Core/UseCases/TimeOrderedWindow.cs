using System.Collections.Immutable;

namespace Pipeline.Core.UseCases;

/// <summary>
/// For use-case state that keeps a customer's items of the history window oldest first: inserting keeps the order, so
/// what leaves the window is always a prefix, found without evaluating a predicate over every item. (Removing by
/// predicate walked the whole list on every transaction: the largest single cost of the reference use cases.)
/// </summary>
public static class TimeOrderedWindow
{
    /// <summary>The items at or after <paramref name="start"/> (the list must be oldest first).</summary>
    public static ImmutableList<T> Since<T>(ImmutableList<T> items, Func<T, DateTimeOffset> timeOf, DateTimeOffset start)
    {
        var leaving = 0;
        while (leaving < items.Count && timeOf(items[leaving]) < start)
            leaving++;
        return leaving == 0 ? items : items.RemoveRange(0, leaving);
    }

    /// <summary>The list with <paramref name="item"/> in its place by time: appended when it is the newest, as items usually arrive.</summary>
    public static ImmutableList<T> Insert<T>(ImmutableList<T> items, T item, Func<T, DateTimeOffset> timeOf)
    {
        var time = timeOf(item);
        var at = items.Count;
        while (at > 0 && timeOf(items[at - 1]) > time)
            at--;
        return at == items.Count ? items.Add(item) : items.Insert(at, item);
    }
}

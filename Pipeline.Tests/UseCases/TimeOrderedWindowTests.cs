using System.Collections.Immutable;
using FsCheck.Xunit;
using Pipeline.Core.UseCases;

namespace Pipeline.Tests.UseCases;

/// <summary>The window helpers keep exactly what removing by predicate kept, also when items arrive out of time order.</summary>
public sealed class TimeOrderedWindowTests
{
    private static readonly DateTimeOffset T0 = new(2026, 9, 1, 0, 0, 0, TimeSpan.Zero);

    [Property(MaxTest = 300)]
    public bool Folding_with_Insert_and_Since_keeps_the_items_RemoveAll_keeps_oldest_first(int[] hoursAfterStart, byte windowHours)
    {
        var window = TimeSpan.FromHours(windowHours + 1);
        var ordered = ImmutableList<(DateTimeOffset At, int Index)>.Empty;
        var byPredicate = ImmutableList<(DateTimeOffset At, int Index)>.Empty;
        for (var i = 0; i < hoursAfterStart.Length; i++)
        {
            // Mostly in time order, sometimes a little back, as late records are.
            var item = (At: T0.AddHours(i * 3 + hoursAfterStart[i] % 10), Index: i);
            var start = item.At - window;
            ordered = TimeOrderedWindow.Insert(TimeOrderedWindow.Since(ordered, x => x.At, start), item, x => x.At);
            byPredicate = byPredicate.RemoveAll(x => x.At < start).Add(item);

            var inTimeOrder = ordered.Zip(ordered.Skip(1), (earlier, later) => earlier.At <= later.At).All(ok => ok);
            if (!inTimeOrder || !ordered.OrderBy(x => x.Index).SequenceEqual(byPredicate.OrderBy(x => x.Index)))
                return false;
        }
        return true;
    }
}

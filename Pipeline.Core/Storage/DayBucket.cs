namespace Pipeline.Core.Storage;

/// <summary>
/// The day part of the partition key: whole UTC days since 1970-01-01. Every row of one customer and
/// one day lives in one partition, so a time-range query touches only the days of its range.
/// </summary>
public static class DayBucket
{
    private const long MillisPerDay = 86_400_000L;

    /// <summary>The bucket holding an instant given in Unix milliseconds.</summary>
    public static int Of(long unixMillis) => (int)Math.Floor(unixMillis / (double)MillisPerDay);

    /// <summary>The bucket holding an instant.</summary>
    public static int Of(DateTimeOffset time) => Of(time.ToUnixTimeMilliseconds());

    /// <summary>The first instant of a bucket, in Unix milliseconds.</summary>
    public static long StartMillis(int day) => day * MillisPerDay;

    /// <summary>The UTC date of a bucket, as used in partition names.</summary>
    public static DateOnly Date(int day) => DateOnly.FromDateTime(DateTime.UnixEpoch).AddDays(day);

    /// <summary>The bucket of a UTC date.</summary>
    public static int FromDate(DateOnly date) => date.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    /// <summary>
    /// The oldest bucket that retention keeps at <paramref name="now"/>: older buckets end before
    /// <c>now - retention</c> and hold only expired rows.
    /// </summary>
    public static int OldestKept(DateTimeOffset now, TimeSpan retention) => Of(now - retention);
}

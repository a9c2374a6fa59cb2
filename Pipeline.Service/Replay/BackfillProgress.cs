using Pipeline.Core.Replay;
using Pipeline.Core.Storage;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;

namespace Pipeline.Service.Replay;

/// <summary>Counts a backfill's records, customers and feedback, and prints a line for each day once it is done.</summary>
internal sealed class BackfillProgress(TextWriter output)
{
    private int? _day;
    private string? _customer;
    private long _dayRecords;
    private long _dayCustomers;
    private long _dayFeedback;

    public long Records { get; private set; }

    public long CustomerDays { get; private set; }

    public long Feedback { get; private set; }

    /// <summary>Called by the stream, in input order (days ascending, a customer's records together).</summary>
    public void Observe(UseCaseOutput<BackfillPosition> output)
    {
        var position = output.PassThrough;
        if (_day != position.Day)
        {
            FinishDay();
            _day = position.Day;
        }
        if (_customer != position.CustomerId)
        {
            _customer = position.CustomerId;
            _dayCustomers++;
            CustomerDays++;
        }
        _dayRecords++;
        Records++;
        _dayFeedback += output.Feedback;
        Feedback += output.Feedback;
    }

    /// <summary>Prints the day in progress, if any; call once the stream is done.</summary>
    public void FinishDay()
    {
        if (_day is { } day)
            output.WriteLine($"backfill: {DayBucket.Date(day):yyyy-MM-dd}: {_dayCustomers} customers, {_dayRecords} records, {_dayFeedback} feedback");
        (_day, _customer, _dayRecords, _dayCustomers, _dayFeedback) = (null, null, 0, 0, 0);
    }
}

namespace Pipeline.Core.Generator;

/// <summary>
/// A deterministic source of synthetic raw records for <c>transactions.raw</c>: the same settings give
/// the same records, byte for byte. Pure: no Kafka, no threads, no wall clock; callers pace and send.
/// </summary>
/// <remarks>
/// Time model: every customer lives on a simulated timeline that begins at <see cref="GeneratorSettings.Start"/>.
/// Each customer makes a few purchases a simulated day and pays its subscriptions monthly, and the
/// records of all customers are emitted in timestamp order. Simulated time therefore advances by about
/// one day every <c>customers x purchases-per-day</c> records, independently of how fast records are
/// consumed: with 1,000 customers about 2,500 records make a day, so 60 days of history take ~150,000
/// records (12.5 minutes at 200 records/s). Timestamps may run past the wall clock; they are event
/// times, not processing times.
/// </remarks>
public sealed class TransactionGenerator
{
    private readonly GeneratorSettings _settings;

    private TransactionGenerator(GeneratorSettings settings) => _settings = settings;

    public static TransactionGenerator Create(GeneratorSettings settings) => new(settings);

    public GeneratorSettings Settings => _settings;

    /// <summary>The endless record sequence, from the start of the timeline every time it is enumerated.</summary>
    public IEnumerable<GeneratedRecord> Records()
    {
        var queue = new PriorityQueue<CustomerSimulation, (DateTimeOffset At, int Index)>(_settings.Customers);
        for (var i = 0; i < _settings.Customers; i++)
        {
            var customer = new CustomerSimulation(CustomerId(i + 1), CustomerSeed(i), _settings);
            queue.Enqueue(customer, (customer.NextAt, i));
        }

        long sequence = 0;
        while (true)
        {
            queue.TryDequeue(out var customer, out var priority);
            var draft = customer!.Next();
            queue.Enqueue(customer, (customer.NextAt, priority.Index));
            var transactionId = "t-" + (++sequence).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
            yield return new GeneratedRecord(
                transactionId,
                customer.CustomerId,
                draft.Timestamp,
                RawRecordJson.Write(transactionId, customer.CustomerId, draft),
                draft.Behaviour);
        }
    }

    private static string CustomerId(int number) => "c-" + number.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    private int CustomerSeed(int index) => unchecked(_settings.Seed * 486_187_739 + index * 16_777_619 + 1);
}

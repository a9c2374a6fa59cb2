namespace Pipeline.Service.Bench.Store;

/// <summary>Draws customers no measurement has read yet, so neither PostgreSQL's buffers nor a previous read warmed them.</summary>
internal sealed class UnreadCustomers(int seed)
{
    private readonly HashSet<int> _read = [];
    private readonly Random _random = new(seed);

    /// <summary><paramref name="count"/> customers below <paramref name="customers"/> never drawn before, in random order.</summary>
    public IReadOnlyList<string> Draw(int count, int customers)
    {
        if (customers - _read.Count < count)
            throw new InvalidOperationException(
                $"Only {customers - _read.Count} of {customers} customers are still unread, {count} are needed: load a larger first size or lower --burst.");
        var drawn = new List<string>(count);
        while (drawn.Count < count)
        {
            var customer = _random.Next(customers);
            if (_read.Add(customer))
                drawn.Add(ScaleHistory.CustomerId(customer));
        }
        return drawn;
    }
}

using Pipeline.Core.UseCases;

namespace Pipeline.Core.Generator;

/// <summary>
/// The behaviour of one synthetic customer on the simulated timeline: ordinary purchases at favourite
/// merchants, restaurant visits with a personal tipping habit, monthly subscriptions, and the injected
/// behaviours the use cases should find. Each customer draws from its own seeded random source, so its
/// records do not depend on how many other customers there are.
/// </summary>
internal sealed class CustomerSimulation
{
    private static readonly TimeSpan Month = TimeSpan.FromDays(30);
    private static readonly TimeSpan TipHabitSpan = TimeSpan.FromDays(60);

    private readonly Random _random;
    private readonly GeneratorSettings _settings;
    private readonly DateTimeOffset _establishedAt;
    private readonly TimeSpan _meanTimeBetweenPurchases;
    private readonly double _spendScale;
    private readonly double _tipRate;
    private readonly (string Category, double Weight)[] _categoryWeights;
    private readonly Dictionary<string, IReadOnlyList<string>> _favourites;
    private readonly List<SubscriptionPlan> _subscriptions = [];
    private readonly List<TransactionDraft> _pendingDuplicates = [];
    private readonly Queue<DateTimeOffset> _recentRestaurantVisits = new();
    private DateTimeOffset _nextPurchaseAt;

    public CustomerSimulation(string customerId, int seed, GeneratorSettings settings)
    {
        CustomerId = customerId;
        _random = new Random(seed);
        _settings = settings;
        _establishedAt = settings.Start + settings.WarmUp;
        _meanTimeBetweenPurchases = TimeSpan.FromDays(1 / _random.Uniform(settings.PurchasesPerDayMin, settings.PurchasesPerDayMax));
        _spendScale = _random.Uniform(0.7, 1.5);
        _tipRate = _random.Uniform(0.10, 0.20);
        _categoryWeights =
        [
            (Categories.Grocery, 0.34), (Categories.Restaurant, _random.Uniform(0.12, 0.28)), (Categories.Retail, 0.20),
            (Categories.Fuel, 0.12), (Categories.Electronics, 0.04), (Categories.Travel, 0.03), (Categories.Other, 0.07)
        ];
        _favourites = new Dictionary<string, IReadOnlyList<string>>
        {
            [Categories.Grocery] = _random.Sample(MerchantCatalog.Grocery, 2),
            [Categories.Restaurant] = _random.Sample(MerchantCatalog.Restaurants, 4),
            [Categories.Retail] = _random.Sample(MerchantCatalog.Retail, 4),
            [Categories.Fuel] = _random.Sample(MerchantCatalog.Fuel, 2),
            [Categories.Electronics] = _random.Sample(MerchantCatalog.Electronics, 2),
            [Categories.Travel] = _random.Sample(MerchantCatalog.Travel, 2),
            [Categories.Other] = _random.Sample(MerchantCatalog.Other, 2)
        };
        foreach (var offer in _random.Sample(MerchantCatalog.Subscriptions, _random.Next(1, 4)))
        {
            var firstCharge = settings.Start + TimeSpan.FromTicks((long)(_random.NextDouble() * Month.Ticks));
            _subscriptions.Add(new SubscriptionPlan(offer.Merchant, offer.PriceMinor, firstCharge));
        }
        _nextPurchaseAt = settings.Start + _random.Exponential(_meanTimeBetweenPurchases);
    }

    public string CustomerId { get; }

    /// <summary>When this customer's next transaction happens.</summary>
    public DateTimeOffset NextAt
    {
        get
        {
            var next = _nextPurchaseAt;
            foreach (var plan in _subscriptions)
                next = Min(next, plan.NextChargeAt);
            foreach (var duplicate in _pendingDuplicates)
                next = Min(next, duplicate.Timestamp);
            return next;
        }
    }

    /// <summary>Produces the transaction due at <see cref="NextAt"/> and schedules what follows it.</summary>
    public TransactionDraft Next()
    {
        var at = NextAt;
        var duplicate = _pendingDuplicates.FirstOrDefault(d => d.Timestamp == at);
        if (duplicate is not null)
        {
            _pendingDuplicates.Remove(duplicate);
            return duplicate;
        }
        var plan = _subscriptions.FirstOrDefault(p => p.NextChargeAt == at);
        if (plan is not null)
            return ChargeSubscription(plan);
        _nextPurchaseAt = at + _random.Exponential(_meanTimeBetweenPurchases);
        return Purchase(Truncate(at));
    }

    private TransactionDraft ChargeSubscription(SubscriptionPlan plan)
    {
        var at = Truncate(plan.NextChargeAt);
        string? behaviour = null;
        if (plan.ChargesAtPrice >= 2 && _random.NextDouble() < _settings.Injections.PriceIncrease)
        {
            // Prices end in 9 cents, like real ones; rises are 8-25 %.
            var raised = (long)(plan.PriceMinor * _random.Uniform(1.08, 1.25));
            plan.PriceMinor = raised / 10 * 10 + 9;
            plan.ChargesAtPrice = 0;
            behaviour = InjectedBehaviours.RecurringChargeIncrease;
        }
        plan.ChargesAtPrice++;
        plan.NextChargeAt = plan.NextChargeAt + Month + TimeSpan.FromHours(_random.Uniform(-24, 24));
        return new TransactionDraft(plan.Merchant, Categories.Subscription, plan.PriceMinor, 0, at, behaviour);
    }

    private TransactionDraft Purchase(DateTimeOffset at)
    {
        var established = at >= _establishedAt;
        if (established && _random.NextDouble() < _settings.Injections.LargePurchase)
        {
            var category = _random.NextDouble() < 0.5 ? Categories.Electronics : Categories.Travel;
            var amount = (long)(_random.Uniform(1_200, 4_500) * 100);
            return new TransactionDraft(_random.Pick(_favourites[category]), category, amount, 0, at, InjectedBehaviours.LargePurchase);
        }

        var chosen = PickCategory();
        var merchant = _random.Pick(_favourites[chosen]);
        var amountMinor = OrdinaryAmount(chosen);
        if (chosen == Categories.Restaurant)
            return RestaurantVisit(merchant, amountMinor, at, established);

        var draft = new TransactionDraft(merchant, chosen, amountMinor, 0, at, null);
        if (chosen is Categories.Grocery or Categories.Retail or Categories.Fuel
            && _random.NextDouble() < _settings.Injections.DuplicateCharge)
        {
            var delay = TimeSpan.FromMinutes(_random.Uniform(3, 6 * 60));
            _pendingDuplicates.Add(draft with { Timestamp = Truncate(at + delay), Behaviour = InjectedBehaviours.DuplicateCharge });
        }
        return draft;
    }

    private TransactionDraft RestaurantVisit(string merchant, long amountMinor, DateTimeOffset at, bool established)
    {
        while (_recentRestaurantVisits.Count > 0 && _recentRestaurantVisits.Peek() < at - TipHabitSpan)
            _recentRestaurantVisits.Dequeue();
        var hasHabit = _recentRestaurantVisits.Count >= _settings.TipHabitVisits;
        _recentRestaurantVisits.Enqueue(at);

        string? behaviour = null;
        double tipRate;
        if (established && hasHabit && _random.NextDouble() < _settings.Injections.UnusualTip)
        {
            tipRate = _tipRate * _random.Uniform(2.6, 4.0);
            behaviour = InjectedBehaviours.UnusualTip;
        }
        else if (_random.NextDouble() < 0.03)
            tipRate = 0;
        else
            tipRate = Math.Clamp(_tipRate + _random.Gaussian() * 0.01, _tipRate - 0.025, _tipRate + 0.025);

        var tip = (long)Math.Round(amountMinor * tipRate);
        return new TransactionDraft(merchant, Categories.Restaurant, amountMinor, tip, at, behaviour);
    }

    private string PickCategory()
    {
        var total = _categoryWeights.Sum(w => w.Weight);
        var roll = _random.NextDouble() * total;
        foreach (var (category, weight) in _categoryWeights)
        {
            roll -= weight;
            if (roll < 0)
                return category;
        }
        return _categoryWeights[^1].Category;
    }

    private long OrdinaryAmount(string category)
    {
        var shape = MerchantCatalog.AmountOf(category);
        var amount = Math.Clamp(shape.Median * Math.Exp(shape.Sigma * _random.Gaussian()), shape.Min, shape.Max) * _spendScale;
        return (long)Math.Round(amount * 100);
    }

    // Records carry millisecond timestamps (JSON and Avro timestamp-millis), so the simulation works in them too.
    private static DateTimeOffset Truncate(DateTimeOffset at) =>
        new(at.Ticks - at.Ticks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a <= b ? a : b;
}

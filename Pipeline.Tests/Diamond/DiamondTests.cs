using Pipeline.Core.Generator;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;
using Pipeline.Service.Run;
using Pipeline.Tests.Generator;
using Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Tests.Diamond;

/// <summary>
/// The diamond end to end on the embedded Kafka, a real schema registry and SQLite: raw JSON -> upstream -> four
/// sharded use cases -> feedback -> A/B post-filter and de-duplication -> notifications.
/// </summary>
[Collection(EmbeddedKafkaFixture.Collection)]
public sealed class DiamondTests(EmbeddedKafkaFixture kafka, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    /// <summary>About 100 simulated days of 150 customers, all in the past, so upstream accepts every record.</summary>
    internal static IReadOnlyList<GeneratedRecord> Generate(int count) =>
        TransactionGenerator.Create(GeneratorTests.DefaultSettings("pipeline.generator.customers=150", "pipeline.generator.start-before-now=130d"))
            .Records().Take(count).ToList();

    [Fact]
    public async Task Notifications_equal_an_uninterrupted_fold_and_meet_the_ground_truth_with_a_30_percent_B_share()
    {
        await using var diamond = await DiamondHarness.CreateAsync(kafka, "pipeline.experiments.b-share.large-purchase=30");
        var records = Generate(36_000);
        var transactions = records.Select(r => RawRecordParser.Parse(r.Value)).ToList();
        var experiments = new Experiments(diamond.Settings.Downstream.BSharePercent);
        var expected = ExpectedNotifications.Compute(transactions, diamond.Settings.UseCases, experiments);

        await diamond.StartAsync();
        diamond.ProduceRaw(records);
        await diamond.WaitForUseCasesAsync(records.Count, Timeout);
        var notifications = await diamond.ReadNotificationsAsync(expected.Count, Timeout);
        output.WriteLine($"{records.Count} records, {notifications.Count} notifications, {expected.Count} expected");

        // Exactly the uninterrupted run's notifications: none missing, none twice, none extra.
        Assert.Equal(notifications.Count, notifications.Select(n => n.notificationId).Distinct().Count());
        Assert.Equal(expected.Keys.Order(), notifications.Select(n => n.notificationId).Order());

        // Against what the generator injected, for every use case that targets an injected behaviour.
        var targeted = diamond.Settings.UseCases.Where(u => InjectedBehaviours.IsInjected(u.UseCase.TargetBehaviour))
            .Select(u => (u.Name, Behaviour: u.UseCase.TargetBehaviour!)).Distinct();
        foreach (var (useCase, behaviour) in targeted)
        {
            var truth = records.Where(r => r.Behaviour == behaviour).Select(r => r.TransactionId).ToHashSet();
            var reported = notifications.Where(n => n.useCase == useCase).Select(n => n.transactionId).ToHashSet();
            var hits = reported.Count(truth.Contains);
            output.WriteLine($"{useCase}: {truth.Count} injected, {reported.Count} notified, precision {hits / (double)reported.Count:P1}, recall {hits / (double)truth.Count:P1}");
            Assert.True(truth.Count >= 20, $"{useCase}: only {truth.Count} injections");
            Assert.True(hits >= 0.95 * reported.Count, $"{useCase}: precision {hits}/{reported.Count}");
            Assert.True(hits >= 0.95 * truth.Count, $"{useCase}: recall {hits}/{truth.Count}");
        }

        // A/B: each customer hears from one variant only, the one its stable hash assigns.
        var largePurchase = notifications.Where(n => n.useCase == "LargePurchase").ToList();
        Assert.All(largePurchase.GroupBy(n => n.customerId), customer => Assert.Single(customer.Select(n => n.variant).Distinct()));
        Assert.All(largePurchase, n => Assert.Equal(experiments.AssignedVariant("large-purchase", n.customerId), n.variant));
        var customers = transactions.Select(t => t.CustomerId).Distinct().ToList();
        var inB = customers.Count(c => experiments.AssignedVariant("large-purchase", c) == "B") / (double)customers.Count;
        output.WriteLine($"customers assigned B: {inB:P1} of {customers.Count}");
        Assert.InRange(inB, 0.20, 0.40);
        Assert.Contains(largePurchase, n => n.variant == "B");
        Assert.Contains(largePurchase, n => n.variant == "A");
    }

    [Fact]
    public async Task A_node_restarted_mid_stream_delivers_every_notification_exactly_once_with_state_rebuilt_from_history()
    {
        await using var diamond = await DiamondHarness.CreateAsync(kafka);
        var records = Generate(24_000);
        var expected = ExpectedNotifications.Compute(records.Select(r => RawRecordParser.Parse(r.Value)),
            diamond.Settings.UseCases, new Experiments(diamond.Settings.Downstream.BSharePercent));

        await diamond.StartAsync();
        diamond.ProduceRaw(records);
        await diamond.WaitForUseCasesAsync(records.Count / 3, Timeout);
        await diamond.StopAsync();
        output.WriteLine($"stopped after {diamond.Statistics.ProcessedBy("use-case-duplicate-charge")} records");

        // A new node: every entity starts empty and rebuilds from the history store; streams resume from their commits.
        await diamond.StartAsync();
        var notifications = await diamond.ReadNotificationsAsync(expected.Count, Timeout);

        Assert.Equal(notifications.Count, notifications.Select(n => n.notificationId).Distinct().Count());
        Assert.Equal(expected.Keys.Order(), notifications.Select(n => n.notificationId).Order());
    }

    [Fact]
    public async Task With_the_default_timeline_and_retention_a_restarted_node_keeps_every_row_and_decides_as_an_uninterrupted_run()
    {
        // The default run's shape: the generator's timeline starts 90 days back, the store keeps 70 days. A retention
        // counted from the machine's clock dropped the first 20 simulated days at the restart, and the rebuilt entities
        // then decided differently.
        await using var diamond = await DiamondHarness.CreateAsync(kafka, "pipeline.store.retention=70d");
        var records = TransactionGenerator.Create(GeneratorTests.DefaultSettings("pipeline.generator.customers=150", "pipeline.generator.start-before-now=90d"))
            .Records().Take(24_000).ToList();
        var expected = ExpectedNotifications.Compute(records.Select(r => RawRecordParser.Parse(r.Value)),
            diamond.Settings.UseCases, new Experiments(diamond.Settings.Downstream.BSharePercent));

        await diamond.StartAsync();
        diamond.ProduceRaw(records);
        await diamond.WaitForUseCasesAsync(records.Count / 3, Timeout);
        await diamond.StopAsync();

        // The restart runs a retention pass at once.
        await diamond.StartAsync();
        var notifications = await diamond.ReadNotificationsAsync(expected.Count, Timeout);

        Assert.Equal(expected.Keys.Order(), notifications.Select(n => n.notificationId).Order());
        var stored = await diamond.StoredRecordsAsync(records.Select(r => r.Key).Distinct());
        Assert.Equal(records.Count, stored.Count);
    }

    [Fact]
    public async Task A_throwing_or_stopped_use_case_leaves_the_others_output_unchanged_and_its_poison_records_become_dead_letters()
    {
        await using var diamond = await DiamondHarness.CreateAsync(kafka);
        var records = Generate(12_000);
        var poisoned = records[0].Key;
        var healthy = diamond.Settings.UseCases;
        diamond.UseCases([.. healthy, PoisonUseCase.Configured(poisoned)]);
        var expected = ExpectedNotifications.Compute(records.Select(r => RawRecordParser.Parse(r.Value)), healthy, new Experiments(diamond.Settings.Downstream.BSharePercent));

        await diamond.StartAsync();
        var node = diamond.Node!;
        // One use case is stopped for the whole first pass; the others must not notice.
        await node.UseCases.Stream("duplicate-charge")!.StopAsync(TimeSpan.FromSeconds(20));
        diamond.ProduceRaw(records);
        var withoutDuplicateCharge = await diamond.ReadNotificationsAsync(expected.Values.Count(f => f.UseCase != "DuplicateCharge"), Timeout);
        Assert.Equal(expected.Values.Where(f => f.UseCase != "DuplicateCharge").Select(f => f.FeedbackId).Order(), withoutDuplicateCharge.Select(n => n.notificationId).Order());

        // Started again, it catches up from its own committed offsets.
        node.UseCases.Stream("duplicate-charge")!.Start();
        var all = await diamond.ReadNotificationsAsync(expected.Count, Timeout);
        Assert.Equal(expected.Keys.Order(), all.Select(n => n.notificationId).Order());

        // The poison use case never stopped: each of the customer's records is a dead letter naming the exception.
        Assert.Equal(0, node.UseCases.Stream("poison")!.RestartCount);
        var poisonCount = records.Count(r => r.Key == poisoned);
        var deadLetters = Support.BinaryTopic.ReadAll(diamond.Bootstrap, diamond.Settings.Topics.DeadLetters, poisonCount, Timeout);
        Assert.Equal(poisonCount, deadLetters.Count);
        Assert.All(deadLetters, letter =>
        {
            Assert.Equal("use-case-failed", Support.BinaryTopic.Header(letter, Core.DeadLetters.DeadLetter.ReasonHeader));
            Assert.Equal("use-case-poison", Support.BinaryTopic.Header(letter, Core.DeadLetters.DeadLetter.StageHeader));
            Assert.Contains($"Poison/A: System.InvalidOperationException: cannot handle customer {poisoned}", Support.BinaryTopic.Header(letter, Core.DeadLetters.DeadLetter.MessageHeader));
        });
    }

    [Fact]
    public async Task Changing_the_B_share_through_the_admin_API_takes_effect_without_a_restart()
    {
        // Large purchase also runs on a dispatcher of its own here, as a heavy use case would.
        await using var diamond = await DiamondHarness.CreateAsync(kafka, "pipeline.experiments.b-share.large-purchase=0",
            "pipeline.dispatchers.heavy.type=ForkJoinDispatcher", "pipeline.dispatchers.heavy.dedicated-thread-pool.thread-count=2",
            "pipeline.use-cases.large-purchase.stream.dispatcher=pipeline.dispatchers.heavy");
        var records = Generate(24_000);
        var transactions = records.Select(r => RawRecordParser.Parse(r.Value)).ToList();
        var half = records.Count / 2;
        var secondHalf = transactions.Skip(half).Select(t => t.TransactionId).ToHashSet();
        var allA = ExpectedNotifications.Compute(transactions.Take(half), diamond.Settings.UseCases, new Experiments(new Dictionary<string, double> { ["large-purchase"] = 0 }));
        var allB = ExpectedNotifications.Compute(transactions, diamond.Settings.UseCases, new Experiments(new Dictionary<string, double> { ["large-purchase"] = 100 }));
        var expected = allA.Keys.Concat(allB.Where(f => secondHalf.Contains(f.Value.TransactionId)).Select(f => f.Key)).Order().ToList();

        await diamond.StartAsync();
        var http = new HttpSettings("127.0.0.1", 0, "secret");
        await using var endpoints = await HttpEndpoints.StartAsync(http, () => diamond.Node!.IsReady, new AdminApi(diamond.Node!, http.AdminToken));
        using var client = new HttpClient { BaseAddress = new Uri(endpoints.Url) };

        diamond.ProduceRaw(records.Take(half));
        await diamond.ReadNotificationsAsync(allA.Count, Timeout);

        var change = new StringContent("{\"bShare\": 100}", System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await client.PutAsync("/admin/experiments/large-purchase", change)).StatusCode);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "wrong");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await client.GetAsync("/admin/use-cases")).StatusCode);
        Assert.Equal("ready", await client.GetStringAsync("/health/ready"));
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "secret");
        var answer = await client.PutAsync("/admin/experiments/large-purchase", change);
        Assert.True(answer.IsSuccessStatusCode, await answer.Content.ReadAsStringAsync());
        Assert.Contains("\"bShare\":100", await client.GetStringAsync("/admin/experiments"));

        diamond.ProduceRaw(records.Skip(half));
        var notifications = await diamond.ReadNotificationsAsync(expected.Count, Timeout);
        Assert.Equal(expected, notifications.Select(n => n.notificationId).Order());
        Assert.All(notifications.Where(n => n.useCase == "LargePurchase"), n => Assert.Equal(secondHalf.Contains(n.transactionId) ? "B" : "A", n.variant));
    }

    [Fact]
    public async Task A_customer_s_own_large_purchase_threshold_from_the_compacted_topic_is_applied()
    {
        await using var diamond = await DiamondHarness.CreateAsync(kafka, "pipeline.experiments.b-share.large-purchase=0");
        var records = Generate(3_000);
        var customer = records[0].Key;
        // One cent: every purchase of this customer is large for them.
        var own = new Core.UseCases.CustomerSettings(customer, 1);
        var expected = ExpectedNotifications.Compute(records.Select(r => RawRecordParser.Parse(r.Value)), diamond.Settings.UseCases,
            new Experiments(diamond.Settings.Downstream.BSharePercent), id => id == customer ? own : Core.UseCases.CustomerSettings.None(id));

        await diamond.StartAsync();
        await diamond.ProduceCustomerSettingsAsync(new Contracts.CustomerSettings
        {
            customerId = customer, largePurchaseThresholdMinor = 1, currency = "EUR", updatedAt = DateTime.UtcNow
        });
        await WaitUntil(() => diamond.Node!.Customers.Get(customer) == own);
        diamond.ProduceRaw(records);
        var notifications = await diamond.ReadNotificationsAsync(expected.Count, Timeout);

        Assert.Equal(expected.Keys.Order(), notifications.Select(n => n.notificationId).Order());
        Assert.Equal(records.Count(r => r.Key == customer), notifications.Count(n => n.useCase == "LargePurchase" && n.customerId == customer));
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 30 s");
            await Task.Delay(100);
        }
    }
}

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using HdrHistogram;
using Npgsql;
using Pipeline.Core.Storage;
using Pipeline.Core.Storage.PostgreSql;
using Pipeline.Core.Storage.Sqlite;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Service.Bench;
using Pipeline.Service.Bench.Store;

namespace Pipeline.Service.Commands;

/// <summary>
/// <c>pipeline bench store</c>: write throughput (rows/s) and per-batch write latency of both history stores
/// at batch sizes 1, 100 and 1000, with as many batches in flight as the write flow's parallelism, on a scratch SQLite file and a scratch PostgreSQL schema that are removed afterwards.
/// With <c>--scale</c>, the PostgreSQL store on a scale model of production's history instead (<see cref="StoreScaleBench"/>).
/// </summary>
internal static class BenchStoreCommand
{
    private static readonly int[] BatchSizes = [1, 100, 1000];

    private static readonly Option<int> Rows = new("--rows")
    {
        Description = "Rows written per provider and batch size (fewer when --max-seconds runs out first).",
        DefaultValueFactory = _ => 100_000
    };

    private static readonly Option<double> MaxSeconds = new("--max-seconds")
    {
        Description = "Time budget of one provider and batch size, so the whole run stays short.",
        DefaultValueFactory = _ => 5
    };

    private static readonly Option<bool> Scale = new("--scale")
    {
        Description = "Instead: the PostgreSQL store on a scale model of production's history (load, disk, insert rows/s, activation reads warm and cold, " +
                      "an activation burst with and without pipeline.store.max-concurrent-rebuilds, dropping an expired day) at each of --sizes."
    };

    private static readonly Option<string> Sizes = new("--sizes")
    {
        Description = "With --scale: history sizes in millions of rows, loaded one after another, e.g. 5,20,60.",
        DefaultValueFactory = _ => "5,20,60"
    };

    private static readonly Option<int> Days = new("--days")
    {
        Description = "With --scale: daily partitions of the history.",
        DefaultValueFactory = _ => 66
    };

    private static readonly Option<int> Burst = new("--burst")
    {
        Description = "With --scale: entities activating at once in the burst (each burst reads customers not read before).",
        DefaultValueFactory = _ => 10_000
    };

    private static readonly Option<int> WriteRate = new("--write-rate")
    {
        Description = "With --scale: rows/s of the write load a burst runs under.",
        DefaultValueFactory = _ => 1_000
    };

    private static readonly Option<int> Samples = new("--samples")
    {
        Description = "With --scale: customers whose window read is timed, warm and cold each.",
        DefaultValueFactory = _ => 300
    };

    private static readonly Option<int> Readers = new("--readers")
    {
        Description = "With --scale: readers running while the insert rate under reads is measured.",
        DefaultValueFactory = _ => 8
    };

    private static readonly Option<string> Limits = new("--limits")
    {
        Description = "With --scale: the rebuild limits a burst runs with, besides one without a limit (default: pipeline.store.max-concurrent-rebuilds), e.g. 4,16."
    };

    /// <summary>Adds <c>store</c> under the <c>bench</c> command, creating <c>bench</c> when no other benchmark did yet.</summary>
    public static void AddTo(RootCommand root)
        => BenchCommand.GetOrAdd(root).Subcommands.Add(Create());

    private static Command Create()
    {
        var command = new Command("store", "Rows/s and p99 batch write latency of the SQLite and PostgreSQL history stores at batch sizes 1, 100, 1000; " +
            "with --scale, the PostgreSQL store on a scale model of production's history.");
        CommonOptions.AddTo(command);
        command.Options.Add(Rows);
        command.Options.Add(MaxSeconds);
        foreach (var option in new Option[] { Scale, Sizes, Days, Burst, WriteRate, Samples, Readers, Limits })
            command.Options.Add(option);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var config = CommonOptions.Load(parse);
            var settings = HistoryStoreSettings.Create(config);
            if (parse.GetValue(Scale))
                return await RunScaleAsync(parse, settings, UseCaseStreamSettings.Create(config).MaxConcurrentRebuilds, cancellationToken);
            var rows = parse.GetValue(Rows);
            var budget = TimeSpan.FromSeconds(parse.GetValue(MaxSeconds));
            var writers = settings.Write.Parallelism;
            if (rows < 1 || budget <= TimeSpan.Zero)
            {
                Console.Error.WriteLine("bench store: --rows and --max-seconds must be positive.");
                return 2;
            }

            Console.Out.WriteLine($"{"store",-11} {"batch",6} {"rows",9} {"rows/s",10} {"p50 ms",8} {"p99 ms",8} {"max ms",8}");
            var failed = false;
            var directory = Path.Combine(Path.GetTempPath(), "pipeline-bench-store-" + Guid.NewGuid().ToString("N"));
            try
            {
                foreach (var batch in BatchSizes)
                {
                    await using var sqlite = new SqliteHistoryStore(settings.Sqlite with { Path = Path.Combine(directory, $"bench-{batch}.db") });
                    await sqlite.InitializeAsync(cancellationToken);
                    Print("sqlite", batch, await MeasureAsync(sqlite, batch, rows, writers, budget, cancellationToken));
                }
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(directory, recursive: true);
            }

            var schema = "bench_" + Guid.NewGuid().ToString("N");
            var postgres = settings.PostgreSql;
            try
            {
                foreach (var batch in BatchSizes)
                {
                    await using var store = new PostgreSqlHistoryStore(new PostgreSqlStoreSettings(postgres.ConnectionString, $"{schema}_{batch}"));
                    await store.InitializeAsync(cancellationToken);
                    Print("postgresql", batch, await MeasureAsync(store, batch, rows, writers, budget, cancellationToken));
                }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                ReportNotUsable(postgres, e);
                failed = true;
            }
            finally
            {
                await DropSchemasAsync(postgres, schema);
            }
            Console.Out.WriteLine($"machine: {Environment.ProcessorCount} cores; {writers} batches in flight (pipeline.store.write.parallelism); SQLite synchronous={settings.Sqlite.Synchronous.ToString().ToLowerInvariant()}");
            return failed ? 1 : 0;
        });
        return command;
    }

    private static async Task<int> RunScaleAsync(ParseResult parse, HistoryStoreSettings settings, int maxConcurrentRebuilds, CancellationToken cancellationToken)
    {
        var sizes = new List<long>();
        foreach (var part in parse.GetValue(Sizes)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var millions) || millions <= 0 || (sizes.Count > 0 && millions * 1e6 <= sizes[^1]))
            {
                Console.Error.WriteLine($"bench store: --sizes '{parse.GetValue(Sizes)}' must list growing positive sizes in millions of rows, e.g. 5,20,60.");
                return 2;
            }
            sizes.Add((long)(millions * 1e6));
        }
        var limits = new List<int>();
        foreach (var part in (parse.GetValue(Limits) ?? maxConcurrentRebuilds.ToString(CultureInfo.InvariantCulture)).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit < 1)
            {
                Console.Error.WriteLine($"bench store: --limits '{parse.GetValue(Limits)}' must list rebuild limits of at least 1, e.g. 4,16.");
                return 2;
            }
            limits.Add(limit);
        }
        var options = new StoreScaleOptions(sizes, parse.GetValue(Days), parse.GetValue(Burst), parse.GetValue(MaxSeconds),
            parse.GetValue(WriteRate), parse.GetValue(Samples), parse.GetValue(Readers), limits);
        if (sizes.Count == 0 || options.Days < 2 || options.BurstActivations < 1 || options.NormalWriteRate < 1 || options.ReadSamples < 1 || options.ConcurrentReaders < 1)
        {
            Console.Error.WriteLine("bench store: --sizes, --days (at least 2), --burst, --write-rate, --samples and --readers must be positive.");
            return 2;
        }
        try
        {
            await new StoreScaleBench(settings, options, Console.Out).RunAsync(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            ReportNotUsable(settings.PostgreSql, e);
            return 1;
        }
        Console.Out.WriteLine($"machine: {MachineDescription.Read()}");
        return 0;
    }

    private static void ReportNotUsable(PostgreSqlStoreSettings postgres, Exception e) =>
        Console.Error.WriteLine(
            $"bench store: PostgreSQL at {postgres.RedactedConnectionString} is not usable ({e.Message}). " +
            "Start a local one with scripts/start-postgres.sh, or point pipeline.store.postgresql.connection-string at a server.");

    private sealed record Result(long Rows, TimeSpan Elapsed, LongHistogram LatencyMicros);

    private static async Task<Result> MeasureAsync(IHistoryStore store, int batchSize, int rows, int writers, TimeSpan budget, CancellationToken cancellationToken)
    {
        // 1,000 customers over one day, with a 200-byte payload: the size of an Avro transaction.
        var payload = new byte[200];
        Random.Shared.NextBytes(payload);
        var start = new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
        var claimed = 0;
        var clock = Stopwatch.StartNew();

        // Like the write flow with `parallelism` batches in flight: each writer claims the next batch of row numbers.
        async Task<(long Rows, LongHistogram Latency)> WriteAsync()
        {
            var latency = new LongHistogram(TimeStamp.Minutes(1), 3);
            long written = 0;
            while (clock.Elapsed < budget)
            {
                var first = Interlocked.Add(ref claimed, batchSize) - batchSize;
                if (first >= rows)
                    break;
                var batch = new HistoryRow[Math.Min(batchSize, rows - first)];
                for (var i = 0; i < batch.Length; i++)
                {
                    var n = first + i;
                    batch[i] = new HistoryRow(HistoryTable.Records, $"c-{n % 1000:D6}", start.AddMilliseconds(n * 7L % 86_400_000L), $"t-{n:D9}", "transaction", payload);
                }
                var before = Stopwatch.GetTimestamp();
                await store.AppendAsync(batch, cancellationToken);
                latency.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(before).TotalMicroseconds));
                written += batch.Length;
            }
            return (written, latency);
        }

        var results = await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(WriteAsync, cancellationToken)));
        var elapsed = clock.Elapsed;
        var total = new LongHistogram(TimeStamp.Minutes(1), 3);
        foreach (var result in results)
            total.Add(result.Latency);
        return new Result(results.Sum(r => r.Rows), elapsed, total);
    }

    private static void Print(string store, int batch, Result result)
    {
        static string Ms(long micros) => (micros / 1000.0).ToString("F2", CultureInfo.InvariantCulture);
        var rate = result.Rows / result.Elapsed.TotalSeconds;
        Console.Out.WriteLine(
            $"{store,-11} {batch,6} {result.Rows,9} {rate.ToString("F0", CultureInfo.InvariantCulture),10} " +
            $"{Ms(result.LatencyMicros.GetValueAtPercentile(50)),8} {Ms(result.LatencyMicros.GetValueAtPercentile(99)),8} {Ms(result.LatencyMicros.GetMaxValue()),8}");
    }

    private static async Task DropSchemasAsync(PostgreSqlStoreSettings postgres, string schemaPrefix)
    {
        try
        {
            await using var connection = new NpgsqlConnection(postgres.ConnectionString);
            await connection.OpenAsync();
            foreach (var batch in BatchSizes)
            {
                await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schemaPrefix}_{batch} CASCADE", connection);
                await drop.ExecuteNonQueryAsync();
            }
        }
        catch (NpgsqlException)
        {
            // The server was not reachable in the first place: there is nothing to clean up.
        }
    }
}

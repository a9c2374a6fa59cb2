using BenchmarkDotNet.Attributes;
using Confluent.Kafka;
using Confluent.SchemaRegistry.Serdes;
using Pipeline.Contracts;
using Pipeline.Core.Schemas;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;

namespace Pipeline.Benchmarks;

/// <summary>
/// The Avro serde of a transaction: upstream encodes each one once, every use case decodes it (the diamond decodes each
/// transaction four times) and maps it to the use cases' <see cref="CardTransaction"/>. The Confluent serializer, which
/// upstream used before <see cref="AvroValueEncoder{T}"/>, is measured beside the encoder.
/// </summary>
[MemoryDiagnoser]
public class AvroTransactionBenchmarks
{
    private const string Topic = "transactions";
    private static readonly SerializationContext Context = new(MessageComponentType.Value, Topic);

    private BenchmarkEnvironment _environment = null!;
    private AvroSerializer<Transaction> _serializer = null!;
    private AvroValueEncoder<Transaction> _encoder = null!;
    private AvroValueDecoder<Transaction> _decoder = null!;
    private Transaction _transaction = null!;
    private byte[] _encoded = [];

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _environment = await BenchmarkEnvironment.StartAsync();
        _serializer = AvroSerdes.Serializer<Transaction>(_environment.Client, _environment.RegistrySettings);
        _decoder = new AvroValueDecoder<Transaction>(_environment.Client);
        _transaction = new Transaction
        {
            transactionId = "tx-000000000123456",
            customerId = "customer-00042",
            merchant = "Corner Bistro",
            category = "restaurant",
            amountMinor = 4_250,
            tipMinor = 600,
            currency = "EUR",
            timestamp = new DateTime(2026, 11, 24, 12, 30, 0, DateTimeKind.Utc)
        };
        _encoded = await _serializer.SerializeAsync(_transaction, Context); // registers the schema once
        _encoder = await AvroValueEncoder<Transaction>.CreateAsync(_environment.Client, _environment.RegistrySettings, Topic);
        await _decoder.DecodeAsync(_encoded); // resolves the writer schema once
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await _environment.DisposeAsync();

    [Benchmark]
    public Task<byte[]> ConfluentSerialize() => _serializer.SerializeAsync(_transaction, Context);

    [Benchmark]
    public byte[] Encode() => _encoder.Encode(_transaction);

    [Benchmark]
    public async Task<CardTransaction?> DecodeAndMap() => (await _decoder.DecodeAsync(_encoded)).Value?.ToCardTransaction();
}

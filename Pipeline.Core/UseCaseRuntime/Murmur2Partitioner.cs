namespace Pipeline.Core.UseCaseRuntime;

/// <summary>
/// The partition of a keyed record as Kafka's Java client and librdkafka's <c>murmur2_random</c> partitioner
/// compute it: murmur2 of the key bytes, made positive, modulo the partition count. Shards use the same
/// function, so a customer's records, shard and entity line up.
/// </summary>
public static class Murmur2Partitioner
{
    public static int PartitionOf(ReadOnlySpan<byte> key, int partitions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        return (int)((uint)(Hash(key) & 0x7fffffff) % (uint)partitions);
    }

    /// <summary>Kafka's murmur2 (seed 0x9747b28c), bit for bit.</summary>
    public static int Hash(ReadOnlySpan<byte> data)
    {
        const uint m = 0x5bd1e995;
        const int r = 24;
        var length = data.Length;
        var h = 0x9747b28c ^ (uint)length;
        var blocks = length / 4;
        for (var i = 0; i < blocks; i++)
        {
            var k = (uint)(data[4 * i] | data[4 * i + 1] << 8 | data[4 * i + 2] << 16 | data[4 * i + 3] << 24);
            k *= m;
            k ^= k >> r;
            k *= m;
            h *= m;
            h ^= k;
        }

        var tail = length & ~3;
        switch (length % 4)
        {
            case 3:
                h ^= (uint)data[tail + 2] << 16;
                goto case 2;
            case 2:
                h ^= (uint)data[tail + 1] << 8;
                goto case 1;
            case 1:
                h ^= data[tail];
                h *= m;
                break;
        }

        h ^= h >> 13;
        h *= m;
        h ^= h >> 15;
        return (int)h;
    }
}

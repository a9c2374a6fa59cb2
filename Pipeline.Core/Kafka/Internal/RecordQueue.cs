using System.Collections.Concurrent;

namespace Pipeline.Core.Kafka.Internal;

/// <summary>
/// Hands records from the poll thread to a stage. The stage is woken only when it found the queue
/// empty and is waiting, so a busy stream costs no actor message per record.
/// </summary>
internal sealed class RecordQueue<T>
{
    private readonly ConcurrentQueue<T> _items = new();
    private Action? _onAvailable;
    private int _waiting;

    /// <summary>Registers the stage's wake-up (an async callback); called once the stage has started.</summary>
    public void SetListener(Action onAvailable)
    {
        _onAvailable = onAvailable;
        Signal();
    }

    public void Enqueue(T item)
    {
        _items.Enqueue(item);
        if (Interlocked.Exchange(ref _waiting, 0) == 1)
            _onAvailable?.Invoke();
    }

    /// <summary>Takes the next record, or marks the reader as waiting so the next enqueue wakes it.</summary>
    public bool TryDequeue(out T item)
    {
        if (_items.TryDequeue(out item!))
            return true;
        Volatile.Write(ref _waiting, 1);
        // A record enqueued between the first look and the flag would otherwise wait for the next one.
        return _items.TryDequeue(out item!);
    }

    /// <summary>Wakes the reader without a record (revocation, stop) so it re-examines its state.</summary>
    public void Signal()
    {
        Interlocked.Exchange(ref _waiting, 0);
        _onAvailable?.Invoke();
    }

    public int Count => _items.Count;
}

namespace SmsHall.Core;

/// <summary>
/// One message at a time per phone number on this node. A number's messages sent at once are then
/// handled in turn, each seeing what the one before it did: its rate-limit count, its wrong voucher
/// codes, its offer. (Storage still checks each decision in the commit itself, since other nodes
/// are not held by this lock.) Written by hand: no keyed async lock library is on our registry.
/// </summary>
public sealed class NumberLocks
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public async Task<IDisposable> TakeAsync(string number, CancellationToken ct)
    {
        Entry entry;
        lock (_entries)
        {
            if (!_entries.TryGetValue(number, out entry!)) _entries[number] = entry = new Entry();
            entry.Users++;
        }
        try
        {
            await entry.Gate.WaitAsync(ct);
        }
        catch
        {
            Leave(number, entry);
            throw;
        }
        return new Held(this, number, entry);
    }

    private void Leave(string number, Entry entry)
    {
        lock (_entries)
        {
            // The last one out removes the entry, so numbers seen once do not stay in memory.
            if (--entry.Users == 0) _entries.Remove(number);
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public int Users { get; set; }
    }

    private sealed class Held(NumberLocks owner, string number, Entry entry) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0) return;
            entry.Gate.Release();
            owner.Leave(number, entry);
        }
    }
}

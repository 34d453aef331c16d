using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace SmsHall.Replay;

/// <summary>
/// Reads an input's turns on a thread of their own while the replayer handles the ones before: on two
/// cores, reading and parsing the log costs the handling nothing. At most a few hundred turns are read
/// ahead, so memory stays flat; they come in order, and a reading error comes where it was met, after
/// the turns before it.
/// </summary>
public sealed class ReadAhead<T> : IDisposable
{
    // Turns go over in chunks: one hand-off per chunk, not per turn, keeps the two threads from
    // waking each other for every message.
    private const int Chunk = 256;
    private const int Chunks = 4;

    private readonly BlockingCollection<List<T>> _chunks = new(Chunks);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;
    private ExceptionDispatchInfo? _error;

    public ReadAhead(IEnumerable<T> source) => _reading = Task.Factory.StartNew(
        () => Read(source), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Read(IEnumerable<T> source)
    {
        try
        {
            var chunk = new List<T>(Chunk);
            foreach (var item in source)
            {
                chunk.Add(item);
                if (chunk.Count < Chunk) continue;
                _chunks.Add(chunk, _stop.Token);
                chunk = new List<T>(Chunk);
            }
            if (chunk.Count > 0) _chunks.Add(chunk, _stop.Token);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The replayer stopped taking turns.
        }
        catch (Exception e)
        {
            _error = ExceptionDispatchInfo.Capture(e);
        }
        finally
        {
            _chunks.CompleteAdding();
        }
    }

    /// <summary>The turns in order; then the reading error, if there was one.</summary>
    public IEnumerable<T> Items()
    {
        foreach (var chunk in _chunks.GetConsumingEnumerable())
        foreach (var item in chunk)
            yield return item;
        _error?.Throw();
    }

    /// <summary>Stops reading and waits until the input is closed (its file, a CSV's staging database).</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _reading.Wait();
        _stop.Dispose();
        _chunks.Dispose();
    }
}

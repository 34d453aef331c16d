using System.Collections.Concurrent;
using System.Diagnostics;
using SmsHall.Core;
using SmsHall.Core.Catalogue;
using SmsHall.Core.Diagnostics;
using SmsHall.Core.Ports;
using SmsHall.Storage.Sqlite;

namespace SmsHall.OperatorConsole;

/// <summary>A simulated message's reply and how it was understood, as the simulator shows them.</summary>
public sealed record SimulatedReply(
    string? Reply, string Command, string Match, string? Keyword, string? Language, int? Distance, IReadOnlyList<string> Suggestions,
    string? Encoding, int Segments, string Status);

/// <summary>
/// The console's simulator: an operator texts as any number through the webhook's own pipeline
/// (<see cref="MessageHall"/>), on a private SQLite copy of the live accounts made for their
/// simulator session, so no live account, voucher or log row is ever touched. A session keeps its
/// copy (offers waiting for YES, top-ups, plan changes) while it is used, on the node that made it,
/// and is removed after <see cref="IdleFor"/> without a message.
/// </summary>
public sealed class Simulator(ISnapshotSource snapshots, HallOptions hall, TimeProvider clock, ILogger<Simulator> logger) : IDisposable
{
    public static readonly TimeSpan IdleFor = TimeSpan.FromMinutes(30);
    private const int MaxSessions = 50;

    // Each new session copies the accounts: an operator (any viewer) opening page after page keeps two.
    private const int SessionsPerOperator = 2;

    private readonly ConcurrentDictionary<(string Operator, string Id), Session> _sessions = new();
    private readonly ISnapshotSource _snapshots = snapshots;
    private readonly HallOptions _hall = hall;
    private readonly TimeProvider _clock = clock;
    private readonly ILogger _logger = logger;

    /// <summary>How many sessions this node keeps now.</summary>
    public int Sessions => _sessions.Count;

    /// <summary>The sessions' private copies on this node's disk.</summary>
    internal IReadOnlyList<string> Folders => _sessions.Values.Select(s => s.Folder).ToList();

    public async Task<SimulatedReply> TextAsync(string author, string sessionId, string from, string body, CommandCatalogue catalogue, CancellationToken ct)
    {
        RemoveIdle();
        while (true)
        {
            var session = _sessions.GetOrAdd((author, sessionId), _ => new Session(this));
            DropOldest(author, sessionId);
            // Null when the session was removed while this message waited for its turn: a fresh one takes it.
            if (await session.TextAsync(from, body, catalogue, ct) is { } reply) return reply;
            _sessions.TryRemove(new KeyValuePair<(string, string), Session>((author, sessionId), session));
        }
    }

    /// <summary>Removes the sessions not used for <see cref="IdleFor"/> (and the oldest past <see cref="MaxSessions"/>), with their copies.</summary>
    public void RemoveIdle()
    {
        var now = _clock.GetUtcNow();
        var idle = _sessions.Where(s => now - s.Value.LastUsed >= IdleFor)
            .Concat(_sessions.OrderByDescending(s => s.Value.LastUsed).Skip(MaxSessions)).Select(s => s.Key).Distinct().ToList();
        foreach (var key in idle)
        {
            if (_sessions.TryRemove(key, out var session)) session.Dispose();
        }
    }

    /// <summary>Removes the operator's least recently used sessions past <see cref="SessionsPerOperator"/>, keeping <paramref name="current"/>.</summary>
    private void DropOldest(string author, string current)
    {
        var older = _sessions.Where(s => s.Key.Operator == author && s.Key.Id != current)
            .OrderByDescending(s => s.Value.LastUsed).Skip(SessionsPerOperator - 1).ToList();
        foreach (var old in older)
        {
            if (_sessions.TryRemove(old)) old.Value.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var key in _sessions.Keys.ToList())
        {
            if (_sessions.TryRemove(key, out var session)) session.Dispose();
        }
    }

    /// <summary>One operator's simulator: its copy of the accounts, its pipeline, one message at a time.</summary>
    private sealed class Session : IDisposable
    {
        private readonly Simulator _owner;
        private readonly SemaphoreSlim _turn = new(1, 1);
        private readonly string _folder = ScratchFolders.NewPath("simulator");

        public string Folder => _folder;
        private Database? _db;
        private LogWriter? _writer;
        private Tracing? _log;
        private LiveCatalogue? _catalogue;
        private MessageHall? _hall;
        private int _sids;
        private bool _closed;

        public Session(Simulator owner)
        {
            _owner = owner;
            LastUsed = owner._clock.GetUtcNow();
        }

        public DateTimeOffset LastUsed { get; private set; }

        /// <summary>The reply; null when the session was removed before this message's turn came.</summary>
        public async Task<SimulatedReply?> TextAsync(string from, string body, CommandCatalogue catalogue, CancellationToken ct)
        {
            await _turn.WaitAsync(ct);
            try
            {
                if (_closed) return null;
                var now = _owner._clock.GetUtcNow();
                LastUsed = now;
                _hall ??= Open(catalogue, now);
                // The catalogue chosen for this message (served or draft); the pipeline reads it once per message.
                _catalogue!.Accept(catalogue, now);
                _log!.Last = null;
                var sid = $"SIM{Interlocked.Increment(ref _sids):D31}";
                // A simulated message is no traffic: no span of the hall's, and none under the console's request.
                Activity.Current = null;
                using var quiet = HallTracing.Suppress();
                var answer = await _hall.HandleAsync(new InboundMessage(sid, from, "SIMULATOR", body, now), ct);
                var handled = _log.Last;
                var u = handled?.Understanding;
                return new SimulatedReply(
                    answer.Text, u?.Command.Name ?? "-", (u?.Match ?? Core.Grammar.MatchKind.None).ToString().ToLowerInvariant(), u?.Keyword,
                    handled?.Reply?.Language ?? u?.Languages.FirstOrDefault(), u is { Match: Core.Grammar.MatchKind.Fuzzy } ? u.Distance : null,
                    u?.Suggestions ?? [], handled?.Reply?.Encoding.ToString(), handled?.Reply?.Segments ?? 0, answer.Status.ToString().ToLowerInvariant());
            }
            finally
            {
                _turn.Release();
            }
        }

        /// <summary>The session's copy: a snapshot of the live accounts (no messages), written to an SQLite file of its own.</summary>
        private MessageHall Open(CommandCatalogue catalogue, DateTimeOffset now)
        {
            ScratchFolders.Create(_folder);
            var template = Path.Combine(_folder, "snapshot.db");
            SqliteSnapshot.Write(template, _owner._snapshots.Read(now, now));
            _db = ScratchCopies.Copy(template, Path.Combine(_folder, "session.db"));
            File.Delete(template);
            _writer = new LogWriter(_db);
            _log = new Tracing(new SqliteMessageLog(_writer));
            _catalogue = new LiveCatalogue(catalogue, now);
            return new MessageHall(new SqliteAccounts(_db), _log, _catalogue, _owner._clock, _owner._hall);
        }

        public void Dispose()
        {
            // After the message being handled, if any: its copy must not go from under it.
            _turn.Wait();
            try
            {
                _closed = true;
                _writer?.Dispose();
                _db?.CloseConnections();
                ScratchFolders.Delete(_folder, _owner._logger);
            }
            finally
            {
                _turn.Release();
            }
        }
    }

    /// <summary>The copy's message log, keeping the last handled message for its trace.</summary>
    private sealed class Tracing(IMessageLog inner) : IMessageLog
    {
        public HandledMessage? Last { get; set; }

        public Task<Answer?> RecordInboundAsync(InboundMessage message, CancellationToken ct = default) => inner.RecordInboundAsync(message, ct);

        public Task<Answer> CommitAsync(HandledMessage handled, CancellationToken ct = default)
        {
            Last = handled;
            return inner.CommitAsync(handled, ct);
        }
    }
}

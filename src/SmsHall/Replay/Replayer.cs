using System.Diagnostics;
using SmsHall.Core;
using SmsHall.Core.Catalogue;
using SmsHall.Storage.Sqlite;

namespace SmsHall.Replay;

/// <summary>What a replay runs against.</summary>
/// <param name="Snapshot">The database to start from (<c>--db</c>): copied, never modified. Null: fresh demo data.</param>
/// <param name="StartedAt">When the replay started: the reports' date, and the clock for script lines before any <c>@</c>.</param>
/// <param name="KeepDatabase">Where to keep the database as the replay left it (logs only), to look into afterwards.</param>
public sealed record ReplaySettings(
    string? Snapshot,
    CommandCatalogue Catalogue,
    HallOptions Hall,
    ReplyMatcher Matcher,
    DateTimeOffset StartedAt,
    string ScratchDirectory,
    string? KeepDatabase = null);

/// <summary>
/// Runs recorded messages again through the webhook's own pipeline (<see cref="MessageHall"/>), on a
/// scratch copy of the database, with the clock at each message's recorded time. Replies are given
/// back, never queued or sent. Logs share one copy, in recorded order; each script case gets its own.
/// </summary>
public sealed class Replayer(ReplaySettings settings)
{
    public async Task<ReplayReport> RunAsync(
        IReadOnlyList<ReplayInput> inputs, BadLines bad, bool trackConversations, Action<ReplayReport, double>? progress = null,
        CancellationToken ct = default)
    {
        var report = new ReplayReport(inputs, settings.Catalogue.Path, settings.Snapshot ?? "fresh demo data", trackConversations)
        {
            StartedAt = settings.StartedAt,
        };
        var stopwatch = Stopwatch.StartNew();
        var scratch = Path.Combine(settings.ScratchDirectory, $"smshall-replay-{Guid.NewGuid():N}");
        Directory.CreateDirectory(scratch);
        Copy? shared = null;
        Copy? script = null;
        string? template = null;
        try
        {
            var lastProgress = 0L;
            for (var i = 0; i < inputs.Count; i++)
            {
                var input = inputs[i];
                var fraction = 0.0;
                using var ahead = new ReadAhead<Turn>(input.Turns(bad, settings.StartedAt, scratch, f => fraction = f));
                foreach (var turn in ahead.Items())
                {
                    ct.ThrowIfCancellationRequested();
                    template ??= CreateTemplate(scratch, turn.Message.ReceivedAt);
                    Copy copy;
                    if (input.Format == InputFormat.Script)
                    {
                        if (script?.Conversation != turn.Conversation)
                        {
                            script?.Dispose();
                            script = new Copy(template, scratch, turn.Conversation, settings);
                        }
                        copy = script;
                    }
                    else
                    {
                        copy = shared ??= new Copy(template, scratch, "", settings);
                    }
                    report.Add(input, await copy.ReplayAsync(turn, settings.Matcher, ct));

                    if (progress is not null && stopwatch.ElapsedMilliseconds - lastProgress >= 200)
                    {
                        lastProgress = stopwatch.ElapsedMilliseconds;
                        progress(report, (i + fraction) / inputs.Count);
                    }
                }
            }
            report.Elapsed = stopwatch.Elapsed;
            if (settings.KeepDatabase is { } keep && shared is not null) shared.MoveTo(keep);
            report.BadLines = bad.Count;
            report.BadLineExamples = bad.Examples;
            progress?.Invoke(report, 1);
            return report;
        }
        finally
        {
            shared?.Dispose();
            script?.Dispose();
            if (template is not null) new Database(template).CloseConnections();
            try
            {
                Directory.Delete(scratch, recursive: true);
            }
            catch (IOException)
            {
                // A scratch folder left in the temp directory is harmless.
            }
        }
    }

    /// <summary>
    /// The database every copy starts from: the snapshot as it was before the first replayed message
    /// (a snapshot taken after the traffic has those messages already, and they must be handled
    /// again, not looked up), or demo data dated from the first message.
    /// </summary>
    private string CreateTemplate(string scratch, DateTimeOffset first)
    {
        var path = Path.Combine(scratch, "start.db");
        try
        {
            ScratchCopies.CreateTemplate(path, settings.Snapshot, first, settings.Hall.Today(first));
        }
        catch (System.Data.Common.DbException e) when (settings.Snapshot is { } snapshot)
        {
            throw new BadInputException(snapshot, 0, $"cannot be read as an SmsHall database (--db): {e.Message}");
        }
        return path;
    }

    /// <summary>A scratch copy of the start database with its own pipeline and clock.</summary>
    private sealed class Copy : IDisposable
    {
        private readonly Database _db;
        private readonly LogWriter _writer;
        private readonly Watching _log;
        private readonly ReplayClock _clock;
        private readonly MessageHall _hall;

        public Copy(string template, string scratch, string conversation, ReplaySettings settings)
        {
            Conversation = conversation;
            _db = ScratchCopies.Copy(template, Path.Combine(scratch, $"copy-{Guid.NewGuid():N}.db"));
            _writer = new LogWriter(_db);
            _log = new Watching(new SqliteMessageLog(_writer));
            _clock = new ReplayClock(settings.StartedAt);
            _hall = new MessageHall(new SqliteAccounts(_db), _log, new LiveCatalogue(settings.Catalogue, settings.StartedAt), _clock, settings.Hall);
        }

        public string Conversation { get; }

        public async Task<TurnResult> ReplayAsync(Turn turn, ReplyMatcher matcher, CancellationToken ct)
        {
            _clock.Set(turn.Message.ReceivedAt);
            _log.LastCommand = null;
            try
            {
                var answer = await _hall.HandleAsync(turn.Message, ct);
                return new TurnResult(turn, answer.Text, matcher.Compare(turn.Recorded, answer.Text), _log.LastCommand ?? "(repeated sid)");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return new TurnResult(turn, null, Outcome.Error, _log.LastCommand ?? "(failed)", $"{e.GetType().Name}: {e.Message}");
            }
        }

        /// <summary>Closes the copy (which folds its write-ahead log back in) and moves it to <paramref name="path"/>.</summary>
        public void MoveTo(string path)
        {
            _writer.Dispose();
            _db.CloseConnections();
            WholeFile.Write(path, partial => File.Copy(_db.Path, partial));
        }

        public void Dispose()
        {
            _writer.Dispose();
            _db.CloseConnections();
            foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(_db.Path + suffix);
        }
    }

    /// <summary>The message log, noting which command each committed message was read as, for the reports.</summary>
    private sealed class Watching(IMessageLog inner) : IMessageLog
    {
        public string? LastCommand { get; set; }

        public Task<Answer?> RecordInboundAsync(InboundMessage message, CancellationToken ct = default) => inner.RecordInboundAsync(message, ct);

        public Task<Answer> CommitAsync(HandledMessage handled, CancellationToken ct = default)
        {
            LastCommand = handled.Understanding.Command.Name;
            return inner.CommitAsync(handled, ct);
        }
    }
}

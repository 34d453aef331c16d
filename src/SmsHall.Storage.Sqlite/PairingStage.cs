using Dapper;
using Microsoft.Data.Sqlite;

namespace SmsHall.Storage.Sqlite;

/// <summary>A message of a Twilio export with the reply paired to it, if any.</summary>
public sealed record StagedMessage(long Line, string Party, string Other, string Body, string Sid, DateTimeOffset At, long Media, string? Reply);

/// <summary>
/// Replay's scratch table for a Twilio message log export: rows are staged in a throwaway SQLite
/// file, replies paired with the messages they answer, and the messages read back in time order, so
/// a large export is never held in memory. The file is deleted when the stage is disposed.
/// </summary>
public sealed class PairingStage : IDisposable
{
    private readonly string _path;
    private readonly SqliteConnection _stage;
    private SqliteTransaction? _adding;
    private SqliteCommand? _insert;

    public PairingStage(string path)
    {
        _path = path;
        _stage = new SqliteConnection($"Data Source={path};Pooling=False");
        _stage.Open();
        _stage.Execute(
            """
            PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
            CREATE TABLE rows (seq INTEGER PRIMARY KEY, line INTEGER NOT NULL, inbound INTEGER NOT NULL,
                party TEXT NOT NULL, other TEXT NOT NULL, body TEXT NOT NULL, sid TEXT NOT NULL, at TEXT NOT NULL,
                media INTEGER NOT NULL, reply_seq INTEGER);
            """);
    }

    /// <summary>Stages one row of the export, in file order; <paramref name="party"/> is the subscriber's address.</summary>
    public void Add(int line, bool inbound, string party, string other, string body, string sid, DateTimeOffset at, int media)
    {
        if (_insert is null)
        {
            _adding = _stage.BeginTransaction();
            _insert = _stage.CreateCommand();
            _insert.Transaction = _adding;
            _insert.CommandText = "INSERT INTO rows (line, inbound, party, other, body, sid, at, media) VALUES ($line, $inbound, $party, $other, $body, $sid, $at, $media)";
            foreach (var name in new[] { "$line", "$inbound", "$party", "$other", "$body", "$sid", "$at", "$media" }) _insert.Parameters.Add(name, SqliteType.Text);
        }
        object[] values = [line, inbound ? 1 : 0, party, other, body, sid, Dates.Write(at), media];
        for (var i = 0; i < values.Length; i++) _insert.Parameters[i].Value = values[i];
        _insert.ExecuteNonQuery();
    }

    /// <summary>
    /// Gives each reply to the latest message from its number before it that has no reply yet: taken
    /// in order, each inbound row starts a group for its number, and the first outbound row of a group
    /// is that message's reply. Done in SQL so no list of rows is held in memory.
    /// </summary>
    public void Pair()
    {
        _adding?.Commit();
        var tie = ChronologicalTieOrder();
        _stage.Execute(
            $"""
            CREATE TABLE grouped AS
            SELECT seq, inbound, party, at, SUM(inbound) OVER (PARTITION BY party ORDER BY at, {tie} ROWS UNBOUNDED PRECEDING) AS grp
            FROM rows;
            CREATE INDEX grouped_reply ON grouped (party, grp, inbound, at);
            CREATE INDEX grouped_seq ON grouped (seq);
            UPDATE rows SET reply_seq = (
                SELECT o.seq FROM grouped o
                WHERE o.party = rows.party AND o.inbound = 0 AND o.grp = (SELECT g.grp FROM grouped g WHERE g.seq = rows.seq)
                ORDER BY o.at, o.{tie} LIMIT 1)
            WHERE inbound = 1;
            """);
    }

    /// <summary>The inbound messages in time order, each with its paired reply; rows stream.</summary>
    public IEnumerable<StagedMessage> Messages()
    {
        var order = ChronologicalTieOrder();
        var rows = _stage.Query<Row>(
            $"""
            SELECT i.line AS Line, i.party AS Party, i.other AS Other, i.body AS Body, i.sid AS Sid, i.at AS At, i.media AS Media, r.body AS Reply
            FROM rows i LEFT JOIN rows r ON r.seq = i.reply_seq
            WHERE i.inbound = 1 ORDER BY i.at, {order.Replace("seq", "i.seq")}
            """, buffered: false);
        foreach (var r in rows) yield return new StagedMessage(r.Line, r.Party, r.Other, r.Body, r.Sid, Dates.ReadTime(r.At), r.Media, r.Reply);
    }

    public void Dispose()
    {
        _insert?.Dispose();
        _adding?.Dispose();
        _stage.Dispose();
        File.Delete(_path);
    }

    /// <summary>Rows within the same second keep the file's order, read oldest first (exports are usually newest first).</summary>
    private string ChronologicalTieOrder()
    {
        var first = _stage.ExecuteScalar<string?>("SELECT at FROM rows ORDER BY seq LIMIT 1");
        var last = _stage.ExecuteScalar<string?>("SELECT at FROM rows ORDER BY seq DESC LIMIT 1");
        return string.CompareOrdinal(first, last) > 0 ? "seq DESC" : "seq";
    }

    private sealed class Row
    {
        public long Line { get; init; }
        public string Party { get; init; } = "";
        public string Other { get; init; } = "";
        public string Body { get; init; } = "";
        public string Sid { get; init; } = "";
        public string At { get; init; } = "";
        public long Media { get; init; }
        public string? Reply { get; init; }
    }
}

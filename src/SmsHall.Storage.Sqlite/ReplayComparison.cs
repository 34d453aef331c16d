using Dapper;
using Microsoft.Data.Sqlite;
using SmsHall.Core.Ports;

namespace SmsHall.Storage.Sqlite;

/// <summary>One replayed message as two runs of the same traffic answered it.</summary>
public sealed record ReplayedPair(
    string Sid, string From, string Body, DateTimeOffset At, string? FirstCommand, string? SecondCommand, string? FirstReply, string? SecondReply);

/// <summary>
/// Two replays of the same messages from the same start (kept with replay's KeepDatabase) read side by
/// side: the messages whose replies differ. A reply that was never sent (opted out, over the rate
/// limit) counts as none.
/// </summary>
public static class ReplayComparison
{
    public static IEnumerable<ReplayedPair> Differences(string first, string second, DateTimeOffset since)
    {
        using var c = new SqliteConnection($"Data Source={first};Mode=ReadOnly;Pooling=False");
        c.Open();
        c.Execute("ATTACH DATABASE @second AS second", new { second });
        var rows = c.Query<Row>(
            """
            SELECT * FROM (
                SELECT i.sid AS Sid, i.from_number AS "From", i.body AS Body, i.received_at AS At,
                       i.command AS FirstCommand, s.command AS SecondCommand,
                       (SELECT o.body FROM main.outbound_messages o WHERE o.inbound_sid = i.sid AND o.status NOT IN (@suppressed, @limited)) AS FirstReply,
                       (SELECT o.body FROM second.outbound_messages o WHERE o.inbound_sid = i.sid AND o.status NOT IN (@suppressed, @limited)) AS SecondReply
                FROM main.inbound_messages i JOIN second.inbound_messages s ON s.sid = i.sid
                WHERE i.received_at >= @since
            ) WHERE FirstReply IS NOT SecondReply
            ORDER BY At, Sid
            """, new { since = Dates.Write(since), suppressed = OutboundStatus.Suppressed, limited = OutboundStatus.Limited }, buffered: false);
        foreach (var r in rows)
            yield return new ReplayedPair(r.Sid, r.From, r.Body, Dates.ReadTime(r.At), r.FirstCommand, r.SecondCommand, r.FirstReply, r.SecondReply);
    }

    private sealed class Row
    {
        public string Sid { get; init; } = "";
        public string From { get; init; } = "";
        public string Body { get; init; } = "";
        public string At { get; init; } = "";
        public string? FirstCommand { get; init; }
        public string? SecondCommand { get; init; }
        public string? FirstReply { get; init; }
        public string? SecondReply { get; init; }
    }
}

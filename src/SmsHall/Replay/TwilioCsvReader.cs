using System.Globalization;
using CsvHelper;
using Dapper;
using Microsoft.Data.Sqlite;
using SmsHall.Core;

namespace SmsHall.Replay;

/// <summary>
/// Reads the message log CSV the Twilio Console exports (columns From, To, Body, Status, SentDate,
/// ApiVersion, NumSegments, ErrorCode, AccountSid, Sid, Direction, Price, PriceUnit, and NumMedia when
/// there; found by name). WhatsApp rows have their numbers written whatsapp:+…, as at the webhook.
/// The export mixes inbound and outbound rows, newest first; a reply is paired with the inbound
/// message it answers by number and time: the latest message from that number before it that has
/// no reply yet. The rows are staged in a scratch SQLite file to be sorted, so a large export is
/// never held in memory.
/// </summary>
public static class TwilioCsvReader
{
    private static readonly string[] Required = ["From", "To", "Body", "SentDate", "Sid", "Direction"];

    // Twilio writes dates as RFC 2822 in its API and ISO 8601 elsewhere; both are read, UTC when no offset.
    private static readonly string[] Rfc2822 = ["ddd, dd MMM yyyy HH:mm:ss zzz", "ddd, d MMM yyyy HH:mm:ss zzz", "dd MMM yyyy HH:mm:ss zzz"];

    public static IEnumerable<Turn> Read(TextReader input, string file, string scratchDirectory, BadLines bad)
    {
        var stagePath = Path.Combine(scratchDirectory, $"twilio-csv-{Guid.NewGuid():N}.db");
        try
        {
            using var stage = new SqliteConnection($"Data Source={stagePath};Pooling=False");
            stage.Open();
            stage.Execute(
                """
                PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
                CREATE TABLE rows (seq INTEGER PRIMARY KEY, line INTEGER NOT NULL, inbound INTEGER NOT NULL,
                    party TEXT NOT NULL, other TEXT NOT NULL, body TEXT NOT NULL, sid TEXT NOT NULL, at TEXT NOT NULL,
                    media INTEGER NOT NULL, reply_seq INTEGER);
                """);
            Stage(stage, input, file, bad);
            Pair(stage);
            foreach (var turn in Turns(stage, file)) yield return turn;
        }
        finally
        {
            File.Delete(stagePath);
        }
    }

    private static void Stage(SqliteConnection stage, TextReader input, string file, BadLines bad)
    {
        var options = new CsvReaderOptions
        {
            HasHeader = true,
            Separator = ',',
            AllowLineBreaksInQuotes = true,
            SkipEmptyLines = true,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Skip,
            FieldCountMismatch = CsvFieldCountHandling.Skip,
            OnMalformedRecord = m => bad.Report(file, (int)m.LineNumber, Malformed(m.Reason)),
        };
        using var csv = CsvReader.Create(input, options, leaveOpen: true);
        try
        {
            csv.ReadHeader();
        }
        catch (CsvFormatException)
        {
            throw new BadInputException(file, 1, "the file is empty; expected a Twilio message log export with a header row");
        }
        var header = csv.Headers.Select(h => h.Trim().TrimStart('\uFEFF')).ToList();
        var missing = Required.Where(r => !header.Contains(r, StringComparer.OrdinalIgnoreCase)).ToList();
        if (missing.Count > 0)
        {
            throw new BadInputException(file, 1,
                $"not a Twilio message log export: no {string.Join(", ", missing)} column (expected {string.Join(",", Required)} among the headers)");
        }
        int Column(string name) => header.FindIndex(h => h.Equals(name, StringComparison.OrdinalIgnoreCase));
        int from = Column("From"), to = Column("To"), body = Column("Body"), sentDate = Column("SentDate"), sid = Column("Sid"), direction = Column("Direction");
        var numMedia = Column("NumMedia"); // not in every export

        using var tx = stage.BeginTransaction();
        using var insert = stage.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = "INSERT INTO rows (line, inbound, party, other, body, sid, at, media) VALUES ($line, $inbound, $party, $other, $body, $sid, $at, $media)";
        var parameters = new[] { "$line", "$inbound", "$party", "$other", "$body", "$sid", "$at", "$media" }.Select(n => insert.Parameters.Add(n, SqliteType.Text)).ToArray();

        while (csv.Read())
        {
            var line = (int)csv.LineNumber;
            var kind = csv.GetString(direction).Trim().ToLowerInvariant();
            if (kind != "inbound" && !kind.StartsWith("outbound", StringComparison.Ordinal))
            {
                bad.Report(file, line, $"Direction must be inbound or outbound-…, not '{csv.GetString(direction)}'");
                continue;
            }
            if (ParseTime(csv.GetString(sentDate)) is not { } at)
            {
                bad.Report(file, line, $"SentDate '{csv.GetString(sentDate)}' is not a date (e.g. 2026-11-20T09:00:00Z or Fri, 20 Nov 2026 09:00:00 +0000)");
                continue;
            }
            var inbound = kind == "inbound";
            var party = csv.GetString(inbound ? from : to).Trim();
            var other = csv.GetString(inbound ? to : from).Trim();
            if (csv.GetString(sid).Length == 0 || party.Length == 0)
            {
                bad.Report(file, line, "Sid and the subscriber's number (From of an inbound row, To of an outbound one) must not be empty");
                continue;
            }
            var media = numMedia >= 0 && int.TryParse(csv.GetString(numMedia).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : 0;
            object[] values = [line, inbound ? 1 : 0, party, other, csv.GetString(body), csv.GetString(sid).Trim(), Storage.Sqlite.Dates.Write(at), media];
            for (var i = 0; i < values.Length; i++) parameters[i].Value = values[i];
            insert.ExecuteNonQuery();
        }
        tx.Commit();
    }

    private static string Malformed(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.FieldCountMismatch => "this row has a different number of fields from the header",
        CsvMalformedReason.UnterminatedQuote => "a quoted field is never closed",
        _ => "a field has a stray double quote; quote fields with \"…\" and double the quotes inside",
    };

    /// <summary>
    /// Gives each reply to the latest message from its number before it that has no reply yet: taken
    /// in order, each inbound row starts a group for its number, and the first outbound row of a group
    /// is that message's reply. Done in SQL so no list of rows is held in memory.
    /// </summary>
    private static void Pair(SqliteConnection stage)
    {
        var tie = ChronologicalTieOrder(stage);
        stage.Execute(
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

    private static IEnumerable<Turn> Turns(SqliteConnection stage, string file)
    {
        var order = ChronologicalTieOrder(stage);
        var rows = stage.Query<Row>(
            $"""
            SELECT i.line AS Line, i.party AS Party, i.other AS Other, i.body AS Body, i.sid AS Sid, i.at AS At, i.media AS Media, r.body AS Reply
            FROM rows i LEFT JOIN rows r ON r.seq = i.reply_seq
            WHERE i.inbound = 1 ORDER BY i.at, {order.Replace("seq", "i.seq")}
            """, buffered: false);
        foreach (var r in rows)
        {
            // Paired by the whole address, so a number's WhatsApp and SMS conversations stay apart; the
            // subscriber is the number behind it.
            var (channel, party) = Twilio.TwilioAddress.Read(r.Party);
            var message = new InboundMessage(r.Sid, party, Twilio.TwilioAddress.Read(r.Other).Number, r.Body, Storage.Sqlite.Dates.ReadTime(r.At),
                Channel: channel, Media: (int)r.Media);
            yield return new Turn(party, message, r.Reply is null ? RecordedReply.None : new RecordedReply(r.Reply), $"{file}:{r.Line}");
        }
    }

    /// <summary>Rows within the same second keep the file's order, read oldest first (exports are usually newest first).</summary>
    private static string ChronologicalTieOrder(SqliteConnection stage)
    {
        var first = stage.ExecuteScalar<string?>("SELECT at FROM rows ORDER BY seq LIMIT 1");
        var last = stage.ExecuteScalar<string?>("SELECT at FROM rows ORDER BY seq DESC LIMIT 1");
        return string.CompareOrdinal(first, last) > 0 ? "seq DESC" : "seq";
    }

    private static DateTimeOffset? ParseTime(string text)
    {
        text = text.Trim();
        const DateTimeStyles utc = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
        if (DateTimeOffset.TryParseExact(text.Replace("GMT", "+0000").Replace("UTC", "+0000"), Rfc2822, CultureInfo.InvariantCulture, utc, out var rfc)) return rfc;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, utc, out var time) ? time : null;
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

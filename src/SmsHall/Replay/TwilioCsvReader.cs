using System.Globalization;
using CsvHelper;
using SmsHall.Core;
using SmsHall.Storage.Sqlite;

namespace SmsHall.Replay;

/// <summary>
/// Reads the message log CSV the Twilio Console exports (columns From, To, Body, Status, SentDate,
/// ApiVersion, NumSegments, ErrorCode, AccountSid, Sid, Direction, Price, PriceUnit, and NumMedia when
/// there; found by name). WhatsApp rows have their numbers written whatsapp:+…, as at the webhook.
/// The export mixes inbound and outbound rows, newest first; a reply is paired with the inbound
/// message it answers by number and time: the latest message from that number before it that has
/// no reply yet. The rows are staged in a scratch SQLite file (<see cref="PairingStage"/>) to be
/// sorted and paired, so a large export is never held in memory.
/// </summary>
public static class TwilioCsvReader
{
    private static readonly string[] Required = ["From", "To", "Body", "SentDate", "Sid", "Direction"];

    // Twilio writes dates as RFC 2822 in its API and ISO 8601 elsewhere; both are read, UTC when no offset.
    private static readonly string[] Rfc2822 = ["ddd, dd MMM yyyy HH:mm:ss zzz", "ddd, d MMM yyyy HH:mm:ss zzz", "dd MMM yyyy HH:mm:ss zzz"];

    public static IEnumerable<Turn> Read(TextReader input, string file, string scratchDirectory, BadLines bad)
    {
        using var stage = new PairingStage(Path.Combine(scratchDirectory, $"twilio-csv-{Guid.NewGuid():N}.db"));
        Stage(stage, input, file, bad);
        stage.Pair();
        foreach (var m in stage.Messages())
        {
            // Paired by the whole address, so a number's WhatsApp and SMS conversations stay apart; the
            // subscriber is the number behind it.
            var (channel, party) = Twilio.TwilioAddress.Read(m.Party);
            var message = new InboundMessage(m.Sid, party, Twilio.TwilioAddress.Read(m.Other).Number, m.Body, m.At, Channel: channel, Media: (int)m.Media);
            yield return new Turn(party, message, m.Reply is null ? RecordedReply.None : new RecordedReply(m.Reply), $"{file}:{m.Line}");
        }
    }

    private static void Stage(PairingStage stage, TextReader input, string file, BadLines bad)
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
            stage.Add(line, inbound, party, other, csv.GetString(body), csv.GetString(sid).Trim(), at, media);
        }
    }

    private static string Malformed(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.FieldCountMismatch => "this row has a different number of fields from the header",
        CsvMalformedReason.UnterminatedQuote => "a quoted field is never closed",
        _ => "a field has a stray double quote; quote fields with \"…\" and double the quotes inside",
    };

    private static DateTimeOffset? ParseTime(string text)
    {
        text = text.Trim();
        const DateTimeStyles utc = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
        if (DateTimeOffset.TryParseExact(text.Replace("GMT", "+0000").Replace("UTC", "+0000"), Rfc2822, CultureInfo.InvariantCulture, utc, out var rfc)) return rfc;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, utc, out var time) ? time : null;
    }
}

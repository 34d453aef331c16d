using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using SmsHall.Core;

namespace SmsHall.Replay;

/// <summary>
/// Reads <c>smshall log export</c> JSON Lines: inbound messages with their replies (an outbound
/// line names the inbound sid it answers). Streams: only messages still waiting for their reply line
/// are held, at most <see cref="Window"/> of them.
/// </summary>
public static class LogReader
{
    // An inbound message whose reply has not come within this many messages never had one (it was
    // received but never handled), and goes on to be replayed.
    private const int Window = 10_000;

    public static IEnumerable<Turn> Read(IEnumerable<(int Number, string Text)> lines, string file, BadLines bad)
    {
        var waiting = new Queue<Waiting>();
        var bySid = new Dictionary<string, Waiting>(StringComparer.Ordinal);
        foreach (var (number, line) in lines)
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            if (Parse(line, file, number, bad) is not { } record) continue;

            if (record.Direction == "inbound")
            {
                if (bySid.ContainsKey(record.Sid!))
                {
                    bad.Report(file, number, $"message {record.Sid} appears twice");
                    continue;
                }
                var item = new Waiting(record, $"{file}:{number}");
                waiting.Enqueue(item);
                bySid[record.Sid!] = item;
            }
            else if (bySid.TryGetValue(record.InboundSid!, out var answered) && answered.Reply is null)
            {
                answered.Reply = record;
            }
            else
            {
                bad.Report(file, number, $"reply to {record.InboundSid}, which is not an inbound message above it (or already has a reply)");
                continue;
            }

            while (waiting.Count > 0 && (waiting.Peek().Reply is not null || waiting.Count > Window))
            {
                var next = waiting.Dequeue();
                bySid.Remove(next.Inbound.Sid!);
                yield return next.ToTurn();
            }
        }
        foreach (var rest in waiting) yield return rest.ToTurn();
    }

    private static Record? Parse(string line, string file, int number, BadLines bad)
    {
        Record? record;
        try
        {
            record = JsonSerializer.Deserialize(line, LogJson.Default.Record);
        }
        catch (JsonException e) when (e.InnerException is InvalidOperationException inner)
        {
            // Valid JSON whose value cannot be read as one: a number for a text, half a surrogate pair (\ud800).
            bad.Report(file, number, $"{e.Path}: {inner.Message}");
            return null;
        }
        catch (JsonException e)
        {
            bad.Report(file, number, $"not a JSON object: {e.Message.Split(" Path:")[0]}");
            return null;
        }
        var problem = record switch
        {
            null => "not a JSON object",
            { Direction: not ("inbound" or "outbound") } => "\"direction\" must be \"inbound\" or \"outbound\"",
            { Direction: "inbound", Sid: null or "" } => "an inbound message needs \"sid\"",
            { Direction: "inbound", From: null or "" } => "an inbound message needs \"from\"",
            { Direction: "outbound", InboundSid: null or "" } => "a reply needs \"inbound_sid\"",
            { Body: null } => "\"body\" is missing",
            { Direction: "inbound" } when !TryTime(record.At, out _) => $"\"at\" must be an ISO 8601 time, not '{record.At}'",
            { Channel: { } channel } when Core.Ports.ChannelNames.Read(channel) is null => "\"channel\" must be \"sms\" or \"whatsapp\"",
            { Media: < 0 } => "\"media\" must be a number of pictures, 0 or more",
            _ => null,
        };
        if (problem is null) return record;
        bad.Report(file, number, problem);
        return null;
    }

    private static bool TryTime(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    private sealed class Waiting(Record inbound, string source)
    {
        public Record Inbound { get; } = inbound;
        public Record? Reply { get; set; }

        public Turn ToTurn()
        {
            TryTime(Inbound.At, out var at);
            // Exports from before channels have none: those messages all came by SMS.
            var channel = Inbound.Channel is { } name ? Core.Ports.ChannelNames.Read(name)!.Value : Channel.Sms;
            var message = new InboundMessage(Inbound.Sid!, Inbound.From!, Inbound.To ?? "", Inbound.Body!, at, Channel: channel, Media: Inbound.Media ?? 0);
            // Suppressed and limited replies were never sent: the subscriber heard nothing.
            var recorded = Reply is null || Reply.Status is "suppressed" or "limited" ? RecordedReply.None : new RecordedReply(Reply.Body);
            return new Turn(Inbound.From!, message, recorded, source);
        }
    }

    internal sealed class Record
    {
        public string? Direction { get; init; }
        public string? Sid { get; init; }
        public string? InboundSid { get; init; }
        public string? From { get; init; }
        public string? To { get; init; }
        public string? Channel { get; init; }
        public string? Body { get; init; }
        public int? Media { get; init; }
        public string? At { get; init; }
        public string? Status { get; init; }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(LogReader.Record))]
internal sealed partial class LogJson : JsonSerializerContext;

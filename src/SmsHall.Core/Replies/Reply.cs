using SmsHall.Core.Accounts;

namespace SmsHall.Core.Replies;

/// <summary>What a handler answers: a template key from the catalogue and the values for its placeholders.</summary>
public sealed record Reply(string Key, IReadOnlyDictionary<string, object> Values)
{
    public static Reply Of(string key, params (string Name, object Value)[] values) =>
        new(key, values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal));
}

/// <summary>An amount of money in cents; rendered with the catalogue's currency format.</summary>
public readonly record struct Money(long Cents);

/// <summary>A reply ready to send, with how a phone network will carry it.</summary>
public sealed record RenderedReply(string Key, string Language, string Text, SmsEncoding Encoding, int Segments);

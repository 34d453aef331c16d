namespace SmsHall.Outbox;

/// <summary>Section "Outbox" of appsettings.json: how REST replies are sent (Twilio:ReplyMode=Rest).</summary>
public sealed class OutboxOptions
{
    /// <summary>Replies sent at the same time (never two to one number on one channel at once).</summary>
    public int Concurrency { get; set; } = 32;

    /// <summary>How long one call to Twilio may take before it is given up and looked for.</summary>
    public double AttemptTimeoutSeconds { get; set; } = 10;

    /// <summary>Retries within one round, after 429, 5xx or a network error.</summary>
    public int Retries { get; set; } = 3;

    /// <summary>The first retry's delay; it doubles each retry, with jitter.</summary>
    public int RetryDelayMilliseconds { get; set; } = 500;

    /// <summary>A Retry-After longer than this is not waited out in place: the reply goes back in the outbox until then.</summary>
    public int MaxRetryAfterSeconds { get; set; } = 30;

    /// <summary>Rounds (each with its retries) before a reply is marked failed; rounds are spaced 5 s, 10 s, 20 s, … up to 5 minutes.</summary>
    public int MaxRounds { get; set; } = 12;

    /// <summary>How long Twilio is left alone once half the calls in 30 s failed.</summary>
    public double BreakSeconds { get; set; } = 15;

    /// <summary>How often the outbox is looked at when nothing wakes the sender.</summary>
    public int PollMilliseconds { get; set; } = 1000;

    /// <summary>This node's name in the outbox; on start it resends (after looking) what it was sending when it stopped.</summary>
    public string NodeName { get; set; } = Environment.MachineName;

    /// <summary>A row another node took and did not finish within this long is taken over.</summary>
    public int LeaseSeconds { get; set; } = 120;

    /// <summary>A reply not sent within this long of being ready is not sent at all (status expired): news that late misleads.</summary>
    public int ExpireAfterSeconds { get; set; } = 600;

    /// <summary>Failed looks at Twilio's message list for an in-doubt reply before it is parked for an operator.</summary>
    public int MaxLookupFailures { get; set; } = 5;

    public TimeSpan ExpireAfter => TimeSpan.FromSeconds(ExpireAfterSeconds);

    public TimeSpan AttemptTimeout => TimeSpan.FromSeconds(AttemptTimeoutSeconds);

    public string? Problem() =>
        Concurrency is < 1 or > 256 ? "Outbox:Concurrency must be from 1 to 256"
        : AttemptTimeoutSeconds is < 0.05 or > 300 ? "Outbox:AttemptTimeoutSeconds must be from 0.05 to 300"
        : Retries is < 0 or > 10 ? "Outbox:Retries must be from 0 to 10"
        : RetryDelayMilliseconds is < 1 or > 60_000 ? "Outbox:RetryDelayMilliseconds must be from 1 to 60000"
        : MaxRetryAfterSeconds is < 0 or > 3600 ? "Outbox:MaxRetryAfterSeconds must be from 0 to 3600"
        : MaxRounds is < 1 or > 100 ? "Outbox:MaxRounds must be from 1 to 100"
        : BreakSeconds is < 0.5 or > 3600 ? "Outbox:BreakSeconds must be from 0.5 to 3600"
        : PollMilliseconds is < 10 or > 60_000 ? "Outbox:PollMilliseconds must be from 10 to 60000"
        : LeaseSeconds < AttemptTimeoutSeconds * (Retries + 2) ? "Outbox:LeaseSeconds must be longer than a whole round of attempts"
        : string.IsNullOrWhiteSpace(NodeName) ? "Outbox:NodeName must not be empty"
        : ExpireAfterSeconds is < 10 or > 86_400 ? "Outbox:ExpireAfterSeconds must be from 10 to 86400"
        : MaxLookupFailures is < 1 or > 100 ? "Outbox:MaxLookupFailures must be from 1 to 100"
        : null;
}

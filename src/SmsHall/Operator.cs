using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using SmsHall.Core.Ports;
using SmsHall.Outbox;

namespace SmsHall;

/// <summary>Section "Operator" of appsettings.json.</summary>
public sealed class OperatorOptions
{
    /// <summary>The key operators send in the X-Api-Key header; empty switches the operator endpoints off.</summary>
    public string ApiKey { get; set; } = "";
}

/// <summary>
/// Endpoints for the operator: the outbox at a glance, and one message with its reply and what became
/// of it. Each needs the API key from configuration (/health is open, and shows its details for the key).
/// </summary>
public static class OperatorApi
{
    public const string KeyHeader = "X-Api-Key";

    public static RouteGroupBuilder MapOperator(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/operator");
        group.AddEndpointFilter<ApiKeyFilter>();
        group.MapGet("/outbox", OutboxAsync);
        group.MapGet("/outbox/held", HeldAsync);
        group.MapPost("/outbox/held/{id:long}/resend", ResendAsync);
        group.MapPost("/outbox/held/{id:long}/drop", DropAsync);
        group.MapGet("/messages/{sid}", MessageAsync);
        return group;
    }

    private static async Task<IResult> OutboxAsync(IOutbox outbox, TimeProvider clock, IServiceProvider services, CancellationToken ct)
    {
        var stats = await outbox.StatsAsync(clock.GetUtcNow(), ct);
        var sender = services.GetService<Sender>();
        return Results.Ok(new
        {
            replyMode = sender is null ? "TwiML" : "Rest",
            circuit = sender?.Circuit.ToString(),
            pending = stats.Pending,
            sending = stats.Sending,
            inDoubt = stats.InDoubt,
            held = stats.Held,
            expiredLastHour = stats.ExpiredLastHour,
            oldestDue = stats.OldestDue?.UtcDateTime,
            failedLastHour = stats.FailedLastHour,
        });
    }

    /// <summary>Replies parked because they may have reached Twilio and Twilio could not be asked: each waits for resend or drop.</summary>
    private static async Task<IResult> HeldAsync(IOutbox outbox, CancellationToken ct) =>
        Results.Ok(await outbox.HeldAsync(ct));

    private static async Task<IResult> ResendAsync(long id, IOutbox outbox, OutboxSignal signal, TimeProvider clock, ILogger<IOutbox> log, CancellationToken ct)
    {
        if (!await outbox.ResendHeldAsync(id, clock.GetUtcNow(), ct)) return NotHeld(id);
        log.LogWarning("An operator chose to resend held reply {Id}", id);
        signal.Notify();
        return Results.NoContent();
    }

    private static async Task<IResult> DropAsync(long id, IOutbox outbox, TimeProvider clock, ILogger<IOutbox> log, CancellationToken ct)
    {
        if (!await outbox.DropHeldAsync(id, clock.GetUtcNow(), ct)) return NotHeld(id);
        log.LogWarning("An operator dropped held reply {Id}", id);
        return Results.NoContent();
    }

    private static IResult NotHeld(long id) =>
        Results.Problem($"No reply {id} is held for an operator's decision", statusCode: StatusCodes.Status404NotFound);

    private static async Task<IResult> MessageAsync(string sid, IOperatorQueries queries, CancellationToken ct) =>
        await queries.MessageAsync(sid, ct) is { } found
            ? Results.Ok(new { inbound = found.Inbound, reply = found.Reply })
            : Results.Problem($"No message with sid {sid}", statusCode: StatusCodes.Status404NotFound);

    /// <summary>True when operator endpoints are on and the request carries their key.</summary>
    public static bool HasKey(HttpRequest request, OperatorOptions options) =>
        options.ApiKey.Length > 0 && Matches(request.Headers[KeyHeader].ToString(), options.ApiKey);

    // Hashed, then compared in constant time: response times tell nothing about the key, not even its length.
    private static bool Matches(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private sealed class ApiKeyFilter(IOptions<OperatorOptions> options) : IEndpointFilter
    {
        public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            if (options.Value.ApiKey.Length == 0)
                return Results.Problem("The operator endpoints are off: set Operator:ApiKey to use them", statusCode: StatusCodes.Status403Forbidden);
            if (!HasKey(context.HttpContext.Request, options.Value))
                return Results.Problem($"A valid {KeyHeader} header is needed", statusCode: StatusCodes.Status401Unauthorized);
            return await next(context);
        }
    }
}

using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SmsHall.Campaigns;
using SmsHall.Core;
using SmsHall.Core.Accounts;
using SmsHall.Core.Catalogue;
using SmsHall.Core.Notices;
using SmsHall.Core.Ports;
using SmsHall.Hosting;
using SmsHall.Notices;
using SmsHall.OperatorConsole;
using SmsHall.Outbox;
using SmsHall.Storage;
using SmsHall.Storage.Postgres;
using SmsHall.Storage.Sqlite;
using SmsHall.Twilio;
using Twilio.Security;

namespace SmsHall;

/// <summary>Wires SmsHall together; the one place that knows every piece.</summary>
public static class Gateway
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>The core, storage and settings, shared by the web gateway and the CLI.</summary>
    public static IServiceCollection AddSmsHall(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<HallOptions>().Bind(config.GetSection("Hall"))
            .Validate(o => o.ConfirmationMinutes is >= 1 and <= 1440, "Hall:ConfirmationMinutes must be a number of minutes from 1 to 1440")
            .Validate(o => TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone, out _), "Hall:TimeZone is not a time zone this machine knows (e.g. UTC, Europe/Paris)")
            .Validate(o => o.RateLimitMessages is >= 1 and <= 10_000, "Hall:RateLimitMessages must be a number of messages from 1 to 10000")
            .Validate(o => o.RateLimitSeconds is >= 1 and <= 86_400, "Hall:RateLimitSeconds must be a number of seconds from 1 to 86400")
            .Validate(o => o.TopUpMaxFailures is >= 1 and <= 100, "Hall:TopUpMaxFailures must be a number from 1 to 100")
            .Validate(o => o.TopUpLockoutMinutes is >= 1 and <= 10_080, "Hall:TopUpLockoutMinutes must be a number of minutes from 1 to 10080")
            .Validate(o => o.CancelExtrasAt is HallOptions.CycleEnd or HallOptions.Now, "Hall:CancelExtrasAt must be cycle-end or now")
            .Validate(o => HallOptions.IsCareNumber(o.CareNumber), "Hall:CareNumber must be the number subscribers call for care: 1 to 20 digits, spaces, '+', '-', '(' or ')', with a digit")
            .Validate(o => HallOptions.IsQuietHours(o.QuietHours), "Hall:QuietHours must be HH:mm-HH:mm (e.g. 21:00-08:00), or empty for none")
            .Validate(o => o.MaxNoticesPerDay is >= 0 and <= 100, "Hall:MaxNoticesPerDay must be a number from 0 to 100")
            .Validate(o => o.TicketAnswerHours is >= 1 and <= 720, "Hall:TicketAnswerHours must be a number of hours from 1 to 720")
            .Validate(o => o.TicketReplyHours is >= 0 and <= 720, "Hall:TicketReplyHours must be a number of hours from 0 to 720 (0: replies never join a ticket)")
            .Validate(o => o.LowBalanceCents is >= 0 and <= 100_000_000, "Hall:LowBalanceCents must be an amount in cents from 0 to 100000000")
            .Validate(o => o.PointsExpiringDays is >= 0 and <= 366, "Hall:PointsExpiringDays must be a number of days from 0 to 366");
        services.AddOptions<TwilioOptions>().Bind(config.GetSection("Twilio"));
        services.AddSingleton<IValidateOptions<TwilioOptions>>(new Check<TwilioOptions>(o => o.RestProblem()));
        services.AddOptions<NoticeOptions>().Bind(config.GetSection("Notices"));
        services.AddSingleton<IValidateOptions<NoticeOptions>>(new Check<NoticeOptions>(o => o.Problem()));
        services.AddOptions<OutboxOptions>().Bind(config.GetSection("Outbox"));
        services.AddSingleton<IValidateOptions<OutboxOptions>>(new Check<OutboxOptions>(o => o.Problem()));
        services.AddOptions<OperatorOptions>().Bind(config.GetSection("Operator"));
        services.AddOptions<DatabaseOptions>().Bind(config.GetSection("Database"));
        services.AddSingleton<IValidateOptions<DatabaseOptions>>(new Check<DatabaseOptions>(o => o.Problem()));
        services.AddOptions<CatalogueOptions>().Bind(config.GetSection("Catalogue"))
            .Validate(o => !string.IsNullOrWhiteSpace(o.Path), "Catalogue:Path must name the catalogue file (commands.md)")
            .Validate(o => o.SegmentBudget is >= 1 and <= 10, "Catalogue:SegmentBudget must be a number of SMS segments from 1 to 10")
            .Validate(o => o.MaxBytes is >= 1024 and <= 64 * 1024 * 1024, "Catalogue:MaxBytes must be a number of bytes from 1024 to 67108864");
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<HallOptions>>().Value);
        services.TryAddSingleton(TimeProvider.System);
        services.AddStorage(config);
        services.AddSingleton<CatalogueSource>();
        // The serving catalogue: the file if it passes (stored as a version), else the last stored version.
        services.AddSingleton(sp => sp.GetRequiredService<CatalogueSource>().Start(store: true));
        services.AddSingleton<MessageHall>();
        return services;
    }

    /// <summary>
    /// The storage provider Database:Provider names, with every storage port. A misspelt provider is
    /// reported by <see cref="CheckSettings"/> with the setting's name; here it only means "not Postgres".
    /// </summary>
    private static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration config)
    {
        Enum.TryParse<StorageProvider>(config["Database:Provider"], ignoreCase: true, out var provider);
        if (provider == StorageProvider.Postgres)
            return services.AddPostgresStorage(sp => sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString);
        return services.AddSqliteStorage(sp =>
        {
            var o = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            return new SqliteStorageOptions(o.Path, o.MaxSizeMB);
        });
    }

    /// <summary>The web gateway: the Twilio webhook and /health.</summary>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? overrides = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            // Settings are read once at start (only commands.md reloads, by its own watcher). Watching
            // for config changes would watch the whole content root, database writes included: a third
            // more throughput without it.
            Args = ["--hostBuilder:reloadConfigOnChange=false", .. args],
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls(DefaultUrl);

        // Twilio's form is a few kilobytes at most; anything far larger is not Twilio.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 64 * 1024);
        builder.Services.Configure<FormOptions>(f =>
        {
            f.ValueCountLimit = 256;
            f.KeyLengthLimit = 256;
            f.ValueLengthLimit = 16 * 1024;
        });
        builder.Services.AddProblemDetails();
        builder.Services.AddSmsHall(builder.Configuration);
        builder.AddTelemetry();
        builder.Services.AddHostedService<CatalogueWatcher>();
        builder.Services.AddHostedService<CatalogueFollower>();
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<RefusedRequests>();
        // Notices from the accounts, on every node; one at a time runs them (a database lease).
        builder.Services.AddSingleton<NoticeRun>();
        builder.Services.AddHostedService<NoticeScheduler>();
        // Twilio's signature check, made once from the auth token (never TwilioClient.Init: no global state).
        builder.Services.AddSingleton(sp => new WebhookSignature(
            new RequestValidator(sp.GetRequiredService<IOptions<TwilioOptions>>().Value.AuthToken)));
        // Whether the database can be written, and the probe that finds out when it can again.
        builder.Services.AddSingleton<StorageHealth>();
        builder.Services.AddHostedService<StorageProbe>();
        builder.Services.AddOperatorConsole(builder.Configuration);
        builder.Services.AddCampaigns(builder.Configuration);
        // A misspelt mode is reported by CheckSettings with the setting's name; here it only means "not Rest".
        // In TwiML mode with an account set, the outbox still sends what is not a reply (notices, offers, answers).
        if ((Enum.TryParse<ReplyMode>(builder.Configuration["Twilio:ReplyMode"], ignoreCase: true, out var mode) && mode == ReplyMode.Rest)
            || !string.IsNullOrEmpty(builder.Configuration["Twilio:AccountSid"]))
            AddRestReplies(builder.Services);
        overrides?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseStatusCodePages();
        app.MapHealth();
        app.MapTwilio();
        app.MapOperator();
        app.MapOperatorConsole();
        app.MapTelemetry();
        return app;
    }

    /// <summary>Twilio's Messages API behind a Polly pipeline, and the worker that sends the outbox.</summary>
    private static void AddRestReplies(IServiceCollection services)
    {
        services.AddTwilioMessages();
        services.AddSingleton(sp => new Pacer(sp.GetRequiredService<IOptions<TwilioOptions>>().Value.SegmentsPerSecond, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new Sender(
            sp.GetRequiredService<TwilioMessages>(), sp.GetRequiredService<Pacer>(), sp.GetRequiredService<IOptions<OutboxOptions>>().Value,
            sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<OutboxWorker>();
    }

    /// <summary>
    /// Twilio's Messages API through the Twilio SDK, on HttpClients from the factory that go to
    /// Twilio:ApiBaseUrl and give up after Outbox:AttemptTimeoutSeconds.
    /// </summary>
    internal static IServiceCollection AddTwilioMessages(this IServiceCollection services)
    {
        services.AddTransient<TwilioApiHandler>();
        services.AddHttpClient(TwilioMessages.HttpClientName, (sp, client) =>
                // The SDK's calls take no CancellationToken: an attempt's time limit is the client's own.
                client.Timeout = sp.GetRequiredService<IOptions<OutboxOptions>>().Value.AttemptTimeout)
            // Redirects are not followed, as with the SDK's own client: Twilio's API does not send them.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .AddHttpMessageHandler<TwilioApiHandler>()
            // The factory would log every URL, and a lookup's names the subscriber's number.
            .RemoveAllLoggers();
        services.AddSingleton(sp => new TwilioMessages(
            sp.GetRequiredService<IHttpClientFactory>(), sp.GetRequiredService<IOptions<TwilioOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>
    /// Before serving: checks settings, migrates the database (adding the demo data when asked:
    /// never into a production database by itself) and loads the catalogue.
    /// </summary>
    public static void Prepare(IServiceProvider services, bool demo = false)
    {
        CheckSettings(services);
        var twilio = services.GetRequiredService<IOptions<TwilioOptions>>().Value;
        if (twilio.ValidateSignature && string.IsNullOrWhiteSpace(twilio.AuthToken))
            throw new SettingsException("Twilio:AuthToken is not set; it is needed to check Twilio's signatures (or set Twilio:ValidateSignature=false for local experiments only).");
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger("SmsHall");
        var seeded = PrepareDatabase(services, demo);
        var live = services.GetRequiredService<LiveCatalogue>().Current;
        log.LogInformation("Serving catalogue version {Version} from {Provider} storage; demo data {Demo}", live.Version,
            services.GetRequiredService<IStorageAdmin>().Provider,
            !demo ? "not asked for" : seeded > 0 ? $"seeded ({seeded} subscribers)" : "already there");
        if (live.Rejected is { } rejected)
            log.LogWarning("{Path} is not usable, so stored catalogue version {Version} serves (degraded): {Problems}",
                services.GetRequiredService<CatalogueSource>().Path, live.Version, string.Join("; ", rejected.Problems));
    }

    /// <summary>Reads every setting once, so a wrong value stops the start with one line that names it.</summary>
    public static void CheckSettings(IServiceProvider services)
    {
        try
        {
            _ = services.GetRequiredService<IOptions<HallOptions>>().Value;
            _ = services.GetRequiredService<IOptions<TwilioOptions>>().Value;
            _ = services.GetRequiredService<IOptions<CatalogueOptions>>().Value;
            _ = services.GetRequiredService<IOptions<OutboxOptions>>().Value;
            _ = services.GetRequiredService<IOptions<NoticeOptions>>().Value;
            _ = services.GetRequiredService<IOptions<OperatorOptions>>().Value;
            _ = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            _ = services.GetRequiredService<IOptions<ConsoleOptions>>().Value;
            _ = services.GetRequiredService<IOptions<MetricsOptions>>().Value;
            _ = services.GetRequiredService<IOptions<OpenTelemetryOptions>>().Value;
        }
        catch (OptionsValidationException e)
        {
            throw new SettingsException(string.Join("; ", e.Failures));
        }
        catch (InvalidOperationException e) when (e.InnerException is FormatException or OverflowException or ArgumentException)
        {
            throw new SettingsException(e.Message); // "Failed to convert configuration value at 'Hall:…' to type …"
        }
    }

    /// <summary>Migrates the database and, with <paramref name="demo"/>, adds the demo data; returns the demo subscribers added.</summary>
    public static int PrepareDatabase(IServiceProvider services, bool demo = false)
    {
        services.GetRequiredService<IStorageAdmin>().Migrate();
        if (!demo) return 0;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        return services.GetRequiredService<ISeeding>().SeedDemo(services.GetRequiredService<HallOptions>().Today(now));
    }

    /// <summary>
    /// Runs the gateway until it is stopped. Exit code 1 when a background service (the outbox, the
    /// catalogue watcher) failed and so stopped the host: a supervisor must see a failure, not a clean stop.
    /// </summary>
    public static async Task<int> ServeAsync(WebApplication app, CancellationToken ct)
    {
        var background = app.Services.GetServices<IHostedService>().OfType<BackgroundService>().ToList();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SmsHall");
        try
        {
            await app.RunAsync(ct);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // A background service failed while others were still starting: the host's start was
            // cancelled by the stop that failure asked for. Still a failure, told below like any other.
        }
        var failed = background.Where(s => s.ExecuteTask is { IsFaulted: true }).ToList();
        if (failed.Count == 0) return 0;
        foreach (var service in failed)
            log.LogCritical("Stopped because {Service} failed: {Reason}", service.GetType().Name, service.ExecuteTask!.Exception!.GetBaseException().Message);
        return 1;
    }

}

/// <summary>Validates a settings section with its own one-line description of what is wrong.</summary>
internal sealed class Check<T>(Func<T, string?> problem) : IValidateOptions<T> where T : class
{
    public ValidateOptionsResult Validate(string? name, T options) =>
        problem(options) is { } p ? ValidateOptionsResult.Fail(p) : ValidateOptionsResult.Success;
}

/// <summary>A setting is missing or wrong; the message names it.</summary>
public sealed class SettingsException(string message) : Exception(message);

using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SmsHall.Core;
using SmsHall.Core.Accounts;
using SmsHall.Core.Catalogue;
using SmsHall.Storage;
using SmsHall.Twilio;

namespace SmsHall;

/// <summary>Wires SmsHall together; the one place that knows every piece.</summary>
public static class Gateway
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>The core, storage and settings, shared by the web gateway and the CLI.</summary>
    public static IServiceCollection AddSmsHall(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<HallOptions>(config.GetSection("Hall"));
        services.Configure<TwilioOptions>(config.GetSection("Twilio"));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<HallOptions>>().Value);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new Database(Setting(config, "Database:Path", "data/smshall.db")));
        services.AddSingleton<IAccounts, SqliteAccounts>();
        services.AddSingleton<IMessageLog, SqliteMessageLog>();
        services.AddSingleton(_ => new CatalogueSource(CommandCatalogue.Load(Setting(config, "Catalogue:Path", "commands.md"))));
        services.AddSingleton<MessageHall>();
        return services;
    }

    /// <summary>The web gateway: the Twilio webhook and /health.</summary>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? overrides = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
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
        overrides?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseStatusCodePages();
        app.MapGet("/health", Health);
        app.MapTwilio();
        return app;
    }

    /// <summary>Checks settings, then migrates the database and seeds demo data into an empty one.</summary>
    public static void Prepare(IServiceProvider services)
    {
        var twilio = services.GetRequiredService<IOptions<TwilioOptions>>().Value;
        if (twilio.ValidateSignature && string.IsNullOrWhiteSpace(twilio.AuthToken))
            throw new SettingsException("Twilio:AuthToken is not set; it is needed to check Twilio's signatures (or set Twilio:ValidateSignature=false for local experiments only).");
        _ = services.GetRequiredService<HallOptions>().TimeZoneInfo; // an unknown time zone fails here, not on the first message
        PrepareDatabase(services);
        _ = services.GetRequiredService<CatalogueSource>();
    }

    public static void PrepareDatabase(IServiceProvider services)
    {
        var db = services.GetRequiredService<Database>();
        db.Migrate();
        if (DemoData.IsEmpty(db))
        {
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            DemoData.Seed(db, services.GetRequiredService<HallOptions>().Today(now));
        }
    }

    private static IResult Health(CatalogueSource catalogues, Database db)
    {
        var catalogue = catalogues.Current;
        return Results.Ok(new
        {
            status = "ok",
            catalogue = new { path = catalogue.Path, languages = catalogue.Languages, keywords = catalogue.Keywords.Count() },
            database = db.Path,
        });
    }

    private static string Setting(IConfiguration config, string key, string fallback) =>
        string.IsNullOrWhiteSpace(config[key]) ? fallback : config[key]!;
}

/// <summary>A setting is missing or wrong; the message names it.</summary>
public sealed class SettingsException(string message) : Exception(message);

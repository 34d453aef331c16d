using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.Extensions.Options;
using SmsHall.Core.Ports;

namespace SmsHall.OperatorConsole;

/// <summary>Section "Console" of appsettings.json.</summary>
public sealed class ConsoleOptions
{
    /// <summary>Wrong passwords in a row that lock an account, on every node.</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a locked account stays locked.</summary>
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>
    /// The node is behind a proxy that ends TLS and forwards plain http: the console then takes every
    /// request as https, so its cookies are marked Secure (they are whenever the request is https).
    /// </summary>
    public bool BehindHttpsProxy { get; set; }

    /// <summary>Sign-in attempts a client address may make in a minute on one node (each costs a password hash and an audit row).</summary>
    public int SignInsPerMinute { get; set; } = 10;

    public string? Problem() =>
        MaxFailedSignIns is < 1 or > 100 ? "Console:MaxFailedSignIns must be a number of sign-ins from 1 to 100"
        : LockoutMinutes is < 1 or > 1440 ? "Console:LockoutMinutes must be a number of minutes from 1 to 1440"
        : SignInsPerMinute is < 1 or > 1000 ? "Console:SignInsPerMinute must be a number of sign-ins from 1 to 1000"
        : null;
}

/// <summary>
/// The operators' console at /console: Razor Pages behind cookie sign-in, with the Data Protection
/// keys in the database so that every node accepts every node's cookies and antiforgery tokens.
/// </summary>
public static class ConsoleSetup
{
    public const string Viewer = "viewer";
    public const string Editor = "editor";
    public const string Admin = "admin";

    public static IServiceCollection AddOperatorConsole(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<ConsoleOptions>().Bind(config.GetSection("Console"));
        services.AddSingleton<IValidateOptions<ConsoleOptions>>(new Check<ConsoleOptions>(o => o.Problem()));
        services.AddSingleton<SignIns>();
        services.AddSingleton<CataloguePublisher>();
        services.AddSingleton<CataloguePreviewer>();
        services.AddSingleton<Simulator>();
        services.AddHostedService<ConsoleScratch>();
        services.AddHostedService<NodeReporter>();

        services.AddDataProtection().SetApplicationName("SmsHall");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new DatabaseKeyRing(sp.GetRequiredService<IKeyRingStore>)));

        services.AddRateLimiter(o =>
        {
            // Only the sign-in form's POST is limited, per client address: anything else passes untouched.
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Equals("/console/sign-in", StringComparison.OrdinalIgnoreCase)
                    ? RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "", _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = context.RequestServices.GetRequiredService<IOptions<ConsoleOptions>>().Value.SignInsPerMinute,
                        Window = TimeSpan.FromMinutes(1),
                    })
                    : RateLimitPartition.GetNoLimiter(""));
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, ct) =>
            {
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                return new ValueTask(context.HttpContext.Response.WriteAsync("Too many sign-in attempts from your address: wait a minute, then try again.", ct));
            };
        });
        // Secure whenever the request is https (see ConsoleOptions.BehindHttpsProxy); the antiforgery cookie's default is never.
        services.AddAntiforgery(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = "smshall-console";
                o.Cookie.Path = "/console";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = "/console/sign-in";
                o.LogoutPath = "/console/sign-out";
                o.AccessDeniedPath = "/console/denied";
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                // An account removed or given another role takes effect at the operator's next page.
                o.Events.OnValidatePrincipal = ValidateAsync;
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(Viewer, p => p.RequireRole(Viewer, Editor, Admin))
            .AddPolicy(Editor, p => p.RequireRole(Editor, Admin))
            .AddPolicy(Admin, p => p.RequireRole(Admin));
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/OperatorConsole/Pages";
            o.Conventions.AuthorizeFolder("/", Viewer);
            o.Conventions.AllowAnonymousToPage("/SignIn");
            o.Conventions.AllowAnonymousToPage("/Denied");
            o.Conventions.ConfigureFilter(new PasswordChangeFilter());
        }).ConfigureApplicationPartManager(parts =>
        {
            // The pages are found in the entry assembly, which is not smshall's when a test hosts the gateway.
            var assembly = typeof(ConsoleSetup).Assembly;
            if (parts.ApplicationParts.Any(p => p is AssemblyPart a && a.Assembly == assembly)) return;
            foreach (var part in ApplicationPartFactory.GetApplicationPartFactory(assembly).GetApplicationParts(assembly))
                parts.ApplicationParts.Add(part);
        });
        return services;
    }

    /// <summary>Sign-in and roles are checked only for the console: the webhook's hot path skips them.</summary>
    public static WebApplication MapOperatorConsole(this WebApplication app)
    {
        var behindHttpsProxy = app.Services.GetRequiredService<IOptions<ConsoleOptions>>().Value.BehindHttpsProxy;
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/console"), console =>
        {
            if (behindHttpsProxy)
                console.Use((context, next) =>
                {
                    context.Request.Scheme = "https";
                    return next(context);
                });
            console.UseRateLimiter();
            console.UseAuthentication();
            console.UseAuthorization();
        });
        app.MapRazorPages();
        return app;
    }

    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var name = context.Principal?.Identity?.Name;
        var operators = context.HttpContext.RequestServices.GetRequiredService<IOperators>();
        // A changed or reset password ends every other session of the account.
        if (name is null || await operators.FindAsync(name, context.HttpContext.RequestAborted) is not { } account
            || !context.Principal!.HasClaim(PasswordStampClaim, PasswordStamp(account)))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }
        if (context.Principal!.IsInRole(RoleName(account.Role)) && context.Principal.HasClaim(MustChangeClaim, "true") == account.MustChangePassword) return;
        context.ReplacePrincipal(Principal(account));
        context.ShouldRenew = true;
    }

    public const string MustChangeClaim = "smshall:must-change-password";
    public const string PasswordStampClaim = "smshall:password-stamp";

    /// <summary>A short digest of the password's hash: it changes with the password and tells nothing of it.</summary>
    private static string PasswordStamp(OperatorAccount account) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(account.PasswordHash)), 0, 8);

    public static ClaimsPrincipal Principal(OperatorAccount account) =>
        new(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, account.Name),
                new Claim(ClaimTypes.Role, RoleName(account.Role)),
                new Claim(MustChangeClaim, account.MustChangePassword ? "true" : "false"),
                new Claim(PasswordStampClaim, PasswordStamp(account)),
            ], CookieAuthenticationDefaults.AuthenticationScheme));

    public static string RoleName(OperatorRole role) => role.ToString().ToLowerInvariant();
}

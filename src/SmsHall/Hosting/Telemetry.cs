using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using SmsHall.Core.Catalogue;
using SmsHall.Core.Diagnostics;
using SmsHall.Twilio;

namespace SmsHall.Hosting;

/// <summary>Section "Metrics": who may scrape GET /metrics.</summary>
public sealed class MetricsOptions
{
    /// <summary>When set, /metrics answers only requests with "Authorization: Bearer" and this key; empty leaves it open.</summary>
    public string ApiKey { get; set; } = "";

    public string? Problem() =>
        ApiKey.Length == 0 || (ApiKey.Length >= 16 && !ApiKey.Any(char.IsWhiteSpace))
            ? null
            : "Metrics:ApiKey must be at least 16 characters with no spaces (or empty for an open /metrics)";
}

/// <summary>Section "OpenTelemetry": where spans go. No endpoint, no spans: nothing listens, nothing is made.</summary>
public sealed class OpenTelemetryOptions
{
    public const string Grpc = "grpc";
    public const string HttpProtobuf = "http/protobuf";

    /// <summary>The OTLP collector's address, e.g. http://collector:4317 (gRPC) or http://collector:4318 (HTTP).</summary>
    public string Endpoint { get; set; } = "";

    public string Protocol { get; set; } = Grpc;

    public Uri? EndpointUri => Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null;

    public string? Problem() =>
        Endpoint.Length > 0 && EndpointUri is null ? "OpenTelemetry:Endpoint must be an http:// or https:// address (the OTLP collector), or empty for no traces"
        : Protocol is not (Grpc or HttpProtobuf) ? $"OpenTelemetry:Protocol must be {Grpc} or {HttpProtobuf}"
        : null;
}

/// <summary>
/// Metrics, traces and the per-message log line. Metrics are always collected and served at
/// GET /metrics in Prometheus' text format (the hall's own, ASP.NET Core's, the runtime's); spans
/// go to an OTLP collector only when OpenTelemetry:Endpoint is set.
/// </summary>
public static class Telemetry
{
    public const string MetricsPath = "/metrics";

    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<MetricsOptions>().Bind(builder.Configuration.GetSection("Metrics"));
        services.AddSingleton<IValidateOptions<MetricsOptions>>(new Check<MetricsOptions>(o => o.Problem()));
        services.AddOptions<OpenTelemetryOptions>().Bind(builder.Configuration.GetSection("OpenTelemetry"));
        services.AddSingleton<IValidateOptions<OpenTelemetryOptions>>(new Check<OpenTelemetryOptions>(o => o.Problem()));
        services.AddSingleton<OutboxDepth>();
        // The gauges read the catalogue and the outbox when scraped, by then prepared (Gateway.Prepare).
        services.AddSingleton(sp => new HallMetrics(sp.GetRequiredService<IMeterFactory>(),
            () => sp.GetRequiredService<LiveCatalogue>().Current.Version,
            () => sp.GetRequiredService<OutboxDepth>().Pending()));
        services.AddSingleton<MessageReport>();
        services.AddSingleton<HandlingTimes>();

        var telemetry = services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(HallMetrics.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());
        services.ConfigureOpenTelemetryMeterProvider((sp, metrics) =>
        {
            metrics.AddView(OnlyThisApp(sp.GetRequiredService<IMeterFactory>()));
            // The gauges are there from the start, not from the first message.
            sp.GetRequiredService<HallMetrics>();
        });

        // Read here, as the providers are built before the settings are checked; a wrong value stops
        // the start in Gateway.CheckSettings with its name.
        var otlp = builder.Configuration.GetSection("OpenTelemetry").Get<OpenTelemetryOptions>() ?? new OpenTelemetryOptions();
        if (otlp.EndpointUri is { } endpoint)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(HallTracing.SourceName)
                .AddAspNetCoreInstrumentation()
                .AddOtlpExporter(o =>
                {
                    var http = otlp.Protocol == OpenTelemetryOptions.HttpProtobuf;
                    o.Protocol = http ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
                    // Over HTTP an endpoint given in code is used as it is: the signal's path is ours to add.
                    o.Endpoint = http ? new Uri(endpoint, endpoint.AbsolutePath.TrimEnd('/') + "/v1/traces") : endpoint;
                }));
        }
        return builder;
    }

    /// <summary>
    /// GET /metrics, in Prometheus' text format. With Metrics:ApiKey set, only with
    /// "Authorization: Bearer &lt;key&gt;" (what Prometheus sends for a scrape job's
    /// <c>authorization: credentials:</c>); 401 otherwise.
    /// </summary>
    public static IEndpointConventionBuilder MapTelemetry(this WebApplication app) =>
        app.MapPrometheusScrapingEndpoint(MetricsPath, meterProvider: null, configureBranchedPipeline: branch => branch.Use(async (http, next) =>
        {
            var key = http.RequestServices.GetRequiredService<IOptions<MetricsOptions>>().Value.ApiKey;
            if (key.Length > 0 && !HasBearer(http.Request, key))
            {
                http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                http.Response.Headers.WWWAuthenticate = "Bearer";
                await http.Response.WriteAsync("GET /metrics needs Authorization: Bearer and the key of Metrics:ApiKey\n");
                return;
            }
            await next(http);
        }), optionsName: null);

    private static bool HasBearer(HttpRequest request, string key)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return false;
        // Hashed, then compared in constant time: response times tell nothing about the key.
        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim())), SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    /// <summary>
    /// Only this app's meters (and the process-wide ones, such as the runtime's): meters are found by
    /// name across the whole process, so a second gateway in it (the tests run several) would otherwise
    /// show up in this one's figures.
    /// </summary>
    private static Func<Instrument, MetricStreamConfiguration?> OnlyThisApp(IMeterFactory factory) =>
        instrument => instrument.Meter.Scope is null || ReferenceEquals(instrument.Meter.Scope, factory) ? null : MetricStreamConfiguration.Drop;
}

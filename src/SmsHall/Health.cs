using Microsoft.Extensions.Options;
using SmsHall.Core.Catalogue;
using SmsHall.Core.Ports;
using SmsHall.Storage;

namespace SmsHall;

/// <summary>
/// GET /health: whether this node can serve. Anyone (a load balancer) sees the status and the
/// catalogue's state; the operator, with the X-Api-Key of the operator endpoints, also sees the
/// details: file paths, the catalogue's languages and warnings, a rejected edit's errors, why the
/// database cannot be written.
/// </summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", Health);
        // For orchestrators (Kubernetes' probes): live while the process answers; ready while /health
        // is not "unavailable", i.e. the database can be written (a node always has a catalogue).
        app.MapGet("/health/live", () => Results.Json(new { status = "ok" }));
        app.MapGet("/health/ready", (LiveCatalogue live, StorageHealth storage) =>
        {
            var status = Status(storage.Unavailable is null, live.Current.Rejected is not null);
            return Results.Json(new { status }, statusCode: status == "unavailable" ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
        });
        return app;
    }

    /// <summary>
    /// "unavailable" (503) when the node cannot do its work: the database cannot be written. (A node
    /// with no catalogue at all does not start, so it never answers.) "degraded" (still 200, so no
    /// node is taken out) while the catalogue file is rejected, deleted or unreadable: the last good
    /// version answers, but the operator must see it. Otherwise "ok".
    /// </summary>
    public static string Status(bool databaseWritable, bool catalogueRejected) =>
        !databaseWritable ? "unavailable" : catalogueRejected ? "degraded" : "ok";

    private static IResult Health(HttpRequest request, LiveCatalogue live, StorageHealth storage, IStorageAdmin db, IOptions<OperatorOptions> operatorOptions)
    {
        var state = live.Current;
        var outage = storage.Unavailable;
        var status = Status(outage is null, state.Rejected is not null);
        var statusCode = status == "unavailable" ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        var catalogueStatus = state.Rejected is null ? "ok" : "rejected";

        if (!OperatorApi.HasKey(request, operatorOptions.Value))
        {
            return Results.Json(new
            {
                status,
                // The version too: a load balancer may check that every node serves the same one.
                catalogue = new { status = catalogueStatus, version = state.Version, loadedAt = state.LoadedAt },
            }, statusCode: statusCode);
        }

        return Results.Json(new
        {
            status,
            catalogue = new
            {
                status = catalogueStatus,
                version = state.Version,
                loadedAt = state.LoadedAt,
                path = state.Catalogue.Path,
                languages = state.Catalogue.Languages,
                keywords = state.Catalogue.Lexicon.Keywords.Count,
                warnings = state.Catalogue.Warnings.Select(w => w.ToString()),
                rejected = state.Rejected is { } r ? new { at = r.At, errors = r.Problems.Select(p => p.ToString()) } : null,
            },
            database = new
            {
                status = outage is null ? "ok" : "unavailable",
                provider = db.Provider,
                path = db.Location,
                unavailableSince = outage?.Since,
                error = outage?.Error,
                refusedMessages = storage.RefusedMessages,
            },
        }, statusCode: statusCode);
    }
}

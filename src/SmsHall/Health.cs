using Microsoft.Extensions.Options;
using SmsHall.Core.Catalogue;
using SmsHall.Storage;

namespace SmsHall;

/// <summary>
/// GET /health: whether this node can serve. Anyone (a load balancer) sees the status and the
/// catalogue's state; the operator, with the X-Api-Key of the operator endpoints, also sees the
/// details: file paths, the catalogue's languages and warnings, a rejected edit's errors.
/// </summary>
public static class HealthApi
{
    public static RouteHandlerBuilder MapHealth(this IEndpointRouteBuilder app) => app.MapGet("/health", Health);

    // A rejected catalogue edit does not stop the gateway (the last good catalogue answers), but the
    // operator must see it: status "degraded" with the errors, still 200 so no node is taken out.
    private static IResult Health(HttpRequest request, LiveCatalogue live, Database db, IOptions<OperatorOptions> operatorOptions)
    {
        var state = live.Current;
        var status = state.Rejected is null ? "ok" : "degraded";
        var catalogueStatus = state.Rejected is null ? "ok" : "rejected";
        if (!OperatorApi.HasKey(request, operatorOptions.Value))
        {
            return Results.Ok(new
            {
                status,
                // The catalogue's version goes here too when catalogue versions land: a load balancer
                // may check that every node serves the same one.
                catalogue = new { status = catalogueStatus, loadedAt = state.LoadedAt },
            });
        }

        return Results.Ok(new
        {
            status,
            catalogue = new
            {
                status = catalogueStatus,
                loadedAt = state.LoadedAt,
                path = state.Catalogue.Path,
                languages = state.Catalogue.Languages,
                keywords = state.Catalogue.Lexicon.Keywords.Count,
                warnings = state.Catalogue.Warnings.Select(w => w.ToString()),
                rejected = state.Rejected is { } r ? new { at = r.At, errors = r.Problems.Select(p => p.ToString()) } : null,
            },
            database = new { path = db.Path },
        });
    }
}

using SmsHall.Core.Catalogue;
using SmsHall.Storage;

namespace SmsHall;

/// <summary>GET /health: whether this node can serve, for load balancers and operators.</summary>
public static class HealthApi
{
    public static RouteHandlerBuilder MapHealth(this IEndpointRouteBuilder app) => app.MapGet("/health", Health);

    // A rejected catalogue edit does not stop the gateway (the last good catalogue answers), but the
    // operator must see it: status "degraded" with the errors, still 200 so no node is taken out.
    private static IResult Health(LiveCatalogue live, Database db)
    {
        var state = live.Current;
        return Results.Ok(new
        {
            status = state.Rejected is null ? "ok" : "degraded",
            catalogue = new
            {
                path = state.Catalogue.Path,
                loadedAt = state.LoadedAt,
                languages = state.Catalogue.Languages,
                keywords = state.Catalogue.Lexicon.Keywords.Count,
                warnings = state.Catalogue.Warnings.Select(w => w.ToString()),
                rejected = state.Rejected is { } r ? new { at = r.At, errors = r.Problems.Select(p => p.ToString()) } : null,
            },
            database = db.Path,
        });
    }
}

using Microsoft.Extensions.DependencyInjection;
using SmsHall.Core;
using SmsHall.Core.Accounts;
using SmsHall.Core.Catalogue;
using SmsHall.Core.Ports;

namespace SmsHall.Storage.Sqlite;

/// <summary>Where the SQLite file is (Database:Path) and how large it may grow (Database:MaxSizeMB).</summary>
public sealed record SqliteStorageOptions(string Path, int? MaxSizeMB = null);

public static class SqliteStorage
{
    /// <summary>Every storage port on one SQLite file.</summary>
    public static IServiceCollection AddSqliteStorage(this IServiceCollection services, Func<IServiceProvider, SqliteStorageOptions> options)
    {
        // Made by the container, so it is disposed (its readers closed) when the container is.
        services.AddSingleton(sp =>
        {
            var o = options(sp);
            return new Database(o.Path, maxSizeMB: o.MaxSizeMB);
        });
        services.AddSingleton<LogWriter>();
        services.AddSingleton<IAccounts, SqliteAccounts>();
        services.AddSingleton<IMessageLog, SqliteMessageLog>();
        services.AddSingleton<IOutbox, SqliteOutbox>();
        services.AddSingleton<SqliteOutgoing>();
        services.AddSingleton<IOutgoing>(sp => sp.GetRequiredService<SqliteOutgoing>());
        services.AddSingleton<ILeases>(sp => sp.GetRequiredService<SqliteOutgoing>());
        services.AddSingleton<INoticeSources, SqliteNoticeSources>();
        services.AddSingleton<SqliteCatalogueVersions>();
        services.AddSingleton<ICatalogueVersions>(sp => sp.GetRequiredService<SqliteCatalogueVersions>());
        services.AddSingleton<ICatalogueHistory>(sp => sp.GetRequiredService<SqliteCatalogueVersions>());
        services.AddSingleton<ICatalogueChanges>(sp => sp.GetRequiredService<SqliteCatalogueVersions>());
        services.AddSingleton<IOperatorQueries, SqliteOperatorQueries>();
        services.AddSingleton<INodes, SqliteNodes>();
        services.AddSingleton<ILogExport, SqliteLogExport>();
        services.AddSingleton<ISeeding, SqliteSeeding>();
        services.AddSingleton<IStorageAdmin, SqliteStorageAdmin>();
        services.AddSingleton<ISnapshotSource, SqliteSnapshot>();
        services.AddSingleton<IProducts, SqliteProducts>();
        services.AddSingleton<ITickets, SqliteTickets>();
        services.AddSingleton<ICampaigns, SqliteCampaigns>();
        services.AddSingleton<SqliteOperators>();
        services.AddSingleton<IOperators>(sp => sp.GetRequiredService<SqliteOperators>());
        services.AddSingleton<IAuditLog>(sp => sp.GetRequiredService<SqliteOperators>());
        services.AddSingleton<IKeyRingStore>(sp => sp.GetRequiredService<SqliteOperators>());
        services.AddSingleton<SqliteCatalogueDrafts>();
        services.AddSingleton<ICatalogueDrafts>(sp => sp.GetRequiredService<SqliteCatalogueDrafts>());
        services.AddSingleton<ICataloguePreviews>(sp => sp.GetRequiredService<SqliteCatalogueDrafts>());
        return services;
    }
}

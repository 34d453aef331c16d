using Microsoft.Extensions.DependencyInjection;
using SmsHall.Core;
using SmsHall.Core.Accounts;
using SmsHall.Core.Catalogue;
using SmsHall.Core.Ports;

namespace SmsHall.Storage.Postgres;

public static class PostgresStorage
{
    /// <summary>Every storage port on one PostgreSQL database, which any number of nodes may share.</summary>
    public static IServiceCollection AddPostgresStorage(this IServiceCollection services, Func<IServiceProvider, string> connectionString)
    {
        // Made by the container, so its pool is closed when the container is disposed.
        services.AddSingleton(sp => new PostgresDatabase(connectionString(sp)));
        // The products each node keeps until a NOTIFY says they changed; retries wait on the host's clock.
        services.AddSingleton(sp => new PostgresProductCache(sp.GetRequiredService<PostgresDatabase>(), sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.AddSingleton<IAccounts, PostgresAccounts>();
        services.AddSingleton<IMessageLog, PostgresMessageLog>();
        services.AddSingleton<IOutbox, PostgresOutbox>();
        services.AddSingleton<PostgresOutgoing>();
        services.AddSingleton<IOutgoing>(sp => sp.GetRequiredService<PostgresOutgoing>());
        services.AddSingleton<ILeases>(sp => sp.GetRequiredService<PostgresOutgoing>());
        services.AddSingleton<INoticeSources, PostgresNoticeSources>();
        services.AddSingleton<PostgresCatalogueVersions>();
        services.AddSingleton<ICatalogueVersions>(sp => sp.GetRequiredService<PostgresCatalogueVersions>());
        services.AddSingleton<ICatalogueHistory>(sp => sp.GetRequiredService<PostgresCatalogueVersions>());
        services.AddSingleton<ICatalogueChanges, PostgresCatalogueChanges>();
        services.AddSingleton<IOperatorQueries, PostgresOperatorQueries>();
        services.AddSingleton<INodes, PostgresNodes>();
        services.AddSingleton<ILogExport, PostgresLogExport>();
        services.AddSingleton<ISeeding, PostgresSeeding>();
        services.AddSingleton<IStorageAdmin, PostgresStorageAdmin>();
        services.AddSingleton<ISnapshotSource, PostgresSnapshot>();
        services.AddSingleton<IProducts, PostgresProducts>();
        services.AddSingleton<ITickets, PostgresTickets>();
        services.AddSingleton<ICampaigns, PostgresCampaigns>();
        services.AddSingleton<PostgresOperators>();
        services.AddSingleton<IOperators>(sp => sp.GetRequiredService<PostgresOperators>());
        services.AddSingleton<IAuditLog>(sp => sp.GetRequiredService<PostgresOperators>());
        services.AddSingleton<IKeyRingStore>(sp => sp.GetRequiredService<PostgresOperators>());
        services.AddSingleton<PostgresCatalogueDrafts>();
        services.AddSingleton<ICatalogueDrafts>(sp => sp.GetRequiredService<PostgresCatalogueDrafts>());
        services.AddSingleton<ICataloguePreviews>(sp => sp.GetRequiredService<PostgresCatalogueDrafts>());
        return services;
    }
}

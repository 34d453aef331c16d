using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using SmsHall.Storage.Postgres;
using SmsHall.Storage.Sqlite;

namespace SmsHall.Storage.Tests;

/// <summary>The contract on a real SQLite file; each node opens it on its own, as a separate process would.</summary>
public sealed class SqliteContract : StorageContract
{
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "smshall-storage-tests");

    private readonly string _path;

    public SqliteContract() : this(NewPath())
    {
    }

    private SqliteContract(string path) : base(() => Node(path)) => _path = path;

    protected override FreshStore FreshDatabase()
    {
        var path = NewPath();
        return new FreshStore(() => Node(path), () => Delete(path));
    }

    public override void Dispose()
    {
        base.Dispose();
        Delete(_path);
    }

    private static string NewPath()
    {
        Directory.CreateDirectory(Folder);
        return Path.Combine(Folder, $"{Guid.NewGuid():N}.db");
    }

    private static Node Node(string path) =>
        new(new ServiceCollection().AddSqliteStorage(_ => new SqliteStorageOptions(path)).BuildServiceProvider());

    private static void Delete(string path)
    {
        using (var c = new SqliteConnection(new Database(path).ConnectionString)) SqliteConnection.ClearPool(c);
        foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(path + suffix);
    }
}

/// <summary>The contract on a real PostgreSQL server on loopback; each test has a database of its own.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresContract(PostgresServer server) : StorageContract(NodeOn(server.CreateDatabase()))
{
    protected override FreshStore FreshDatabase() => new(NodeOn(server.CreateDatabase()));

    [Fact]
    public async Task ANewCatalogueVersionWakesTheOtherNodesRatherThanWaitingForTheirNextLook()
    {
        var changes = B.Changes;
        await changes.WaitAsync(TimeSpan.FromMilliseconds(10), CancellationToken.None); // B is listening from here on

        var waiting = Stopwatch.StartNew();
        var wait = changes.WaitAsync(TimeSpan.FromSeconds(60), CancellationToken.None);
        A.Catalogues.Store("## balance", "publish", DateTimeOffset.UtcNow);
        await wait;
        Assert.True(waiting.Elapsed < TimeSpan.FromSeconds(30), $"woken after {waiting.Elapsed}");
    }

    private static Func<Node> NodeOn(string connectionString) =>
        () => new Node(new ServiceCollection().AddPostgresStorage(_ => connectionString).BuildServiceProvider());
}

using Dapper;
using Npgsql;

namespace SmsHall.Storage.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgresServerTests(PostgresServer server)
{
    [Fact]
    public void EachTestGetsItsOwnEmptyDatabaseOnLoopbackWithDurableCommits()
    {
        var first = server.CreateDatabase();
        var second = server.CreateDatabase();
        Assert.NotEqual(first, second);

        using var c = new NpgsqlConnection(first);
        c.Open();
        Assert.Equal("on", c.ExecuteScalar<string>("SHOW synchronous_commit"));
        Assert.Equal("127.0.0.1", c.ExecuteScalar<string>("SHOW listen_addresses"));
        Assert.Equal(0, c.ExecuteScalar<long>("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'"));
    }

    [Fact]
    public void AWrongPasswordIsRefused()
    {
        var wrong = new NpgsqlConnectionStringBuilder(server.AdminConnectionString) { Password = "not-it" }.ToString();
        using var c = new NpgsqlConnection(wrong);
        var e = Assert.Throws<PostgresException>(c.Open);
        Assert.Equal("28P01", e.SqlState); // invalid_password: connections really log in with one
    }
}

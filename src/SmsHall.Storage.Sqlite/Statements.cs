using Dapper;
using Microsoft.Data.Sqlite;

namespace SmsHall.Storage.Sqlite;

/// <summary>
/// A long-lived connection that keeps its prepared statements: SQLite parses each SQL text once, not
/// on every call (Dapper and Microsoft.Data.Sqlite prepare a new command each time, and on the
/// message path that parsing was the largest single cost). Rows are still mapped by Dapper.
/// Not thread-safe: one user at a time (the log writer, or a reader rented from <see cref="Database"/>).
/// </summary>
public sealed class Statements(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);

    public SqliteConnection Connection => connection;

    /// <summary>A transaction kept open across calls (a scratch copy's), used when a call gives none.</summary>
    public SqliteTransaction? Transaction { get; set; }

    public int Execute(string sql, SqliteTransaction? tx, params (string Name, object? Value)[] values) =>
        Command(sql, tx, values).ExecuteNonQuery();

    public T? Scalar<T>(string sql, SqliteTransaction? tx, params (string Name, object? Value)[] values)
    {
        var value = Command(sql, tx, values).ExecuteScalar();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public T? Single<T>(string sql, SqliteTransaction? tx, params (string Name, object? Value)[] values)
    {
        using var reader = Command(sql, tx, values).ExecuteReader();
        return reader.Parse<T>().FirstOrDefault();
    }

    public List<T> List<T>(string sql, SqliteTransaction? tx, params (string Name, object? Value)[] values)
    {
        using var reader = Command(sql, tx, values).ExecuteReader();
        return reader.Parse<T>().ToList();
    }

    private SqliteCommand Command(string sql, SqliteTransaction? tx, (string Name, object? Value)[] values)
    {
        if (!_prepared.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, _) in values) command.Parameters.Add(new SqliteParameter(name, null));
            _prepared[sql] = command;
        }
        command.Transaction = tx ?? Transaction;
        foreach (var (name, value) in values) command.Parameters[name].Value = value ?? DBNull.Value;
        return command;
    }

    public void Dispose()
    {
        Transaction?.Dispose();
        foreach (var command in _prepared.Values) command.Dispose();
        connection.Dispose();
    }
}

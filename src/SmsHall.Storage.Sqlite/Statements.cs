using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace SmsHall.Storage.Sqlite;

/// <summary>
/// A long-lived connection that keeps its prepared statements: SQLite parses each SQL text once, not
/// on every call. The statements are SQLite's own, on the connection's handle, one level below
/// Microsoft.Data.Sqlite: its commands look every parameter's name up again on each execution
/// (SqliteParameter.Bind calls sqlite3_bind_parameter_index each time, with the name converted to
/// UTF-8) and wrap each call in a reader, an enumerator and a stopwatch, and Dapper then maps the row;
/// on the message path, with ~11 statements a message, that was half the replaying thread's time.
/// Here each parameter's index is resolved once, when the statement is prepared; strings are bound
/// from a stack buffer; rows are read by their callers' own column readers (<see cref="Row"/>).
/// A statement runs in whatever transaction the connection has open: SQLite knows no other.
/// Not thread-safe: one user at a time (the log writer, or a reader rented from <see cref="Database"/>).
/// </summary>
public sealed class Statements(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, Prepared> _prepared = new(StringComparer.Ordinal);

    public SqliteConnection Connection => connection;

    /// <summary>A transaction kept open across calls (a scratch copy's).</summary>
    public SqliteTransaction? Transaction { get; set; }

    /// <summary>Runs a statement that returns no rows; the rows it changed (-1 for a read-only one), as ExecuteNonQuery.</summary>
    public int Execute(string sql, params (string Name, object? Value)[] values)
    {
        var stmt = Bind(sql, values);
        try
        {
            var rc = Step(stmt);
            while (rc == raw.SQLITE_ROW) rc = Step(stmt);
            return raw.sqlite3_stmt_readonly(stmt) != 0 ? -1 : raw.sqlite3_changes(connection.Handle);
        }
        finally
        {
            raw.sqlite3_reset(stmt);
        }
    }

    /// <summary>The first column of the first row, or default when there is no row or it is NULL (as ExecuteScalar).</summary>
    public T? Scalar<T>(string sql, params (string Name, object? Value)[] values)
    {
        var stmt = Bind(sql, values);
        try
        {
            if (Step(stmt) != raw.SQLITE_ROW) return default;
            object? value = raw.sqlite3_column_type(stmt, 0) switch
            {
                raw.SQLITE_INTEGER => raw.sqlite3_column_int64(stmt, 0),
                raw.SQLITE_FLOAT => raw.sqlite3_column_double(stmt, 0),
                raw.SQLITE_TEXT => raw.sqlite3_column_text(stmt, 0).utf8_to_string(),
                raw.SQLITE_BLOB => raw.sqlite3_column_blob(stmt, 0).ToArray(),
                _ => null,
            };
            return value switch
            {
                null => default,
                T same => same,
                _ => (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), CultureInfo.InvariantCulture),
            };
        }
        finally
        {
            raw.sqlite3_reset(stmt);
        }
    }

    /// <summary>The first row, read by <paramref name="read"/>, or default when there is none.</summary>
    public T? Single<T>(string sql, Func<Row, T> read, params (string Name, object? Value)[] values)
    {
        var stmt = Bind(sql, values);
        try
        {
            return Step(stmt) == raw.SQLITE_ROW ? read(new Row(stmt)) : default;
        }
        finally
        {
            raw.sqlite3_reset(stmt);
        }
    }

    /// <summary>Every row, each read by <paramref name="read"/>.</summary>
    public List<T> List<T>(string sql, Func<Row, T> read, params (string Name, object? Value)[] values)
    {
        var stmt = Bind(sql, values);
        try
        {
            var rows = new List<T>();
            while (Step(stmt) == raw.SQLITE_ROW) rows.Add(read(new Row(stmt)));
            return rows;
        }
        finally
        {
            raw.sqlite3_reset(stmt);
        }
    }

    private sqlite3_stmt Bind(string sql, (string Name, object? Value)[] values)
    {
        if (!_prepared.TryGetValue(sql, out var prepared)) _prepared[sql] = prepared = Prepare(sql, values);
        var stmt = prepared.Stmt;
        for (var i = 0; i < values.Length; i++)
        {
            var (name, value) = values[i];
            // A call site gives its names in the same order each time (they are literals, so the same
            // string objects); any other order is looked up, as Microsoft.Data.Sqlite would.
            var index = i < prepared.Names.Length && (ReferenceEquals(name, prepared.Names[i]) || name == prepared.Names[i])
                ? prepared.Indexes[i]
                : raw.sqlite3_bind_parameter_index(stmt, name);
            if (index != 0) Check(BindValue(stmt, index, value));
        }
        return stmt;
    }

    private Prepared Prepare(string sql, (string Name, object? Value)[] values)
    {
        Check(raw.sqlite3_prepare_v2(connection.Handle, sql, out var stmt, out var tail));
        if (!string.IsNullOrWhiteSpace(tail))
        {
            stmt.Dispose();
            throw new NotSupportedException($"one statement at a time: {sql}");
        }
        var names = values.Select(v => v.Name).ToArray();
        var indexes = names.Select(n => raw.sqlite3_bind_parameter_index(stmt, n)).ToArray();
        // As Microsoft.Data.Sqlite: a parameter of the SQL with no value given is a mistake, not NULL.
        var missing = Enumerable.Range(1, raw.sqlite3_bind_parameter_count(stmt)).Except(indexes).ToList();
        if (missing.Count > 0)
        {
            var list = string.Join(", ", missing.Select(i => raw.sqlite3_bind_parameter_name(stmt, i).utf8_to_string()));
            stmt.Dispose();
            throw new InvalidOperationException($"Must add values for the following parameters: {list}");
        }
        return new Prepared(stmt, names, indexes);
    }

    // The types the storage code binds, as Microsoft.Data.Sqlite binds them (strings as UTF-8 text,
    // integers and booleans as INTEGER); anything else is a mistake caught by the tests.
    private static int BindValue(sqlite3_stmt stmt, int index, object? value) => value switch
    {
        null or DBNull => raw.sqlite3_bind_null(stmt, index),
        string text => BindText(stmt, index, text),
        long n => raw.sqlite3_bind_int64(stmt, index, n),
        int n => raw.sqlite3_bind_int64(stmt, index, n),
        bool b => raw.sqlite3_bind_int64(stmt, index, b ? 1 : 0),
        double d => raw.sqlite3_bind_double(stmt, index, d),
        byte[] blob => raw.sqlite3_bind_blob(stmt, index, blob),
        _ => throw new NotSupportedException($"cannot bind a {value.GetType().Name}"),
    };

    // Encoded where it is (SQLite copies the bytes: SQLITE_TRANSIENT), not into a new array each time.
    private static int BindText(sqlite3_stmt stmt, int index, string text)
    {
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (max <= 1024)
        {
            Span<byte> buffer = stackalloc byte[max];
            return raw.sqlite3_bind_text(stmt, index, buffer[..Encoding.UTF8.GetBytes(text, buffer)]);
        }
        var rented = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            return raw.sqlite3_bind_text(stmt, index, rented.AsSpan(0, Encoding.UTF8.GetBytes(text, rented)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    // SQLite's busy handler has waited already (Database sets busy_timeout to the connection's timeout,
    // 30 s); as Microsoft.Data.Sqlite's reader, a database still busy or locked is tried again every
    // 150 ms until that timeout has passed since the first step.
    private int Step(sqlite3_stmt stmt)
    {
        var started = Environment.TickCount64;
        int rc;
        while ((rc = raw.sqlite3_step(stmt)) is raw.SQLITE_BUSY or raw.SQLITE_LOCKED or raw.SQLITE_LOCKED_SHAREDCACHE)
        {
            if (connection.DefaultTimeout != 0 && Environment.TickCount64 - started >= connection.DefaultTimeout * 1000L) break;
            raw.sqlite3_reset(stmt);
            Thread.Sleep(150);
        }
        Check(rc);
        return rc;
    }

    private void Check(int rc) => SqliteException.ThrowExceptionForRC(rc, connection.Handle);

    public void Dispose()
    {
        Transaction?.Dispose();
        // Finalized before the connection goes back to the pool, which knows nothing of them.
        foreach (var prepared in _prepared.Values) prepared.Stmt.Dispose();
        _prepared.Clear();
        connection.Dispose();
    }

    private sealed record Prepared(sqlite3_stmt Stmt, string[] Names, int[] Indexes);

    /// <summary>The current row of a statement, read by column position (the order of the SELECT).</summary>
    public readonly struct Row(sqlite3_stmt stmt)
    {
        public bool IsNull(int column) => raw.sqlite3_column_type(stmt, column) == raw.SQLITE_NULL;

        /// <summary>Text; a NULL reads as null, as Dapper read it.</summary>
        public string Text(int column) => IsNull(column) ? null! : raw.sqlite3_column_text(stmt, column).utf8_to_string();

        public string? TextOrNull(int column) => IsNull(column) ? null : raw.sqlite3_column_text(stmt, column).utf8_to_string();

        public long Long(int column) => raw.sqlite3_column_int64(stmt, column);
    }
}

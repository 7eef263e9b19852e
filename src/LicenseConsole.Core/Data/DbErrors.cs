using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LicenseConsole.Data;

/// <summary>Recognises the database errors the rules rely on, whichever provider raised them.</summary>
public static class DbErrors
{
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;

    /// <summary>True when the failure is a unique-constraint (or primary-key) violation.</summary>
    public static bool IsUniqueViolation(Exception exception)
    {
        var inner = exception is DbUpdateException { InnerException: { } e } ? e : exception;
        return inner switch
        {
            PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
            SqliteException sqlite => sqlite.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey,
            _ => false,
        };
    }

    /// <summary>
    /// True when the database could not be reached or went away under the request: the server refused or
    /// dropped the connection, is shutting down or starting up, has no connection left, or the pool waited
    /// in vain for one. Such a failure says nothing about the request; the same request may succeed a moment
    /// later. EF Core's wrappers (<see cref="DbUpdateException"/>, the execution strategy's
    /// <see cref="InvalidOperationException"/>) are looked through.
    /// </summary>
    public static bool IsDatabaseUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg:
                    // Not IsTransient as a whole: a serialization failure or a lock timeout is the request's
                    // own conflict, not an outage.
                    return IsUnavailableState(pg.SqlState);
                case NpgsqlException npgsql:
                    // Npgsql's own failures: a socket refused or broken, a pool or connect timeout.
                    return npgsql.IsTransient || npgsql.InnerException is SocketException or IOException or TimeoutException;
                case AggregateException { InnerExceptions.Count: 1 } aggregate:
                    return IsDatabaseUnavailable(aggregate.InnerExceptions[0]);
            }
        }

        return false;
    }

    // Class 08 (connection exception), 53300 (too many connections), 57P01 admin shutdown, 57P02 crash
    // shutdown, 57P03 cannot connect now: the server is going, gone or not yet back.
    private static bool IsUnavailableState(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal)
        || sqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
            or PostgresErrorCodes.TooManyConnections;
}

using System.Net.Sockets;
using LicenseConsole.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LicenseConsole.IntegrationTests.Faults;

/// <summary>
/// Which failures the app answers with 503 database_unavailable (<see cref="DbErrors.IsDatabaseUnavailable"/>):
/// the shapes the restart test meets, and the ones it may not, each as Npgsql and EF Core raise them.
/// </summary>
public sealed class DatabaseUnavailableTests
{
    public static TheoryData<string, Exception> Outages => new()
    {
        { "server shutting down (57P01)", Postgres(PostgresErrorCodes.AdminShutdown) },
        { "server crashed (57P02)", Postgres(PostgresErrorCodes.CrashShutdown) },
        { "server starting up (57P03)", Postgres(PostgresErrorCodes.CannotConnectNow) },
        { "connection failure (08006)", Postgres(PostgresErrorCodes.ConnectionFailure) },
        { "too many connections (53300)", Postgres(PostgresErrorCodes.TooManyConnections) },
        { "connection refused", new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused)) },
        { "connection dropped", new NpgsqlException("Exception while reading from stream", new EndOfStreamException()) },
        { "pool exhausted", new NpgsqlException("The connection pool has been exhausted", new TimeoutException()) },
        { "in EF's DbUpdateException", new DbUpdateException("An error occurred while saving the entity changes.", Postgres(PostgresErrorCodes.AdminShutdown)) },
        { "in the execution strategy's wrapper", new InvalidOperationException("An exception has been raised that is likely due to a transient failure.", Postgres(PostgresErrorCodes.CannotConnectNow)) },
    };

    public static TheoryData<string, Exception> NotOutages => new()
    {
        { "unique violation (23505)", Postgres(PostgresErrorCodes.UniqueViolation) },
        { "serialization failure (40001)", Postgres(PostgresErrorCodes.SerializationFailure) },
        { "missing table (42P01)", Postgres(PostgresErrorCodes.UndefinedTable) },
        { "a constraint in EF's DbUpdateException", new DbUpdateException("An error occurred while saving the entity changes.", Postgres(PostgresErrorCodes.UniqueViolation)) },
        { "a bug", new InvalidOperationException("Sequence contains no elements") },
    };

    [Theory]
    [MemberData(nameof(Outages))]
    public void IsDatabaseUnavailable_ServerGoneOrUnreachable_True(string shape, Exception exception) =>
        Assert.True(DbErrors.IsDatabaseUnavailable(exception), shape);

    [Theory]
    [MemberData(nameof(NotOutages))]
    public void IsDatabaseUnavailable_TheRequestsOwnFailure_False(string shape, Exception exception) =>
        Assert.False(DbErrors.IsDatabaseUnavailable(exception), shape);

    private static PostgresException Postgres(string sqlState) => new("message", "FATAL", "FATAL", sqlState);
}

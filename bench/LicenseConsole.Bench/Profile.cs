using System.Globalization;
using Npgsql;

namespace LicenseConsole.Bench;

/// <summary>One statement's share of a load, from pg_stat_statements.</summary>
public sealed record StatementCost(string Statement, long Calls, double TotalMs, double MeanMs, long Rows, long WalRecords, double PerUnitUs, double PlanMeanMs);

/// <summary>
/// With <c>--profile</c>, the database's side of each load: the cluster loads pg_stat_statements, the counters are
/// reset before a load and read after it, and the costliest statements go into the report.
/// </summary>
public static class Profile
{
    public static readonly string[] ServerSettings =
        ["shared_preload_libraries=pg_stat_statements", "pg_stat_statements.track=all", "pg_stat_statements.track_planning=on", "track_io_timing=on"];

    public static async Task ResetAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset();", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The statements that took the most time since the reset, with their cost per unit of the load.</summary>
    public static async Task<IReadOnlyList<StatementCost>> ReadAsync(string connectionString, long units, int top = 8)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT regexp_replace(left(query, 200), '\s+', ' ', 'g'), calls, total_exec_time, mean_exec_time, rows, wal_records, mean_plan_time
            FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
            ORDER BY total_exec_time DESC
            LIMIT @top
            """, connection);
        command.Parameters.AddWithValue("top", top);
        var costs = new List<StatementCost>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var total = reader.GetDouble(2);
            costs.Add(new StatementCost(reader.GetString(0), reader.GetInt64(1), total, reader.GetDouble(3), reader.GetInt64(4),
                Convert.ToInt64(reader.GetValue(5), CultureInfo.InvariantCulture), total * 1000 / Math.Max(1, units), reader.GetDouble(6)));
        }

        return costs;
    }
}

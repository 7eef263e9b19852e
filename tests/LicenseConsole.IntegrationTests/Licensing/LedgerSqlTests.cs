using System.Reflection;
using System.Text.RegularExpressions;
using LicenseConsole.Devices;
using LicenseConsole.IntegrationTests.Infrastructure;
using LicenseConsole.Licensing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using NpgsqlTypes;

namespace LicenseConsole.IntegrationTests.Licensing;

/// <summary>
/// The ledger writer's hand-written SQL holds to the EF model: every table and column it names exists, every
/// conflict target is a unique index, every enum it writes is stored by name, and PostgreSQL plans every statement
/// on a database the migrations made. A rename in the model fails here, not in production.
/// </summary>
public sealed partial class LedgerSqlTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    // The parameters the statements do not cast themselves.
    private static readonly Dictionary<string, NpgsqlDbType> Scalars = new()
    {
        ["now"] = NpgsqlDbType.TimestampTz,
        ["limit"] = NpgsqlDbType.Integer,
        ["turn"] = NpgsqlDbType.Bigint,
        ["first"] = NpgsqlDbType.Text,
    };

    public static TheoryData<string> Statements() => [.. Sql().Keys];

    [Theory]
    [MemberData(nameof(Statements))]
    public async Task Statement_OnTheMigratedSchema_IsPlanned(string name)
    {
        var sql = Sql()[name];
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("EXPLAIN " + sql, connection);
        foreach (var parameter in ParameterPattern().Matches(sql).Select(m => m.Groups[1].Value).Distinct())
        {
            // A statement whose parameter is cast (@ids::bigint[]) takes it untyped; the others as the writer sends them.
            command.Parameters.Add(Scalars.TryGetValue(parameter, out var type)
                ? new NpgsqlParameter(parameter, type) { Value = DBNull.Value }
                : new NpgsqlParameter(parameter, DBNull.Value));
        }

        var plan = await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);

        Assert.NotNull(plan);
    }

    [Theory]
    [MemberData(nameof(Statements))]
    public void Statement_TablesAndColumns_ExistInTheModel(string name)
    {
        var sql = Sql()[name];
        using var db = database.CreatePlatformContext();
        var tables = db.Model.GetEntityTypes().Where(e => e.GetTableName() is not null)
            .ToDictionary(e => e.GetTableName()!, e => e);
        var ctes = CtePattern().Matches(sql).Select(m => m.Groups[1].Value).ToHashSet();

        var aliases = new Dictionary<string, string>();
        foreach (Match reference in TablePattern().Matches(sql))
        {
            var table = reference.Groups[1].Value;
            if (ctes.Contains(table))
            {
                continue;
            }

            Assert.True(tables.ContainsKey(table), $"{name} names the table '{table}', which the model does not have.");
            var alias = reference.Groups[2].Success && !Keywords.Contains(reference.Groups[2].Value) ? reference.Groups[2].Value : table;
            Assert.True(aliases.TryAdd(alias, table) || aliases[alias] == table, $"{name} uses the alias '{alias}' for two tables.");
        }

        foreach (Match column in QualifiedColumnPattern().Matches(sql))
        {
            if (aliases.TryGetValue(column.Groups[1].Value, out var table))
            {
                AssertColumn(name, tables[table], table, column.Groups[2].Value);
            }
        }

        foreach (Match insert in InsertPattern().Matches(sql))
        {
            var table = insert.Groups[1].Value;
            foreach (var column in insert.Groups[2].Value.Split(',', StringSplitOptions.TrimEntries))
            {
                AssertColumn(name, tables[table], table, column);
            }
        }

        foreach (Match update in UpdatePattern().Matches(sql))
        {
            var table = update.Groups[1].Value;
            foreach (Match assignment in AssignmentPattern().Matches(update.Groups[2].Value))
            {
                AssertColumn(name, tables[table], table, assignment.Groups[1].Value);
            }
        }

        foreach (Match conflict in ConflictPattern().Matches(sql))
        {
            var target = conflict.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries);
            var table = InsertPattern().Match(sql).Groups[1].Value;
            var entity = tables[table];
            Assert.Contains(entity.GetIndexes().Where(i => i.IsUnique), i => i.Properties.Select(p => p.GetColumnName()).SequenceEqual(target));
        }
    }

    [Theory]
    [InlineData(typeof(Activation), nameof(Activation.Kind), typeof(ActivationKind))]
    [InlineData(typeof(Device), nameof(Device.LapseReason), typeof(LapseReason))]
    public void EnumColumns_TheLedgerWritesByName_AreStoredByName(Type entity, string property, Type enumType)
    {
        using var db = database.CreatePlatformContext();

        var mapped = db.Model.FindEntityType(entity)!.FindProperty(property)!;

        Assert.Equal(Nullable.GetUnderlyingType(mapped.ClrType) ?? mapped.ClrType, enumType);
        Assert.Equal(typeof(string), mapped.GetTypeMapping().Converter?.ProviderClrType);
    }

    [Fact]
    public void Statements_WriteNoEnumValueOfTheirOwn()
    {
        var names = Enum.GetNames<ActivationKind>().Concat(Enum.GetNames<LapseReason>()).ToHashSet();

        foreach (var (name, sql) in Sql())
        {
            var literals = LiteralPattern().Matches(sql).Select(m => m.Groups[1].Value);
            Assert.DoesNotContain(literals, names.Contains);
        }
    }

    private static void AssertColumn(string statement, IEntityType entity, string table, string column)
    {
        var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
        Assert.True(entity.GetProperties().Any(p => p.GetColumnName(store) == column),
            $"{statement} names the column '{table}.{column}', which the model does not have.");
    }

    private static Dictionary<string, string> Sql() =>
        typeof(PostgresLedgerWriter).GetFields(BindingFlags.NonPublic | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name.EndsWith("Sql", StringComparison.Ordinal))
            .ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!);

    private static readonly HashSet<string> Keywords = ["on", "where", "set", "join", "left", "order", "limit", "for", "returning", "cross", "group", "using"];

    [GeneratedRegex(@"@([a-z]+)")]
    private static partial Regex ParameterPattern();

    [GeneratedRegex(@"(?:WITH|,)\s+([a-z_]+)\s+AS\s+\(")]
    private static partial Regex CtePattern();

    [GeneratedRegex(@"\b(?:FROM|JOIN|UPDATE|INSERT INTO)\s+([a-z_]+)\b(?!\s*\()(?:\s+(?:AS\s+)?([a-z_]+))?")]
    private static partial Regex TablePattern();

    [GeneratedRegex(@"\b([a-z_]+)\.([a-z_]+)\b")]
    private static partial Regex QualifiedColumnPattern();

    [GeneratedRegex(@"INSERT INTO ([a-z_]+) \(([a-z_,\s]+)\)")]
    private static partial Regex InsertPattern();

    [GeneratedRegex(@"UPDATE ([a-z_]+)(?: [a-z_]+)?\s+SET (.*?)(?:\bFROM\b|\bWHERE\b)", RegexOptions.Singleline)]
    private static partial Regex UpdatePattern();

    [GeneratedRegex(@"(?:^|,)\s*([a-z_]+)\s*=", RegexOptions.Multiline)]
    private static partial Regex AssignmentPattern();

    [GeneratedRegex(@"ON CONFLICT \(([a-z_,\s]+)\)")]
    private static partial Regex ConflictPattern();

    [GeneratedRegex(@"'([^']*)'")]
    private static partial Regex LiteralPattern();
}

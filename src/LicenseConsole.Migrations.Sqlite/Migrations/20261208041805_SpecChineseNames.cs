using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LicenseConsole.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SpecChineseNames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "chinese_name",
                table: "license_specs",
                type: "TEXT",
                maxLength: 100,
                nullable: false,
                defaultValue: "");

            // A spec added to the catalog outside the defaults keeps its English name until the platform words it.
            migrationBuilder.Sql("UPDATE license_specs SET chinese_name = name");

            migrationBuilder.UpdateData(
                table: "license_specs",
                keyColumn: "code",
                keyValue: "STD-1Y",
                column: "chinese_name",
                value: "标准版 1 年");

            migrationBuilder.UpdateData(
                table: "license_specs",
                keyColumn: "code",
                keyValue: "STD-2Y",
                column: "chinese_name",
                value: "标准版 2 年");

            migrationBuilder.UpdateData(
                table: "license_specs",
                keyColumn: "code",
                keyValue: "STD-3Y",
                column: "chinese_name",
                value: "标准版 3 年");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "chinese_name",
                table: "license_specs");
        }
    }
}

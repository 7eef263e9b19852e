using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LicenseConsole.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class LedgerRules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "lapse_reason",
                table: "devices",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "request_id",
                table: "allocations",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_allocations_account_id_request_id",
                table: "allocations",
                columns: new[] { "account_id", "request_id" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_allocations_account_id_request_id",
                table: "allocations");

            migrationBuilder.DropColumn(
                name: "lapse_reason",
                table: "devices");

            migrationBuilder.DropColumn(
                name: "request_id",
                table: "allocations");
        }
    }
}

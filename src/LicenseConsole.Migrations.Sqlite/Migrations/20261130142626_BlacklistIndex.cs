using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LicenseConsole.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class BlacklistIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_devices_blacklist",
                table: "devices",
                columns: new[] { "product_id", "device_key" },
                filter: "NOT auto_renew");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_devices_blacklist",
                table: "devices");
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LicenseConsole.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class LedgerIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_devices_product_id_activated_at",
                table: "devices");

            migrationBuilder.DropIndex(
                name: "ix_devices_product_id_expires_at",
                table: "devices");

            migrationBuilder.CreateIndex(
                name: "ix_devices_product_id_activated_at",
                table: "devices",
                columns: new[] { "product_id", "activated_at" },
                filter: "activated_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_devices_product_id_expires_at",
                table: "devices",
                columns: new[] { "product_id", "expires_at" },
                filter: "expires_at IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_devices_product_id_activated_at",
                table: "devices");

            migrationBuilder.DropIndex(
                name: "ix_devices_product_id_expires_at",
                table: "devices");

            migrationBuilder.CreateIndex(
                name: "ix_devices_product_id_activated_at",
                table: "devices",
                columns: new[] { "product_id", "activated_at" });

            migrationBuilder.CreateIndex(
                name: "ix_devices_product_id_expires_at",
                table: "devices",
                columns: new[] { "product_id", "expires_at" });
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LicenseConsole.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class QueryIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_devices_account_id_expires_at",
                table: "devices");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_emails_unsent",
                table: "outbox_emails",
                column: "account_id",
                filter: "sent_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_devices_lapsed",
                table: "devices",
                columns: new[] { "account_id", "lapsed_at" },
                filter: "lapsed_at IS NOT NULL AND deleted_at IS NULL")
                .Annotation("Npgsql:IndexInclude", new[] { "product_id" });

            migrationBuilder.CreateIndex(
                name: "ix_devices_live_by_expiry",
                table: "devices",
                columns: new[] { "account_id", "expires_at" },
                filter: "deleted_at IS NULL")
                .Annotation("Npgsql:IndexInclude", new[] { "product_id", "auto_renew", "lapsed_at" });

            migrationBuilder.CreateIndex(
                name: "ix_activations_renewals",
                table: "activations",
                columns: new[] { "account_id", "recorded_at" },
                filter: "kind = 'Renewal'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_outbox_emails_unsent",
                table: "outbox_emails");

            migrationBuilder.DropIndex(
                name: "ix_devices_lapsed",
                table: "devices");

            migrationBuilder.DropIndex(
                name: "ix_devices_live_by_expiry",
                table: "devices");

            migrationBuilder.DropIndex(
                name: "ix_activations_renewals",
                table: "activations");

            migrationBuilder.CreateIndex(
                name: "ix_devices_account_id_expires_at",
                table: "devices",
                columns: new[] { "account_id", "expires_at" });
        }
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LicenseConsole.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class RenewalAndAlerts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "recorded_at",
                table: "activations",
                type: "TEXT",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            // Activations recorded before this column existed were recorded when their period began.
            migrationBuilder.Sql("UPDATE activations SET recorded_at = activated_at");

            migrationBuilder.CreateTable(
                name: "alerts",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    account_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    product_id = table.Column<long>(type: "INTEGER", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    details = table.Column<string>(type: "TEXT", nullable: false),
                    recipients = table.Column<string>(type: "TEXT", nullable: false),
                    subject = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_alerts", x => x.id);
                    table.ForeignKey(
                        name: "fk_alerts_accounts_account_id",
                        column: x => x.account_id,
                        principalTable: "accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_alerts_products_product_id",
                        column: x => x.product_id,
                        principalTable: "products",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "worker_runs",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    instance = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    started_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    finished_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    renewed = table.Column<int>(type: "INTEGER", nullable: false),
                    lapsed = table.Column<int>(type: "INTEGER", nullable: false),
                    alerts_raised = table.Column<int>(type: "INTEGER", nullable: false),
                    emails_sent = table.Column<int>(type: "INTEGER", nullable: false),
                    emails_failed = table.Column<int>(type: "INTEGER", nullable: false),
                    error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_worker_runs", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_devices_renewal_queue",
                table: "devices",
                column: "expires_at",
                filter: "lapsed_at IS NULL AND deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_alerts_account_id_created_at",
                table: "alerts",
                columns: new[] { "account_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_alerts_product_id_kind_day",
                table: "alerts",
                columns: new[] { "product_id", "kind", "day" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_worker_runs_started_at",
                table: "worker_runs",
                column: "started_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "alerts");

            migrationBuilder.DropTable(
                name: "worker_runs");

            migrationBuilder.DropIndex(
                name: "ix_devices_renewal_queue",
                table: "devices");

            migrationBuilder.DropColumn(
                name: "recorded_at",
                table: "activations");
        }
    }
}

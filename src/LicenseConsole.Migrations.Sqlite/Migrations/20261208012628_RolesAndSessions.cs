using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LicenseConsole.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class RolesAndSessions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "maintains_recipients",
                table: "users",
                type: "INTEGER",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<bool>(
                name: "limited_to_products",
                table: "users",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "role",
                table: "users",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<long>(
                name: "product_id",
                table: "audit_entries",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "limited_to_products",
                table: "api_keys",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "role",
                table: "api_keys",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "Admin");

            migrationBuilder.CreateTable(
                name: "product_grants",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    account_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    product_id = table.Column<long>(type: "INTEGER", nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    api_key_id = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_product_grants", x => x.id);
                    table.ForeignKey(
                        name: "fk_product_grants_accounts_account_id",
                        column: x => x.account_id,
                        principalTable: "accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_product_grants_api_keys_api_key_id",
                        column: x => x.api_key_id,
                        principalTable: "api_keys",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_product_grants_asp_net_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_product_grants_products_product_id",
                        column: x => x.product_id,
                        principalTable: "products",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "sign_in_sessions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sign_in_sessions", x => x.id);
                    table.ForeignKey(
                        name: "fk_sign_in_sessions_asp_net_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_product_grants_account_id",
                table: "product_grants",
                column: "account_id");

            migrationBuilder.CreateIndex(
                name: "ix_product_grants_api_key_id_product_id",
                table: "product_grants",
                columns: new[] { "api_key_id", "product_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_product_grants_product_id",
                table: "product_grants",
                column: "product_id");

            migrationBuilder.CreateIndex(
                name: "ix_product_grants_user_id_product_id",
                table: "product_grants",
                columns: new[] { "user_id", "product_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_sign_in_sessions_user_id_created_at",
                table: "sign_in_sessions",
                columns: new[] { "user_id", "created_at" });

            // Existing sub-accounts had every right but the owner's pages: they become admins, and each keeps the
            // account-wide recipients right it had.
            migrationBuilder.Sql("UPDATE users SET role = CASE WHEN is_owner THEN 'Owner' ELSE 'Admin' END");
            migrationBuilder.Sql("UPDATE users SET maintains_recipients = (SELECT a.sub_accounts_manage_recipients FROM accounts a WHERE a.id = users.account_id)");

            migrationBuilder.DropColumn(
                name: "is_owner",
                table: "users");

            migrationBuilder.DropColumn(
                name: "sub_accounts_manage_recipients",
                table: "accounts");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "product_grants");

            migrationBuilder.DropTable(
                name: "sign_in_sessions");

            migrationBuilder.DropColumn(
                name: "limited_to_products",
                table: "users");

            migrationBuilder.DropColumn(
                name: "role",
                table: "users");

            migrationBuilder.DropColumn(
                name: "product_id",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "limited_to_products",
                table: "api_keys");

            migrationBuilder.DropColumn(
                name: "role",
                table: "api_keys");

            migrationBuilder.DropColumn(
                name: "maintains_recipients",
                table: "users");

            migrationBuilder.AddColumn<bool>(
                name: "is_owner",
                table: "users",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "sub_accounts_manage_recipients",
                table: "accounts",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);
        }
    }
}

#!/usr/bin/env bash
# Adds a migration of the same name, and the same id, to both providers' migration projects.
# Usage: scripts/add-migration.sh <MigrationName>
set -euo pipefail
name=${1:?usage: scripts/add-migration.sh <MigrationName>}
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
for provider in Postgres Sqlite; do
  echo "== $provider"
  dotnet ef migrations add "$name" \
    --project "src/LicenseConsole.Migrations.$provider" \
    --startup-project "src/LicenseConsole.Migrations.$provider" \
    --context LicenseConsoleDbContext \
    --output-dir Migrations
done

# dotnet-ef stamps each project with its own clock; give SQLite's migration the PostgreSQL id so both
# providers list identical migration ids.
pg=$(ls src/LicenseConsole.Migrations.Postgres/Migrations/*_"$name".cs | sort | tail -n 1)
id=$(basename "$pg" .cs)
lite=$(ls src/LicenseConsole.Migrations.Sqlite/Migrations/*_"$name".cs | sort | tail -n 1)
old=$(basename "$lite" .cs)
if [ "$old" != "$id" ]; then
  dir=src/LicenseConsole.Migrations.Sqlite/Migrations
  mv "$dir/$old.cs" "$dir/$id.cs"
  mv "$dir/$old.Designer.cs" "$dir/$id.Designer.cs"
  sed -i "s/\[Migration(\"$old\")\]/[Migration(\"$id\")]/" "$dir/$id.Designer.cs"
fi
echo "Added migration $id to both providers."

#!/usr/bin/env bash
# make backup: dump the PostgreSQL database named by DATABASE_URL to one file (pg_dump's custom
# format: compressed, restorable table by table). Prints the file's path.
#   DATABASE_URL=postgres://... make backup [BACKUP_DIR=var/backups]
# The embedded SQLite default needs none of this: copy var/vida.sqlite3 while Vida is stopped.
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database to back up (postgres://user@host:port/name)}"
case "$DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  *) echo "make backup is for PostgreSQL; DATABASE_URL is not a postgres:// URL" >&2; exit 2 ;;
esac
dir="${BACKUP_DIR:-var/backups}"
mkdir -p "$dir"
file="$dir/vida-$(date -u +%Y%m%dT%H%M%SZ).dump"
pg_dump --format=custom --no-owner --no-privileges --file="$file" --dbname="$DATABASE_URL"
echo "$file"

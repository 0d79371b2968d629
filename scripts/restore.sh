#!/usr/bin/env bash
# make restore BACKUP=var/backups/vida-....dump: load a `make backup` file into the database named by
# DATABASE_URL, replacing the tables it holds (pg_restore --clean). Stop the app and the workers first.
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database to restore into}"
: "${BACKUP:?set BACKUP to the file make backup wrote}"
[[ -f "$BACKUP" ]] || { echo "no such backup file: $BACKUP" >&2; exit 2; }
pg_restore --clean --if-exists --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$DATABASE_URL" "$BACKUP"
echo "restored $BACKUP"

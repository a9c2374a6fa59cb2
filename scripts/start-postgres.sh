#!/usr/bin/env bash
# Makes a local PostgreSQL available for the tests and `pipeline bench store`, and is safe to run again:
# installs Debian's postgresql when it is missing, starts its cluster, waits until it accepts
# connections, then creates the role and database the tests use. Needs root or sudo.
# Prints the connection string on its last line.
set -euo pipefail

role="${PIPELINE_PG_ROLE:-pipeline}"
database="${PIPELINE_PG_DATABASE:-pipeline}"
password="${PIPELINE_PG_PASSWORD:-pipeline}"
port="${PIPELINE_PG_PORT:-5432}"

SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
# Runs a command as the postgres system user, from root or through sudo.
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }
export DEBIAN_FRONTEND=noninteractive

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || ! command -v pg_ctlcluster >/dev/null; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq postgresql >/dev/null
fi

version=$(ls /usr/lib/postgresql | sort -V | tail -1)
# The package normally creates the "main" cluster; a trimmed image may not have it.
if ! pg_lsclusters -h | awk '{print $1 "/" $2}' | grep -qx "$version/main"; then
  $SUDO pg_createcluster "$version" main
fi

# Package installs in containers do not start services (policy-rc.d), so start the cluster directly.
# pg_ctlcluster exits with 2 when the cluster already runs, which is fine here.
$SUDO pg_ctlcluster "$version" main start || [ $? -eq 2 ]

for _ in $(seq 1 60); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 0.5
done
if ! pg_isready -q -h 127.0.0.1 -p "$port"; then
  echo "PostgreSQL $version did not accept connections on 127.0.0.1:$port; see /var/log/postgresql/postgresql-$version-main.log" >&2
  exit 1
fi

# Create the role and database only when missing (psql's \gexec runs the generated statement).
as_postgres psql -q -p "$port" -v ON_ERROR_STOP=1 <<SQL
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', '$role', '$password')
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$role')\gexec
SELECT format('CREATE DATABASE %I OWNER %I', '$database', '$role')
  WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$database')\gexec
SQL

echo "Host=127.0.0.1;Port=$port;Database=$database;Username=$role;Password=$password"

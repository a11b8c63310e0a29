#!/bin/sh
# First start of the local InfluxDB image (influxdb.Containerfile): as the official image does,
# creates the admin, the database and its writer and reader from the INFLUXDB_* variables, on a
# loopback-only influxd, then runs the real one. Later starts find the meta store and skip this.
set -eu
if [ ! -e /var/lib/influxdb/meta/meta.db ] && [ -n "${INFLUXDB_ADMIN_USER:-}" ]; then
  INFLUXDB_HTTP_BIND_ADDRESS=127.0.0.1:8086 "$@" &
  pid=$!
  tries=0
  until curl -fsS http://127.0.0.1:8086/ping >/dev/null 2>&1; do
    tries=$((tries + 1))
    [ "$tries" -lt 100 ] || { echo 'influxd did not start' >&2; exit 1; }
    sleep 0.2
  done
  # The first user may be created without credentials while none exists, then every query uses it.
  influx -host 127.0.0.1 -execute \
    "CREATE USER \"$INFLUXDB_ADMIN_USER\" WITH PASSWORD '$INFLUXDB_ADMIN_PASSWORD' WITH ALL PRIVILEGES"
  q() { influx -host 127.0.0.1 -username "$INFLUXDB_ADMIN_USER" -password "$INFLUXDB_ADMIN_PASSWORD" -execute "$1"; }
  if [ -n "${INFLUXDB_DB:-}" ]; then
    q "CREATE DATABASE \"$INFLUXDB_DB\""
    if [ -n "${INFLUXDB_USER:-}" ]; then
      q "CREATE USER \"$INFLUXDB_USER\" WITH PASSWORD '$INFLUXDB_USER_PASSWORD'"
      q "GRANT ALL ON \"$INFLUXDB_DB\" TO \"$INFLUXDB_USER\""
    fi
    if [ -n "${INFLUXDB_READ_USER:-}" ]; then
      q "CREATE USER \"$INFLUXDB_READ_USER\" WITH PASSWORD '$INFLUXDB_READ_USER_PASSWORD'"
      q "GRANT READ ON \"$INFLUXDB_DB\" TO \"$INFLUXDB_READ_USER\""
    fi
  fi
  kill "$pid"
  wait "$pid" || true
  echo 'influxdb: first start done (admin, database, writer, reader)'
fi
exec "$@"

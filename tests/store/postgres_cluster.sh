#!/usr/bin/env bash
# Starts or stops the throwaway PostgreSQL cluster the store.pg tests use, in DIR: initdb'ed there,
# listening only on a unix socket in DIR (no TCP), trust authentication for the `postgres` role.
# It never touches the system's cluster. PostgreSQL refuses to run as root: as root, the cluster
# belongs to the `postgres` system user (the Debian package creates it).
#   tests/store/postgres_cluster.sh start|stop DIR
set -euo pipefail
action="${1:?start or stop}"
dir="${2:?the directory of the cluster}"
bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ ! -x "$bindir/initdb" ]; then
  echo "postgres_cluster.sh: no PostgreSQL server in /usr/lib/postgresql (apt-get install postgresql)" >&2
  exit 1
fi
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
running() { [ -f "$dir/data/postmaster.pid" ]; }

case "$action" in
  start)
    if running; then as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null || true; fi
    rm -rf "$dir"
    mkdir -p "$dir"
    chmod 755 "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
    if ! as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync \
        >"$dir/initdb.log" 2>&1; then
      cat "$dir/initdb.log" >&2
      echo "postgres_cluster.sh: initdb failed in $dir" >&2
      exit 1
    fi
    if ! as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 120 \
        -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c fsync=off -c max_connections=200" \
        start >/dev/null; then
      cat "$dir/server.log" >&2
      echo "postgres_cluster.sh: the server did not start in $dir" >&2
      exit 1
    fi
    echo "postgres_cluster.sh: a cluster listens on $dir/.s.PGSQL.5432"
    ;;
  stop)
    if running; then as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null; fi
    rm -rf "$dir"
    ;;
  *)
    echo "postgres_cluster.sh: start or stop, not $action" >&2
    exit 2
    ;;
esac

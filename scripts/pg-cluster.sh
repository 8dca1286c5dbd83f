#!/bin/sh
# A throwaway PostgreSQL cluster for the tests, on a Unix socket in a
# temporary directory, owned by an unprivileged user (the server refuses to
# run as root: as root it runs as `nobody`).
#
#   scripts/pg-cluster.sh run CMD [ARGS...]
#
# starts it, runs CMD with ITUI_PG_HOST (the socket directory) and
# ITUI_PG_USER set, stops and removes it, and exits with CMD's status.  When
# PostgreSQL is not installed CMD runs without them (the PostgreSQL suites
# then say so).
set -eu

[ "${1:-}" = run ] || { echo "usage: $0 run CMD [ARGS...]" >&2; exit 2; }
shift

bindir=""
for d in /usr/lib/postgresql/*/bin; do
	[ -x "$d/initdb" ] && bindir=$d
done
if [ -z "$bindir" ]; then
	echo "pg-cluster: PostgreSQL is not installed; its suites will fail" >&2
	exec "$@"
fi

dir=$(mktemp -d /tmp/itui-pg.XXXXXX)
as=""
if [ "$(id -u)" -eq 0 ]; then
	chown nobody: "$dir"
	as="runuser -u nobody --"
fi
chmod 700 "$dir"

stop() {
	$as "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT TERM

# fsync off: a test cluster lives for one run; durability is not on test.
# The new cluster is kept unstarted as ITUI_PG_INITDB: scripts/pg-pair.sh
# copies it (50 ms) where initdb would take a second for each pair.
$as "$bindir/initdb" -D "$dir/initdb" -A trust -U itui -E UTF8 --locale=C \
	--no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
$as cp -a "$dir/initdb" "$dir/data"
$as "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w -o \
	"-k $dir -c listen_addresses= -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
	start >/dev/null || { cat "$dir/log" >&2; exit 1; }
# The socket directory is the cluster's; let the caller (root or not) in.
chmod 755 "$dir"

export ITUI_PG_HOST="$dir" ITUI_PG_USER=itui ITUI_PG_BIN="$bindir" \
	ITUI_PG_INITDB="$dir/initdb"
status=0
"$@" || status=$?
exit $status

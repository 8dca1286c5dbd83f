#!/bin/sh
# A PostgreSQL primary and its streaming standby (pg_basebackup -R), each
# on a Unix socket of its own, for the failover tests and bench.
#
#   scripts/pg-pair.sh start DIR [sync]   primary on DIR/p, standby on DIR/s,
#                                         database warroom; sync: commits
#                                         wait for the standby (durable)
#   scripts/pg-pair.sh caught-up DIR      waits until the standby has
#                                         replayed all the primary wrote
#   scripts/pg-pair.sh kill DIR           SIGKILL to the primary
#   scripts/pg-pair.sh promote DIR        the standby becomes the primary
#   scripts/pg-pair.sh stop DIR           both stopped, DIR removed
#
# DIR must not exist.  As root the servers run as nobody (they refuse
# root), as scripts/pg-cluster.sh does.
set -eu

cmd=${1:-}
T=${2:-}
[ -n "$cmd" ] && [ -n "$T" ] || { echo "usage: $0 start|caught-up|kill|promote|stop DIR [sync]" >&2; exit 2; }
bindir=""
for d in /usr/lib/postgresql/*/bin; do
	[ -x "$d/initdb" ] && bindir=$d
done
[ -n "$bindir" ] || { echo "pg-pair: PostgreSQL is not installed" >&2; exit 1; }
as=""
[ "$(id -u)" -eq 0 ] && as="runuser -u nobody --"

case $cmd in
start)
	mkdir "$T"
	[ -n "$as" ] && chown nobody: "$T"
	chmod 755 "$T"
	$as mkdir "$T/p" "$T/s"
	durable="-c fsync=off -c synchronous_commit=off"
	if [ "${3:-}" = sync ]; then
		# A commit is acknowledged once the standby has it.
		durable="-c synchronous_standby_names=* -c synchronous_commit=on"
	fi
	# A copy of the unstarted cluster scripts/pg-cluster.sh made, when
	# there is one (the same initdb options): a second faster per pair.
	if [ -d "${ITUI_PG_INITDB:-}" ]; then
		$as cp -a "$ITUI_PG_INITDB" "$T/primary"
	else
		$as "$bindir/initdb" -D "$T/primary" -A trust -U itui -E UTF8 \
			--locale=C --no-sync >"$T/initdb.log" 2>&1 ||
			{ cat "$T/initdb.log" >&2; exit 1; }
	fi
	$as "$bindir/pg_ctl" -D "$T/primary" -l "$T/primary.log" -w -o \
		"-k $T/p -c listen_addresses= -c wal_level=replica -c max_wal_senders=4 $durable" \
		start >/dev/null
	# -c fast: the backup's checkpoint at once, not spread out.
	$as "$bindir/pg_basebackup" -h "$T/p" -U itui -D "$T/standby" -R \
		-X stream -c fast
	$as "$bindir/pg_ctl" -D "$T/standby" -l "$T/standby.log" -w -o \
		"-k $T/s -c listen_addresses=" start >/dev/null
	"$bindir/psql" -XAtq -h "$T/p" -U itui -d postgres \
		-c "CREATE DATABASE warroom" >/dev/null
	;;
caught-up)
	lsn=$("$bindir/psql" -XAtq -h "$T/p" -U itui -d postgres \
		-c "SELECT pg_current_wal_lsn()")
	i=0
	until [ "$("$bindir/psql" -XAtq -h "$T/s" -U itui -d postgres \
		-c "SELECT pg_last_wal_replay_lsn() >= '$lsn'")" = t ]; do
		i=$((i + 1))
		[ $i -lt 500 ] || { echo "pg-pair: the standby lags" >&2; exit 1; }
		sleep 0.01
	done
	;;
kill)
	kill -9 "$(head -1 "$T/primary/postmaster.pid")"
	;;
promote)
	$as "$bindir/pg_ctl" -D "$T/standby" -w promote >/dev/null
	;;
stop)
	for c in primary standby; do
		$as "$bindir/pg_ctl" -D "$T/$c" -m immediate -w stop \
			>/dev/null 2>&1 || true
	done
	rm -rf "$T"
	;;
*)
	echo "usage: $0 start|caught-up|kill|promote|stop DIR [sync]" >&2
	exit 2
	;;
esac

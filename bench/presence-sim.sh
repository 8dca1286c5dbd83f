#!/usr/bin/env bash
# Keeps N simulated dashboards present in a database, for the idle figure
# of a dashboard with others open (issue 15).  Each fake writes its row the
# way a dashboard on a SQLite store does (presence.h): on a change only --
# with TOGGLE > 0 it starts or stops typing about once every TOGGLE
# seconds, with 0 it sits watching -- over one long-lived
# connection, one commit per write.  No heartbeat: every process on a
# SQLite store runs on this host, and a row lives as long as its process
# (here, this script's).  Rows are deleted on exit.
# Usage: bench/presence-sim.sh DB [N=20] [SECONDS=0: until killed] [TOGGLE=20]
set -euo pipefail

DB=${1:?usage: $0 DB [N] [SECONDS]}
N=${2:-20}
SECS=${3:-0}
TOGGLE=${4:-20}
HOST=$(hostname)
ME=$$

coproc SQL { exec sqlite3 -batch "$DB" >/dev/null 2>&1; }
sql() { printf '%s\n' "$1" >&"${SQL[1]}"; }
sql ".timeout 10000"
cleanup() {
	sql "DELETE FROM presence WHERE pid = $ME AND host = '$HOST';" || true
	sql ".quit" || true
	wait "$SQL_PID" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 0' INT TERM

incidents=($(sqlite3 "$DB" "SELECT id FROM incidents WHERE status NOT IN
	('resolved', 'closed') ORDER BY id"))
[ ${#incidents[@]} -gt 0 ] || incidents=(0)

write() { # i typing
	local i=$1 now inc
	now=$(date +%s)
	inc=${incidents[$((i % ${#incidents[@]}))]}
	sql "INSERT INTO presence(session, user, incident_id, typing, cols, rows, via_ssh, pid, host, started_at, seen_at) VALUES ('$HOST:sim$i', 'sim$i', $inc, $2, 80, 24, $((i % 2)), $ME, '$HOST', $now, $now) ON CONFLICT(session) DO UPDATE SET typing = excluded.typing, seen_at = excluded.seen_at;"
}

declare -a typing
start=$(date +%s)
for ((i = 0; i < N; i++)); do
	typing[i]=0
	write "$i" 0
done
echo "presence-sim: $N simulated dashboards in $DB" >&2
while :; do
	now=$(date +%s)
	if [ "$SECS" -gt 0 ] && [ $((now - start)) -ge "$SECS" ]; then
		break
	fi
	for ((i = 0; i < N; i++)); do
		if [ "$TOGGLE" -gt 0 ] && [ $((RANDOM % TOGGLE)) -eq 0 ]; then
			typing[i]=$((1 - typing[i]))
			write "$i" "${typing[i]}"
		fi
	done
	sleep 1
done

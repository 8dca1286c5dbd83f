#!/usr/bin/env bash
# Keeps N simulated dashboards present in a database, for the idle figure
# of a dashboard with others open (issue 15): each fake writes its presence
# row the way a dashboard does (presence.h): on a change (it starts or
# stops typing about every 20 s, one in four of them at a time) and
# otherwise a heartbeat every 30 s, staggered, one commit per write.
# Usage: bench/presence-sim.sh DB [N=20] [SECONDS=0: until killed]
# The fakes' host is "presence-sim", so no real dashboard takes them for
# its own dead processes; their rows are deleted on exit.
set -euo pipefail

DB=${1:?usage: $0 DB [N] [SECONDS]}
N=${2:-20}
SECS=${3:-0}
HOST=presence-sim

sql() { sqlite3 -cmd "PRAGMA busy_timeout = 10000" "$DB" "$1" >/dev/null; }
cleanup() { sql "DELETE FROM presence WHERE host = '$HOST'" || true; }
trap cleanup EXIT
trap 'exit 0' INT TERM

incidents=($(sqlite3 "$DB" "SELECT id FROM incidents WHERE status NOT IN
	('resolved', 'closed') ORDER BY id"))
[ ${#incidents[@]} -gt 0 ] || incidents=(0)

write() { # i typing
	local i=$1 now inc
	now=$(date +%s)
	inc=${incidents[$((i % ${#incidents[@]}))]}
	sql "INSERT INTO presence(session, user, incident_id, typing, cols,
		rows, via_ssh, pid, host, started_at, seen_at)
		VALUES ('$HOST:$i', 'sim$i', $inc, $2, 80, 24, $((i % 2)), $i,
		'$HOST', $now, $now)
		ON CONFLICT(session) DO UPDATE SET typing = excluded.typing,
		seen_at = excluded.seen_at"
}

declare -a next typing
start=$(date +%s)
for ((i = 0; i < N; i++)); do
	typing[i]=0
	write "$i" 0
	next[i]=$((start + 1 + (i * 30) / N)) # staggered heartbeats
done
echo "presence-sim: $N simulated dashboards in $DB" >&2
while :; do
	now=$(date +%s)
	if [ "$SECS" -gt 0 ] && [ $((now - start)) -ge "$SECS" ]; then
		break
	fi
	for ((i = 0; i < N; i++)); do
		# A change: about one toggle per fake every 20 s.
		if [ $((RANDOM % 20)) -eq 0 ] && [ $((i % 4)) -eq $((now % 4)) ]; then
			typing[i]=$((1 - typing[i]))
			write "$i" "${typing[i]}"
			next[i]=$((now + 30))
		elif [ "$now" -ge "${next[i]}" ]; then
			write "$i" "${typing[i]}"
			next[i]=$((now + 30))
		fi
	done
	sleep 1
done

#!/usr/bin/env bash
# Failover with a synchronous standby (issue 10): 20 command-line writers
# on 5 incidents; the primary is killed with SIGKILL mid-run and the
# standby (made by pg_basebackup -R) promoted; the writers follow the
# location's host list (target_session_attrs=read-write).  Every write
# whose command reported success must be on the promoted server.
# Usage: bench/pg-failover.sh BIN   (make bench-pg runs it; needs postgresql)
#   BENCH_WRITERS (20), BENCH_INCIDENTS (5), BENCH_PER (40), BENCH_KILL_AFTER (2 s)
set -euo pipefail

BIN=$1
W=${BENCH_WRITERS:-20}
NI=${BENCH_INCIDENTS:-5}
PER=${BENCH_PER:-40}
KILL_AFTER=${BENCH_KILL_AFTER:-2}
pair="$(cd "$(dirname "$0")/.." && pwd)/scripts/pg-pair.sh"
bindir=""
for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && bindir=$d; done
[ -n "$bindir" ] || { echo "failover: PostgreSQL is not installed" >&2; exit 1; }

T=$(mktemp -u /tmp/itui-failover.XXXXXX)
trap '"$pair" stop "$T"' EXIT
export INCIDENT_TUI_SHARE=${INCIDENT_TUI_SHARE:-$(cd "$(dirname "$0")/.." && pwd)/share/incident-tui}

# Durable and synchronous: a commit is acknowledged once the standby has it.
"$pair" start "$T" sync >/dev/null
db="postgresql:///warroom?host=$T/p,$T/s&user=itui&target_session_attrs=read-write&connect_timeout=2"

for ((i = 1; i <= NI; i++)); do
	"$BIN" --db "$db" declare --severity P2 --title "failover $i" >/dev/null
done
: >"$T/ok"
start=${EPOCHREALTIME/./}
for ((w = 0; w < W; w++)); do
	(
		for ((i = 1; i <= PER; i++)); do
			if "$BIN" --db "$db" log $((w % NI + 1)) "w$w-$i" >/dev/null 2>>"$T/err"; then
				echo "w$w-$i" >>"$T/ok"
			else
				echo "$(( ${EPOCHREALTIME/./} ))" >>"$T/failed"
				sleep 0.05
			fi
		done
	) &
done
sleep "$KILL_AFTER"
"$pair" kill "$T"
killed=${EPOCHREALTIME/./}
"$pair" promote "$T"
promoted=${EPOCHREALTIME/./}
wait
# The first success after the promotion: when writing worked again.
first_after=$(awk -v k="$killed" '$1 > k' "$T/failed" 2>/dev/null | sort -n | tail -1)

"$bindir/psql" -XAtq -h "$T/s" -U itui -d warroom -c \
	"SELECT text FROM entries WHERE kind = 'note'" | sort >"$T/have"
sort "$T/ok" >"$T/ok.sorted"
lost=$(comm -23 "$T/ok.sorted" "$T/have" | wc -l)
acked=$(wc -l <"$T/ok")
failed=$( [ -f "$T/failed" ] && wc -l <"$T/failed" || echo 0)
echo "failover: $W writers on $NI incidents, $PER each; primary killed after ${KILL_AFTER}s, standby promoted $(( (promoted - killed) / 1000 )) ms later"
echo "failover: $acked writes reported success, $failed reported failure (the writer went on to its next), the last failure $(( ${first_after:-$killed} > killed ? (${first_after:-$killed} - killed) / 1000 : 0 )) ms after the kill"
echo "failover: reported success but missing on the promoted server: $lost   [goal: 0]"
[ "$lost" -eq 0 ]

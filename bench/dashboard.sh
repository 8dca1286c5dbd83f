#!/usr/bin/env bash
# Dashboard figures: propagation, idle cost (beside htop's), and scale.
# Usage: bench/dashboard.sh BIN PROPAGATE_HELPER
#   BENCH_IDLE_SECS (default 60), BENCH_COMMITS (100),
#   BENCH_INCIDENTS (10000), BENCH_SCALE_ENTRIES (1000000)
set -euo pipefail

BIN=$1
PROP=$2
IDLE=${BENCH_IDLE_SECS:-60}
COMMITS=${BENCH_COMMITS:-100}
NINC=${BENCH_INCIDENTS:-10000}
NENT=${BENCH_SCALE_ENTRIES:-1000000}
T=$(mktemp -d)
SOCK=$T/tmux.sock
trap 'tmux -S "$SOCK" kill-server 2>/dev/null || true; rm -rf "$T"' EXIT
export INCIDENT_TUI_SHARE=${INCIDENT_TUI_SHARE:-$(cd "$(dirname "$0")/.." && pwd)/share/incident-tui}
CLK_TCK=$(getconf CLK_TCK)

# Starts a program in its own tmux session; its pid is the pane's.
run_in_tmux() { # session width height command...
	local s=$1 w=$2 h=$3
	shift 3
	tmux -S "$SOCK" new-session -d -s "$s" -x "$w" -y "$h" "exec $*"
	tmux -S "$SOCK" display -p -t "$s" '#{pane_pid}'
}

wait_file_lines() { # file count
	local i
	for ((i = 0; i < 500; i++)); do
		[ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ] && return 0
		sleep 0.01
	done
	echo "timed out waiting for $1" >&2
	return 1
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
switches() { awk '/^voluntary_ctxt_switches/ { print $2 }' "/proc/$1/status"; }

echo "dashboard benchmarks, $(nproc) cores, $(date -u +%FT%TZ)"
echo

# 1. Propagation: a commit in another process until it is on screen.
db=$T/prop.db
"$BIN" --db "$db" declare --severity P1 --title propagation >/dev/null
pid=$(run_in_tmux prop 120 40 env INCIDENT_TUI_TRACE="$T/prop.trace" "$BIN" --db "$db")
wait_file_lines "$T/prop.trace" 2
read -r p50 p95 max missed < <("$PROP" "$db" "$T/prop.trace" "$COMMITS")
echo "propagation: $COMMITS commits from another process -> on screen:"
echo "propagation: p50 $p50 ms  p95 $p95 ms  max $max ms  missed $missed   [goal: p95 under 50 ms]"
tmux -S "$SOCK" kill-session -t prop
echo

# 2. Idle: the dashboard with 3 active incidents beside htop, same minute.
db=$T/idle.db
for s in P0 P1 P2; do "$BIN" --db "$db" declare --severity $s --title "idle $s" >/dev/null; done
ipid=$(run_in_tmux idle 120 40 "$BIN" --db "$db")
hpid=$(run_in_tmux htop 120 40 htop)
sleep 2
c0=$(cpu_ticks "$ipid"); w0=$(switches "$ipid")
h0=$(cpu_ticks "$hpid"); hw0=$(switches "$hpid")
sleep "$IDLE"
c1=$(cpu_ticks "$ipid"); w1=$(switches "$ipid")
h1=$(cpu_ticks "$hpid"); hw1=$(switches "$hpid")
awk -v c=$((c1 - c0)) -v w=$((w1 - w0)) -v hc=$((h1 - h0)) -v hw=$((hw1 - hw0)) \
	-v s="$IDLE" -v tck="$CLK_TCK" 'BEGIN {
	printf "idle: %d s, 3 active incidents\n", s
	printf "idle: incident-tui  %.2f CPU-s  %.2f wake-ups/s   [goal: under 0.2 CPU-s, at most 1 wake-up/s]\n", c / tck, w / s
	printf "idle: htop (ref)    %.2f CPU-s  %.2f wake-ups/s\n", hc / tck, hw / s }'
tmux -S "$SOCK" kill-session -t idle
tmux -S "$SOCK" kill-session -t htop
echo

# 3. Scale: many incidents, a million entries.
db=$T/scale.db
"$BIN" --db "$db" declare --severity P0 --title "the big one" --at -30d >/dev/null
active=$((NINC / 200))
sqlite3 "$db" "
WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i <= $NINC)
INSERT INTO incidents(id, title, severity, status, declared_at, detected_at,
	declared_by, recorded_at, updated_at, resolved_at)
SELECT i, 'incident number ' || i, 'P' || (i % 4),
	CASE WHEN i <= $active THEN 'investigating' ELSE 'resolved' END,
	unixepoch() - i * 3600, unixepoch() - i * 3600, 'bench',
	unixepoch() - i * 3600, unixepoch(),
	CASE WHEN i <= $active THEN NULL ELSE unixepoch() - i * 3600 + 1800 END
FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $NENT)
INSERT INTO entries(incident_id, at, recorded_at, author, kind, text)
SELECT CASE WHEN i % 10 = 0 THEN 1 ELSE 1 + i % $NINC END,
	unixepoch() - 2592000 + i * 2, unixepoch() - 2592000 + i * 2,
	'user' || (i % 9), 'note', 'entry number ' || i || ' with some typical text'
FROM n;"
ninc=$(sqlite3 "$db" "SELECT count(*) FROM incidents")
nent=$(sqlite3 "$db" "SELECT count(*) FROM entries")
nbig=$(sqlite3 "$db" "SELECT count(*) FROM entries WHERE incident_id = 1")
spid=$(run_in_tmux scale 200 60 env INCIDENT_TUI_TRACE="$T/scale.trace" "$BIN" --db "$db")
wait_file_lines "$T/scale.trace" 2
for ((i = 0; i < 20; i++)); do
	tmux -S "$SOCK" send-keys -t scale j
	sleep 0.05
	tmux -S "$SOCK" send-keys -t scale k
	sleep 0.05
done
sleep 0.3
rss=$(awk '/^VmHWM/ { print $2 }' "/proc/$spid/status")
awk -v rss="$rss" -v ninc="$ninc" -v nent="$nent" -v nbig="$nbig" '
	/^start/ { start = $2; next }
	first == 0 { first = $1 - start }
	$3 > 0 { keys[n++] = $3 }
	END {
		asort(keys)
		printf "scale: %d incidents (%d active), %d entries (%d in the selected incident)\n", ninc, ninc / 200, nent, nbig
		printf "scale: first frame %.1f ms   [goal: under 150 ms]\n", first / 1e6
		printf "scale: max RSS %.1f MB   [goal: under 32 MB]\n", rss / 1024
		printf "scale: selection move, key -> frame: p50 %.2f ms  max %.2f ms over %d keys   [goal: under 10 ms]\n", keys[int((n + 1) / 2)] / 1e6, keys[n] / 1e6, n
	}' "$T/scale.trace"

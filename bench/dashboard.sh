#!/usr/bin/env bash
# Dashboard figures: propagation (alone and with others watching), idle cost
# (beside htop's), bytes per new row, and scale -- each for this build and,
# when given, for a reference build measured in the same run.
# Usage: bench/dashboard.sh BIN PROPAGATE_HELPER [REF_BIN REF_PROPAGATE_HELPER]
#   BENCH_IDLE_SECS (default 60), BENCH_COMMITS (100),
#   BENCH_OTHERS ("10 30 50"), BENCH_INCIDENTS (10000),
#   BENCH_SCALE_ENTRIES (1000000), BENCH_ROWS (20),
#   BENCH_BIG_INCIDENTS (100000), BENCH_BIG_ENTRIES (10000000),
#   BENCH_ONLY (some of: propagation reload idle room bytes scale big; default all)
set -euo pipefail

BIN=$1
PROP=$2
REF=${3:-}
REF_PROP=${4:-}
IDLE=${BENCH_IDLE_SECS:-60}
COMMITS=${BENCH_COMMITS:-100}
OTHERS=${BENCH_OTHERS:-10 30 50}
NINC=${BENCH_INCIDENTS:-10000}
NENT=${BENCH_SCALE_ENTRIES:-1000000}
BIG_INC=${BENCH_BIG_INCIDENTS:-100000}
BIG_ENT=${BENCH_BIG_ENTRIES:-10000000}
ROWS=${BENCH_ROWS:-20}
T=$(mktemp -d)
SOCK=$T/tmux.sock
trap 'tmux -S "$SOCK" kill-server 2>/dev/null || true; rm -rf "$T"' EXIT
. "$(dirname "$0")/lib.sh"
export INCIDENT_TUI_SHARE=${INCIDENT_TUI_SHARE:-$(cd "$(dirname "$0")/.." && pwd)/share/incident-tui}
CLK_TCK=$(getconf CLK_TCK)
# The reference reads its own policies and templates, not this tree's.
if [ -n "$REF" ]; then
	printf '#!/bin/sh\nINCIDENT_TUI_SHARE=%s exec %s "$@"\n' \
		"$(cd "$(dirname "$REF")/../share/incident-tui" && pwd)" "$REF" >"$T/ref-bin"
	chmod +x "$T/ref-bin"
	REF_NAME=$REF
	REF=$T/ref-bin
fi

# Starts a program in its own tmux session; its pid is the pane's.
run_in_tmux() { # session width height command...
	local s=$1 w=$2 h=$3
	shift 3
	tmux -S "$SOCK" new-session -d -s "$s" -x "$w" -y "$h" "exec $*"
	tmux -S "$SOCK" display -p -t "$s" '#{pane_pid}'
}

wait_file_lines() { # file count
	local i
	for ((i = 0; i < 1000; i++)); do
		[ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ] && return 0
		sleep 0.01
	done
	echo "timed out waiting for $1" >&2
	return 1
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
switches() { awk '/^voluntary_ctxt_switches/ { print $2 }' "/proc/$1/status"; }
# Each database in a directory of its own, as a war room's is: the
# dashboard watches its database's directory, and a neighbour's writes
# would wake it.
mkdb() { mkdir -p "$T/$1" && echo "$T/$1/incidents.db"; }
want() { [ -z "${BENCH_ONLY:-}" ] || [[ " $BENCH_ONLY " == *" $1 "* ]]; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "n/a" }'; }

echo "dashboard benchmarks, $(nproc) cores, $(date -u +%FT%TZ)"
[ -n "$REF" ] && echo "reference: $REF_NAME"
echo

# 1. Propagation: a commit in another process until it is on screen, with
# `others` more dashboards open on the same database.
propagation() { # bin helper others label
	local bin=$1 prop=$2 others=$3 tag=$4 db i pid
	db=$(mkdb prop-$tag-$others)
	"$bin" --db "$db" declare --severity P1 --title propagation >/dev/null
	for ((i = 0; i < others; i++)); do
		run_in_tmux "o$tag$i" 80 24 "$bin" --db "$db" >/dev/null
	done
	sleep $((others > 0 ? 2 : 0))
	pid=$(run_in_tmux "p$tag" 120 40 env INCIDENT_TUI_TRACE="$T/p$tag$others.trace" "$bin" --db "$db")
	wait_file_lines "$T/p$tag$others.trace" 2
	"$prop" "$db" "$T/p$tag$others.trace" "$COMMITS"
	tmux -S "$SOCK" kill-session 2>/dev/null -t "p$tag"
	for ((i = 0; i < others; i++)); do
		tmux -S "$SOCK" kill-session 2>/dev/null -t "o$tag$i"
	done
	: "$pid"
}

if want propagation; then
echo "propagation: $COMMITS commits from another process -> on screen (p50/p95/max ms, missed)"
read -r p50 p95 max missed < <(propagation "$BIN" "$PROP" 0 cur)
printf "propagation: alone           p50 %6.2f  p95 %6.2f  max %7.2f  missed %s   [goal: p95 under 2 ms]\n" "$p50" "$p95" "$max" "$missed"
alone95=$p95
if [ -n "$REF" ]; then
	read -r r50 r95 rmax rmissed < <(propagation "$REF" "$REF_PROP" 0 ref)
	printf "propagation: alone, ref      p50 %6.2f  p95 %6.2f  max %7.2f  missed %s\n" "$r50" "$r95" "$rmax" "$rmissed"
	echo "propagation: p95 this/ref $(ratio "$p95" "$r95")   [goal: at most 1.1x]"
fi
for n in $OTHERS; do
	read -r p50 p95 max missed < <(propagation "$BIN" "$PROP" "$n" cur)
	printf "propagation: %2d others open  p50 %6.2f  p95 %6.2f  max %7.2f  missed %s   p95 %s of alone   [goal: p95 under 10 ms]\n" \
		"$n" "$p50" "$p95" "$max" "$missed" "$(ratio "$p95" "$alone95")"
done
echo

fi

# 1b. One reload after another connection's commit, without the terminal:
# a long timeline must cost what a short one does (read by change, not whole).
RELOAD=$(dirname "$PROP")/reload
if want reload && [ -x "$RELOAD" ]; then
	db=$(mkdb reload)
	"$BIN" --db "$db" declare --severity P1 --title reload >/dev/null
	read -r short stmts _ < <("$RELOAD" "$db" 20)
	"$RELOAD" "$db" 2000 >/dev/null
	read -r long _ < <("$RELOAD" "$db" 200)
	printf "reload: 20 entries %6.1f us CPU, 2,000+ entries %6.1f us (%s), %s statements   [goal: at most 1.2x]\n" \
		"$short" "$long" "$(ratio "$long" "$short")" "$stmts"
	echo
fi

# 2. Idle: dashboards with 3 active incidents beside htop, in the same minute.
if want idle; then
db=$(mkdb idle)
for s in P0 P1 P2; do "$BIN" --db "$db" declare --severity $s --title "idle $s" >/dev/null; done
ipid=$(run_in_tmux idle 120 40 "$BIN" --db "$db")
hpid=$(run_in_tmux htop 120 40 htop)
rpid=""
if [ -n "$REF" ]; then
	rdb=$(mkdb idle-ref)
	for s in P0 P1 P2; do "$REF" --db "$rdb" declare --severity $s --title "idle $s" >/dev/null; done
	rpid=$(run_in_tmux idleref 120 40 "$REF" --db "$rdb")
fi
# The same, with 20 simulated others present (bench/presence-sim.sh).
pdb=$(mkdb idle-presence)
for s in P0 P1 P2; do "$BIN" --db "$pdb" declare --severity $s --title "idle $s" >/dev/null; done
ppid=$(run_in_tmux idlepres 120 40 "$BIN" --db "$pdb")
"$(dirname "$0")/presence-sim.sh" "$pdb" 20 $((IDLE + 4)) 0 2>/dev/null &
simpid=$!
# And with 20 others who start or stop typing every 20 s or so.
tdb=$(mkdb idle-typing)
for s in P0 P1 P2; do "$BIN" --db "$tdb" declare --severity $s --title "idle $s" >/dev/null; done
tpid=$(run_in_tmux idletyping 120 40 "$BIN" --db "$tdb")
"$(dirname "$0")/presence-sim.sh" "$tdb" 20 $((IDLE + 4)) 20 2>/dev/null &
simtpid=$!
sleep 2
c0=$(cpu_ticks "$ipid"); w0=$(switches "$ipid")
pc0=$(cpu_ticks "$ppid"); pw0=$(switches "$ppid")
tc0=$(cpu_ticks "$tpid"); tw0=$(switches "$tpid")
h0=$(cpu_ticks "$hpid"); hw0=$(switches "$hpid")
[ -n "$rpid" ] && { rc0=$(cpu_ticks "$rpid"); rw0=$(switches "$rpid"); }
sleep "$IDLE"
c1=$(cpu_ticks "$ipid"); w1=$(switches "$ipid")
pc1=$(cpu_ticks "$ppid"); pw1=$(switches "$ppid")
tc1=$(cpu_ticks "$tpid"); tw1=$(switches "$tpid")
h1=$(cpu_ticks "$hpid"); hw1=$(switches "$hpid")
[ -n "$rpid" ] && { rc1=$(cpu_ticks "$rpid"); rw1=$(switches "$rpid"); }
awk -v c=$((c1 - c0)) -v w=$((w1 - w0)) -v hc=$((h1 - h0)) -v hw=$((hw1 - hw0)) \
	-v rc=$((${rc1:-0} - ${rc0:-0})) -v rw=$((${rw1:-0} - ${rw0:-0})) -v ref="$REF" \
	-v pc=$((pc1 - pc0)) -v pw=$((pw1 - pw0)) -v tc=$((tc1 - tc0)) -v tw=$((tw1 - tw0)) \
	-v s="$IDLE" -v tck="$CLK_TCK" 'BEGIN {
	printf "idle: %d s, 3 active incidents\n", s
	printf "idle: incident-tui  %.2f CPU-s  %.2f wake-ups/s   [goal: under 0.2 CPU-s, at most 1 wake-up/s]\n", c / tck, w / s
	printf "idle: with 20 simulated others watching  %.2f CPU-s  %.2f wake-ups/s: wake-ups %s of alone   [goal: within 1.2x]\n", pc / tck, pw / s, (w > 0 ? sprintf("%.2fx", pw / w) : "n/a")
	printf "idle: with 20 others typing on and off   %.2f CPU-s  %.2f wake-ups/s: wake-ups %s of alone (each change is shown: at least one wake-up)\n", tc / tck, tw / s, (w > 0 ? sprintf("%.2fx", tw / w) : "n/a")
	if (ref != "") {
		printf "idle: reference     %.2f CPU-s  %.2f wake-ups/s\n", rc / tck, rw / s
		printf "idle: wake-ups this/ref %s   [goal: at most 1.1x]\n", (rw > 0 ? sprintf("%.2fx", w / rw) : "n/a")
	}
	printf "idle: htop (ref)    %.2f CPU-s  %.2f wake-ups/s\n", hc / tck, hw / s }'
tmux -S "$SOCK" kill-session 2>/dev/null -t idle
tmux -S "$SOCK" kill-session 2>/dev/null -t idlepres
tmux -S "$SOCK" kill-session 2>/dev/null -t idletyping
kill "$simpid" "$simtpid" 2>/dev/null || true
wait "$simpid" "$simtpid" 2>/dev/null || true
tmux -S "$SOCK" kill-session 2>/dev/null -t htop
[ -n "$rpid" ] && tmux -S "$SOCK" kill-session 2>/dev/null -t idleref
echo

fi

# 3. A war room of fifty: each dashboard's CPU while one writer logs an
# entry a second.
if want room; then
nw=${OTHERS##* }
db=$(mkdb room)
"$BIN" --db "$db" declare --severity P1 --title "the war room" >/dev/null
pids=()
for ((i = 0; i < nw; i++)); do
	pids+=("$(run_in_tmux "w$i" 80 24 "$BIN" --db "$db")")
done
sleep 3
declare -A t0
for p in "${pids[@]}"; do t0[$p]=$(cpu_ticks "$p"); done
start=$EPOCHREALTIME
for ((i = 0; i < IDLE; i++)); do
	"$BIN" --db "$db" log 1 "writer entry $i" >/dev/null
	sleep 1
done
secs=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')
for p in "${pids[@]}"; do echo $(($(cpu_ticks "$p") - ${t0[$p]})); done |
	awk -v n="$nw" -v s="$secs" -v tck="$CLK_TCK" '
	{ sum += $1; if ($1 > max) max = $1 }
	END { printf "room: %d dashboards, one entry a second for %.0f s: mean %.2f %%, max %.2f %% of a core each   [goal: under 0.5 %%]\n",
		n, s, 100 * sum / n / tck / s, 100 * max / tck / s }'
for ((i = 0; i < nw; i++)); do tmux -S "$SOCK" kill-session 2>/dev/null -t "w$i"; done
echo

fi

# 4. Bytes to the terminal for one new timeline row (what an SSH link pays),
# against the length of the row as it is shown.
if want bytes; then
db=$(mkdb bytes)
"$BIN" --db "$db" declare --severity P1 --title "bytes per row" >/dev/null
run_in_tmux bytes 120 40 env INCIDENT_TUI_TRACE="$T/bytes.trace" "$BIN" --db "$db" >/dev/null
wait_file_lines "$T/bytes.trace" 2
tmux -S "$SOCK" pipe-pane -t bytes -o "cat >> $T/bytes.out"
sleep 0.5
for ((i = 0; i < ROWS; i++)); do
	lines=$(wc -l <"$T/bytes.trace")
	b0=$(stat -c %s "$T/bytes.out" 2>/dev/null || echo 0)
	"$BIN" --db "$db" log 1 "row $i: restarted the checkout pods in eu-west-1" >/dev/null
	wait_file_lines "$T/bytes.trace" $((lines + 1))
	sleep 0.05
	b1=$(stat -c %s "$T/bytes.out")
	shown=$(tmux -S "$SOCK" capture-pane -p -t bytes | grep -F "row $i:" | head -1 | sed 's/^[ |│]*//; s/[ |│]*$//')
	echo "$((b1 - b0)) ${#shown}"
	sleep 0.3
done | sort -n | awk '{ b[NR] = $1; l[NR] = $2 }
	END { m = int((NR + 1) / 2)
		printf "bytes: one new timeline row: median %d bytes for a %d-character row: %.2fx   [goal: at most 3x]\n", b[m], l[m], (l[m] > 0 ? b[m] / l[m] : 0) }'
tmux -S "$SOCK" kill-session 2>/dev/null -t bytes
echo

fi

# 5. Scale: many incidents, a million entries.
scale() { # bin tag [incidents entries]
	local bin=$1 tag=$2 NINC=${3:-$NINC} NENT=${4:-$NENT}
	local db active=$((${3:-$NINC} / 200)) spid i
	db=$(mkdb "scale-$tag")
	"$bin" --db "$db" declare --severity P0 --title "the big one" --at -30d >/dev/null
	# Loaded without a journal (then back to WAL): a bench's own file.
	sqlite3 "$db" "
PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;
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
FROM n;
PRAGMA journal_mode = WAL;" >/dev/null
	spid=$(run_in_tmux "s$tag" 200 60 env INCIDENT_TUI_TRACE="$T/s$tag.trace" "$bin" --db "$db")
	wait_file_lines "$T/s$tag.trace" 2
	local k50 kmax nk
	read -r k50 kmax nk < <(key_moves "$SOCK" "s$tag" "$T/s$tag.trace" 40)
	awk -v rss="$(awk '/^VmHWM/ { print $2 }' "/proc/$spid/status")" \
		-v k50="$k50" -v kmax="$kmax" -v nk="$nk" '
		/^start/ { start = $2; next }
		first == 0 { first = $1 - start }
		END { printf "%.1f %.1f %.2f %.2f %d\n", first / 1e6, rss / 1024, k50, kmax, nk }' "$T/s$tag.trace"
	tmux -S "$SOCK" kill-session 2>/dev/null -t "s$tag"
	rm -f "$db"
}

if want scale; then
echo "scale: $NINC incidents ($((NINC / 200)) active), $NENT entries ($((NENT / 10 + (NENT - NENT / 10) / NINC)) or so in the selected incident)"
read -r first rss k50 kmax nk < <(scale "$BIN" cur)
printf "scale: first frame %.1f ms  max RSS %.1f MB  key->frame p50 %.2f ms max %.2f ms (%d keys)   [goal: under 150 ms, 32 MB, 10 ms]\n" \
	"$first" "$rss" "$k50" "$kmax" "$nk"
if [ -n "$REF" ]; then
	read -r rfirst rrss rk50 rkmax rnk < <(scale "$REF" ref)
	printf "scale: reference   %.1f ms  max RSS %.1f MB  key->frame p50 %.2f ms max %.2f ms (%d keys)\n" \
		"$rfirst" "$rrss" "$rk50" "$rkmax" "$rnk"
	echo "scale: first frame this/ref $(ratio "$first" "$rfirst")  RSS this/ref $(ratio "$rss" "$rrss")   [goal: at most 1.1x]"
fi
fi

# 6. A year of a large organisation: the same at ten times the size, this
# build only (issue 17: 100,000 incidents, 10,000,000 entries).
want big || exit 0
echo
echo "big: $BIG_INC incidents, $BIG_ENT entries"
read -r first rss k50 kmax nk < <(scale "$BIN" big "$BIG_INC" "$BIG_ENT")
printf "big: first frame %.1f ms  max RSS %.1f MB  key->frame p50 %.2f ms max %.2f ms (%d keys)   [goal: under 50 ms, 32 MB]\n" \
	"$first" "$rss" "$k50" "$kmax" "$nk"

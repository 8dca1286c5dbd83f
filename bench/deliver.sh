#!/usr/bin/env bash
# Outbox deliverer figures: its CPU with 100 pending messages for a
# black-holed destination (accepts connections, never answers) beside the
# same deliverer with an empty outbox, and the latency of a timeline write
# from another process while it runs beside the same write with no
# deliverer at all; then key-to-frame in a dashboard running the stuck
# deliverer beside one on a copy of the database with no destination.
# Usage: bench/deliver.sh BIN   (BENCH_DELIVER_SECS, default 60; BENCH_WRITES, 100)
set -euo pipefail

BIN=$1
SECS=${BENCH_DELIVER_SECS:-60}
WRITES=${BENCH_WRITES:-100}
T=$(mktemp -d)
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	rm -rf "$T"
}
trap cleanup EXIT
export INCIDENT_TUI_SHARE=${INCIDENT_TUI_SHARE:-$(cd "$(dirname "$0")/.." && pwd)/share/incident-tui}
CLK_TCK=$(getconf CLK_TCK)
. "$(dirname "$0")/lib.sh"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 20000)); }

echo "deliverer benchmarks, $(nproc) cores, $(date -u +%FT%TZ)"
echo

hole=$(free_port)
python3 - "$hole" >/dev/null 2>&1 <<'EOP' &
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(256)
time.sleep(3600)
EOP
PIDS+=($!)
sleep 0.5
printf 'http://127.0.0.1:%s/hook\n' "$hole" >"$T/hook.url"
chmod 600 "$T/hook.url"
printf '[destination incidents]\ntype = webhook\nurl_file = %s\n' "$T/hook.url" >"$T/config"

# The hole: 25 incidents x 4 changes = 100 messages waiting.
db=$T/hole.db
for i in $(seq 25); do
	id=$("$BIN" --config "$T/config" --db "$db" declare --severity P0 --title "bench $i")
	"$BIN" --config "$T/config" --db "$db" ack "$id"
	"$BIN" --config "$T/config" --db "$db" status "$id" identified
	"$BIN" --config "$T/config" --db "$db" status "$id" mitigating
done
pending=$(sqlite3 "$db" "SELECT count(*) FROM outbox WHERE state = 'pending'")
# The reference: the same deliverer, nothing queued.
ref=$T/empty.db
"$BIN" --config "$T/config" --db "$ref" declare --severity P3 --title "empty" >/dev/null
sqlite3 "$ref" "DELETE FROM outbox"

cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
write_ms() { # DB -> median ms of WRITES `log` commands
	local d=$1 i t0 t1
	for ((i = 0; i < WRITES; i++)); do
		t0=$EPOCHREALTIME
		"$BIN" --db "$d" log 1 "bench write $i" >/dev/null
		t1=$EPOCHREALTIME
		echo "$t0 $t1"
	done | awk '{ print ($2 - $1) * 1000 }' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}
# Writes from another process with no deliverer, then beside both.
write_ms "$db" >/dev/null # warm the cache
without=$(write_ms "$db")
"$BIN" --config "$T/config" --db "$db" poll 2>/dev/null &
hp=$!
PIDS+=($hp)
"$BIN" --config "$T/config" --db "$ref" poll 2>/dev/null &
rp=$!
PIDS+=($rp)

sleep 3
with=$(write_ms "$db")
sleep "$SECS"
ch=$(cpu "$hp")
cr=$(cpu "$rp")
tried=$(sqlite3 "$db" "SELECT coalesce(sum(attempts), 0) FROM outbox")
kill "$hp" "$rp"
wait "$hp" "$rp" 2>/dev/null || true

awk -v ch="$ch" -v cr="$cr" -v s="$SECS" -v tck="$CLK_TCK" -v n="$pending" -v tr="$tried" \
	-v w="$with" -v wo="$without" 'BEGIN {
	printf "deliver: %d messages pending for a black-holed webhook, %d s, %d send attempts\n", n, s, tr
	printf "deliver: black hole %.3f CPU-s (%.3f %% of one core), empty outbox (ref) %.3f CPU-s\n", ch / tck, 100 * ch / tck / s, cr / tck
	if (cr > 0) printf "deliver: CPU ratio %.2fx the idle deliverer   [goal: under 1 %% of one core]\n", ch / cr
	else printf "deliver: CPU ratio n/a: the idle deliverer used under one clock tick (%.3f s)   [goal: under 1 %% of one core]\n", 1 / tck
	printf "writes: median log %.2f ms beside the stuck deliverer, %.2f ms with none (ref): ratio %.2fx   [goal: within 10 %%]\n", w, wo, w / wo }'

# Key-to-frame in a dashboard that runs the stuck deliverer itself, beside
# a dashboard with no destination configured, same keys, same run.
SOCK=$T/tmux.sock
# The same incidents and queue; without a destination nothing is sent.
nodest=$T/nodest.db
sqlite3 "$db" ".backup '$nodest'"
tmux -S "$SOCK" new-session -d -s hole -x 120 -y 40 "exec env INCIDENT_TUI_TRACE=$T/hole.trace $BIN --config $T/config --db $db"
tmux -S "$SOCK" new-session -d -s nodest -x 120 -y 40 "exec env INCIDENT_TUI_TRACE=$T/nodest.trace $BIN --db $nodest"
sleep 3
read -r h50 hmax _ < <(key_moves "$SOCK" hole "$T/hole.trace" 40)
read -r n50 nmax _ < <(key_moves "$SOCK" nodest "$T/nodest.trace" 40)
tmux -S "$SOCK" kill-server 2>/dev/null || true
awk -v h="$h50" -v hm="$hmax" -v n="$n50" -v nm="$nmax" 'BEGIN {
	printf "keys: dashboard delivering to the black hole: key->frame p50 %.2f ms max %.2f ms\n", h, hm
	printf "keys: dashboard with no destination (ref):    key->frame p50 %.2f ms max %.2f ms\n", n, nm
	printf "keys: p50 ratio %.2fx   [goal: within 10 %%]\n", (n > 0 ? h / n : 0) }'

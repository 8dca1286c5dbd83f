#!/usr/bin/env bash
# Metrics poller figures: its CPU cost at the default interval with 20
# queries, and key handling with a black-holed source beside none.
# Usage: bench/metrics.sh BIN   (BENCH_POLL_SECS, default 90; BENCH_KEYS, 60)
set -euo pipefail

BIN=$1
SECS=${BENCH_POLL_SECS:-90}
KEYS=${BENCH_KEYS:-60}
T=$(mktemp -d)
SOCK=$T/tmux.sock
PIDS=()
cleanup() {
	tmux -S "$SOCK" kill-server 2>/dev/null || true
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	rm -rf "$T"
}
trap cleanup EXIT
export INCIDENT_TUI_SHARE=${INCIDENT_TUI_SHARE:-$(cd "$(dirname "$0")/.." && pwd)/share/incident-tui}
CLK_TCK=$(getconf CLK_TCK)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 20000)); }

echo "metrics benchmarks, $(nproc) cores, $(date -u +%FT%TZ)"
echo

# 1. The poll loop: a real Prometheus, 20 queries, the default interval.
PP=$(free_port)
cat >"$T/prometheus.yml" <<EOC
global: {scrape_interval: 5s, evaluation_interval: 5s}
scrape_configs:
  - job_name: self
    static_configs: [{targets: ['127.0.0.1:$PP']}]
EOC
prometheus --config.file="$T/prometheus.yml" --storage.tsdb.path="$T/data" \
	--web.listen-address=127.0.0.1:$PP >"$T/prom.log" 2>&1 &
PIDS+=($!)
for i in $(seq 100); do
	(exec 3<>/dev/tcp/127.0.0.1/$PP) 2>/dev/null && break
	sleep 0.1
done
{
	echo "[prometheus]"
	echo "url = http://127.0.0.1:$PP"
	for i in $(seq 20); do
		echo "[query q$i]"
		echo "expr = sum(rate(prometheus_http_requests_total[1m])) * $i"
		echo "range = 1h"
		echo "step = 1m"
	done
} >"$T/config"
db=$T/poll.db
for s in P0 P1 P2; do "$BIN" --db "$db" declare --severity $s --title "poll $s" >/dev/null; done
"$BIN" --config "$T/config" --db "$db" poll &
ppid=$!
PIDS+=($ppid)
# The whole life of the process: start-up, loading libcurl, the first
# round's snapshots of every open incident, then the idle rounds.
c0=0
sleep "$SECS"
c1=$(awk '{ print $14 + $15 }' "/proc/$ppid/stat")
snaps=$(sqlite3 "$db" "SELECT count(*) FROM entries WHERE kind = 'metric'")
awk -v c=$((c1 - c0)) -v s="$SECS" -v tck="$CLK_TCK" -v n="$snaps" 'BEGIN {
	printf "poll: %d s at the default 30 s interval, 20 queries (instant + 1h range), 3 open incidents, %d snapshots taken\n", s, n
	printf "poll: %.3f CPU-s over its whole life = %.3f %% of one core   [goal: under 1 %%]\n", c / tck, 100 * c / tck / s }'
kill "$ppid"
echo

# 2. Key handling: a dashboard with a black-holed source beside one with none.
hole=$(free_port)
python3 - "$hole" >/dev/null 2>&1 <<'EOP' &
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(64)
time.sleep(600)
EOP
PIDS+=($!)
sleep 0.5
printf '[prometheus]\nurl = http://127.0.0.1:%s\ninterval = 5s\n[query up]\nexpr = up\n' "$hole" >"$T/hole.config"
for which in none hole; do
	db=$T/$which.db
	for i in 1 2 3 4 5; do "$BIN" --db "$db" declare --severity P1 --title "keys $i" >/dev/null; done
	cfgopt=""
	[ "$which" = hole ] && cfgopt="--config $T/hole.config"
	tmux -S "$SOCK" new-session -d -s "$which" -x 120 -y 40 \
		"exec env INCIDENT_TUI_TRACE=$T/$which.trace $BIN --db $db $cfgopt"
done
sleep 1.5
for ((i = 0; i < KEYS; i++)); do
	for which in none hole; do
		tmux -S "$SOCK" send-keys -t "$which" $([ $((i % 2)) = 0 ] && echo j || echo k)
	done
	sleep 0.05
done
sleep 0.5
median() { awk '$3 > 0 { print $3 }' "$1" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)], NR }'; }
read -r none_med none_n < <(median "$T/none.trace")
read -r hole_med hole_n < <(median "$T/hole.trace")
awk -v a="$none_med" -v b="$hole_med" -v na="$none_n" -v nb="$hole_n" 'BEGIN {
	printf "keys: no source (ref)        median %.3f ms over %d keys\n", a / 1e6, na
	printf "keys: black-holed source     median %.3f ms over %d keys\n", b / 1e6, nb
	printf "keys: ratio %.2fx   [goal: within 10 %%, i.e. at most 1.10x]\n", b / a }'

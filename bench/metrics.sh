#!/usr/bin/env bash
# Metrics poller figures: its CPU cost at the default interval with 20
# queries, key handling with a black-holed source beside none, and key
# handling while the webhook receiver takes 200 Alertmanager posts a second
# beside the same dashboard with no posts, in the same run.
# Usage: bench/metrics.sh BIN   (BENCH_POLL_SECS, default 90; BENCH_KEYS, 60;
#        BENCH_HOOK_RATE, 200 posts/s)
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
. "$(dirname "$0")/lib.sh"

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
read -r none_med _ none_n < <(key_moves "$SOCK" none "$T/none.trace" "$KEYS")
read -r hole_med _ hole_n < <(key_moves "$SOCK" hole "$T/hole.trace" "$KEYS")
awk -v a="$none_med" -v b="$hole_med" -v na="$none_n" -v nb="$hole_n" 'BEGIN {
	printf "keys: no source (ref)        median %.3f ms over %d keys\n", a, na
	printf "keys: black-holed source     median %.3f ms over %d keys\n", b, nb
	printf "keys: ratio %.2fx   [goal: within 10 %%, i.e. at most 1.10x]\n", (a > 0 ? b / a : 0) }'
tmux -S "$SOCK" kill-server 2>/dev/null || true
echo

# 3. The webhook receiver under load: Alertmanager-shaped posts (one alert
# each, 50 alerts firing and resolving in turn) at RATE a second into the
# database a dashboard shows; the dashboard's keys with the load and,
# before it, without, same dashboard, same run.
RATE=${BENCH_HOOK_RATE:-200}
HP=$(free_port)
db=$T/hook.db
for i in 1 2 3 4 5; do "$BIN" --db "$db" declare --severity P1 --title "hook $i" >/dev/null; done
printf 'bench-hook-token\n' >"$T/hook.token"
chmod 600 "$T/hook.token"
printf '[receiver]\ntoken_file = %s\n[severity-map]\ncritical = P1\n' "$T/hook.token" >"$T/hook.config"
"$BIN" --config "$T/hook.config" --db "$db" receive --listen 127.0.0.1:$HP >"$T/receive.log" 2>&1 &
rpid=$!
PIDS+=($rpid)
tmux -S "$SOCK" new-session -d -s hook -x 120 -y 40 \
	"exec env INCIDENT_TUI_TRACE=$T/hook.trace $BIN --db $db"
for i in $(seq 100); do
	(exec 3<>/dev/tcp/127.0.0.1/$HP) 2>/dev/null && break
	sleep 0.1
done
sleep 1.5
read -r idle_med idle_max idle_n < <(key_moves "$SOCK" hook "$T/hook.trace" "$KEYS")
# Paced to deadlines on keep-alive connections; it runs until killed and
# then prints what it sent and what came back.
python3 - "$HP" "$RATE" >"$T/load.out" 2>&1 <<'EOP' &
import http.client, json, signal, sys, threading, time
port, rate = int(sys.argv[1]), float(sys.argv[2])
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
head = {"Content-Type": "application/json", "Authorization": "Bearer bench-hook-token"}
lock = threading.Lock()
sent = ok = 0
last = 0.0
lat = []
def body(n):
    k = n % 50
    status = "firing" if (n // 50) % 2 == 0 else "resolved"
    alert = {"status": status, "labels": {"alertname": "Load%d" % k, "severity": "critical"},
             "annotations": {"summary": "load %d" % k}, "startsAt": "2026-12-03T10:00:00Z",
             "endsAt": "0001-01-01T00:00:00Z", "generatorURL": "http://prom/graph",
             "fingerprint": "%016x" % (0xbe00 + k)}
    return json.dumps({"receiver": "hook", "status": status, "alerts": [alert],
                       "groupLabels": {"alertname": alert["labels"]["alertname"]},
                       "commonLabels": alert["labels"], "commonAnnotations": alert["annotations"],
                       "externalURL": "http://am", "version": "4",
                       "groupKey": "{}:{alertname=\"Load%d\"}" % k, "truncatedAlerts": 0})
# Alertmanager sends a group's notifications on connections of their own:
# two senders, each paced to deadlines at half the rate.
def sender(first, step):
    global sent, ok, last
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    n = first
    while not stop.is_set():
        s = time.monotonic()
        good = 0
        try:
            conn.request("POST", "/", body(n), head)
            r = conn.getresponse()
            r.read()
            good = 200 <= r.status < 300
        except Exception:
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        with lock:
            sent += 1
            ok += good
            last = time.monotonic()
            lat.append(last - s)
        n += step
        wait = t0 + (n // step) * step / rate - time.monotonic()
        if wait > 0:
            time.sleep(wait)
t0 = time.monotonic()
threads = [threading.Thread(target=sender, args=(i, 2)) for i in range(2)]
for t in threads:
    t.start()
while not stop.is_set():
    stop.wait(0.2)
for t in threads:
    t.join()
# Up to the last answer: the wait for the stop is not sending time.
el = last - t0
lat.sort()
print(sent, ok, "%.3f" % el, "%.3f" % (1000 * lat[len(lat) // 2]), "%.3f" % (1000 * lat[int(len(lat) * 0.99)]))
EOP
lpid=$!
PIDS+=($lpid)
sleep 2
c0=$(awk '{ print $14 + $15 }' "/proc/$rpid/stat")
read -r load_med load_max load_n < <(key_moves "$SOCK" hook "$T/hook.trace" "$KEYS")
c1=$(awk '{ print $14 + $15 }' "/proc/$rpid/stat")
kill "$lpid"
wait "$lpid" 2>/dev/null || true
read -r sent okd secs p50 p99 <"$T/load.out"
stored=$(sqlite3 "$db" "SELECT count(*) FROM alerts")
awk -v s="$sent" -v o="$okd" -v e="$secs" -v p="$p50" -v q="$p99" -v r="$RATE" -v n="$stored" \
	-v c=$((c1 - c0)) -v tck="$CLK_TCK" -v a="$idle_med" -v am="$idle_max" -v an="$idle_n" \
	-v b="$load_med" -v bm="$load_max" -v bn="$load_n" 'BEGIN {
	printf "receiver: %d posts in %.1f s = %.0f/s (asked %d/s), %d answered 2xx, post p50 %.2f ms p99 %.2f ms, %d alert rows   [goal: 200/s, all 2xx]\n", s, e, s / e, r, o, p, q, n
	printf "receiver: its CPU while the keys were sent %.2f s\n", c / tck
	printf "keys: dashboard, no posts (ref)     median %.3f ms max %.3f ms over %d keys\n", a, am, an
	printf "keys: dashboard, %d posts/s          median %.3f ms max %.3f ms over %d keys\n", r, b, bm, bn
	printf "keys: ratio %.2fx   [goal: within 10 %%, i.e. at most 1.10x]\n", (a > 0 ? b / a : 0) }'

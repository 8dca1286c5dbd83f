#!/usr/bin/env bash
# Speed and memory figures for incident-tui (issue goals in brackets).
# Every figure is printed beside a reference measured in the same run.
# Usage: bench/run.sh [path/to/incident-tui]    (BENCH_RUNS=N, default 200)
set -euo pipefail

BIN=${1:-build/incident-tui}
N=${BENCH_RUNS:-200}
ENTRIES=${BENCH_ENTRIES:-100000}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export INCIDENT_TUI_SHARE=${INCIDENT_TUI_SHARE:-$(cd "$(dirname "$0")/.." && pwd)/share/incident-tui}

. "$(dirname "$0")/lib.sh"

ms() { awk -v us="$1" 'BEGIN { printf "%.2f ms", us / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo "incident-tui benchmarks: $N runs each, $(nproc) cores, $(date -u +%FT%TZ)"
echo

# 1. One timeline write by the command line vs the same row by sqlite3.
db="$T/log.db"
"$BIN" --db "$db" declare --severity P1 --title bench >/dev/null
raw_sql="PRAGMA busy_timeout = 10000; PRAGMA synchronous = FULL; BEGIN IMMEDIATE;
INSERT INTO entries(incident_id, at, recorded_at, author, kind, text)
VALUES (1, unixepoch(), unixepoch(), 'bench', 'note', 'bench entry'); COMMIT;"
read -r log_med log_p95 < <(time_runs "$BIN" --db "$db" log 1 "bench entry")
read -r raw_med raw_p95 < <(time_runs sqlite3 "$db" "$raw_sql")
echo "log: incident-tui log          median $(ms "$log_med")  p95 $(ms "$log_p95")"
echo "log: sqlite3 raw insert (ref)  median $(ms "$raw_med")  p95 $(ms "$raw_p95")"
echo "log: ratio $(ratio "$log_med" "$raw_med")x the reference   [goal: at most 1.5x]"
echo

# 2. show --json of the newest 50 entries of an incident with many entries.
db="$T/big.db"
"$BIN" --db "$db" declare --severity P1 --title big --at -30d >/dev/null
sqlite3 "$db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n
	WHERE i < $ENTRIES)
	INSERT INTO entries(incident_id, at, recorded_at, author, kind, text)
	SELECT 1, unixepoch() - 2592000 + i * 20, unixepoch() - 2592000 + i * 20,
	'user' || (i % 7), 'note', 'entry number ' || i || ' with some typical text'
	FROM n;"
count=$(sqlite3 "$db" "SELECT count(*) FROM entries")
ref_sql="SELECT json_group_array(json_object('id', id, 'at', at, 'author',
	author, 'kind', kind, 'text', text)) FROM (SELECT * FROM entries
	WHERE incident_id = 1 AND deleted_at IS NULL ORDER BY at DESC, id DESC
	LIMIT 50);"
read -r show_med show_p95 < <(time_runs "$BIN" --db "$db" show 1 --json --limit 50)
read -r ref_med ref_p95 < <(time_runs sqlite3 "$db" "$ref_sql")
rss=$( { /usr/bin/time -f '%M' "$BIN" --db "$db" show 1 --json --limit 50 >/dev/null; } 2>&1 | tail -1)
ref_rss=$( { /usr/bin/time -f '%M' sqlite3 "$db" "$ref_sql" >/dev/null; } 2>&1 | tail -1)
echo "show: $count entries, show --json --limit 50"
echo "show: incident-tui              median $(ms "$show_med")  p95 $(ms "$show_p95")  max RSS $((rss / 1024)).$(((rss % 1024) * 10 / 1024)) MB   [goal: under 20 ms, under 16 MB]"
echo "show: sqlite3 same page (ref)   median $(ms "$ref_med")  p95 $(ms "$ref_p95")  max RSS $((ref_rss / 1024)).$(((ref_rss % 1024) * 10 / 1024)) MB"
echo "show: ratio $(ratio "$show_med" "$ref_med")x the reference"

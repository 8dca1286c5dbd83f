#!/usr/bin/env bash
# PostgreSQL figures (issue 10), each beside a reference measured in the
# same run.  Runs inside scripts/pg-cluster.sh (make bench-pg), which
# starts a throwaway cluster and sets ITUI_PG_HOST/USER/BIN.
# Usage: bench/pg.sh BIN PROPAGATE [REF_BIN]
#   BENCH_WRITERS (20), BENCH_INCIDENTS (5), BENCH_PER (50 commits each),
#   BENCH_RUNS (200 for log), BENCH_COMMITS (100 for propagation),
#   BENCH_PGFLOOR (bench/pgfloor.c built: the floor of a process per commit)
set -euo pipefail

BIN=$1
PROP=$2
REF=${3:-}
W=${BENCH_WRITERS:-20}
NI=${BENCH_INCIDENTS:-5}
PER=${BENCH_PER:-50}
N=${BENCH_RUNS:-200}
COMMITS=${BENCH_COMMITS:-100}
T=$(mktemp -d)
SOCK=$T/tmux.sock
trap 'tmux -S "$SOCK" kill-server 2>/dev/null || true; rm -rf "$T"' EXIT
export INCIDENT_TUI_SHARE=${INCIDENT_TUI_SHARE:-$(cd "$(dirname "$0")/.." && pwd)/share/incident-tui}
: "${ITUI_PG_HOST:?run through scripts/pg-cluster.sh run (make bench-pg)}"

pg() { printf 'postgresql:///%s?host=%s&user=%s' "$1" "$ITUI_PG_HOST" "$ITUI_PG_USER"; }
newdb() {
	"$ITUI_PG_BIN/psql" -XAtq -d "$(pg postgres)" -c "CREATE DATABASE $1" >/dev/null
	pg "$1"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

echo "PostgreSQL benchmarks, $(nproc) cores, $(date -u +%FT%TZ)"
echo

# 1. W writers on NI incidents through the command line, PER commits each:
# a process per commit (log ID TEXT), then a process per writer streaming
# its entries (log ID --lines -, each line its own commit).  On PostgreSQL
# a process per commit pays a connection each time (a server backend forked
# and its catalog caches filled, libpq loaded): the floor is measured
# beside it, a minimal libpq client that connects and does one INSERT per
# process (psql's own start-up costs more).
writers() { # db label mode
	local db=$1 i w s e
	for ((i = 1; i <= NI; i++)); do
		[ "$3" = floor ] ||
			"$BIN" --db "$db" declare --severity P2 --title "load $i" >/dev/null
	done
	s=${EPOCHREALTIME/./}
	for ((w = 0; w < W; w++)); do
		(
			ws=${EPOCHREALTIME/./}
			case $3 in
			process)
				for ((i = 1; i <= PER; i++)); do
					"$BIN" --db "$db" log $((w % NI + 1)) "w$w-$i" >/dev/null 2>>"$T/err-$2" ||
						echo x >>"$T/fail-$2"
				done ;;
			stream)
				for ((i = 1; i <= PER; i++)); do echo "w$w-$i"; done |
					"$BIN" --db "$db" log $((w % NI + 1)) --lines - >/dev/null 2>>"$T/err-$2" ||
					echo x >>"$T/fail-$2" ;;
			floor)
				for ((i = 1; i <= PER; i++)); do
					"$FLOOR" "$db" >/dev/null 2>>"$T/err-$2" || echo x >>"$T/fail-$2"
				done ;;
			esac
			echo $((${EPOCHREALTIME/./} - ws)) >>"$T/times-$2"
		) &
	done
	wait
	e=${EPOCHREALTIME/./}
	awk -v n=$((W * PER)) -v us=$((e - s)) -v f="$( [ -f "$T/fail-$2" ] && wc -l <"$T/fail-$2" || echo 0)" \
		'{ if (min == "" || $1 < min) min = $1; if ($1 > max) max = $1 }
		END { printf "%.0f %d %.2f\n", n / (us / 1e6), f, max / min }' "$T/times-$2"
}
FLOOR=${BENCH_PGFLOOR:-}
echo "writers: $W writers on $NI incidents, $PER commits each, by the command line"
read -r pg_rate pg_err pg_spread < <(writers "$(newdb bench_writers)" pg process)
read -r sq_rate sq_err sq_spread < <(writers "$T/writers.db" sqlite process)
echo "writers: a process per commit:"
echo "writers:   postgresql  $pg_rate commits/s  errors $pg_err  slowest/fastest ${pg_spread}x   [goal: 500/s, 0, at most 1.5x]"
echo "writers:   sqlite (ref) $sq_rate commits/s  errors $sq_err  slowest/fastest ${sq_spread}x"
echo "writers:   postgresql/sqlite $(ratio "$pg_rate" "$sq_rate")"
if [ -n "$FLOOR" ]; then
	"$ITUI_PG_BIN/psql" -XAtq -d "$(pg postgres)" -c "CREATE DATABASE bench_floor" >/dev/null
	"$ITUI_PG_BIN/psql" -XAtq -d "$(pg bench_floor)" -c "CREATE TABLE t(id bigserial PRIMARY KEY, x text)" >/dev/null
	read -r fl_rate fl_err _ < <(writers "$(pg bench_floor)" floor floor)
	echo "writers:   floor: a minimal libpq client, one INSERT a process: $fl_rate/s (errors $fl_err); postgresql/floor $(ratio "$pg_rate" "$fl_rate")"
fi
read -r ps_rate ps_err ps_spread < <(writers "$(newdb bench_stream)" pgs stream)
read -r ss_rate ss_err ss_spread < <(writers "$T/stream.db" sqlites stream)
echo "writers: a process per writer (log --lines -, a commit a line):"
echo "writers:   postgresql  $ps_rate commits/s  errors $ps_err  slowest/fastest ${ps_spread}x   [goal: 500/s, 0, at most 1.5x]"
echo "writers:   sqlite (ref) $ss_rate commits/s  errors $ss_err  slowest/fastest ${ss_spread}x"
for f in pg floor pgs; do
	[ -s "$T/err-$f" ] && { echo "writers: first $f error:"; head -1 "$T/err-$f"; }
done
echo

# 2. log on SQLite, this build vs the reference build (libpq never
# loaded), interleaved run by run so both see the same machine.
"$BIN" --db "$T/log.db" declare --severity P1 --title bench >/dev/null
if [ -n "$REF" ]; then
	"$REF" --db "$T/logref.db" declare --severity P1 --title bench >/dev/null
	: >"$T/cur"
	: >"$T/ref"
	for ((i = 0; i < N; i++)); do
		s=${EPOCHREALTIME/./}
		"$BIN" --db "$T/log.db" log 1 "bench entry" >/dev/null
		e=${EPOCHREALTIME/./}
		echo $((e - s)) >>"$T/cur"
		s=${EPOCHREALTIME/./}
		"$REF" --db "$T/logref.db" log 1 "bench entry" >/dev/null
		e=${EPOCHREALTIME/./}
		echo $((e - s)) >>"$T/ref"
	done
	med() { sort -n "$1" | awk '{a[NR] = $1} END { print a[int((NR + 1) / 2)] }'; }
	cur=$(med "$T/cur")
	ref=$(med "$T/ref")
	echo "log on sqlite: median $cur us, reference build $ref us, ratio $(ratio "$cur" "$ref")   [goal: at most 1.05]"
else
	. "$(dirname "$0")/lib.sh"
	read -r cur _ < <(time_runs "$BIN" --db "$T/log.db" log 1 "bench entry")
	echo "log on sqlite: median $cur us (no reference build given)"
fi
echo "log on sqlite: libpq loaded: $(LD_DEBUG=libs "$BIN" --db "$T/log.db" log 1 x 2>&1 >/dev/null | grep -c 'libpq' || true) times   [goal: 0]"
echo

# 3. A commit by another process until the dashboard's frame shows it.
propagation() { # db tag
	local db=$1 tag=$2 i
	"$BIN" --db "$db" declare --severity P1 --title propagation >/dev/null
	tmux -S "$SOCK" new-session -d -s "p$tag" -x 120 -y 40 \
		"env INCIDENT_TUI_TRACE='$T/$tag.trace' '$BIN' --db '$db'"
	for ((i = 0; i < 500; i++)); do
		[ -f "$T/$tag.trace" ] && [ "$(wc -l <"$T/$tag.trace")" -ge 2 ] && break
		sleep 0.01
	done
	"$PROP" "$db" "$T/$tag.trace" "$COMMITS"
	tmux -S "$SOCK" kill-session -t "p$tag"
}
read -r p50 p95 max missed < <(propagation "$(newdb bench_prop)" pg)
read -r s50 s95 smax smissed < <(propagation "$T/prop.db" sqlite)
echo "propagation: $COMMITS commits from another process -> on screen (ms)"
echo "propagation: postgresql   p50 $p50  p95 $p95  max $max  missed $missed   [goal: p95 under 10 ms]"
echo "propagation: sqlite (ref) p50 $s50  p95 $s95  max $smax  missed $smissed"
echo

# 4. db copy of a large database, then every incident shown on both ends.
ENTRIES=${BENCH_ENTRIES:-100000}
big=$T/big.db
"$BIN" --db "$big" declare --severity P1 --title big --at -30d >/dev/null
"$BIN" --db "$big" declare --severity P2 --title small >/dev/null
sqlite3 "$big" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n
	WHERE i < $ENTRIES)
	INSERT INTO entries(incident_id, at, recorded_at, author, kind, text)
	SELECT 1 + (i % 2), unixepoch() - 2592000 + i * 20,
	unixepoch() - 2592000 + i * 20, 'user' || (i % 7), 'note',
	'entry number ' || i || ' with some typical text' FROM n;"
dst=$(newdb bench_copy)
s=${EPOCHREALTIME/./}
"$BIN" db copy "$big" "$dst" >/dev/null
e=${EPOCHREALTIME/./}
same=0
for id in 1 2; do
	cmp -s <("$BIN" --db "$big" show $id --json --limit 0) \
		<("$BIN" --db "$dst" show $id --json --limit 0) && same=$((same + 1))
done
echo "db copy: $ENTRIES entries to postgresql in $(awk -v us=$((e - s)) 'BEGIN { printf "%.1f s", us / 1e6 }'); show --json identical for $same of 2 incidents   [goal: all]"

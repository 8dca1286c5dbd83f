#!/usr/bin/env bash
# Fair writers (issue 16): many writers at once, each write's latency.
# Usage: bench/writers.sh BIN WRITERS [REF_BIN REF_WRITERS]
#   BENCH_WRITERS (20) writers, BENCH_PER (100) writes each, BENCH_RUNS
#   (200) sequential `log`s for the start-up figure.
# Each figure is printed beside the reference build (BENCH_WRITERS_REF in
# the Makefile: the last commit before the writers' queue) in the same run.
set -euo pipefail

BIN=$1
WR=$2
REF=${3:-}
REF_WR=${4:-}
W=${BENCH_WRITERS:-20}
PER=${BENCH_PER:-100}
N=${BENCH_RUNS:-200}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export INCIDENT_TUI_SHARE=${INCIDENT_TUI_SHARE:-$(cd "$(dirname "$0")/.." && pwd)/share/incident-tui}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
fresh() { # bin name: a database holding incident 1
	rm -f "$T/$2".db*
	"$1" --db "$T/$2.db" declare --severity P1 --title "writers" >/dev/null
	echo "$T/$2.db"
}

# W command-line writers, PER `log`s each, every one timed whole (start-up
# included); prints "p50_ms p99_ms max_ms errors".
cli_writers() { # bin db
	local w t0
	rm -f "$T"/lat.* "$T/fail"
	t0=${EPOCHREALTIME/./}
	for ((w = 0; w < W; w++)); do
		(
			local i s e
			for ((i = 0; i < PER; i++)); do
				s=${EPOCHREALTIME/./}
				"$1" --db "$2" log 1 "w$w-$i" >/dev/null 2>>"$T/err" || echo x >>"$T/fail"
				e=${EPOCHREALTIME/./}
				echo $((e - s)) >>"$T/lat.$w"
			done
		) &
	done
	wait
	cat "$T"/lat.* | sort -n | awk -v f="$([ -f "$T/fail" ] && wc -l <"$T/fail" || echo 0)" \
		-v us=$((${EPOCHREALTIME/./} - t0)) \
		'{ a[NR] = $1 } END { printf "%.2f %.2f %.2f %d %.0f\n", a[int((NR + 1) / 2)] / 1000,
		a[int(NR * 0.99)] / 1000, a[NR] / 1000, f, NR / (us / 1e6) }'
}

echo "writers: $W at once, $PER writes each, $(nproc) cores, $(date -u +%FT%TZ)"
read -r p50 p99 max err < <("$WR" "$(fresh "$BIN" new)" "$W" "$PER")
echo "writers: store writes        p50 $p50 ms  p99 $p99 ms  max $max ms  errors $err   [goal: p99 <= 100 ms, max <= 250 ms, 0 errors]"
if [ -n "$REF_WR" ]; then
	read -r r50 r99 rmax rerr < <("$REF_WR" "$(fresh "$REF" ref)" "$W" "$PER")
	echo "writers: store writes (ref)  p50 $r50 ms  p99 $r99 ms  max $rmax ms  errors $rerr"
	echo "writers: store writes ratio  p99 $(ratio "$p99" "$r99")x  max $(ratio "$max" "$rmax")x the reference"
fi
read -r c50 c99 cmax cerr crate < <(cli_writers "$BIN" "$(fresh "$BIN" cli)")
echo "writers: \`log\` commands      p50 $c50 ms  p99 $c99 ms  max $cmax ms  errors $cerr  $crate/s   (whole process, start-up included)"
if [ -n "$REF" ]; then
	read -r d50 d99 dmax derr drate < <(cli_writers "$REF" "$(fresh "$REF" cliref)")
	echo "writers: \`log\` commands (ref) p50 $d50 ms  p99 $d99 ms  max $dmax ms  errors $derr  $drate/s"
	echo "writers: \`log\` commands ratio p99 $(ratio "$c99" "$d99")x  max $(ratio "$cmax" "$dmax")x the reference"
fi
# One `log` alone: the queue must not cost start-up (issue 10: within 5 %).
# The two builds take turns, so a busy moment of the machine hits both.
alone() { # db_new [db_ref]
	local i s e
	: >"$T/a.new"
	: >"$T/a.ref"
	for ((i = 0; i < N; i++)); do
		s=${EPOCHREALTIME/./}
		"$BIN" --db "$1" log 1 alone >/dev/null
		e=${EPOCHREALTIME/./}
		echo $((e - s)) >>"$T/a.new"
		[ -n "$REF" ] || continue
		s=${EPOCHREALTIME/./}
		"$REF" --db "$2" log 1 alone >/dev/null
		e=${EPOCHREALTIME/./}
		echo $((e - s)) >>"$T/a.ref"
	done
}
med() { sort -n "$1" | awk '{ a[NR] = $1 } END { printf "%.3f %.3f\n", a[int((NR + 1) / 2)] / 1000, a[int(NR * 0.95)] / 1000 }'; }
alone "$(fresh "$BIN" alone)" "$([ -n "$REF" ] && fresh "$REF" aloneref)"
read -r l_med l_p95 < <(med "$T/a.new")
echo "writers: one \`log\` alone    median $l_med ms  p95 $l_p95 ms"
if [ -n "$REF" ]; then
	read -r m_med m_p95 < <(med "$T/a.ref")
	echo "writers: one \`log\` alone (ref) median $m_med ms  p95 $m_p95 ms"
	echo "writers: one \`log\` alone ratio $(ratio "$l_med" "$m_med")x the reference   [goal: at most 1.05x]"
fi

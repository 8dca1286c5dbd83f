#!/bin/sh
# Builds a reference revision of incident-tui (binary and bench helper) for
# the benchmarks to measure beside this build in the same run.
# Usage: bench/ref.sh REV DIR   -- prints nothing; DIR/build/ holds the result.
# Without git or the revision (a tarball of the sources) it fails with one line.
set -eu
rev=$1
dir=$2
want=$(git rev-parse --verify -q "$rev^{commit}" 2>/dev/null) || {
	echo "bench: no git revision '$rev' here; set BENCH_REF= to skip the reference" >&2
	exit 1
}
[ -f "$dir/.rev" ] && [ "$(cat "$dir/.rev")" = "$want" ] &&
	[ -x "$dir/build/incident-tui" ] && [ -x "$dir/build/propagate" ] && exit 0
rm -rf "$dir"
mkdir -p "$dir"
git archive "$want" | tar -x -C "$dir"
make -C "$dir" --no-print-directory -s all build/propagate >/dev/null
echo "$want" >"$dir/.rev"

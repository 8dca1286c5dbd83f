# Shared by the bench scripts (bash).  Needs $T (a scratch directory) and
# $N (runs).
# Times N runs of a command; prints "median_us p95_us".
time_runs() {
	local i s e
	: >"$T/samples"
	for ((i = 0; i < N; i++)); do
		s=${EPOCHREALTIME/./}
		"$@" >/dev/null
		e=${EPOCHREALTIME/./}
		echo $((e - s)) >>"$T/samples"
	done
	sort -n "$T/samples" | awk '{a[NR] = $1} END {
		printf "%d %d\n", a[int((NR + 1) / 2)], a[int(NR * 0.95)] }'
}

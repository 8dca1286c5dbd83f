# Shared by the bench scripts (bash).
# Times N runs of a command (needs $T, a scratch directory, and $N, the
# runs); prints "median_us p95_us".
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

# Key-to-frame of a dashboard in tmux, from its INCIDENT_TUI_TRACE file
# ("time data-version key-to-frame" in nanoseconds, one line a frame).
# Sends N selection moves (j and k in turn, 50 ms apart) to session S on
# tmux socket SOCK, then prints "p50_ms max_ms keys" over the frames drawn
# after the first move (earlier lines of the trace are left out).
# Portable awk: mawk has no asort.
key_moves() { # sock session trace n
	local sock=$1 s=$2 trace=$3 n=$4 i skip
	skip=$(wc -l <"$trace" 2>/dev/null || echo 0)
	for ((i = 0; i < n; i++)); do
		tmux -S "$sock" send-keys -t "$s" "$([ $((i % 2)) = 0 ] && echo j || echo k)"
		sleep 0.05
	done
	sleep 0.3
	tail -n +$((skip + 1)) "$trace" | awk '$3 > 0 { print $3 }' | sort -n |
		awk '{ k[NR] = $1 } END { if (NR == 0) { print "0 0 0"; exit }
			printf "%.3f %.3f %d\n", k[int((NR + 1) / 2)] / 1e6, k[NR] / 1e6, NR }'
}

#!/bin/sh
# bench/paste.sh - what a paste into the input line costs the dashboard.
#
# Drives the real dashboard in tmux at 80x24 and reads its CPU time
# (utime + stime, /proc/PID/stat) around bracketed pastes: a 1 KB one
# (the reference, same run), one just under an entry's 64 KiB limit
# (accepted, drawn) and a 1 MB one (refused whole).  Then the next start's
# first frame, against the first start's.  Goal (issue 16): the 1 MB paste
# refused in under 100 ms of CPU; the next start as fast as the first.
set -eu
BIN=${BIN:-build/incident-tui}
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
dir=$(mktemp -d)
trap 'tmux -S "$dir/s" kill-server 2>/dev/null || true; rm -rf "$dir"' EXIT
hz=$(getconf CLK_TCK)
"$BIN" --db "$dir/w.db" declare --severity P1 --title bench >/dev/null

start() { # session -> prints ms to the first frame
	t0=$(date +%s%N)
	tmux -S "$dir/s" new-session -d -s "$1" -x 80 -y 24 \
	    "exec env HOME='$dir' XDG_STATE_HOME='$dir/st' INCIDENT_TUI_USER=b '$BIN' --db '$dir/w.db'"
	until tmux -S "$dir/s" capture-pane -p -t "$1:" | grep -q 'INC-1'; do
		sleep 0.005
	done
	echo $((($(date +%s%N) - t0) / 1000000))
}
cpu_ms() { # pid
	awk -v hz="$hz" '{ print int(($14 + $15) * 1000 / hz) }' "/proc/$1/stat"
}
paste_cost() { # session bytes wait-for -> prints CPU ms of the paste
	pid=$(tmux -S "$dir/s" display -p -t "$1:" '#{pane_pid}')
	head -c "$2" /dev/zero | tr '\0' 'x' >"$dir/p.txt"
	c0=$(cpu_ms "$pid")
	tmux -S "$dir/s" load-buffer -b p "$dir/p.txt"
	tmux -S "$dir/s" paste-buffer -p -d -b p -t "$1:"
	until tmux -S "$dir/s" capture-pane -p -t "$1:" | grep -q "$3"; do
		sleep 0.01
	done
	sleep 0.2
	echo $(($(cpu_ms "$pid") - c0))
}

first=$(start a)
tmux -S "$dir/s" send-keys -t a: i
sleep 0.3
small=$(paste_cost a 1000 'xxxxxxxxxx')
tmux -S "$dir/s" send-keys -t a: C-u
near=$(paste_cost a 65000 'xxxxxxxxxx')
tmux -S "$dir/s" send-keys -t a: C-u
big=$(paste_cost a 1048576 'paste refused')
drafts=$(sqlite3 "$dir/w.db" 'SELECT coalesce(max(length(text)), 0) FROM drafts')
tmux -S "$dir/s" send-keys -t a: Escape
sleep 0.5
tmux -S "$dir/s" kill-session -t a
next=$(start b)
echo "paste of 1 KB (reference):     ${small} ms CPU"
echo "paste of 65,000 bytes:         ${near} ms CPU"
echo "paste of 1 MB, refused:        ${big} ms CPU (goal under 100)"
echo "longest draft stored:          ${drafts} bytes (limit 65536)"
echo "first frame, first start:      ${first} ms"
echo "first frame, next start:       ${next} ms ($(awk -v a="$next" -v b="$first" 'BEGIN { printf "%.2fx", b ? a / b : 0 }'))"

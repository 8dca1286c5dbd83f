#!/bin/sh
# Valgrind memcheck on the command line and a scripted dashboard session:
# every run must end with no invalid read or write, no use of uninitialised
# memory and no definite or indirect leak (what ncurses, SQLite and libcurl
# keep for the life of the process is "still reachable", not a leak).
# Usage: scripts/memcheck.sh BIN   (make memcheck)
set -eu
bin=$1
dir=$(mktemp -d /tmp/itui-memcheck.XXXXXX)
trap 'tmux -S "$dir/sock" kill-server >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
db=$dir/m.db
export HOME=$dir XDG_CONFIG_HOME=$dir/cfg XDG_DATA_HOME=$dir/data
export INCIDENT_TUI_USER=val INCIDENT_TUI_SHARE=${INCIDENT_TUI_SHARE:-$(pwd)/share/incident-tui}
vg="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect --track-origins=yes"
runs=0
bad=0

# One command under memcheck; its own exit status may be anything but 99.
check() {
	runs=$((runs + 1))
	set +e
	$vg --log-file="$dir/vg.$runs" "$bin" --db "$db" "$@" >/dev/null 2>"$dir/err.$runs" </dev/null
	st=$?
	set -e
	if [ "$st" -eq 99 ] || [ -s "$dir/vg.$runs" ]; then
		echo "memcheck: $*:" >&2
		cat "$dir/vg.$runs" >&2
		bad=$((bad + 1))
	fi
}

check declare --severity P1 --title "Checkout errors" --service checkout
check log 1 "first look: 5xx on /orders"
check log 1 --kind decision "roll back 4.2"
check ack 1
check assign 1 scribe sam
check action add 1 "Add a breaker" --owner ops --due +3d
check status 1 identified
check set 1 impact "EU customers"
check list
check list --json
check show 1
check show 1 --json
check audit 1
check update 1
check postmortem 1 -o "$dir/pm.md"
check export 1 --format csv
check handoff
check stats
check verify 1
check log 1 --at -99999999d "refused"
check declare --severity P9 --title "refused"
check --user "two words" list

# The dashboard, driven through tmux: open, help, the input line, quit.
tmux -S "$dir/sock" new-session -d -s m -x 120 -y 40 \
	"$vg --log-file=$dir/vg.tui $bin --db $db; echo EXIT=\$? > $dir/tui.exit; sleep 30"
wait_for() {
	i=0
	while ! tmux -S "$dir/sock" capture-pane -p -t m | grep -q -- "$1"; do
		i=$((i + 1))
		if [ $i -gt 300 ]; then
			echo "memcheck: the dashboard never showed '$1'" >&2
			tmux -S "$dir/sock" capture-pane -p -t m >&2
			exit 1
		fi
		sleep 0.1
	done
}
wait_for "Checkout errors"
tmux -S "$dir/sock" send-keys -t m '?'
wait_for "Help: main"
tmux -S "$dir/sock" send-keys -t m Escape
tmux -S "$dir/sock" send-keys -t m i
sleep 1
tmux -S "$dir/sock" send-keys -t m -l "from the dashboard under memcheck"
tmux -S "$dir/sock" send-keys -t m Enter
sleep 1
tmux -S "$dir/sock" send-keys -t m Escape
sleep 0.5
tmux -S "$dir/sock" send-keys -t m q
i=0
while [ ! -s "$dir/tui.exit" ]; do
	i=$((i + 1))
	[ $i -gt 300 ] && { echo "memcheck: the dashboard did not exit" >&2; exit 1; }
	sleep 0.1
done
runs=$((runs + 1))
if grep -q 'EXIT=99' "$dir/tui.exit" || [ -s "$dir/vg.tui" ]; then
	echo "memcheck: the dashboard session:" >&2
	cat "$dir/vg.tui" >&2
	bad=$((bad + 1))
fi
if ! "$bin" --db "$db" show 1 | grep -q "under memcheck"; then
	echo "memcheck: the dashboard's entry was not logged" >&2
	bad=$((bad + 1))
fi
echo "memcheck: $runs runs (the last a dashboard session), $bad with errors"
[ "$bad" -eq 0 ]

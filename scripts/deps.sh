#!/bin/sh
# Installs the Debian packages a make target needs, if any are missing.
# Usage: scripts/deps.sh build|test|bench|fuzz
# As root it runs apt-get; otherwise sudo when available; otherwise it prints
# one line naming the packages and the command, and fails.
set -eu

build="gcc make pkg-config libncurses-dev libsqlite3-dev libcurl4-openssl-dev libjansson-dev nettle-dev libmicrohttpd-dev libpq-dev"
test="$build postgresql libcriterion-dev mandoc sqlite3 tmux util-linux procps clang-format prometheus prometheus-alertmanager python3-aiosmtpd chromium openssl openssh-client valgrind"
bench="$build sqlite3 time tmux htop gawk prometheus python3"
fuzz="$build clang"

case "${1:-build}" in
build) want=$build ;;
test) want=$test ;;
bench) want=$bench ;;
fuzz) want=$fuzz ;;
*) echo "usage: $0 build|test|bench|fuzz" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1; then
	sudo="sudo"
else
	echo "incident-tui: missing Debian packages:$missing; install them with: apt-get install$missing" >&2
	exit 1
fi
echo "installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# An install can fail only because the package lists are stale or absent.
$sudo apt-get install -y -q --no-install-recommends $missing >/dev/null 2>&1 || {
	$sudo apt-get update -q >/dev/null
	$sudo apt-get install -y -q --no-install-recommends $missing >/dev/null
}

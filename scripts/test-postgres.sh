#!/usr/bin/env bash
# test-postgres.sh: run a command against a throwaway PostgreSQL cluster.
#
#   scripts/test-postgres.sh go test -race ./internal/store/...
#
# It creates a new cluster (initdb -A trust -U postgres, UTF8, C locale) in
# a temporary directory, under /dev/shm when that has room (else $TMPDIR or
# /tmp; WARDEN_PG_TMPDIR overrides), starts it on a free 127.0.0.1 port with
# its unix socket in that directory, waits until it accepts connections,
# exports
#
#   WARDEN_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:PORT/postgres?sslmode=disable
#
# runs the command, then stops the cluster (pg_ctl stop -m fast) and removes
# the directory whatever happened, and exits with the command's status.
#
# The server runs without fsync: the cluster is thrown away, so durability
# is worth nothing and speed is worth a lot.
#
# PostgreSQL refuses to run as root, so as root (CI) the cluster belongs to
# the OS user "postgres" (the Debian packages create it; override with
# WARDEN_PG_USER). The server binaries are looked up in WARDEN_PG_BINDIR,
# then in the newest /usr/lib/postgresql/*/bin, then on PATH.
set -euo pipefail

die() {
	echo "test-postgres.sh: $*" >&2
	exit 1
}

if [ "$#" -eq 0 ]; then
	echo "usage: $0 command [args...]" >&2
	exit 2
fi

# ---- find the server binaries ----
bindir="${WARDEN_PG_BINDIR:-}"
if [ -z "$bindir" ]; then
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		if [ -x "$d/initdb" ]; then
			bindir="$d"
			break
		fi
	done
fi
if [ -z "$bindir" ] && command -v initdb >/dev/null 2>&1; then
	bindir="$(dirname "$(command -v initdb)")"
fi
for b in initdb pg_ctl pg_isready postgres; do
	if [ -z "$bindir" ] || [ ! -x "$bindir/$b" ]; then
		die "PostgreSQL server binaries not found (looked for $b in ${bindir:-WARDEN_PG_BINDIR, /usr/lib/postgresql/*/bin and PATH}).
Install them (Debian: apt-get install postgresql-15) or set WARDEN_PG_BINDIR to their directory."
	fi
done

# ---- who runs the server ----
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
	pguser="${WARDEN_PG_USER:-postgres}"
	id "$pguser" >/dev/null 2>&1 ||
		die "running as root, but there is no OS user '$pguser' to run PostgreSQL as (set WARDEN_PG_USER)"
	if command -v runuser >/dev/null 2>&1; then
		as_pg=(runuser -u "$pguser" --)
	elif command -v setpriv >/dev/null 2>&1; then
		as_pg=(setpriv --reuid="$pguser" --regid="$(id -g "$pguser")" --init-groups --)
	else
		die "running as root, but neither runuser nor setpriv is available to switch to '$pguser'"
	fi
fi

# ---- the cluster ----
# In RAM when /dev/shm has room (initdb there takes about half the time it
# takes on disk); WARDEN_PG_TMPDIR overrides.
base="${WARDEN_PG_TMPDIR:-}"
if [ -z "$base" ]; then
	base="${TMPDIR:-/tmp}"
	if [ -d /dev/shm ] && [ -w /dev/shm ] &&
		[ "$(df -Pk /dev/shm 2>/dev/null | awk 'NR==2 {print $4}')" -gt 1048576 ] 2>/dev/null; then
		base=/dev/shm
	fi
fi
tmp="$(mktemp -d "$base/warden-pg.XXXXXX")"
data="$tmp/data"
sock="$tmp/sock"
log="$tmp/server.log"
mkdir -p "$sock"
if [ "${#as_pg[@]}" -gt 0 ]; then
	chown -R "$pguser" "$tmp"
fi

started=""
cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	if [ -n "$started" ]; then
		"${as_pg[@]}" "$bindir/pg_ctl" stop -D "$data" -m fast -s >/dev/null 2>&1 ||
			"${as_pg[@]}" "$bindir/pg_ctl" stop -D "$data" -m immediate -s >/dev/null 2>&1 || true
	fi
	rm -rf "$tmp"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ! "${as_pg[@]}" "$bindir/initdb" -D "$data" -A trust -U postgres -E UTF8 --locale=C \
	--no-sync --no-instructions >"$tmp/initdb.log" 2>&1; then
	cat "$tmp/initdb.log" >&2
	die "initdb failed"
fi

# A free port: ask the kernel for one (bind to port 0) where python3 is
# available, else pick at random; either way retry if the server cannot
# bind it (another process may take it first).
free_port() {
	if command -v python3 >/dev/null 2>&1; then
		python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' && return
	fi
	echo $((20000 + RANDOM % 40000))
}

port=""
for attempt in 1 2 3 4 5 6 7 8; do
	p="$(free_port)"
	rm -f "$log"
	if "${as_pg[@]}" "$bindir/pg_ctl" start -D "$data" -l "$log" -w -t 30 -s \
		-o "-c listen_addresses=127.0.0.1 -p $p -k $sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
		>/dev/null 2>&1; then
		port="$p"
		started=1
		break
	fi
	# A server that started but failed the wait must not be left running.
	"${as_pg[@]}" "$bindir/pg_ctl" stop -D "$data" -m immediate -s >/dev/null 2>&1 || true
	if ! grep -qiE "could not (bind|create listen)|address already in use" "$log"; then
		cat "$log" >&2
		die "pg_ctl start failed (attempt $attempt, port $p)"
	fi
done
[ -n "$port" ] || {
	cat "$log" >&2
	die "could not find a free port for PostgreSQL"
}

ready=""
for _ in $(seq 1 100); do
	if "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres; then
		ready=1
		break
	fi
	sleep 0.05
done
if [ -z "$ready" ]; then
	cat "$log" >&2
	die "PostgreSQL on 127.0.0.1:$port did not become ready"
fi

export WARDEN_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
echo "test-postgres.sh: PostgreSQL $("$bindir/postgres" --version | sed -n 's/^postgres (PostgreSQL) \([^ ]*\).*/\1/p') on 127.0.0.1:$port (data in $data)" >&2

set +e
"$@"
status=$?
set -e
exit "$status"

#!/usr/bin/env bash
# scripts/test.sh — the one command that runs Herald's whole test suite.
#
# It brings up everything the tests need, on 127.0.0.1 only, in a throwaway
# directory that is removed on exit:
#   - redis-server      (Debian package redis-server, installed when missing)
#   - PostgreSQL        (Debian package postgresql, installed when missing)
#   - Prism             (npm @stoplight/prism-cli, for the Twilio contract test)
#   - Chromium + playwright-core (Debian chromium, npm playwright-core) for the
#     console's browser test
# and then runs `go test` in every Go module of the repository. Extra
# arguments are passed to `go test` (for example -race or -run).
#
# Environment handed to the tests:
#   HERALD_REDIS_ADDR      host:port of the throwaway Redis
#   HERALD_POSTGRES_DSN    DSN of the throwaway PostgreSQL database
#   HERALD_PRISM           path to the prism binary
#   HERALD_CHROMIUM        path to the chromium binary
#   HERALD_NODE_MODULES    node_modules folder holding playwright-core
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

log() { printf '==> %s\n' "$*" >&2; }

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
		log "need root to run: $*"; return 1
	fi
}

apt_updated=0
need_pkg() { # need_pkg <command-to-test> <debian packages...>
	local probe=$1; shift
	if ! eval "$probe" >/dev/null 2>&1; then
		log "installing Debian packages: $*"
		if [ $apt_updated -eq 0 ]; then as_root apt-get update -q >/dev/null || true; apt_updated=1; fi
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >/dev/null
	fi
}

free_port() {
	local p
	for _ in $(seq 1 200); do
		p=$((20000 + RANDOM % 20000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
	done
	log "no free port found"; return 1
}

wait_for() { # wait_for <seconds> <command...>
	local deadline=$((SECONDS + $1)); shift
	until "$@" >/dev/null 2>&1; do
		if [ $SECONDS -ge $deadline ]; then return 1; fi
		sleep 0.2
	done
}

work=$(mktemp -d "${TMPDIR:-/tmp}/herald-test.XXXXXX")
chmod 755 "$work"
pids=()
pg_bin=""
pg_data=""
cleanup() {
	set +e
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
	if [ -n "$pg_data" ] && [ -n "$pg_bin" ]; then
		run_pg "$pg_bin/pg_ctl" -D "$pg_data" -m immediate stop >/dev/null 2>&1
	fi
	for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

# --- Redis -------------------------------------------------------------------
need_pkg "command -v redis-server" redis-server
redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no \
	--dir "$work" --logfile "$work/redis.log" &
pids+=($!)
wait_for 20 bash -c "exec 3<>/dev/tcp/127.0.0.1/$redis_port" || { log "redis did not start"; cat "$work/redis.log" >&2; exit 1; }
export HERALD_REDIS_ADDR="127.0.0.1:$redis_port"
log "redis on $HERALD_REDIS_ADDR"

# --- PostgreSQL ----------------------------------------------------------------
need_pkg "ls /usr/lib/postgresql/*/bin/initdb" postgresql
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
run_pg() {
	if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
pg_data="$work/pg"
mkdir -p "$pg_data"
if [ "$(id -u)" -eq 0 ]; then chown postgres "$pg_data"; fi
run_pg "$pg_bin/initdb" -D "$pg_data" -U postgres --auth=trust -E UTF8 >"$work/initdb.log" 2>&1 ||
	{ log "initdb failed"; cat "$work/initdb.log" >&2; exit 1; }
pg_port=$(free_port)
run_pg "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_data/server.log" -w -t 60 \
	-o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_data -c fsync=off -c max_connections=200" start >/dev/null ||
	{ log "postgres did not start"; cat "$pg_data/server.log" >&2; exit 1; }
run_pg "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres herald
export HERALD_POSTGRES_DSN="postgres://postgres@127.0.0.1:$pg_port/herald?sslmode=disable"
log "postgres on 127.0.0.1:$pg_port"

# --- Node tools: Prism (contract test) and playwright-core (browser test) -------
node_dir="$root/.cache/node"
need_pkg "command -v npm" nodejs npm
npm_install() { # npm_install <probe path under node_modules> <packages...>
	local probe=$1; shift
	if [ ! -e "$node_dir/node_modules/$probe" ]; then
		log "installing with npm: $*"
		mkdir -p "$node_dir"
		[ -f "$node_dir/package.json" ] || echo '{"name":"herald-test-tools","private":true}' >"$node_dir/package.json"
		(cd "$node_dir" && npm install --no-audit --no-fund --silent "$@" >/dev/null)
	fi
}
npm_install .bin/prism @stoplight/prism-cli@5
export HERALD_PRISM="$node_dir/node_modules/.bin/prism"
export HERALD_NODE_MODULES="$node_dir/node_modules"

# The console's browser test needs headless Chromium and playwright-core.
if [ -d notify/console/e2e ]; then
	need_pkg "command -v chromium" chromium
	npm_install playwright-core playwright-core
	export HERALD_CHROMIUM=$(command -v chromium)
fi

# --- Go tests in every module ----------------------------------------------------
status=0
while IFS= read -r mod; do
	dir=$(dirname "$mod")
	log "go test $* ./... in ${dir#./}"
	(cd "$dir" && go test "$@" ./...) || status=1
done < <(find . -name go.mod -not -path './.cache/*' -not -path '*/node_modules/*' | sort)
exit $status

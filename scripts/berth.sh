#!/usr/bin/env bash
# Berth's entry points: `npm start` (Berth with embedded defaults), `npm test` (every test),
# `npm run dev` (development server). Each provisions Node 24 and dependencies when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/node24.sh
. scripts/node24.sh
export NEXT_TELEMETRY_DISABLED=1

ensure_deps() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "berth: installing dependencies (npm ci)"
    npm ci --no-audit --no-fund
  fi
}

ensure_build() {
  local stamp=.next/BUILD_ID
  if [ ! -f "$stamp" ] || [ -n "$(find app components lib db proxy.ts server.ts next.config.ts package-lock.json -newer "$stamp" -print -quit)" ]; then
    echo "berth: building (next build)"
    npx next build
  fi
}

ensure_chromium() {
  if [ -x "${BERTH_CHROMIUM:-/usr/bin/chromium}" ]; then return; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "berth: installing Debian's chromium for the browser tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "berth: browser tests need Debian's chromium: sudo apt-get install chromium (or set BERTH_CHROMIUM)" >&2
    exit 1
  fi
}

# Argo CD's cache in the test environment is Debian's redis-server.
ensure_redis() {
  if command -v "${BERTH_REDIS_SERVER:-redis-server}" >/dev/null; then return; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "berth: installing Debian's redis-server for the test environment's Argo CD"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  else
    echo "berth: the test environment needs Debian's redis-server: sudo apt-get install redis-server" >&2
    exit 1
  fi
}

case "${1:-}" in
  start)
    ensure_deps
    ensure_build
    if [ -z "${BERTH_AUTH_PROVIDER:-}" ] || [ "${BERTH_AUTH_PROVIDER}" = dev ]; then
      # The quick start: no identity provider configured, so the demo provider is enabled
      # explicitly (Berth logs a warning at every start in this mode).
      export BERTH_ALLOW_DEV_OIDC="${BERTH_ALLOW_DEV_OIDC:-true}"
      echo "berth: embedded defaults: demo sign-in at ${BERTH_URL:-http://localhost:${PORT:-3000}} (not for production)"
    fi
    NODE_ENV=production exec node_modules/.bin/tsx server.ts
    ;;
  dev)
    ensure_deps
    NODE_ENV=development exec node_modules/.bin/tsx server.ts --dev
    ;;
  test)
    ensure_deps
    echo "berth: lint (Biome, import layers)" && npm run --silent lint
    ensure_chromium
    ensure_redis
    echo "berth: type check"
    npx tsc --noEmit
    # The real test environment (kube-apiserver + etcd, controllers, kwok, Gitea, helm, Argo CD;
    # built from Go modules on the first run) serves the testenv Vitest project and the
    # live-status browser journey.
    echo "berth: test environment (scripts/testenv/)"
    node_modules/.bin/tsx scripts/testenv/cli.ts start
    trap 'node_modules/.bin/tsx scripts/testenv/cli.ts stop >/dev/null 2>&1 || true' EXIT
    export BERTH_TESTENV_FILE="$PWD/.data/testenv/env.json"
    echo "berth: unit and integration tests (Vitest, real PostgreSQL, real kube-apiserver and Gitea)"
    npx vitest run
    echo "berth: end-to-end tests (Playwright, Chromium, production build)"
    npx next build
    rm -rf .data/e2e .data/e2e-live
    npx playwright test
    ;;
  *)
    echo "usage: scripts/berth.sh start|dev|test" >&2
    exit 2
    ;;
esac

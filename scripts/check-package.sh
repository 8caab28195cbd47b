#!/usr/bin/env bash
# Checks the package as npm would publish it: builds when the build is
# missing or older than the sources, copies what `files` allowlists into a
# staging directory, packs it, then runs publint (strict) and
# arethetypeswrong on the tarball.
#
#   bash scripts/check-package.sh                 # lint only
#   bash scripts/check-package.sh --pack-to DIR   # lint, then leave the tarball in DIR
#
# The last line printed with --pack-to is `tarball=<absolute path>`.
#
# arethetypeswrong runs with its default "strict" profile and no ignored
# rule: every entry point must resolve with types under node10 (through
# `typesVersions`), node16 from CommonJS, node16 from ESM, and bundlers.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

pack_to=""
if [ "${1:-}" = "--pack-to" ]; then
  pack_to=$(cd "${2:?--pack-to needs a directory}" && pwd)
fi

needs_build() {
  local stamp=dist/cjs/package.json
  [ -f "$stamp" ] && [ -f dist/esm/package.json ] && [ -f dist/miniprogram/index.js ] || return 0
  [ -n "$(find src adapters packages/*/src packages/*/tsconfig.json packages/*/scripts tsconfig.json tsconfig.build.json \
    tsconfig.esm.json scripts/build.mjs -newer "$stamp" -print -quit)" ]
}

if needs_build; then
  echo "check-package: build missing or stale, building"
  npm run --silent build
fi

stage=$(mktemp -d "${TMPDIR:-/tmp}/wxs-package-XXXXXX")
trap 'rm -rf "$stage"' EXIT

# Copy package.json and the allowlisted files, then make sure every target of
# `exports`, `main` and `types` is there. A build running at the same moment
# (another test rebuilding the mini-program client) can leave a file missing
# for an instant: copy again when that happens.
stage_copy() {
  rm -rf "${stage:?}"/*
  node -e '
    const { cpSync, existsSync, readFileSync } = require("node:fs");
    const { join } = require("node:path");
    const [root, stage] = process.argv.slice(1);
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    cpSync(join(root, "package.json"), join(stage, "package.json"));
    for (const entry of pkg.files ?? []) {
      if (existsSync(join(root, entry))) cpSync(join(root, entry), join(stage, entry), { recursive: true });
    }
    const targets = [pkg.main, pkg.types];
    const walk = (node) => (typeof node === "string" ? targets.push(node) : Object.values(node ?? {}).forEach(walk));
    walk(pkg.exports);
    const missing = targets.filter((t) => t && !existsSync(join(stage, t)));
    if (missing.length) {
      console.error(`check-package: missing after copy: ${missing.join(", ")}`);
      process.exit(3);
    }
  ' "$root" "$stage"
}

for attempt in 1 2 3 4 5; do
  if stage_copy; then break; fi
  if [ "$attempt" = 5 ]; then
    echo "check-package: the package is incomplete (run npm run build)" >&2
    exit 1
  fi
  sleep 1
done

# Pack once, then lint exactly that tarball.
out=${pack_to:-$stage/out}
mkdir -p "$out"
name=$(cd "$stage" && npm pack --ignore-scripts --silent --pack-destination "$out" 2>/dev/null | tail -n 1)
tarball="$out/$name"

echo "check-package: publint --strict $name"
npx --no-install publint run --strict "$tarball"

echo "check-package: attw (profile strict) $name"
npx --no-install attw "$tarball" --profile strict --format table-flipped --no-color

if [ -n "$pack_to" ]; then
  echo "tarball=$tarball"
fi

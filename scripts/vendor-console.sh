#!/usr/bin/env bash
# Re-vendors the web console's libraries from the npm registry at the pinned versions below,
# with their licence files, into crates/scrm-console/assets/vendor/ (compiled into the binary).
# No build step: the files are the packages' own ES module builds. The one change made here:
# Preact's hooks import the bare name "preact", which a browser cannot resolve without an
# import map (an inline script, which the console's CSP forbids); it becomes "./preact.mjs".
# Source maps are left out (their comment is dropped).
set -euo pipefail

cd "$(dirname "$0")/.."
PREACT_VERSION="11.2.0"
HTM_VERSION="3.1.1"
OUT="crates/scrm-console/assets/vendor"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

(cd "$WORK" && npm pack --silent "preact@$PREACT_VERSION" "htm@$HTM_VERSION" >/dev/null)
mkdir -p "$WORK/preact" "$WORK/htm" "$OUT"
tar xzf "$WORK/preact-$PREACT_VERSION.tgz" -C "$WORK/preact"
tar xzf "$WORK/htm-$HTM_VERSION.tgz" -C "$WORK/htm"

strip_map() { sed -e '/^\/\/# sourceMappingURL=/d' "$1"; }
strip_map "$WORK/preact/package/dist/preact.mjs" >"$OUT/preact.mjs"
strip_map "$WORK/preact/package/hooks/dist/hooks.mjs" |
  sed -e 's/from"preact"/from"\.\/preact\.mjs"/g' >"$OUT/hooks.mjs"
grep -q 'from"./preact.mjs"' "$OUT/hooks.mjs" || { echo "hooks.mjs: import not rewritten" >&2; exit 1; }
strip_map "$WORK/htm/package/dist/htm.module.js" >"$OUT/htm.mjs"
cp "$WORK/preact/package/LICENSE" "$OUT/LICENSE-preact"
cp "$WORK/htm/package/LICENSE" "$OUT/LICENSE-htm"
cat >"$OUT/VERSIONS" <<VERSIONS
preact $PREACT_VERSION (dist/preact.mjs, hooks/dist/hooks.mjs) MIT, LICENSE-preact
htm $HTM_VERSION (dist/htm.module.js as htm.mjs) Apache-2.0, LICENSE-htm
re-vendor with scripts/vendor-console.sh
VERSIONS
echo "vendored preact $PREACT_VERSION and htm $HTM_VERSION into $OUT"

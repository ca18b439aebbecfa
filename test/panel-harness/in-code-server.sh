#!/usr/bin/env bash
# The panel in a real VS Code (code-server from the e2e setup): packages a private .vsix, starts a private
# code-server on loopback, and runs in-code-server.mjs (CSP, messages, serializer, themes).
# Complements the harness: the harness covers the themes and scenarios, this covers the real host.
#   bash test/panel-harness/in-code-server.sh        (needs: bash test/e2e/setup.sh done once)
# Screenshots: test-output/panel/vscode-*.png. Nothing is shared with test/e2e's outputs.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
CS_LOG_TAG=panel
OUT="$ROOT/test-output/panel"
mkdir -p "$OUT" "$ROOT/test-output/panel-vsix"
export VSIX_PATH="$ROOT/test-output/panel-vsix/zfs-direct-io-assistant.vsix"
# shellcheck source=test/e2e/code-server-lib.sh
source "$ROOT/test/e2e/code-server-lib.sh"
SCRATCH=""
cleanup() { local rc=$?; cs_stop; [ -n "$SCRATCH" ] && rm -rf "$SCRATCH"; exit "$rc"; }
trap cleanup EXIT

node scripts/build.mjs --production > /dev/null
npx vsce package --no-dependencies --allow-missing-repository --no-rewrite-relative-links -o "$VSIX_PATH" > "$OUT/vsce.log" 2>&1 || { tail -n 20 "$OUT/vsce.log"; exit 1; }
SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/zfs-dio-panel.XXXXXX")"
cs_prepare "$SCRATCH"
cp -R "$ROOT/samples" "$SCRATCH/samples"
PORT="$(cs_free_port)"
cs_start "$PORT" "$SCRATCH/samples"
cs_wait_ready "$PORT" 60
E2E_URL="$CS_URL" E2E_WORKSPACE="$SCRATCH/samples" E2E_OUT="$OUT" E2E_ROOT="$ROOT" CS_SETTINGS="$SCRATCH/user-data/User/settings.json" \
  node "$ROOT/test/panel-harness/in-code-server.mjs"

#!/usr/bin/env bash
# `npm start`: try the extension in a real VS Code in your browser, without installing VS Code.
#   - installs what is missing (Debian libkrb5-dev/ripgrep/build tools via apt, code-server from npm; once; no browser:
#     you open the URL in your own);
#   - builds and packages the extension, installs the .vsix into a private extensions dir;
#   - opens a scratch copy of samples/ in code-server on http://127.0.0.1:<port>/ and waits for Ctrl+C
#     (it blocks this terminal: run `npm test` in another one).
# Your VS Code settings in it (.vscode-e2e/start/user-data) are kept from one start to the next; delete that
# directory to start over with the quiet defaults.
#
# Usage: npm start                   open a fresh copy of samples/
#        npm start -- /path/to/code  open your own folder instead (used in place, not copied)
#        PORT=8080 npm start         use that port instead of a free one
#
# Safety: the server binds to 127.0.0.1 only. It runs without a password, which is acceptable only because
# no other machine can reach a loopback socket. Do not change the bind address to expose it.
#
# Why a copy of samples/: the quick fixes edit files, and experiments should not show up in `git status`.
# The copy lives in .vscode-e2e/start/ (gitignored) and is replaced by a fresh one at every start.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CS_LOG_TAG=start
# shellcheck source=../test/e2e/code-server-lib.sh
source "$ROOT/test/e2e/code-server-lib.sh"

FOLDER="${1:-}"
if [ -n "$FOLDER" ]; then
  [ -d "$FOLDER" ] || cs_die "not a directory: $FOLDER"
  FOLDER="$(cd "$FOLDER" && pwd)"
fi
REQUESTED_PORT="${PORT:-}"
if [ -n "$REQUESTED_PORT" ] && ! [[ "$REQUESTED_PORT" =~ ^[0-9]+$ && "$REQUESTED_PORT" -ge 1 && "$REQUESTED_PORT" -le 65535 ]]; then
  cs_die "PORT must be a number from 1 to 65535 (got '$REQUESTED_PORT')"
fi

cleanup() { cs_stop; }
trap cleanup EXIT
trap 'echo; cs_log "stopping"; exit 0' INT TERM

bash "$ROOT/test/e2e/setup.sh" --start

cs_log "building and packaging the extension"
mkdir -p "$ROOT/dist-vsix"
PACKAGE_LOG="$ROOT/.vscode-e2e/package.log"
npm run --silent package > "$PACKAGE_LOG" 2>&1 || { tail -n 30 "$PACKAGE_LOG" >&2; cs_die "npm run package failed (log: $PACKAGE_LOG)"; }

WORK="$ROOT/.vscode-e2e/start"
# The extension is reinstalled each time so a start always shows the current build; the settings stay.
rm -rf "$WORK/extensions"
CS_KEEP_SETTINGS=1 cs_prepare "$WORK"
if [ -z "$FOLDER" ]; then
  rm -rf "$WORK/samples"
  cp -R "$ROOT/samples" "$WORK/samples"
  FOLDER="$WORK/samples"
fi

PORT_TO_USE="${REQUESTED_PORT:-$(cs_free_port)}"
if ! node -e 'const s = require("net").createServer(); s.once("error", () => process.exit(1));
              s.listen(+process.argv[1], "127.0.0.1", () => s.close());' "$PORT_TO_USE"; then
  cs_die "port $PORT_TO_USE on 127.0.0.1 is already in use; choose another with PORT=..."
fi
# The samples copy is ours, so it is trusted. A folder you name goes through VS Code's normal Workspace Trust
# question, because the probe runs commands and the extension honours Restricted Mode.
if [ -n "${1:-}" ]; then CS_WORKSPACE_TRUST=1; fi
CS_WORKSPACE_TRUST="${CS_WORKSPACE_TRUST:-0}" cs_start "$PORT_TO_USE" "$FOLDER"
cs_wait_ready "$PORT_TO_USE" 60
CS_VERSION="$(node -p 'require(process.argv[1]).version' "$ROOT/.vscode-e2e/node_modules/code-server/package.json")"

cat <<EOF

  ZFS Direct I/O Assistant is running in VS Code (code-server $CS_VERSION).

      Open:  $CS_URL

  Workspace: $FOLDER
  Listening on 127.0.0.1:$PORT_TO_USE only (no password; not reachable from other machines).
  From another machine use an SSH tunnel:  ssh -L $PORT_TO_USE:127.0.0.1:$PORT_TO_USE <this-host>
  Server log: $WORK/code-server.log
  Press Ctrl+C to stop. This terminal stays busy until then: run npm test in another one.

EOF

# Wait for the server; if it dies on its own, say so and fail.
while kill -0 "$CS_PID" 2>/dev/null; do sleep 1; done
wait "$CS_PID" 2>/dev/null && rc=0 || rc=$?
CS_PID=""
cs_die "code-server exited unexpectedly (exit $rc); see $WORK/code-server.log"

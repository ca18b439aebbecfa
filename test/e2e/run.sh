#!/usr/bin/env bash
# `npm run test:e2e`: the extension in a real VS Code workbench, driven by Playwright.
#   1. installs what is missing (test/e2e/setup.sh: Debian chromium, code-server from npm, ...);
#   2. packages the .vsix (npm run package) and installs it into a fresh extensions dir;
#   3. starts code-server on 127.0.0.1 (free port, no auth, fresh user data) on a COPY of samples/,
#      because the quick-fix test edits files;
#   4. runs the Playwright specs (test/e2e/workbench.spec.mjs, then trace.spec.mjs and package.spec.mjs) with Debian's chromium;
#   5. always stops code-server and removes the scratch dir; exits non-zero on any failure.
# Screenshots and logs: test-output/e2e/. Set E2E_KEEP=1 to keep the scratch dir for debugging.
# E2E_SPECS="package" (or any of workbench, trace, package, untrusted) runs only those specs while working on
# them; CI=true refuses a subset.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
CS_LOG_TAG=e2e
# shellcheck source=test/e2e/code-server-lib.sh
source "$ROOT/test/e2e/code-server-lib.sh"

OUT="$ROOT/test-output/e2e"
START=$SECONDS
lap() { cs_log "$* ($((SECONDS - START)) s)"; }

SCRATCH=""
cleanup() {
  local rc=$?
  cs_stop
  if [ -n "$SCRATCH" ] && [ -d "$SCRATCH" ]; then
    # Keep the server log next to the screenshots: it is the first thing to read when a run fails.
    [ -n "${CS_WORK:-}" ] && [ -f "$CS_WORK/code-server.log" ] && cp "$CS_WORK/code-server.log" "$OUT/$CS_LOG_NAME" 2>/dev/null
    if [ "${E2E_KEEP:-0}" = 1 ]; then cs_log "kept $SCRATCH"; else rm -rf "$SCRATCH"; fi
  fi
  if [ "$rc" = 0 ]; then lap "PASSED"; else lap "FAILED (exit $rc); screenshots and logs in $OUT"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ALL_SPECS="workbench trace package untrusted"
E2E_SPECS=${E2E_SPECS:-$ALL_SPECS}
for spec in $E2E_SPECS; do
  case " $ALL_SPECS " in *" $spec "*) ;; *) cs_die "E2E_SPECS: unknown spec '$spec' ($ALL_SPECS)" ;; esac
done
if [ "${CI:-}" = true ] && [ "$E2E_SPECS" != "$ALL_SPECS" ]; then
  cs_die "CI=true runs every spec; E2E_SPECS='$E2E_SPECS' leaves some out"
fi
wants() { case " $E2E_SPECS " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

rm -rf "$OUT"
mkdir -p "$OUT"

# A fresh clone has no node_modules yet (playwright-core and the build tools are devDependencies).
[ -f "$ROOT/scripts/ensure-deps.mjs" ] && node "$ROOT/scripts/ensure-deps.mjs"
bash "$ROOT/test/e2e/setup.sh"
lap "setup done"

# vsce does not create the output directory of -o.
mkdir -p "$ROOT/dist-vsix"
rm -f "$VSIX_PATH"
npm run --silent package > "$OUT/package.log" 2>&1 || { tail -n 30 "$OUT/package.log" >&2; cs_die "npm run package failed (log: $OUT/package.log)"; }
lap "packaged $(basename "$VSIX_PATH")"

SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/zfs-dio-e2e.XXXXXX")"
CS_LOG_NAME=code-server.log
cs_prepare "$SCRATCH"
# The folder is named like the original so the Explorer shows SAMPLES.
cp -R "$ROOT/samples" "$SCRATCH/samples"
PORT="$(cs_free_port)"
cs_start "$PORT" "$SCRATCH/samples"
cs_wait_ready "$PORT" 60
lap "code-server up at $CS_URL"

run_spec() {   # run_spec SPEC WORKSPACE [screenshot prefix]
  E2E_URL="$CS_URL" E2E_WORKSPACE="$2" E2E_OUT="$OUT" E2E_ROOT="$ROOT" E2E_SHOT_PREFIX="${3:-}" \
    CHROMIUM="${CHROMIUM:-/usr/bin/chromium}" \
    node --test --test-reporter=spec --test-concurrency=1 "$ROOT/test/e2e/$1"
}

failed=0
if wants workbench; then run_spec workbench.spec.mjs "$SCRATCH/samples" || failed=1; fi
if wants trace; then run_spec trace.spec.mjs "$SCRATCH/samples" trace- || failed=1; fi
# The extension's details page and its settings, on the same server.
if wants package; then run_spec package.spec.mjs "$SCRATCH/samples" package- || failed=1; fi
cp "$CS_WORK/code-server.log" "$OUT/code-server.log" 2>/dev/null || true
cs_stop

if ! wants untrusted; then exit "$failed"; fi
# Second server, same .vsix: Workspace Trust on and the folder not trusted (Restricted Mode).
CS_LOG_NAME=code-server-untrusted.log
cs_prepare "$SCRATCH/untrusted"
cs_untrusted_settings
cp -R "$ROOT/samples" "$SCRATCH/untrusted/samples"
PORT="$(cs_free_port)"
CS_WORKSPACE_TRUST=1 cs_start "$PORT" "$SCRATCH/untrusted/samples"
cs_wait_ready "$PORT" 60
lap "code-server (untrusted folder) up at $CS_URL"
run_spec untrusted.spec.mjs "$SCRATCH/untrusted/samples" untrusted- || failed=1
exit "$failed"

#!/usr/bin/env bash
# npm run test:editors: the language server in real editors other than VS Code. Opens every sample in
# headless Neovim (Debian 12's 0.7.2, built-in LSP client) and in batch-mode Emacs 30 with eglot, both
# configured as docs/editors.md says, and asserts that each editor shows the same diagnostics (rule id and
# line) as `zfs-dio scan` prints for those files, and a hover naming the rule. Installs the editors with apt
# (test/editors/setup.sh). With CI=true a missing editor fails the run; otherwise the suite says so and skips.
set -uo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
here="$repo/test/editors"
log() { echo "[test:editors] $*" >&2; }

if ! bash "$here/setup.sh"; then
  if [[ "${CI:-}" == true ]]; then log "CI=true: the editors could not be installed"; exit 1; fi
  log "skipped: neovim and emacs (>= 29) are needed (run as root to install them)"
  exit 0
fi

[[ -f "$repo/dist/cli.js" ]] || (cd "$repo" && node scripts/build.mjs) || { log "build failed"; exit 1; }
work="$(mktemp -d "${TMPDIR:-/tmp}/zfs-dio-editors.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp -r "$repo/samples" "$work/samples"
workspace="$work/samples"
mapfile -t files < <(find "$workspace" -type f \( -name '*.c' -o -name '*.cpp' -o -name '*.rs' -o -name '*.go' -o -name '*.py' \) | sort)
((${#files[@]})) || { log "no sample files under $workspace"; exit 1; }

# What the command line finds: "<file> <RULE>:<line>", sorted.
node "$repo/dist/cli.js" scan --format json "${files[@]}" > "$work/scan.json"
status=$?
((status == 0 || status == 1)) || { log "zfs-dio scan failed ($status)"; exit 1; }
node -e '
  const path = require("node:path");
  const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
  console.log(r.findings.map((f) => `${path.resolve(f.file)} ${f.ruleId}:${f.line}`).sort().join("\n"));
' "$work/scan.json" > "$work/expected.txt"
log "zfs-dio scan: $(wc -l < "$work/expected.txt") findings in ${#files[@]} sample files"

export ZFS_DIO_CLI="$repo/dist/cli.js" ZFS_DIO_WORKSPACE="$workspace"
ZFS_DIO_FILES="$(printf '%s\n' "${files[@]}")"
export ZFS_DIO_FILES

failed=0
check() {
  local editor=$1 out=$2
  if [[ ! -s "$out" ]]; then log "$editor: no output"; failed=1; return; fi
  if grep -q '^FAIL ' "$out"; then grep '^FAIL ' "$out" | sed "s/^/[$editor] /" >&2; failed=1; fi
  grep -v '^FAIL ' "$out" | sort > "$out.sorted"
  if diff -u "$work/expected.txt" "$out.sorted" > "$out.diff"; then
    log "$editor: the same $(wc -l < "$out.sorted") diagnostics as zfs-dio scan, and hovers"
  else
    log "$editor: diagnostics differ from zfs-dio scan (- scan, + $editor):"; cat "$out.diff" >&2; failed=1
  fi
}

log "neovim: $(nvim --version | head -n1)"
ZFS_DIO_OUT="$work/nvim.txt" timeout 300 nvim --headless -u NONE -i NONE -n --cmd 'set noswapfile' \
  -c "luafile $here/nvim-check.lua" > "$work/nvim.log" 2>&1 || { log "neovim exited with $?"; cat "$work/nvim.log" >&2; }
check neovim "$work/nvim.txt"

log "emacs: $(emacs --version | head -n1)"
ZFS_DIO_OUT="$work/emacs.txt" timeout 300 emacs --batch -Q -l "$here/emacs-check.el" > "$work/emacs.log" 2>&1 \
  || { log "emacs exited with $?"; tail -n 30 "$work/emacs.log" >&2; }
check emacs "$work/emacs.txt"

exit $failed

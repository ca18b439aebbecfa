#!/usr/bin/env bash
# Installs what `npm start` and the end-to-end suite need, idempotently:
#   - Debian packages: libkrb5-dev (headers for code-server's native 'kerberos' module), ripgrep (to pre-seed
#     @vscode/ripgrep, see below) and a C/C++ toolchain for the native modules code-server builds with node-gyp;
#     for the tests only (not with --start), chromium (the browser Playwright drives) and a font;
#   - code-server (a real VS Code workbench served over HTTP) from npm into .vscode-e2e/.
# Usage: setup.sh           everything the tests need
#        setup.sh --start   only what `npm start` needs: the user opens the URL in their own browser
# apt installs only the missing packages, without recommended packages, and never upgrades an installed one:
# when a package would pull in upgrades, the script stops and prints the apt-get command to run yourself.
# A second run with everything present takes well under a second.
# Any failure exits non-zero with a message saying what is missing; nothing is skipped.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
E2E_DIR="${E2E_DIR:-$ROOT/.vscode-e2e}"
# 4.100.3 ships VS Code 1.100.3 and is the newest code-server whose postinstall accepts Node 20.
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.100.3}"
MARKER="$E2E_DIR/.installed-code-server-$CODE_SERVER_VERSION"

log() { printf '[e2e-setup] %s\n' "$*" >&2; }
die() { printf '[e2e-setup] ERROR: %s\n' "$*" >&2; exit 1; }

# ---- Node ---------------------------------------------------------------------------------------------
command -v node >/dev/null || die "node is not on PATH (Node 20 is required)."
NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]')"
# code-server 4.100.x refuses other Node majors in its postinstall, and its server runs on this node.
[ "$NODE_MAJOR" = 20 ] || die "Node $NODE_MAJOR found; code-server $CODE_SERVER_VERSION needs Node 20."

# ---- Debian packages ----------------------------------------------------------------------------------
FOR_START=0
case "${1:-}" in
  "") ;;
  --start) FOR_START=1 ;;
  *) die "unknown argument '$1' (usage: setup.sh [--start])" ;;
esac
# Each entry is "package:proof", where proof is an absolute file path or a command name on PATH.
APT_NEEDS=(
  "libkrb5-dev:/usr/include/gssapi/gssapi.h"
  "ripgrep:/usr/bin/rg"
  "g++:g++"
  "make:make"
  "python3:python3"
  "pkg-config:pkg-config"
  # the trace command's e2e test runs a program under strace
  "strace:/usr/bin/strace"
)
if [ "$FOR_START" = 0 ]; then
  APT_NEEDS+=(
    "chromium:/usr/bin/chromium"
    # Installs skip recommended packages, and chromium only recommends fonts: without one, screenshots have no text.
    "fonts-dejavu-core:/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
  )
fi
# How long to wait for a dpkg/apt lock held by another apt process (unattended-upgrades at first boot is common).
APT_LOCK_WAIT_S="${APT_LOCK_WAIT_S:-900}"

# apt_run ARGS...: runs `$SUDO apt-get ARGS` with its output in $APT_LOG. While another process holds the apt or
# dpkg lock, says so once and tries again every 5 s, up to APT_LOCK_WAIT_S; apt's own wait would print one line
# per second.
apt_run() {
  local waited=0 said=0
  while :; do
    if $SUDO apt-get -o DPkg::Lock::Timeout=0 "$@" > "$APT_LOG" 2>&1; then return 0; fi
    if ! grep -qE 'Could not get lock|Unable to acquire the dpkg frontend lock|Unable to lock (the )?directory' "$APT_LOG"; then
      return 1
    fi
    local holder
    holder="$(grep -oE 'held by process [0-9]+( \([^)]*\))?' "$APT_LOG" | head -n 1 || true)"
    if [ "$waited" -ge "$APT_LOCK_WAIT_S" ]; then
      die "another apt or dpkg process still holds its lock after ${APT_LOCK_WAIT_S} s${holder:+ ($holder)}. \
Let it finish (often unattended-upgrades after a first boot), then run the same command again; \
APT_LOCK_WAIT_S=SECONDS waits longer."
    fi
    if [ "$said" = 0 ]; then
      log "waiting for another apt or dpkg process to release its lock${holder:+ ($holder)}; up to ${APT_LOCK_WAIT_S} s..."
      said=1
    fi
    sleep 5
    waited=$((waited + 5))
  done
}

present() { case "$1" in /*) [ -e "$1" ] ;; *) command -v "$1" >/dev/null ;; esac; }
missing=()
for entry in "${APT_NEEDS[@]}"; do
  present "${entry#*:}" || missing+=("${entry%%:*}")
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || die "need root (or sudo) to run: apt-get install -y --no-install-recommends ${missing[*]}"
    SUDO="sudo"
  fi
  command -v apt-get >/dev/null || die "apt-get not found; install these packages yourself: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  mkdir -p "$E2E_DIR"
  APT_LOG="$E2E_DIR/apt.log"
  # The package lists may be empty (fresh container) or stale, so always refresh before installing.
  apt_run update -q || { tail -n 20 "$APT_LOG" >&2; die "apt-get update failed (is the Debian archive reachable?); log: $APT_LOG"; }
  APT_INSTALL=(install -y -q --no-install-recommends --no-upgrade)
  # --no-upgrade only protects the packages named on the command line; a dependency that needs a newer
  # version of an installed library would still upgrade it. Simulate first: "Inst NAME [OLD] (NEW ...)"
  # is an upgrade of an installed package.
  apt_run "${APT_INSTALL[@]}" --simulate "${missing[@]}" \
    || { tail -n 20 "$APT_LOG" >&2; die "apt-get cannot install ${missing[*]}; log: $APT_LOG"; }
  upgrades="$(sed -nE 's/^Inst ([^ ]+) \[([^]]+)\].*/\1 (\2)/p' "$APT_LOG" | tr '\n' ' ')"
  if [ -n "$upgrades" ]; then
    die "installing ${missing[*]} would also upgrade installed packages: ${upgrades}
This script never upgrades anything. If that is fine with you, run it yourself, then run the same command again:
    ${SUDO:+$SUDO }apt-get install --no-install-recommends ${missing[*]}"
  fi
  apt_run "${APT_INSTALL[@]}" "${missing[@]}" \
    || { tail -n 20 "$APT_LOG" >&2; die "apt-get install ${missing[*]} failed; log: $APT_LOG"; }
  for entry in "${APT_NEEDS[@]}"; do
    present "${entry#*:}" || die "package ${entry%%:*} installed but ${entry#*:} is still missing"
  done
fi

# ---- playwright-core (a devDependency of the project) ----------------------------------------------
[ -f "$ROOT/node_modules/playwright-core/package.json" ] \
  || die "playwright-core is missing from node_modules; run 'npm ci' in $ROOT first."

# ---- code-server ---------------------------------------------------------------------------------------
if [ -f "$MARKER" ] && [ -x "$E2E_DIR/node_modules/.bin/code-server" ]; then
  exit 0
fi

log "installing code-server@$CODE_SERVER_VERSION into $E2E_DIR (about a minute)"
mkdir -p "$E2E_DIR"

# @vscode/ripgrep@1.15.11 (a VS Code 1.100 dependency) downloads rg from GitHub in its postinstall, which
# fails without GitHub access. It first looks in its cache, so pre-seed the cache with Debian's rg
# (13.0.0, the same upstream version it would download).
RG_CACHE="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-1.15.11"
RG_TARBALL="$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -s "$RG_TARBALL" ]; then
  staging="$(mktemp -d)"
  cp /usr/bin/rg "$staging/rg"
  mkdir -p "$RG_CACHE"
  tar czf "$RG_TARBALL" -C "$staging" rg
  rm -rf "$staging"
fi

# The project's .npmrc sets ignore-scripts=true, but code-server's postinstall is what installs VS Code's
# own node_modules, so this directory gets its own package.json and .npmrc (npm stops at the nearest
# package.json when looking for a project config).
[ -f "$E2E_DIR/package.json" ] || printf '{\n  "name": "zfs-dio-vscode-e2e",\n  "private": true\n}\n' > "$E2E_DIR/package.json"
printf 'ignore-scripts=false\nfund=false\naudit=false\n' > "$E2E_DIR/.npmrc"

# npm_config_yes: node-pty's postinstall runs `npx node-gyp`, which a user config with yes=false cancels.
# npm_config_unsafe_perm: code-server's postinstall refuses to run as root without it.
# XDG_*: keep anything code-server writes out of $HOME.
if ! (cd "$E2E_DIR" && env npm_config_yes=true npm_config_unsafe_perm=true \
        XDG_CONFIG_HOME="$E2E_DIR/xdg/config" XDG_DATA_HOME="$E2E_DIR/xdg/data" \
        npm install --ignore-scripts=false --no-audit --no-fund --save-exact \
        "code-server@$CODE_SERVER_VERSION" > "$E2E_DIR/install.log" 2>&1); then
  tail -n 40 "$E2E_DIR/install.log" >&2
  die "npm install code-server@$CODE_SERVER_VERSION failed; full log: $E2E_DIR/install.log"
fi

# A postinstall that silently did nothing leaves VS Code without its node_modules; check for the
# pieces the server cannot start without.
for required in lib/vscode/node_modules/node-pty lib/vscode/node_modules/@vscode/ripgrep/bin/rg lib/vscode/extensions/node_modules; do
  [ -e "$E2E_DIR/node_modules/code-server/$required" ] \
    || die "code-server installed but $required is missing (did its postinstall run?); log: $E2E_DIR/install.log"
done
# On its first start code-server also logs that it wrote a default config, so look for the version line.
version_output="$(XDG_CONFIG_HOME="$E2E_DIR/xdg/config" XDG_DATA_HOME="$E2E_DIR/xdg/data" "$E2E_DIR/node_modules/.bin/code-server" --version 2>&1 || true)"
version="$(printf '%s\n' "$version_output" | grep -m1 "^$CODE_SERVER_VERSION " || true)"
[ -n "$version" ] || die "code-server --version printed '$version_output', expected $CODE_SERVER_VERSION"
touch "$MARKER"
log "code-server $version ready"

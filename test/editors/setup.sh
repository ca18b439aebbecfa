#!/usr/bin/env bash
# Installs the editors the editor suite drives: Debian 12's neovim (0.7.2, built-in LSP client) and Emacs 30
# from bookworm-backports (eglot built in since Emacs 29). The backports entry gets its own sources file, so
# nothing else in the machine's apt configuration changes. As root only; otherwise it names what is missing.
set -euo pipefail

SOURCES=/etc/apt/sources.list.d/zfs-dio-editors-backports.sources
APT_OPTS=(-o DPkg::Lock::Timeout=600 -y -qq --no-install-recommends)
log() { echo "[test:editors setup] $*" >&2; }

have_nvim() { command -v nvim >/dev/null; }
# eglot is built into Emacs from 29 on; Debian 12's own emacs is 28, which lacks it.
have_emacs() { command -v emacs >/dev/null && emacs --batch --eval '(kill-emacs (if (>= emacs-major-version 29) 0 1))' 2>/dev/null; }

if have_nvim && have_emacs; then log "neovim $(nvim --version | head -n1) and $(emacs --version | head -n1) present"; exit 0; fi
if [[ "$(id -u)" != 0 ]]; then
  log "missing: $(have_nvim || echo 'neovim ')$(have_emacs || echo 'emacs (>= 29, from bookworm-backports)')"
  log "install as root: apt-get install neovim; apt-get install -t bookworm-backports emacs-nox"
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! have_emacs && ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  log "adding $SOURCES (bookworm-backports main)"
  cat > "$SOURCES" <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi
log "apt-get update"
apt-get -o DPkg::Lock::Timeout=600 update -qq
if ! have_nvim; then log "apt-get install neovim"; apt-get install "${APT_OPTS[@]}" neovim; fi
if ! have_emacs; then log "apt-get install -t bookworm-backports emacs-nox"; apt-get install "${APT_OPTS[@]}" -t bookworm-backports emacs-nox; fi
have_nvim || { log "neovim still missing after apt-get install"; exit 1; }
have_emacs || { log "emacs >= 29 still missing after apt-get install"; exit 1; }
log "ready: $(nvim --version | head -n1); $(emacs --version | head -n1)"

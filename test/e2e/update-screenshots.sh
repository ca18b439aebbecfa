#!/usr/bin/env bash
# Copies the README's screenshots from the last `npm run test:e2e` run (test-output/e2e/) and the last
# `npm run test:zfs` editor stage (test-output/zfs/editor/, the extension on a live ZFS) to docs/screenshots/,
# shrunk with pngquant when it is installed (apt-get install pngquant), so the committed PNGs stay small.
# Usage: npm run test:e2e && npm run test:zfs && bash test/e2e/update-screenshots.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
FROM="$ROOT/test-output/e2e"
FROM_LIVE="$ROOT/test-output/zfs/editor"
TO="$ROOT/docs/screenshots"
# e2e step name (NN-<step>.png) -> file name in docs/screenshots
MAP=(
  "hover:diagnostics-hover.png"
  "panel-article:rule-link-panel.png"
  "quick-fix-menu:quick-fix.png"
  "sites-view:call-sites-after-scan.png"
  "probe-no-zfs:probe-no-zfs.png"
  "walkthrough:walkthrough.png"
  "panel-probe-report:probe-report.png"
  "panel-probe-matrix:probe-matrix.png"
  "live/live-probe-pick:live-probe-pick.png"
  "live/live-probe-progress:live-probe-progress.png"
  "live/live-panel-verdict-16958:live-panel-verdict.png"
)
mkdir -p "$TO"
for entry in "${MAP[@]}"; do
  step="${entry%%:*}" name="${entry#*:}" from="$FROM"
  case $step in live/*) step="${step#live/}" from="$FROM_LIVE" ;; esac
  src="$(ls "$from"/[0-9][0-9]-"$step".png 2>/dev/null | head -n 1 || true)"
  [ -n "$src" ] || { echo "update-screenshots: no screenshot for step '$step' in $from (did that run pass?)" >&2; exit 1; }
  if command -v pngquant >/dev/null; then
    pngquant --quality 60-85 --speed 1 --strip --force -o "$TO/$name" "$src"
  else
    cp "$src" "$TO/$name"
  fi
  printf '%-28s %6d KB  <- %s\n' "$name" "$(( $(stat -c %s "$TO/$name") / 1024 ))" "$(basename "$src")"
done

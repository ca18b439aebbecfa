#!/usr/bin/env bash
# Copies the README's screenshots from the last `npm run test:e2e` run (test-output/e2e/) to docs/screenshots/,
# shrunk with pngquant when it is installed (apt-get install pngquant), so the committed PNGs stay small.
# Usage: npm run test:e2e && bash test/e2e/update-screenshots.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
FROM="$ROOT/test-output/e2e"
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
)
mkdir -p "$TO"
for entry in "${MAP[@]}"; do
  step="${entry%%:*}" name="${entry#*:}"
  src="$(ls "$FROM"/[0-9][0-9]-"$step".png 2>/dev/null | head -n 1 || true)"
  [ -n "$src" ] || { echo "update-screenshots: no screenshot for step '$step' in $FROM (did the e2e run pass?)" >&2; exit 1; }
  if command -v pngquant >/dev/null; then
    pngquant --quality 60-85 --speed 1 --strip --force -o "$TO/$name" "$src"
  else
    cp "$src" "$TO/$name"
  fi
  printf '%-28s %6d KB  <- %s\n' "$name" "$(( $(stat -c %s "$TO/$name") / 1024 ))" "$(basename "$src")"
done

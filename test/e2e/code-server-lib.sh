# Shared by test/e2e/run.sh and scripts/start.sh (source it, do not run it).
# Starts a private code-server (a real VS Code workbench) with the packaged extension, on loopback only.
#
# Every piece of state lives under one work directory, so runs never see each other's settings,
# extensions or caches, and nothing lands in $HOME:
#   $CS_WORK/user-data   VS Code user data (settings.json, global storage)
#   $CS_WORK/extensions  the extensions dir: only our .vsix is installed there
#   $CS_WORK/xdg         XDG_CONFIG_HOME / XDG_DATA_HOME (code-server writes config.yaml there)
#   $CS_WORK/code-server.log

E2E_ROOT="${E2E_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
CODE_SERVER_BIN="${CODE_SERVER_BIN:-$E2E_ROOT/.vscode-e2e/node_modules/.bin/code-server}"
VSIX_PATH="${VSIX_PATH:-$E2E_ROOT/dist-vsix/zfs-direct-io-assistant.vsix}"
# publisher.name of the extension in the .vsix, to check that the install really happened.
EXTENSION_ID="${EXTENSION_ID:-$(node -p 'const p = require(process.argv[1]); p.publisher + "." + p.name' "$E2E_ROOT/package.json")}"
CS_PID=""

cs_log() { printf '[%s] %s\n' "${CS_LOG_TAG:-code-server}" "$*" >&2; }
cs_die() { printf '[%s] ERROR: %s\n' "${CS_LOG_TAG:-code-server}" "$*" >&2; exit 1; }

# Prints a TCP port that is free on 127.0.0.1 right now (the kernel picks it).
cs_free_port() {
  node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

# cs_prepare WORKDIR: user data with quiet settings, and the .vsix installed into a private extensions dir.
# With CS_KEEP_SETTINGS=1 an existing settings.json is kept (npm start keeps what the user changed).
cs_prepare() {
  CS_WORK="$1"
  mkdir -p "$CS_WORK/user-data/User" "$CS_WORK/extensions" "$CS_WORK/xdg/config" "$CS_WORK/xdg/data"
  export XDG_CONFIG_HOME="$CS_WORK/xdg/config" XDG_DATA_HOME="$CS_WORK/xdg/data"
  # startupEditor none: otherwise VS Code's own welcome page takes the editor area on first start.
  # The rest silences prompts, tips and network checks that would cover the UI in screenshots.
  if [ "${CS_KEEP_SETTINGS:-0}" != 1 ] || [ ! -f "$CS_WORK/user-data/User/settings.json" ]; then
  cat > "$CS_WORK/user-data/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "chat.commandCenter.enabled": false,
  "git.enabled": false,
  "editor.minimap.enabled": false,
  "files.autoSave": "off",
  "window.restoreWindows": "none",
  "workbench.editor.restoreViewState": false
}
JSON
  fi
  [ -x "$CODE_SERVER_BIN" ] || cs_die "code-server is not installed ($CODE_SERVER_BIN); run: bash test/e2e/setup.sh"
  [ -f "$VSIX_PATH" ] || cs_die "no packaged extension at $VSIX_PATH; run: npm run package"
  if ! "$CODE_SERVER_BIN" --user-data-dir "$CS_WORK/user-data" --extensions-dir "$CS_WORK/extensions" \
        --install-extension "$VSIX_PATH" --force > "$CS_WORK/install-extension.log" 2>&1; then
    cat "$CS_WORK/install-extension.log" >&2
    cs_die "code-server --install-extension $VSIX_PATH failed"
  fi
  ls "$CS_WORK/extensions" | grep -qF "$EXTENSION_ID-" \
    || cs_die "the extension did not land in $CS_WORK/extensions (see $CS_WORK/install-extension.log)"
}

# cs_start PORT FOLDER: starts code-server in the background, bound to 127.0.0.1 only.
# Auth is off; that is acceptable only because nothing outside this machine can reach a loopback socket.
# Workspace Trust is off (the folder is trusted) unless CS_WORKSPACE_TRUST=1; see cs_untrusted_settings.
cs_start() {
  local port="$1" folder="$2" trust_flag="--disable-workspace-trust"
  [ "${CS_WORKSPACE_TRUST:-0}" = 1 ] && trust_flag=""
  printf 'bind-addr: 127.0.0.1:%s\nauth: none\ncert: false\n' "$port" > "$CS_WORK/config.yaml"
  # setsid: code-server gets its own process group, so cs_stop can end it together with the extension
  # host and the other helpers it spawns, and nothing else.
  # env -u PORT: code-server lets $PORT override the configured port; the port here is chosen explicitly.
  # --disable-proxy: no /proxy/<port> routes to other local services through this server.
  setsid env -u PORT -u PASSWORD -u HASHED_PASSWORD "$CODE_SERVER_BIN" --config "$CS_WORK/config.yaml" \
    --bind-addr "127.0.0.1:$port" --auth none \
    --disable-telemetry --disable-update-check $trust_flag --disable-getting-started-override \
    --disable-proxy --ignore-last-opened \
    --user-data-dir "$CS_WORK/user-data" --extensions-dir "$CS_WORK/extensions" \
    "$folder" > "$CS_WORK/code-server.log" 2>&1 &
  CS_PID=$!
  CS_URL="http://127.0.0.1:$port/?folder=$(node -p 'encodeURIComponent(process.argv[1])' "$folder")"
}

# With Workspace Trust on: open every folder in Restricted Mode without the startup question,
# as a user who answered "No, I don't trust the authors" would see it.
cs_untrusted_settings() {
  node -e '
    const fs = require("fs"); const file = process.argv[1];
    const settings = JSON.parse(fs.readFileSync(file, "utf8"));
    Object.assign(settings, { "security.workspace.trust.enabled": true, "security.workspace.trust.startupPrompt": "never",
      "security.workspace.trust.untrustedFiles": "open" });
    fs.writeFileSync(file, JSON.stringify(settings, null, 2) + "\n");' "$CS_WORK/user-data/User/settings.json"
}

# cs_wait_ready PORT [SECONDS]: waits for /healthz; fails with the server log if it never comes up.
cs_wait_ready() {
  local port="$1" limit="${2:-60}" waited=0
  until node -e '
      require("http").get({ host: "127.0.0.1", port: +process.argv[1], path: "/healthz", timeout: 1000 },
        (r) => process.exit(r.statusCode === 200 ? 0 : 1)).on("error", () => process.exit(1));' "$port"; do
    if ! kill -0 "$CS_PID" 2>/dev/null; then
      tail -n 40 "$CS_WORK/code-server.log" >&2
      cs_die "code-server exited during start-up (log above: $CS_WORK/code-server.log)"
    fi
    waited=$((waited + 1))
    if [ "$waited" -ge "$((limit * 2))" ]; then
      tail -n 40 "$CS_WORK/code-server.log" >&2
      cs_die "code-server did not answer on 127.0.0.1:$port within ${limit}s"
    fi
    sleep 0.5
  done
}

# Ends the code-server we started (its whole process group), waiting briefly before forcing it.
cs_stop() {
  [ -n "$CS_PID" ] || return 0
  if kill -0 "$CS_PID" 2>/dev/null; then
    kill -TERM -- "-$CS_PID" 2>/dev/null || kill -TERM "$CS_PID" 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      kill -0 "$CS_PID" 2>/dev/null || break
      sleep 0.3
    done
    kill -KILL -- "-$CS_PID" 2>/dev/null || true
  fi
  wait "$CS_PID" 2>/dev/null || true
  CS_PID=""
}

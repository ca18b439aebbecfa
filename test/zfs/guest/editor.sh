#!/bin/bash
# Runs INSIDE the test VM, after suite.sh: the packaged extension in a real VS Code (code-server)
# on a live ZFS. This side sets up a pool, a workspace on a dataset and code-server; the host drives
# the workbench with Playwright through qemu's port forward (test/zfs/editor.spec.mjs) and writes
# host-done on the results share when it has finished. Then this side stops code-server and
# records what is left on the pool, for the host's assertions (test/zfs/assert.test.mjs).
#
# Network: qemu user networking with restrict=on (the guest reaches nothing outside), the guest at
# 10.0.2.15; the host forwards 127.0.0.1:<port> to 10.0.2.15:8080.
set -uo pipefail
export PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C
Z=/run/zfstest
OUT=$Z/out/editor
BB=$Z/busybox
NODE=$(cat $Z/node-path)
POOLDIR=/tmp/ze
WS=$POOLDIR/project
CS=$Z/cs                                # code-server state: user data, extensions, logs (tmpfs)
HOST_WAIT=${EDITOR_HOST_WAIT:-1500}     # seconds the host may take to drive the workbench
mkdir -p "$OUT"
log() { echo "[editor $(cut -d' ' -f1 /proc/uptime)] $*"; }
fatal() { log "FATAL: $*"; echo "$*" > "$OUT/fatal"; exit 1; }

# ---------------------------------------------------------------------------------------------
# network
modprobe virtio_net || fatal "modprobe virtio_net failed"
$BB ip link set lo up && $BB ip link set eth0 up && $BB ip addr add 10.0.2.15/24 dev eth0 \
    || fatal "could not configure eth0 ($($BB ip link 2>&1 | tr '\n' ' '))"

# the repository (read-only): code-server (.vscode-e2e/) and the workspace file
mkdir -p $Z/repo
mount -t 9p -o ro,trans=virtio,version=9p2000.L,msize=262144,cache=loose zfstestrepo $Z/repo || fatal "repo share mount failed"
CODE_SERVER=$Z/repo/.vscode-e2e/node_modules/code-server/out/node/entry.js
[ -f "$CODE_SERVER" ] || fatal "code-server is not installed in the repository (.vscode-e2e)"

# ---------------------------------------------------------------------------------------------
# a pool of its own: the workspace on a direct=always dataset with recordsize=1M, and a second dataset
truncate -s 1G /tmp/vdev-editor || fatal "truncate"
zpool create -f -o cachefile=none -m "$POOLDIR" work /tmp/vdev-editor || fatal "zpool create work"
zfs create -o direct=always -o recordsize=1M work/project || fatal "create work/project"
zfs create -o direct=standard work/other || fatal "create work/other"
# a hostile name for the editor path too: a space in the dataset name, a quote and a space in its mountpoint
zfs create -o mountpoint="$POOLDIR/it's here" "work/with space" || fatal "create 'work/with space'"
cp "$Z/repo/test/zfs/editor-workspace/clone.c" "$WS/" || fatal "copy the workspace file"
zfs list -o name,mountpoint,direct,recordsize -r work > "$OUT/datasets-before.txt"
(cd "$WS" && ls -A) > "$OUT/workspace-before.txt"

# ---------------------------------------------------------------------------------------------
# code-server: user data and the extension prepared on the host (cs_prepare), copied to tmpfs. The
# extension manifest holds the host's absolute paths; point them at the copy.
cp -a $Z/editor-seed "$CS" || fatal "copy the code-server seed"
host_seed=$(cat $Z/editor-seed-path)
sed -i "s|$host_seed|$CS|g" "$CS/extensions/extensions.json" || fatal "rewrite extensions.json"
mkdir -p $Z/home
printf 'bind-addr: 10.0.2.15:8080\nauth: none\ncert: false\n' > "$CS/config.yaml"
# code-server's launcher gives its server process 10 s to report back ("error timed out"), a limit made for
# real hardware: under TCG on a loaded host, node reading its modules over 9p can take longer. Inside this
# VM only, a copy of the launcher with 120 s is bind-mounted over the shared (read-only) one; the host's
# installation stays as npm installed it.
WRAPPER=$Z/repo/.vscode-e2e/node_modules/code-server/out/node/wrapper.js
grep -q '^const timeoutInterval = 10000;' "$WRAPPER" || fatal "code-server's wrapper.js has no 10 s handshake limit to lengthen (another version?)"
sed 's/^const timeoutInterval = 10000;/const timeoutInterval = 120000;/' "$WRAPPER" > $Z/code-server-wrapper.js
mount --bind $Z/code-server-wrapper.js "$WRAPPER" || fatal "could not bind-mount the lengthened wrapper.js"
# start_code_server N: starts code-server in the background (cs_pid) and waits for /healthz. A start that
# dies before it answers is retried (the next one finds the modules in the page cache).
start_code_server() {
    log "starting code-server (attempt $1)"
    (
        cd "$WS" || exit 1
        export HOME=$Z/home XDG_CONFIG_HOME=$CS/xdg/config XDG_DATA_HOME=$CS/xdg/data PATH=$(dirname "$NODE"):$PATH
        exec setsid env -u PORT "$NODE" "$CODE_SERVER" --config "$CS/config.yaml" --bind-addr 10.0.2.15:8080 --auth none \
            --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override \
            --disable-proxy --ignore-last-opened --user-data-dir "$CS/user-data" --extensions-dir "$CS/extensions" \
            "$WS" >> "$OUT/code-server.log" 2>&1 < /dev/null
    ) &
    cs_pid=$!
    local i
    for i in $(seq 1 600); do
        if "$NODE" -e 'require("http").get({ host: "10.0.2.15", port: 8080, path: "/healthz", timeout: 2000 },
                (r) => process.exit(r.statusCode === 200 ? 0 : 1)).on("error", () => process.exit(1));' 2>/dev/null; then
            return 0
        fi
        kill -0 "$cs_pid" 2>/dev/null || { log "code-server exited before it answered: $(tail -n 1 "$OUT/code-server.log")"; return 1; }
        sleep 1
    done
    return 1
}
ready=0
for attempt in 1 2 3; do
    if start_code_server "$attempt"; then ready=1; break; fi
    kill -KILL -- "-$cs_pid" 2>/dev/null; wait "$cs_pid" 2>/dev/null
done
[ "$ready" = 1 ] || { tail -n 30 "$OUT/code-server.log"; fatal "code-server did not come up in 3 attempts"; }
log "code-server ready"
echo ready > "$OUT/ready"

# ---------------------------------------------------------------------------------------------
# the host drives the workbench now; it writes host-done (its exit status) when it has finished
waited=0
until [ -f "$OUT/host-done" ]; do
    [ "$waited" -ge "$HOST_WAIT" ] && { log "no host-done after ${HOST_WAIT}s"; break; }
    sleep 2; waited=$((waited + 2))
done
log "host finished (rc=$(cat "$OUT/host-done" 2>/dev/null || echo none)); stopping code-server"
kill -TERM -- "-$cs_pid" 2>/dev/null || kill -TERM "$cs_pid" 2>/dev/null
for i in $(seq 1 20); do kill -0 "$cs_pid" 2>/dev/null || break; sleep 0.5; done
kill -KILL -- "-$cs_pid" 2>/dev/null
wait "$cs_pid" 2>/dev/null

# what the editor left behind: nothing of the probe's may remain, the user's file is unchanged
(cd "$WS" && ls -A) > "$OUT/workspace-after.txt"
find "$POOLDIR" -name '.zfs-dio-probe-*' > "$OUT/stray-files.txt" 2>&1
cmp -s "$Z/repo/test/zfs/editor-workspace/clone.c" "$WS/clone.c"; echo $? > "$OUT/workspace-file-changed.rc"
zfs list -H -p -r -o name,direct,recordsize work > "$OUT/datasets-after.txt"
cp -r "$CS/user-data/logs" "$OUT/vscode-logs" 2>/dev/null
zpool export work || log "zpool export work failed"
log "editor stage done"

#!/bin/bash
# Runs INSIDE the test VM (root = the host's / over 9p, read-only; /tmp and /run are tmpfs).
# Creates a pool and datasets on a file vdev, runs `zfs-dio probe` in every scenario and writes
# what it saw to /run/zfstest/out (the host's test-output/zfs/guest). The assertions are made
# on the host (test/zfs/assert.test.mjs); this script only records, except where a scenario
# needs a decision to continue (setup failures abort with a non-zero exit).
set -uo pipefail
export PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C
OUT=/run/zfstest/out
CLI=/run/zfstest/dist/cli.js
NODE=$(cat /run/zfstest/node-path)
POOLDIR=/tmp/zt
mkdir -p "$OUT/cases" "$OUT/fixtures"
log() { echo "[suite $(cut -d' ' -f1 /proc/uptime)] $*"; }
fatal() { log "FATAL: $*"; exit 1; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
. /run/zfstest/trace-lib.sh

# run_case NAME [env/setpriv prefix...] -- ARGS...: runs the CLI, records stdout/stderr/rc/ms.
run_case() {
    local name=$1; shift
    local prefix=()
    while [ "$1" != "--" ]; do prefix+=("$1"); shift; done
    shift
    local t0 t1 rc
    t0=$(now_ms)
    # stdin from /dev/null: the suite's own stdin is the serial console, a terminal
    (cd / && "${prefix[@]}" "$NODE" "$CLI" probe "$@") > "$OUT/cases/$name.stdout" 2> "$OUT/cases/$name.stderr" < /dev/null
    rc=$?
    t1=$(now_ms)
    echo "$rc" > "$OUT/cases/$name.rc"
    echo $(( t1 - t0 )) > "$OUT/cases/$name.ms"
    log "case $name: rc=$rc in $(( t1 - t0 )) ms; stderr: $(head -c 300 "$OUT/cases/$name.stderr" | tr '\n' ' ')"
}

# ---------------------------------------------------------------------------------------------
log "kernel $(uname -r)"
modprobe zfs || { log "modprobe failed, trying the initramfs copies"; insmod /run/zfstest/spl.ko && insmod /run/zfstest/zfs.ko; } \
    || fatal "cannot load the zfs module"
[ -r /sys/module/zfs/version ] || fatal "zfs module not loaded"
log "zfs module $(cat /sys/module/zfs/version)"

truncate -s 2G /tmp/vdev0 || fatal "truncate"
# -m under /tmp and cachefile=none: the root filesystem is read-only
zpool create -f -o cachefile=none -m "$POOLDIR" tank /tmp/vdev0 || fatal "zpool create"
zfs create -o direct=always tank/always || fatal "create tank/always"
zfs create -o direct=standard tank/standard || fatal "create tank/standard"
# hostile names: a dataset name with a space, mounted at a path with a quote and a space
SPACE_DS="tank/with space"
QUOTE_MP="$POOLDIR/it's here"
zfs create -o direct=standard -o mountpoint="$QUOTE_MP" "$SPACE_DS" || fatal "create '$SPACE_DS'"
# a directory that the unprivileged user may write to (the probe needs no root)
mkdir -p "$POOLDIR/standard/nobody" && chown 65534:65534 "$POOLDIR/standard/nobody" && chmod 755 "$POOLDIR/standard/nobody"
chmod 755 "$POOLDIR/always"      # root-owned: nobody cannot write here
log "datasets:"; zfs list -o name,mountpoint,direct,recordsize -r tank

# ---------------------------------------------------------------------------------------------
# recorded raw output for the unit-test fixtures (test/fixtures/probe/)
F=$OUT/fixtures
zfs list -H -p -t filesystem -o name,mountpoint,mounted > "$F/zfs-list-filesystems.txt" 2>&1
zfs get -Hp -o name,property,value,source -t filesystem direct,recordsize,compression,encryption,checksum,sync > "$F/zfs-get-all.txt" 2>&1
zfs get -Hp -o name,property,value,source direct,recordsize,compression,encryption,checksum,sync -- "$SPACE_DS" > "$F/zfs-get-space.txt" 2>&1
zfs list -H -p -o name,type,mountpoint,mounted -- tank/always > "$F/zfs-list-always.txt" 2>&1
zfs get -Hp -o name,property,value,source direct,recordsize,compression,encryption,checksum,sync -- tank/always > "$F/zfs-get-always.txt" 2>&1
zfs list -H -o name -- "$QUOTE_MP" > "$F/zfs-list-path-quote.txt" 2>&1
zfs list -H -o name -- /tmp > "$F/zfs-list-path-tmp.txt" 2>&1; echo "rc=$?" >> "$F/zfs-list-path-tmp.txt"
zfs list -H -p -o name,type -- "tank/does-not-exist" > "$F/zfs-list-missing.txt" 2>&1; echo "rc=$?" >> "$F/zfs-list-missing.txt"
zfs get -Hp -o name,property,value,source bogusprop tank > "$F/zfs-get-invalid-property.txt" 2>&1; echo "rc=$?" >> "$F/zfs-get-invalid-property.txt"
zfs version > "$F/zfs-version.txt" 2>&1
zfs version -j > "$F/zfs-version-j.json" 2>&1
cat /sys/module/zfs/version > "$F/sys-module-zfs-version.txt"
for p in zfs_dio_enabled zfs_dio_strict zfs_bclone_enabled zfs_bclone_wait_dirty zfs_vdev_direct_write_verify zfs_txg_timeout; do
    if [ -e "/sys/module/zfs/parameters/$p" ]; then echo "$p=$(cat "/sys/module/zfs/parameters/$p")"; else echo "$p=<missing>"; fi
done > "$F/module-parameters.txt"
zpool get -Hp -o property,value feature@block_cloning,bcloneused,bclonesaved,bcloneratio -- tank > "$F/zpool-get-tank.txt" 2>&1
cat /proc/spl/kstat/zfs/tank/iostats > "$F/iostats-tank.txt"
cat /proc/self/mountinfo > "$F/mountinfo.txt"
uname -r > "$F/uname-r.txt"
getconf PAGESIZE > "$F/pagesize.txt"
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
stat -c '%a %U' /dev/zfs > "$F/dev-zfs-mode-devtmpfs.txt"    # as created without udev
"${NOBODY[@]}" zfs list -H -o name -- "$POOLDIR/always" > "$F/zfs-list-as-nobody-no-udev.txt" 2>&1; echo "rc=$?" >> "$F/zfs-list-as-nobody-no-udev.txt"
"${NOBODY[@]}" zfs version > "$F/zfs-version-as-nobody-no-udev.txt" 2>&1; echo "rc=$?" >> "$F/zfs-version-as-nobody-no-udev.txt"
chmod 666 /dev/zfs
"${NOBODY[@]}" zfs create tank/nobody-try > "$F/zfs-create-as-nobody.txt" 2>&1; echo "rc=$?" >> "$F/zfs-create-as-nobody.txt"
"${NOBODY[@]}" zpool sync tank > "$F/zpool-sync-as-nobody.txt" 2>&1; echo "rc=$?" >> "$F/zpool-sync-as-nobody.txt"
"${NOBODY[@]}" zfs get -Hp -o name,property,value,source recordsize tank/always > "$F/zfs-get-as-nobody.txt" 2>&1; echo "rc=$?" >> "$F/zfs-get-as-nobody.txt"

# ---------------------------------------------------------------------------------------------
# Full runs get a generous runner limit: under TCG on a busy host one matrix took 18-72 s, and
# the default 120 s is meant for real hardware.
LONG=(--timeout 600)
# 1. the matrix on direct=always and direct=standard (root), JSON and text
run_case always-json -- --json "${LONG[@]}" tank/always
run_case standard-json -- --json "${LONG[@]}" tank/standard
run_case always-text -- "${LONG[@]}" tank/always
# 1a. `zfs-dio scan --target DATASET` of the samples on each dataset: the findings speak about that
#     dataset (its recordsize, direct= and the module version), read with zfs get, no experiments
#     Under the emulated CPU of a TCG guest, node has died of a signal while running tree-sitter's WebAssembly
#     (a V8 abort in Runtime_WasmTriggerTierUp, exit 133; SIGSEGV, 139; SIGILL, 132) on code that passes on the
#     host. V8's --single-threaded did not prevent it in a later run, and made the scans slow enough to hit the
#     per-file time limit, so it is not used. A scan killed by a signal is logged and tried again, at most three
#     times in all; the host's assertions see the last try, so a crash on every try still fails. The same
#     emulation has also made the WebAssembly trap instead of crash (every file of the scan "parse failed: memory
#     access out of bounds", exit 3, while the other dataset's scan in the same guest parsed them all): such a
#     try is logged and tried again in the same way.
#     The per-file time limit (5 s by default) guards the editor against pathological input; under TCG, on a
#     busy host, samples/c/blockstore.c (0.4 s on the host) took longer than that, and the scan then reports the
#     file incomplete. These assertions are about what the findings say of the dataset, not about speed, so the
#     guest allows 60 s per file.
for ds in always standard; do
    for try in 1 2 3; do
        (cd / && "$NODE" "$CLI" scan --format json --file-time-limit 60 --target "tank/$ds" /run/zfstest/samples) \
            > "$OUT/cases/scan-target-$ds.stdout" 2> "$OUT/cases/scan-target-$ds.stderr" < /dev/null
        rc=$?
        echo $rc > "$OUT/cases/scan-target-$ds.rc"
        if [ "$rc" -ge 128 ]; then
            log "scan --target tank/$ds: try $try killed by signal $((rc - 128)); stderr: $(head -c 200 "$OUT/cases/scan-target-$ds.stderr" | tr '\n' ' ')"
        elif [ "$rc" -eq 3 ] && grep -Eq 'parse failed: (memory access out of bounds|unreachable)' "$OUT/cases/scan-target-$ds.stdout"; then
            log "scan --target tank/$ds: try $try: WebAssembly trapped in the parser ($(grep -o 'parse failed: [a-z ]*' "$OUT/cases/scan-target-$ds.stdout" | sort | uniq -c | tr '\n' ' '))"
        else
            break
        fi
    done
    log "scan --target tank/$ds: rc=$(cat "$OUT/cases/scan-target-$ds.rc"); stderr: $(head -c 300 "$OUT/cases/scan-target-$ds.stderr" | tr '\n' ' ')"
done
# 1b. `zfs-dio trace` of two small programs of the suite's own (trace_io.c, built on the host with
#     gcc -g, and trace_io.py) on the same two datasets: each makes the matrix's calls and records what
#     they returned. `prepare` writes the files untraced and the pool is synced after it, as the probe
#     does, so that the copies' source blocks are on disk and can be cloned.
T=$OUT/trace
mkdir -p "$T"
strace -V | head -n 1 > "$T/strace-version.txt" 2>&1
for ds in always standard; do
    trace_programs "$ds" "$ds"
    # --two-pass: the C program once without stacks, then once more with stacks for the calls that
    # became findings; on direct=always an aligned and a misaligned read differ only in the buffer
    dir=$POOLDIR/$ds/trace-c2
    /run/zfstest/trace_io prepare "$dir" > "$T/c-$ds.two-pass.prepare.log" 2>&1 || log "trace c-$ds two-pass: prepare failed"
    zpool sync tank
    t0=$(now_ms)
    (cd / && "$NODE" "$CLI" trace --two-pass --format json -- /run/zfstest/trace_io run "$dir" "$T/c-$ds.two-pass.record.json") \
        > "$T/c-$ds.two-pass.json" 2> "$T/c-$ds.two-pass.stderr" < /dev/null
    echo $? > "$T/c-$ds.two-pass.rc"
    echo $(( $(now_ms) - t0 )) > "$T/c-$ds.two-pass.ms"
    log "trace c-$ds two-pass: rc=$(cat "$T/c-$ds.two-pass.rc") in $(cat "$T/c-$ds.two-pass.ms") ms"
    rm -rf "$dir"
done

# 2. the hostile name/path pair: by name (space) and by path (quote)
run_case space-name-json -- --json "${LONG[@]}" "$SPACE_DS"
run_case quote-path-json -- --json "${LONG[@]}" "$QUOTE_MP"
# 3. unprivileged. Without udev, devtmpfs creates /dev/zfs as 0600 and every zfs/zpool command
#    refuses non-root users: the probe must still work from the mount table (degraded). Then
#    0666, as OpenZFS' udev rule (90-zfs.rules) sets it on real systems.
chmod 600 /dev/zfs
run_case nobody-devzfs-0600 setpriv --reuid=65534 --regid=65534 --clear-groups -- --json "${LONG[@]}" "$POOLDIR/standard/nobody"
chmod 666 /dev/zfs
run_case nobody-writable-json setpriv --reuid=65534 --regid=65534 --clear-groups -- --json "${LONG[@]}" "$POOLDIR/standard/nobody"
run_case nobody-ab setpriv --reuid=65534 --regid=65534 --clear-groups -- --json --ab --yes "$POOLDIR/standard/nobody"
run_case nobody-readonly setpriv --reuid=65534 --regid=65534 --clear-groups -- --json "$POOLDIR/always"
# 4. invalid dataset names and a path that is not on ZFS
run_case name-with-quote -- --json "tank/it's"
run_case name-with-newline -- --json $'tank/a\nb'
run_case unknown-dataset -- --json tank/does-not-exist
run_case not-on-zfs -- --json /tmp
run_case missing-path -- --json "$POOLDIR/no such dir"
# 5. zfs missing: hide /usr/sbin (and /sbin, a symlink to it on merged-/usr systems) in a
#    private mount namespace; and a ZFS_DIO_ZFS pointing at nothing
run_case zfs-missing unshare -m sh -c 'mount -t tmpfs none /usr/sbin && [ ! -e /sbin/zfs ] && exec "$@"' sh env PATH=/usr/bin:/bin -- --json tank/always
run_case zfs-env-missing env ZFS_DIO_ZFS=/nonexistent/zfs -- --json tank/always
# 6. a zfs command that hangs must time out (fake zfs = sleep)
printf '#!/bin/sh\nexec sleep 600\n' > /tmp/hanging-zfs && chmod 755 /tmp/hanging-zfs
run_case zfs-hang env ZFS_DIO_ZFS=/tmp/hanging-zfs -- --json --timeout 3 tank/always

# wait_for_scratch DIR: prints the first .zfs-dio-probe-* directory that appears in DIR (max ~60 s)
wait_for_scratch() {
    local i d
    for i in $(seq 1 600); do
        for d in "$1"/.zfs-dio-probe-*; do
            if [ -d "$d" ] && [ -f "$d/.zfs-dio-probe-marker.json" ]; then echo "$d"; return 0; fi
        done
        sleep 0.1
    done
    return 1
}
# runner_pid SCRATCH: the runner's pid from the marker
runner_pid() { sed -n 's/.*"pid": \([0-9]*\).*/\1/p' "$1/.zfs-dio-probe-marker.json"; }

# 7. the runner hangs (SIGSTOP: it cannot even handle SIGTERM): the probe must time out and
#    the TS side must remove the scratch directory after SIGKILL
(
    t0=$(now_ms)
    cd / && "$NODE" "$CLI" probe --json --timeout 8 tank/standard > "$OUT/cases/runner-hang.stdout" 2> "$OUT/cases/runner-hang.stderr" < /dev/null
    echo $? > "$OUT/cases/runner-hang.rc"; echo $(( $(now_ms) - t0 )) > "$OUT/cases/runner-hang.ms"
) &
hang_job=$!
if d=$(wait_for_scratch "$POOLDIR/standard"); then
    pid=$(runner_pid "$d"); kill -STOP "$pid"; log "runner-hang: stopped runner $pid ($d)"
    echo "$d" > "$OUT/cases/runner-hang.scratch"
else
    log "runner-hang: no scratch directory appeared"
fi
wait "$hang_job"
log "case runner-hang: rc=$(cat "$OUT/cases/runner-hang.rc") in $(cat "$OUT/cases/runner-hang.ms") ms"
ls -a "$POOLDIR/standard" > "$OUT/cases/runner-hang.after"

# 8. cancel with SIGINT (Ctrl-C): exit 130, scratch removed
setsid "$NODE" "$CLI" probe --json tank/standard > "$OUT/cases/sigint.stdout" 2> "$OUT/cases/sigint.stderr" < /dev/null &
node_pid=$!
if d=$(wait_for_scratch "$POOLDIR/standard"); then
    echo "$d" > "$OUT/cases/sigint.scratch"; kill -INT "$node_pid"
fi
wait "$node_pid"; echo $? > "$OUT/cases/sigint.rc"
sleep 1
ls -a "$POOLDIR/standard" > "$OUT/cases/sigint.after"
log "case sigint: rc=$(cat "$OUT/cases/sigint.rc")"

# 9. kill -9 of the whole probe (node and runner) mid-run: the leftover stays, the next run
#    removes it (recognised by its marker); a look-alike directory WITHOUT a marker is kept
mkdir -p "$POOLDIR/standard/.zfs-dio-probe-0000aaaa0000" && echo "not ours" > "$POOLDIR/standard/.zfs-dio-probe-0000aaaa0000/data"
setsid "$NODE" "$CLI" probe --json tank/standard > /dev/null 2>&1 < /dev/null &
node_pid=$!
if d=$(wait_for_scratch "$POOLDIR/standard"); then
    pid=$(runner_pid "$d")
    # Wait (at most 3 s) until the runner has written its first experiment file, so this is really
    # mid-run, then freeze it at once: on an idle host the whole matrix finishes (and cleans up) within
    # a second or two, and a fixed sleep would race with that. Then kill -9 node's group and the runner.
    for i in $(seq 1 300); do
        [ "$(ls -A "$d" 2>/dev/null | grep -vc '^\.zfs-dio-probe-marker')" -gt 0 ] && break
        sleep 0.01
    done
    kill -STOP "$pid" 2>/dev/null
    kill -9 -- "-$node_pid" "$pid" 2>/dev/null; log "kill9: killed process group $node_pid and runner $pid, leftover $d"
    echo "$d" > "$OUT/cases/kill9.scratch"
fi
wait "$node_pid" 2>/dev/null
sleep 1
ls -a "$POOLDIR/standard" > "$OUT/cases/kill9.before-next-run"
ls -a "$(cat "$OUT/cases/kill9.scratch" 2>/dev/null || echo /nonexistent)" > "$OUT/cases/kill9.leftover-content" 2>&1
run_case kill9-next-run -- --json "${LONG[@]}" tank/standard
ls -a "$POOLDIR/standard" > "$OUT/cases/kill9.after-next-run"
rm -rf "$POOLDIR/standard/.zfs-dio-probe-0000aaaa0000"

# 8b. SIGTERM (a service manager stopping the probe): exit 143, scratch removed before the exit
setsid "$NODE" "$CLI" probe --json tank/standard > "$OUT/cases/sigterm.stdout" 2> "$OUT/cases/sigterm.stderr" < /dev/null &
node_pid=$!
if d=$(wait_for_scratch "$POOLDIR/standard"); then
    echo "$d" > "$OUT/cases/sigterm.scratch"; kill -TERM "$node_pid"
fi
wait "$node_pid"; echo $? > "$OUT/cases/sigterm.rc"
ls -a "$POOLDIR/standard" > "$OUT/cases/sigterm.after"
log "case sigterm: rc=$(cat "$OUT/cases/sigterm.rc")"

# 10. A/B mode (root): child datasets created, measured, destroyed
run_case ab-json -- --json "${LONG[@]}" --ab --yes tank/standard
run_case ab-no-confirm -- --json --ab tank/standard
zfs list -H -r -o name tank > "$OUT/cases/ab.datasets-after"

# ---------------------------------------------------------------------------------------------
# 11. a local attacker: root probes directories that the unprivileged user nobody can write to.
#     attacker.py runs as nobody; its logs go to a sticky directory and are copied out afterwards.
ATTACK=(setpriv --reuid=65534 --regid=65534 --clear-groups python3 /run/zfstest/attacker.py)
ALOG=/tmp/attack-logs; mkdir -p "$ALOG"; chmod 1777 "$ALOG"
wait_ready() { for _ in $(seq 1 100); do grep -q '^ready' "$1" 2>/dev/null && return 0; sleep 0.1; done; log "attacker not ready: $1"; }
zfs create -o direct=standard tank/shared || fatal "create tank/shared"
SHARED=$POOLDIR/shared
chmod 1777 "$SHARED"
# 11a. forged leftovers (a dead pid in the marker) whose subdirectories are swapped, in a loop, with
#      links to a root-only directory outside the pool while root's probe looks at them
VICTIM=/tmp/victim-files
mkdir -p "$VICTIM" && chmod 700 "$VICTIM"
for i in $(seq 1 200); do echo precious > "$VICTIM/f$i"; done
for run in 1 2 3 4; do
    id=aaaaaa00000$run
    "${ATTACK[@]}" plant "$SHARED" "$id" 20 || log "plant $id failed"
    "${ATTACK[@]}" swap "$SHARED/.zfs-dio-probe-$id" "$VICTIM" 20 &
    swapper=$!
    sleep 0.5
    run_case "leftover-swap-$run" -- --json "${LONG[@]}" "$SHARED"
    kill -TERM "$swapper"; wait "$swapper"
done
find "$VICTIM" -type f | wc -l > "$OUT/cases/leftover-swap.victim-count"
# 11b. the same forged leftovers, holding nobody's files, next to an unprivileged prober (uid 1001)
#      who could not delete them
run_case cross-user-plant setpriv --reuid=1001 --regid=1001 --clear-groups -- --json "${LONG[@]}" "$SHARED"
ls -A "$SHARED" > "$OUT/cases/cross-user-plant.after"
rm -rf "$SHARED"/.zfs-dio-probe-*
# 11c. an inotify watcher in a 0777 (not sticky) directory moves every new scratch directory away and
#      puts a link to a root-only directory in its place
OPEN=$SHARED/open
ROOTONLY=/tmp/rootonly
mkdir -p "$OPEN" && chmod 0777 "$OPEN"
mkdir -p "$ROOTONLY" && chmod 700 "$ROOTONLY"
"${ATTACK[@]}" watch-swap "$OPEN" "$ROOTONLY" "$ALOG/scratch-swap.log" &
watcher=$!
wait_ready "$ALOG/scratch-swap.log"
for i in 1 2 3; do run_case "scratch-swap-$i" -- --json "${LONG[@]}" "$OPEN"; done
kill -TERM "$watcher"; wait "$watcher"
cp "$ALOG/scratch-swap.log" "$OUT/cases/scratch-swap.log"
ls -A "$ROOTONLY" > "$OUT/cases/scratch-swap.rootonly"
find "$OPEN" -mindepth 2 > "$OUT/cases/scratch-swap.moved-content"
# 11d. A/B mode on a dataset whose directory everyone may write to: a watcher plants links to a victim
#      directory under every name an A/B child's mountpoint could be predicted to get
zfs create -o direct=standard tank/abshared || fatal "create tank/abshared"
chmod 1777 "$POOLDIR/abshared"
VMNT=/tmp/victim-mnt
mkdir -p "$VMNT" && echo sentinel > "$VMNT/sentinel"
"${ATTACK[@]}" watch-ab "$POOLDIR/abshared" "$VMNT" "$ALOG/ab-attack.log" &
watcher=$!
wait_ready "$ALOG/ab-attack.log"
run_case ab-attack -- --json "${LONG[@]}" --ab --yes tank/abshared
kill -TERM "$watcher"; wait "$watcher"
cp "$ALOG/ab-attack.log" "$OUT/cases/ab-attack.log"
ls -A "$VMNT" > "$OUT/cases/ab-attack.victim"
zfs list -H -r -o name tank/abshared > "$OUT/cases/ab-attack.datasets-after"
ls -d /run/zfs-dio-ab-* > "$OUT/cases/ab-attack.mount-roots-after" 2>&1
# 11e. a full dataset (quota reached): the probe says so and leaves nothing
zfs create -o quota=16M -o compression=off tank/full || fatal "create tank/full"
dd if=/dev/urandom of="$POOLDIR/full/fill" bs=1M count=64 2> /dev/null
zpool sync tank
dd if=/dev/urandom of="$POOLDIR/full/fill2" bs=128k count=8 2> /dev/null
zpool sync tank
run_case full-dataset -- --json "${LONG[@]}" tank/full
ls -A "$POOLDIR/full" > "$OUT/cases/full-dataset.after"
# 11f. a quota that the marker fits in but the experiment files do not
zfs create -o quota=1M -o compression=off tank/tight || fatal "create tank/tight"
run_case quota-midrun -- --json "${LONG[@]}" tank/tight
ls -A "$POOLDIR/tight" > "$OUT/cases/quota-midrun.after"
for ds in tank/shared tank/abshared tank/full tank/tight; do zfs destroy -r "$ds" || log "destroy $ds failed"; done

# ---------------------------------------------------------------------------------------------
# runner output recorded for the fixtures (same config the CLI would pass, with the plan it builds
# from the catalog: run.sh wrote it with test/zfs/runner-plan.mjs)
mkdir -p "$POOLDIR/always/runner-fixture"
printf '{"mode":"run","workDir":"%s","runId":"f1f2f3f4f5f6","pool":"tank","recordsize":131072,"zpool":"/usr/sbin/zpool","commandTimeout":15,"plan":%s}' \
    "$POOLDIR/always/runner-fixture" "$(cat /run/zfstest/runner-plan.json)" \
    | (cd / && python3 -I /run/zfstest/dist/probe/zfs_dio_runner.py) > "$F/runner-always.json" 2> "$F/runner-always.stderr"
rmdir "$POOLDIR/always/runner-fixture"

# stray files: nothing of ours may remain anywhere on the pool
find "$POOLDIR" -name '.zfs-dio-probe-*' > "$OUT/stray-files.txt" 2>&1
zfs list -H -r -o name tank | grep -c 'zfs-dio-probe' > "$OUT/stray-datasets.txt"
zpool get -Hp -o property,value bcloneused,bclonesaved,feature@block_cloning tank > "$OUT/pool-final.txt"
zpool export tank || log "zpool export failed"
log "suite done"

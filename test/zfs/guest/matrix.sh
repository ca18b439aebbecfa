#!/bin/bash
# Runs INSIDE a test VM of the version matrix (root = the host's / over 9p, read-only; /tmp and /run
# are tmpfs). Loads one OpenZFS version's modules from /run/zfstest/matrix (built by run.sh from
# Debian's zfs-dkms package of that version), creates a pool, runs `zfs-dio probe --json` on a
# direct=always and a direct=standard dataset (one dataset without the property on versions that
# lack it) and records every report in /run/zfstest/out. After each probe, `zfs-dio trace` runs the
# suite's two traced programs (trace_io, built on the host from trace_io.c with gcc -g, and
# trace_io.py) on the same dataset, so that the host can hold each traced call against this module's
# own probe report. With zfs_dio_strict in the module, the probes and traces run once per value
# listed in strict-values. The assertions are made on the host (test/zfs/assert.test.mjs,
# test/zfs/trace-assert.test.mjs); this script only records.
#
# /run/zfstest/matrix holds: label (e.g. 2.4.4), load-order and the .ko files, module-args (for the
# zfs module's insmod), strict-values (empty: the parameter does not exist), and optionally userland/,
# an unpacked zfsutils-linux with its libraries for versions that the host's tools cannot drive.
set -uo pipefail
export PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C
OUT=/run/zfstest/out
M=/run/zfstest/matrix
CLI=/run/zfstest/dist/cli.js
NODE=$(cat /run/zfstest/node-path)
POOLDIR=/tmp/zt
log() { echo "[matrix $(cut -d' ' -f1 /proc/uptime)] $*"; }
fatal() { log "FATAL: $*"; exit 1; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
. /run/zfstest/trace-lib.sh
LABEL=$(cat "$M/label")
mkdir -p "$OUT/reports" "$OUT/facts"

log "kernel $(uname -r), OpenZFS $LABEL"
while read -r mod; do
    args=()
    [ "$mod" = zfs ] && read -r -a args < "$M/module-args"
    insmod "$M/$mod.ko" "${args[@]}" || fatal "insmod $mod.ko ${args[*]} failed"
done < "$M/load-order"
[ -r /sys/module/zfs/version ] || fatal "zfs module not loaded"
log "zfs module $(cat /sys/module/zfs/version)"

# the userland: the host's tools, or the version's own unpacked into a prefix, reached through
# wrappers that find its libraries
if [ -d "$M/userland" ]; then
    U=$M/userland
    mkdir -p /run/zfstest/bin
    for tool in zfs zpool; do
        printf '#!/bin/sh\nLD_LIBRARY_PATH=%s exec %s "$@"\n' "$U/lib/x86_64-linux-gnu:$U/usr/lib/x86_64-linux-gnu" "$U/sbin/$tool" > "/run/zfstest/bin/$tool"
        chmod 755 "/run/zfstest/bin/$tool"
    done
    export PATH=/run/zfstest/bin:$PATH ZFS_DIO_ZFS=/run/zfstest/bin/zfs ZFS_DIO_ZPOOL=/run/zfstest/bin/zpool
fi
F=$OUT/facts
uname -r > "$F/uname-r.txt"
cat /sys/module/zfs/version > "$F/sys-module-zfs-version.txt"
zfs version > "$F/zfs-version.txt" 2>&1
for p in zfs_dio_enabled zfs_dio_strict zfs_bclone_enabled zfs_bclone_wait_dirty zfs_txg_timeout; do
    if [ -e "/sys/module/zfs/parameters/$p" ]; then echo "$p=$(cat "/sys/module/zfs/parameters/$p")"; else echo "$p=<missing>"; fi
done > "$F/module-parameters.txt"
grep -E '^uncached_' /proc/spl/kstat/zfs/arcstats > "$F/arcstats-uncached.txt" 2>&1

truncate -s 2G /tmp/vdev0 || fatal "truncate"
zpool create -f -o cachefile=none -m "$POOLDIR" tank /tmp/vdev0 > "$F/zpool-create.txt" 2>&1 || { cat "$F/zpool-create.txt"; fatal "zpool create"; }
zpool get -Hp -o property,value all tank > "$F/zpool-get-all.txt" 2>&1
datasets=()
if zfs create -o direct=always tank/always 2> "$F/zfs-create-always.txt"; then
    zfs create -o direct=standard tank/standard || fatal "create tank/standard"
    datasets=(always standard)
else
    # before 2.3 there is no `direct` property: one dataset, and the error is recorded as a fact
    zfs create tank/plain || fatal "create tank/plain"
    datasets=(plain)
fi
zfs list -o name,mountpoint,recordsize -r tank

# probe DATASET FILE: one full matrix as JSON
probe() {
    local t0 rc
    t0=$(now_ms)
    (cd / && "$NODE" "$CLI" probe --json --timeout 600 "tank/$1") > "$OUT/reports/$2.json" 2> "$OUT/reports/$2.stderr" < /dev/null
    rc=$?
    echo "$rc" > "$OUT/reports/$2.rc"
    echo $(( $(now_ms) - t0 )) > "$OUT/reports/$2.ms"
    log "probe tank/$1 -> $2: rc=$rc in $(( $(now_ms) - t0 )) ms; stderr: $(head -c 300 "$OUT/reports/$2.stderr" | tr '\n' ' ')"
}
# trace DATASET NAME: both traced programs on the dataset (trace_programs, trace-lib.sh), then a plain
# strace recording of the C program.
T=$OUT/trace
mkdir -p "$T"
strace -V | head -n 1 > "$T/strace-version.txt" 2>&1
trace() {
    local dir
    trace_programs "$1" "$2"
    # a plain recording of strace's own output for the C program (the form the tracer reads, without
    # stacks), kept as a fixture for the unit tests of what a trace says on each module
    dir=$POOLDIR/$1/trace-strace
    /run/zfstest/trace_io prepare "$dir" > /dev/null 2>&1 || log "strace recording $2: prepare failed"
    zpool sync tank
    (cd / && strace -f -qq -y -X raw -s 64 -e trace=openat,close,pread64,pwrite64,copy_file_range -e raw=pread64,pwrite64 \
        -o "$T/c-$2.strace" -- /run/zfstest/trace_io run "$dir" "$T/c-$2.strace-record.json") > /dev/null 2>&1 < /dev/null \
        || log "strace recording $2 failed"
    rm -rf "$dir"
}
read -r -a strict < "$M/strict-values"
if [ "${#strict[@]}" -eq 0 ]; then
    for ds in "${datasets[@]}"; do probe "$ds" "$ds"; trace "$ds" "$ds"; done
else
    for s in "${strict[@]}"; do
        echo "$s" > /sys/module/zfs/parameters/zfs_dio_strict || fatal "cannot set zfs_dio_strict=$s"
        for ds in "${datasets[@]}"; do probe "$ds" "$ds-strict$s"; trace "$ds" "$ds-strict$s"; done
    done
fi
find "$POOLDIR" -name '.zfs-dio-probe-*' > "$OUT/stray-files.txt" 2>&1
zpool export tank || log "zpool export failed"
log "matrix done"

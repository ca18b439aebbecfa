#!/bin/bash
# npm run test:zfs — the real-OpenZFS suite.
#
# Boots a Debian 6.12 kernel with the OpenZFS 2.3.2 module (zfs-dkms from bookworm-backports) in
# qemu and runs two stages in it:
#   suite  test/zfs/guest/suite.sh: pools, datasets, `zfs-dio probe` in every scenario, hostile inputs;
#   editor test/zfs/guest/editor.sh: the packaged extension in code-server on a live pool, driven from
#          the host's Chromium through a qemu port forward (test/zfs/editor.spec.mjs).
# Then it checks what the guest recorded with node:test (test/zfs/assert.test.mjs,
# test/zfs/editor-assert.test.mjs). Results: test-output/zfs/ (guest/ = what the VM wrote,
# editor/ = screenshots, timings.json, probe-timing.json, guest-console.log).
#
# Steps: 1. apt (idempotent: nothing is fetched when everything is installed), 2. the module for
# the 6.12 kernel via dkms, 3. `node scripts/build.mjs`, 4. an initramfs with busybox, the 9p
# modules, the suite and the built dist/, 5. qemu (TCG unless KVM really works), 6. assertions.
#
# Needs root (apt, dkms). With CI=true every missing piece (no root, apt or dkms failure, no qemu,
# the VM not finishing) is a failure; without CI it is reported loudly and the suite is skipped
# with exit code 0 only for "not root".
#
# Knobs: ZFSTEST_WORK (default $TMPDIR/zfs-dio-test), VM_MEM=3072, VM_CPUS=2, VM_TIMEOUT=1800,
#        ACCEL=auto|tcg|kvm (auto: KVM when usable, falling back to TCG if the guest root is not up
#        within KVM_BOOT_DEADLINE=60 s), SKIP_APT=1 (trust the installed packages), BUILD_TIMEOUT=3600,
#        ZFSTEST_STAGES="suite editor" (one stage alone while working on it; CI=true needs both),
#        EDITOR_SPEC_TIMEOUT=1500 (seconds for the Playwright spec).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$REPO/test-output/zfs
WORK=${ZFSTEST_WORK:-${TMPDIR:-/tmp}/zfs-dio-test}
ZFS_VER=2.3.2
KFLAVOUR=amd64
VM_MEM=${VM_MEM:-4096}
VM_CPUS=${VM_CPUS:-2}
VM_TIMEOUT=${VM_TIMEOUT:-1800}
BUILD_TIMEOUT=${BUILD_TIMEOUT:-3600}
ACCEL=${ACCEL:-auto}
KVM_BOOT_DEADLINE=${KVM_BOOT_DEADLINE:-60}
ZFSTEST_STAGES=${ZFSTEST_STAGES:-suite editor}
EDITOR_SPEC_TIMEOUT=${EDITOR_SPEC_TIMEOUT:-1500}
CI=${CI:-}
export DEBIAN_FRONTEND=noninteractive

say() { echo "[test:zfs $(date +%T)] $*" >&2; }
fail() { say "FAIL: $*"; exit 1; }
T_START=$EPOCHREALTIME
declare -A TIMING=()
mark_time() { TIMING[$1]=$(awk -v a="$2" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.1f", b-a}'); }

if [ "$(id -u)" != 0 ]; then
    if [ "$CI" = true ]; then fail "the real-ZFS suite needs root (apt, dkms, qemu); CI=true makes this a failure"; fi
    say "SKIPPED: the real-ZFS suite needs root (apt, dkms, qemu). Run it as root, e.g. sudo npm run test:zfs"
    exit 0
fi
[ "$(uname -m)" = x86_64 ] || fail "the VM suite needs an x86_64 host (got $(uname -m))"
command -v node > /dev/null || fail "node is not in PATH"
for stage in $ZFSTEST_STAGES; do
    case $stage in suite|editor) ;; *) fail "ZFSTEST_STAGES: unknown stage '$stage' (suite, editor)" ;; esac
done
has_stage() { case " $ZFSTEST_STAGES " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
if [ "$CI" = true ] && ! { has_stage suite && has_stage editor; }; then
    fail "CI=true runs every stage; ZFSTEST_STAGES='$ZFSTEST_STAGES' leaves one out"
fi
rm -rf "$OUT"
mkdir -p "$OUT/guest" "$WORK"

# ---------------------------------------------------------------------------------------------
# 1. packages
PKGS_BASE=("linux-image-6.12-$KFLAVOUR" "linux-headers-6.12-$KFLAVOUR" dkms kmod cpio gzip xz-utils busybox-static qemu-system-x86 util-linux)
PKGS_ZFS=(zfs-dkms zfsutils-linux)
all_installed() {
    local p st
    for p in "$@"; do
        st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
        [ "$st" = installed ] || return 1
    done
}
zfs_pkg_version_ok() {
    local v; v=$(dpkg-query -W -f='${Version}' zfs-dkms 2>/dev/null || true)
    case $v in "$ZFS_VER"-*) return 0 ;; *) return 1 ;; esac
}
apt_stage() {
    local t0=$EPOCHREALTIME created_policy=0 policy
    if all_installed "${PKGS_BASE[@]}" "${PKGS_ZFS[@]}" && zfs_pkg_version_ok; then
        say "apt: all packages already installed (zfs-dkms $(dpkg-query -W -f='${Version}' zfs-dkms))"
        mark_time apt "$t0"; return 0
    fi
    command -v apt-get > /dev/null || fail "apt-get not found: this suite needs Debian 12 (bookworm)"
    # bookworm-backports contrib carries zfs-dkms 2.3.2; add it only if no source provides it.
    policy=$(apt-cache policy zfs-dkms 2>/dev/null || true)
    case $policy in
        *bookworm-backports/contrib*) ;;
        *)
            say "apt: adding /etc/apt/sources.list.d/zfs-dio-test-backports.sources (bookworm-backports main contrib)"
            printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm-backports\nComponents: main contrib\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
                > /etc/apt/sources.list.d/zfs-dio-test-backports.sources ;;
    esac
    timeout 600 apt-get update -q > "$WORK/apt-update.log" 2>&1 || { tail -n 20 "$WORK/apt-update.log"; fail "apt-get update failed"; }
    # The host kernel cannot load zfs: never let package scripts start zfs services here.
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; created_policy=1
    fi
    # --no-upgrade: installing must not upgrade unrelated packages already on the machine
    if ! timeout 1800 apt-get install -y -q --no-install-recommends --no-upgrade "${PKGS_BASE[@]}" > "$WORK/apt-base.log" 2>&1; then
        [ "$created_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
        tail -n 30 "$WORK/apt-base.log"; fail "apt-get install (kernel, headers, qemu, busybox) failed; log: $WORK/apt-base.log"
    fi
    # zfs-dkms' postinst builds the module for every kernel with headers (this is the slow part)
    if ! timeout "$BUILD_TIMEOUT" apt-get install -y -q --no-install-recommends --no-upgrade -t bookworm-backports "${PKGS_ZFS[@]}" \
            > "$WORK/apt-zfs.log" 2>&1; then
        [ "$created_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
        tail -n 40 "$WORK/apt-zfs.log"; fail "apt-get install zfs-dkms zfsutils-linux failed; log: $WORK/apt-zfs.log"
    fi
    [ "$created_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
    zfs_pkg_version_ok || fail "zfs-dkms is $(dpkg-query -W -f='${Version}' zfs-dkms), expected $ZFS_VER-*"
    mark_time apt "$t0"
}
if [ "${SKIP_APT:-0}" = 1 ]; then say "apt: skipped (SKIP_APT=1)"; else apt_stage; fi

KVER=$(dpkg-query -W -f='${Depends}' "linux-image-6.12-$KFLAVOUR" 2>/dev/null | sed -n 's/^linux-image-\([^ ,]*\).*/\1/p')
[ -n "$KVER" ] || fail "cannot find the 6.12 kernel version (is linux-image-6.12-$KFLAVOUR installed?)"
VMLINUZ=/boot/vmlinuz-$KVER
[ -f "$VMLINUZ" ] || fail "$VMLINUZ is missing"
command -v qemu-system-x86_64 > /dev/null || fail "qemu-system-x86_64 is missing"
[ -x /bin/busybox ] || fail "/bin/busybox is missing (busybox-static)"

# ---------------------------------------------------------------------------------------------
# 2. the module for the guest kernel
t0=$EPOCHREALTIME
dkms_installed() {
    local st; st=$(dkms status -m zfs -v "$ZFS_VER" -k "$KVER" 2>/dev/null || true)
    case $st in *": installed"*) return 0 ;; *) return 1 ;; esac
}
if ! dkms_installed; then
    say "dkms: building zfs/$ZFS_VER for $KVER (several minutes)"
    [ -n "$(dkms status -m zfs -v "$ZFS_VER" 2>/dev/null || true)" ] || dkms add -m zfs -v "$ZFS_VER" || fail "dkms add failed"
    timeout "$BUILD_TIMEOUT" dkms build -m zfs -v "$ZFS_VER" -k "$KVER" > "$WORK/dkms-build.log" 2>&1 \
        || { tail -n 40 "/var/lib/dkms/zfs/$ZFS_VER/build/make.log" 2>/dev/null; fail "dkms build of zfs/$ZFS_VER for $KVER failed"; }
    timeout 600 dkms install -m zfs -v "$ZFS_VER" -k "$KVER" --force > "$WORK/dkms-install.log" 2>&1 || fail "dkms install failed"
fi
modinfo -k "$KVER" -n zfs > /dev/null 2>&1 || fail "the zfs module is not installed for $KVER"
mark_time module "$t0"

# ---------------------------------------------------------------------------------------------
# 3. the project
t0=$EPOCHREALTIME
[ -d "$REPO/node_modules" ] || fail "node_modules is missing: run npm ci first"
(cd "$REPO" && node scripts/build.mjs) || fail "node scripts/build.mjs failed"
[ -f "$REPO/dist/cli.js" ] && [ -f "$REPO/dist/probe/zfs_dio_runner.py" ] || fail "dist/cli.js or dist/probe/ missing after the build"
# the editor stage: code-server and Chromium (test/e2e/setup.sh, apt + npm), the packaged .vsix, and
# code-server's user data with the extension installed, prepared here (the guest copies it)
if has_stage editor; then
    bash "$REPO/test/e2e/setup.sh" || fail "test/e2e/setup.sh (code-server, chromium) failed"
    mkdir -p "$REPO/dist-vsix"
    (cd "$REPO" && npm run --silent package > "$WORK/package.log" 2>&1) || { tail -n 30 "$WORK/package.log" >&2; fail "npm run package failed"; }
    rm -rf "$WORK/editor-seed"
    # shellcheck source=test/e2e/code-server-lib.sh
    (CS_LOG_TAG=test:zfs; source "$REPO/test/e2e/code-server-lib.sh"; cs_prepare "$WORK/editor-seed") || fail "preparing code-server's user data failed"
fi
mark_time build "$t0"

# ---------------------------------------------------------------------------------------------
# 4. initramfs: busybox, 9p modules, spl/zfs copies, the suite and dist/ (the repo may live under
#    /tmp, which the guest covers with its own tmpfs, so dist/ travels inside the initramfs)
t0=$EPOCHREALTIME
IR=$WORK/initramfs
rm -rf "$IR"
mkdir -p "$IR"/{bin,dev,proc,sys,newroot,modules,zfstest}
cp /bin/busybox "$IR/bin/busybox"
cp "$REPO/test/zfs/guest/init" "$IR/init"; chmod 755 "$IR/init"
cp "$REPO/test/zfs/guest/pid1.sh" "$REPO/test/zfs/guest/suite.sh" "$REPO/test/zfs/guest/editor.sh" "$REPO/test/zfs/guest/attacker.py" "$IR/zfstest/"
echo "$ZFSTEST_STAGES" > "$IR/zfstest/stages"
if has_stage editor; then
    cp -a "$WORK/editor-seed" "$IR/zfstest/editor-seed"
    echo "$WORK/editor-seed" > "$IR/zfstest/editor-seed-path"
fi
mkdir -p "$IR/zfstest/dist"
cp -r "$REPO/dist/cli.js" "$REPO/dist/probe" "$IR/zfstest/dist/"
# the guest sees the host's / except /tmp and /run (its own tmpfs): a node under those travels along
NODE_BIN=$(readlink -f "$(command -v node)")
case $NODE_BIN in
    /tmp/*|/run/*) cp "$NODE_BIN" "$IR/zfstest/node"; echo /run/zfstest/node > "$IR/zfstest/node-path" ;;
    *) echo "$NODE_BIN" > "$IR/zfstest/node-path" ;;
esac
unpack_ko() {
    case "$1" in
        *.xz) xz -dc "$1" > "$2" ;; *.zst) zstd -qdc "$1" > "$2" ;; *.gz) gzip -dc "$1" > "$2" ;; *) cp "$1" "$2" ;;
    esac
}
: > "$IR/modules/order"
mods=$(for m in 9pnet_virtio 9p; do modprobe -S "$KVER" --show-depends "$m"; done | awk '$1=="insmod"{print $2}' | awk '!seen[$0]++')
for ko in $mods; do
    name=$(basename "$ko"); name=${name%%.ko*}
    unpack_ko "$ko" "$IR/modules/$name.ko"
    echo "$name" >> "$IR/modules/order"
done
for m in spl zfs; do unpack_ko "$(modinfo -k "$KVER" -n "$m")" "$IR/zfstest/$m.ko"; done
(cd "$IR" && find . | cpio -o -H newc --quiet | gzip -1) > "$WORK/initramfs.cpio.gz"
mark_time initramfs "$t0"

# ---------------------------------------------------------------------------------------------
# 5. the VM
kvm_works() {
    [ -r /dev/kvm ] && [ -w /dev/kvm ] || return 1
    # kvm_pvm (no VMX/SVM) cannot run a stock kernel: see the team's zfs-vm recipe notes
    if [ -d /sys/module/kvm_pvm ] && [ ! -d /sys/module/kvm_intel ] && [ ! -d /sys/module/kvm_amd ]; then return 1; fi
    return 0
}
# run_vm ACCEL: boots the guest once; the results share is emptied first
run_vm() {
    local accel_args
    case $1 in
        kvm) accel_args=(-accel kvm -cpu host,-arch-capabilities) ;;
        tcg) accel_args=(-accel tcg,thread=multi -cpu max) ;;
    esac
    find "$OUT/guest" -mindepth 1 -delete
    # the editor stage: the repository (code-server lives in .vscode-e2e/) read-only, and a network
    # that reaches nothing but the host's forward of 127.0.0.1:$EDITOR_PORT to the guest's code-server
    local editor_args=()
    if has_stage editor; then
        EDITOR_PORT=$(source "$REPO/test/e2e/code-server-lib.sh" && cs_free_port)
        editor_args=(-virtfs "local,path=$REPO,mount_tag=zfstestrepo,security_model=none,readonly=on,multidevs=remap"
            -netdev "user,id=net0,restrict=on,hostfwd=tcp:127.0.0.1:$EDITOR_PORT-10.0.2.15:8080"
            -device virtio-net-pci,netdev=net0,romfile=)
    fi
    say "booting $KVER ($1, ${VM_MEM} MiB, $VM_CPUS CPUs); console: $OUT/guest-console.log"
    qrc=0
    timeout -k 10 "$VM_TIMEOUT" qemu-system-x86_64 "${accel_args[@]}" -smp "$VM_CPUS" -m "$VM_MEM" \
        -M pc -nodefaults -no-user-config -display none -monitor none -serial stdio -no-reboot \
        -kernel "$VMLINUZ" -initrd "$WORK/initramfs.cpio.gz" \
        -append "console=ttyS0 panic=-1 loglevel=4 mitigations=off" \
        -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
        -virtfs local,path="$OUT/guest",mount_tag=zfstestout,security_model=none \
        "${editor_args[@]}" \
        -device virtio-rng-pci < /dev/null > "$OUT/guest-console.log" 2>&1 &
    local vm_pid=$! waited=0 console
    # under KVM the root must be up quickly; a KVM that cannot run the kernel may hang instead of failing
    if [ "$1" = kvm ]; then
        while kill -0 "$vm_pid" 2>/dev/null; do
            console=$(tr -d '\r' < "$OUT/guest-console.log")
            case $console in *"ZFSTEST: root-ready"*) break ;; esac
            if [ "$waited" -ge "$KVM_BOOT_DEADLINE" ]; then
                say "KVM: no guest root after ${KVM_BOOT_DEADLINE}s, stopping that VM"; kill "$vm_pid" 2>/dev/null || true; break
            fi
            sleep 1; waited=$((waited + 1))
        done
    fi
    if has_stage editor; then drive_editor "$vm_pid"; fi
    wait "$vm_pid" || qrc=$?
    tr -d '\r' < "$OUT/guest-console.log" | grep -a 'ZFSTEST' >&2 || true
}
# drive_editor VM_PID: once the guest's code-server is up, runs the Playwright spec against it through
# the port forward, then tells the guest it is done (it stops code-server and records what is left)
EDITOR_SPEC_RC=
drive_editor() {
    local vm_pid=$1 g=$OUT/guest/editor
    while kill -0 "$vm_pid" 2>/dev/null; do
        [ -f "$g/ready" ] && break
        [ -f "$g/fatal" ] && { say "editor stage failed in the guest: $(cat "$g/fatal")"; return 0; }
        sleep 2
    done
    [ -f "$g/ready" ] || return 0
    say "editor stage: code-server is up in the VM; driving it at http://127.0.0.1:$EDITOR_PORT"
    mkdir -p "$OUT/editor"
    EDITOR_SPEC_RC=0
    E2E_URL="http://127.0.0.1:$EDITOR_PORT/?folder=%2Ftmp%2Fze%2Fproject" E2E_WORKSPACE=/tmp/ze/project \
        E2E_OUT="$OUT/editor" E2E_ROOT="$REPO" CHROMIUM="${CHROMIUM:-/usr/bin/chromium}" \
        timeout -k 10 "$EDITOR_SPEC_TIMEOUT" node --test --test-reporter=spec --test-concurrency=1 "$REPO/test/zfs/editor.spec.mjs" \
        > "$OUT/editor/spec.log" 2>&1 || EDITOR_SPEC_RC=$?
    cat "$OUT/editor/spec.log" >&2
    echo "$EDITOR_SPEC_RC" > "$g/host-done"
}
t0=$EPOCHREALTIME
case $ACCEL in
    auto)
        if kvm_works; then
            ACCEL=kvm; run_vm kvm
            # a KVM that cannot run this kernel fails early (see the recipe notes): retry without it
            if [ ! -f "$OUT/guest/suite.rc" ]; then say "the KVM run did not complete (qemu exit $qrc): retrying with TCG"; ACCEL=tcg; run_vm tcg; fi
        else
            ACCEL=tcg; run_vm tcg
        fi ;;
    kvm|tcg) run_vm "$ACCEL" ;;
    *) fail "ACCEL must be auto, kvm or tcg" ;;
esac
mark_time vm "$t0"
[ "$qrc" = 124 ] && fail "the VM did not finish within ${VM_TIMEOUT}s (see $OUT/guest-console.log)"
for stage in $ZFSTEST_STAGES; do
    [ -f "$OUT/guest/$stage.rc" ] || { tail -n 40 "$OUT/guest-console.log" >&2; fail "the guest stage $stage did not run to the end (qemu exit $qrc)"; }
    stage_rc=$(cat "$OUT/guest/$stage.rc")
    [ "$stage_rc" = 0 ] || { tail -n 30 "$OUT/guest/$stage.log" >&2; fail "the guest stage $stage failed (exit $stage_rc)"; }
done
if has_stage editor; then
    [ -n "$EDITOR_SPEC_RC" ] || fail "the editor spec never ran: the guest's code-server did not come up (see $OUT/guest/editor.log)"
    [ "$EDITOR_SPEC_RC" = 0 ] || fail "the editor spec failed (exit $EDITOR_SPEC_RC); screenshots and log in $OUT/editor"
fi

# ---------------------------------------------------------------------------------------------
# 6. timings for the benchmark notes, then the assertions
probe_ms=$(cat "$OUT/guest/cases/standard-json.ms" 2>/dev/null || echo null)
kmod=$(cat "$OUT/guest/fixtures/sys-module-zfs-version.txt" 2>/dev/null | tr -d '\n' || true)
{
    printf '{"when":"%s","accel":"%s","kernel":"%s","zfsKmod":"%s",' "$(date -u +%FT%TZ)" "$ACCEL" "$KVER" "$kmod"
    printf '"hostSeconds":{"apt":%s,"module":%s,"build":%s,"initramfs":%s,"vm":%s},' \
        "${TIMING[apt]:-null}" "${TIMING[module]}" "${TIMING[build]}" "${TIMING[initramfs]}" "${TIMING[vm]}"
    printf '"probeWallMs":{'
    first=1
    for f in "$OUT"/guest/cases/*.ms; do
        [ -f "$f" ] || continue
        [ $first = 1 ] || printf ','
        first=0
        printf '"%s":%s' "$(basename "$f" .ms)" "$(cat "$f")"
    done
    printf '}}\n'
} > "$OUT/timings.json"
printf '{"probeWallMs":%s,"zfs":"%s","kernel":"%s","when":"%s","note":"zfs-dio probe --json tank/standard, full matrix, inside a %s VM"}\n' \
    "$probe_ms" "$kmod" "$KVER" "$(date -u +%FT%TZ)" "$ACCEL" > "$OUT/probe-timing.json"
say "timings: $(cat "$OUT/timings.json")"

t0=$EPOCHREALTIME
asserts=()
has_stage suite && asserts+=("$REPO/test/zfs/assert.test.mjs")
has_stage editor && asserts+=("$REPO/test/zfs/editor-assert.test.mjs")
ZFS_TEST_OUTPUT=$OUT node --test --test-reporter=spec "${asserts[@]}"
say "assertions passed; total $(awk -v a="$T_START" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.0f", b-a}') s"

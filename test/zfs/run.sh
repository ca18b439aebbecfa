#!/bin/bash
# npm run test:zfs — the real-OpenZFS suite.
#
# Boots a Debian 6.12 kernel with the OpenZFS 2.3.2 module (zfs-dkms from bookworm-backports) in
# qemu and runs two stages in it:
#   suite  test/zfs/guest/suite.sh: pools, datasets, `zfs-dio probe` in every scenario, `zfs-dio scan
#          --target` of the samples on each dataset, hostile inputs,
#          and `zfs-dio trace` of test/zfs/guest/trace_io.c and trace_io.py on the probed datasets;
#   editor test/zfs/guest/editor.sh: the packaged extension in code-server on a live pool, driven from
#          the host's Chromium through a qemu port forward (test/zfs/editor.spec.mjs).
# Then the version matrix (stage matrix): one more VM per OpenZFS version of MATRIX_VERSIONS below,
# each booting the kernel that version builds for with modules built here from Debian's zfs-dkms
# source package of that version (cached by version under $ZFSTEST_WORK/modules), running
# test/zfs/guest/matrix.sh: the probe on direct=always and direct=standard, per zfs_dio_strict value,
# each followed by `zfs-dio trace` of trace_io.c and trace_io.py on the same dataset.
# Then it checks what the guest recorded with node:test (test/zfs/assert.test.mjs,
# test/zfs/trace-assert.test.mjs, test/zfs/editor-assert.test.mjs). Results: test-output/zfs/ (guest/ = what the VM wrote,
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
#        within KVM_BOOT_DEADLINE=60 s), TCG_CPU=max (qemu's -cpu under TCG), SKIP_APT=1 (trust the installed packages), BUILD_TIMEOUT=3600,
#        ZFSTEST_STAGES="suite editor matrix" (one stage alone while working on it; CI=true needs
#        all three),
#        ZFSTEST_VERSIONS (the matrix versions to run; default and CI=true: those of MATRIX_CI below,
#        and any others on request, e.g. "2.1.11 2.3.9 2.4.4"),
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
TCG_CPU=${TCG_CPU:-max}
KVM_BOOT_DEADLINE=${KVM_BOOT_DEADLINE:-60}
ZFSTEST_STAGES=${ZFSTEST_STAGES:-suite editor matrix}
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
    case $stage in suite|editor|matrix) ;; *) fail "ZFSTEST_STAGES: unknown stage '$stage' (suite, editor, matrix)" ;; esac
done
has_stage() { case " $ZFSTEST_STAGES " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
if [ "$CI" = true ] && ! { has_stage suite && has_stage editor && has_stage matrix; }; then
    fail "CI=true runs the suite, editor and matrix stages; ZFSTEST_STAGES='$ZFSTEST_STAGES' leaves one out"
fi
# The version matrix: label | zfs-dkms version | suite that has it | kernel series it boots |
# zfs_dio_strict values to run (none: the parameter does not exist) | userland (host: the 2.3.2 tools
# installed here drive it, which was measured for 2.3.x and 2.4.x modules; own: that version's
# zfsutils-linux unpacked into a prefix, because 2.3.2's `zpool create` enables features 2.1 lacks).
# 2.1 builds only for kernels up to 6.2, so it boots Debian 12's own 6.1 kernel.
MATRIX_VERSIONS=(
    "2.1.11|2.1.11-1+deb12u1|bookworm|6.1||own"
    "2.3.9|2.3.9-0+deb13u1|trixie|6.12||host"
    "2.4.4|2.4.4-1|sid|6.12|0 1|host"
)
# The versions the matrix runs by default and CI=true requires: every one whose measured
# expectations and verdicts pass.
MATRIX_CI="2.1.11 2.3.9 2.4.4"
ZFSTEST_VERSIONS=${ZFSTEST_VERSIONS:-$MATRIX_CI}
for want in $ZFSTEST_VERSIONS; do
    found=0
    for v in "${MATRIX_VERSIONS[@]}"; do [ "${v%%|*}" = "$want" ] && found=1; done
    [ "$found" = 1 ] || fail "ZFSTEST_VERSIONS: unknown version '$want' (known: $(for v in "${MATRIX_VERSIONS[@]}"; do printf '%s ' "${v%%|*}"; done))"
done
if [ "$CI" = true ] && has_stage matrix; then
    for want in $MATRIX_CI; do
        case " $ZFSTEST_VERSIONS " in *" $want "*) ;; *) fail "CI=true runs the matrix on $MATRIX_CI; ZFSTEST_VERSIONS='$ZFSTEST_VERSIONS' leaves $want out" ;; esac
    done
fi
rm -rf "$OUT"
mkdir -p "$OUT/guest" "$WORK"

# ---------------------------------------------------------------------------------------------
# 1. packages
# The guest's root is this machine's / (read-only over 9p), so what the guest runs is installed here:
# strace, binutils (addr2line), gcc and libc6-dev (trace_io.c, built here with -g) and python3 for the
# suite's `zfs-dio trace` runs.
PKGS_BASE=("linux-image-6.12-$KFLAVOUR" "linux-headers-6.12-$KFLAVOUR" dkms kmod cpio gzip xz-utils busybox-static qemu-system-x86 util-linux
    strace binutils gcc libc6-dev python3)
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
for tool in /usr/bin/strace /usr/bin/addr2line /usr/bin/gcc /usr/bin/python3; do [ -x "$tool" ] || fail "$tool is missing (the suite's traces need it)"; done
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
# 3b. the version matrix: sources, kernels and modules (stage matrix)
#
# Debian's zfs-dkms packages of other suites are fetched with an apt state of their own under
# $WORK/apt (its own sources list, lists and cache): the machine's apt configuration is never
# changed, so nothing from trixie or sid can ever be installed or upgraded here. Only
# `apt-get download` is used with it, and `dpkg -x` unpacks the downloads into $WORK.
MAPT=$WORK/apt
mapt() {
    timeout 600 apt-get -q -o Dir::Etc::SourceList="$MAPT/sources.list" -o Dir::Etc::SourceParts=/dev/null \
        -o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null \
        -o Dir::State::Lists="$MAPT/lists" -o Dir::Cache="$MAPT/cache" -o APT::Sandbox::User=root "$@"
}
# fetch_deb DIR PACKAGE=VERSION... [with the machine's apt when APT=system]: downloads into DIR once
fetch_debs() {
    local dir=$1; shift
    mkdir -p "$dir"
    local missing=() spec
    for spec in "$@"; do
        compgen -G "$dir/${spec%%=*}_$(echo "${spec#*=}" | sed 's/:/%3a/')_*.deb" > /dev/null || missing+=("$spec")
    done
    [ "${#missing[@]}" = 0 ] && return 0
    if [ "${APT:-matrix}" = system ]; then
        (cd "$dir" && timeout 600 apt-get -q -o APT::Sandbox::User=root download "${missing[@]}") > "$WORK/apt-download.log" 2>&1
    else
        (cd "$dir" && mapt download "${missing[@]}") > "$WORK/apt-download.log" 2>&1
    fi || { tail -n 20 "$WORK/apt-download.log" >&2; fail "apt-get download ${missing[*]} failed"; }
}
matrix_apt_update() {
    mkdir -p "$MAPT/lists/partial" "$MAPT/cache/archives/partial"
    local suites=() v suite
    for v in "${MATRIX_VERSIONS[@]}"; do
        IFS='|' read -r _ _ suite _ _ _ <<< "$v"
        case " ${suites[*]} " in *" $suite "*) ;; *) suites+=("$suite") ;; esac
    done
    for suite in "${suites[@]}"; do
        echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite contrib"
    done > "$MAPT/sources.list"
    mapt update > "$WORK/apt-matrix-update.log" 2>&1 || { tail -n 20 "$WORK/apt-matrix-update.log" >&2; fail "apt-get update of the matrix sources failed"; }
}
# kernel_for SERIES: sets MKVER, MVMLINUZ, MHEADERS (the configured header tree) and MMODROOT (the
# root under which lib/modules/MKVER holds the 9p modules). 6.12 is the installed guest kernel; any
# other series is Debian 12's own, downloaded and unpacked under $WORK/kernels (never installed:
# installing a kernel runs update-initramfs and builds every dkms module for it).
kernel_for() {
    if [ "$1" = 6.12 ]; then
        MKVER=$KVER MVMLINUZ=$VMLINUZ MHEADERS=/usr/src/linux-headers-$KVER MMODROOT=/
        return 0
    fi
    local meta ver abi dir
    meta=$(apt-cache madison linux-headers-amd64 | awk -v s="$1" '{ if (index($3, s ".") == 1) { print $3; exit } }')
    [ -n "$meta" ] || fail "no linux-headers-amd64 of the $1 series in the machine's apt sources (Debian 12 main)"
    abi=$(apt-cache depends "linux-headers-amd64=$meta" | sed -n 's/^ *Depends: linux-headers-\(.*-amd64\)$/\1/p' | head -n 1)
    [ -n "$abi" ] || fail "cannot resolve the kernel ABI of linux-headers-amd64=$meta"
    dir=$WORK/kernels/$abi
    if [ ! -f "$dir/ready" ]; then
        say "kernel $abi: downloading and unpacking linux-image, linux-headers, linux-kbuild $meta"
        rm -rf "$dir"; mkdir -p "$dir/root"
        local kbuild=linux-kbuild-${1}
        APT=system fetch_debs "$WORK/debs" "linux-image-$abi=$meta" "linux-headers-$abi=$meta" \
            "linux-headers-${abi%-amd64}-common=$meta" "$kbuild=$meta"
        for deb in "$WORK/debs/linux-image-${abi}_"*.deb "$WORK/debs/linux-headers-${abi}_"*.deb \
                "$WORK/debs/linux-headers-${abi%-amd64}-common_"*.deb "$WORK/debs/${kbuild}_"*.deb; do
            dpkg -x "$deb" "$dir/root" || fail "dpkg -x $deb failed"
        done
        # the configured tree's Makefile includes the -common tree by its installed path
        sed -i "s|^include /usr/src/|include $dir/root/usr/src/|" "$dir/root/usr/src/linux-headers-$abi/Makefile"
        depmod -b "$dir/root" "$abi" || fail "depmod for the unpacked $abi failed"
        touch "$dir/ready"
    fi
    MKVER=$abi MVMLINUZ=$dir/root/boot/vmlinuz-$abi MHEADERS=$dir/root/usr/src/linux-headers-$abi MMODROOT=$dir/root
}
# matrix_prepare LABEL: leaves $WORK/matrix/LABEL ready for the initramfs (modules, load order,
# module arguments, strict values, userland) and sets MKVER/MVMLINUZ/MMODROOT for its VM
matrix_prepare() {
    local label=$1 line debver suite series strict userland
    for line in "${MATRIX_VERSIONS[@]}"; do [ "${line%%|*}" = "$label" ] && break; done
    IFS='|' read -r _ debver suite series strict userland <<< "$line"
    kernel_for "$series"
    local src=$WORK/src/$debver mods=$WORK/modules/$debver+$MKVER t0=$EPOCHREALTIME
    if [ ! -f "$mods/load-order" ]; then
        fetch_debs "$WORK/debs" "zfs-dkms=$debver"
        if [ ! -d "$src" ]; then
            mkdir -p "$src.tmp" && dpkg -x "$WORK/debs/zfs-dkms_${debver}_all.deb" "$src.tmp" || fail "dpkg -x zfs-dkms $debver failed"
            mv "$src.tmp" "$src"
        fi
        say "matrix $label: building the modules of zfs-dkms $debver for $MKVER (several minutes; cached afterwards in $mods)"
        bash "$REPO/test/zfs/build-module.sh" "$(ls -d "$src"/usr/src/zfs-*)" "$MHEADERS" "$mods" \
            || fail "building OpenZFS $debver for $MKVER failed (log: $mods.tmp/build.log)"
        mark_time "matrix-$label-build" "$t0"
    else
        say "matrix $label: modules of zfs-dkms $debver for $MKVER cached in $mods"
    fi
    local m=$WORK/matrix/$label
    rm -rf "$m"; mkdir -p "$m"
    cp "$mods"/*.ko "$mods/load-order" "$m/"
    echo "$label" > "$m/label"
    echo "$strict" > "$m/strict-values"
    # every version runs with its own defaults (zfs_dio_strict is switched at run time)
    : > "$m/module-args"
    if [ "$userland" = own ]; then
        local pkgs=(zfsutils-linux libnvpair3linux libuutil3linux libzfs4linux libzpool5linux) p
        fetch_debs "$WORK/debs" "${pkgs[@]/%/=$debver}"
        mkdir -p "$m/userland"
        for p in "${pkgs[@]}"; do dpkg -x "$WORK/debs/${p}_${debver}_amd64.deb" "$m/userland" || fail "dpkg -x $p $debver failed"; done
        [ -x "$m/userland/sbin/zfs" ] || fail "zfsutils-linux $debver has no sbin/zfs"
    fi
}

# ---------------------------------------------------------------------------------------------
# 4. initramfs: busybox, 9p modules, the suite and dist/ (the repo may live under /tmp, which the
#    guest covers with its own tmpfs, so dist/ travels inside the initramfs)
unpack_ko() {
    case "$1" in
        *.xz) xz -dc "$1" > "$2" ;; *.zst) zstd -qdc "$1" > "$2" ;; *.gz) gzip -dc "$1" > "$2" ;; *) cp "$1" "$2" ;;
    esac
}
# make_initramfs FILE KVER MODROOT STAGES [MATRIX_DIR]: the 9p modules of KVER (found under MODROOT),
# the stages to run and, for the matrix, that version's modules and userland
make_initramfs() {
    local file=$1 kver=$2 modroot=$3 stages=$4 matrix=${5:-}
    local IR=$WORK/initramfs
    rm -rf "$IR"
    mkdir -p "$IR"/{bin,dev,proc,sys,newroot,modules,zfstest}
    cp /bin/busybox "$IR/bin/busybox"
    cp "$REPO/test/zfs/guest/init" "$IR/init"; chmod 755 "$IR/init"
    cp "$REPO/test/zfs/guest/pid1.sh" "$REPO/test/zfs/guest/suite.sh" "$REPO/test/zfs/guest/editor.sh" \
        "$REPO/test/zfs/guest/matrix.sh" "$REPO/test/zfs/guest/trace-lib.sh" "$REPO/test/zfs/guest/attacker.py" "$IR/zfstest/"
    echo "$stages" > "$IR/zfstest/stages"
    case " $stages " in *" editor "*)
        cp -a "$WORK/editor-seed" "$IR/zfstest/editor-seed"
        echo "$WORK/editor-seed" > "$IR/zfstest/editor-seed-path" ;;
    esac
    mkdir -p "$IR/zfstest/dist"
    # dist/trace holds the Python bootstrap of `zfs-dio trace`
    cp -r "$REPO/dist/cli.js" "$REPO/dist/probe" "$REPO/dist/trace" "$IR/zfstest/dist/"
    case " $stages " in *" suite "*|*" matrix "*)
        # the traced programs of the suite and the matrix; the C one is built here, with its source's
        # path in the debug information
        gcc -g -O0 -Wall -o "$IR/zfstest/trace_io" "$REPO/test/zfs/guest/trace_io.c" || fail "gcc trace_io.c failed"
        cp "$REPO/test/zfs/guest/trace_io.py" "$IR/zfstest/"
        # the plan the CLI hands the runner, for the suite's own start of the runner
        node "$REPO/test/zfs/runner-plan.mjs" > "$IR/zfstest/runner-plan.json" || fail "test/zfs/runner-plan.mjs failed"
        # `zfs-dio scan --target` of the samples: the analyzer's grammars and worker, and the samples
        cp -r "$REPO/dist/grammars" "$REPO/dist/scan-worker.js" "$IR/zfstest/dist/"
        cp -r "$REPO/samples" "$IR/zfstest/samples" ;;
    esac
    # The CLI names an error's explanation article by its path next to dist/, as in the installed extension.
    mkdir -p "$IR/zfstest/media"
    cp -r "$REPO/media/articles" "$IR/zfstest/media/"
    # the guest sees the host's / except /tmp and /run (its own tmpfs): a node under those travels along
    local node_bin; node_bin=$(readlink -f "$(command -v node)")
    case $node_bin in
        /tmp/*|/run/*) cp "$node_bin" "$IR/zfstest/node"; echo /run/zfstest/node > "$IR/zfstest/node-path" ;;
        *) echo "$node_bin" > "$IR/zfstest/node-path" ;;
    esac
    : > "$IR/modules/order"
    local mods ko name
    # virtio_pci is the transport the 9p shares arrive on: built in on 6.12, a module on 6.1, and no
    # symbol dependency of 9pnet_virtio, so it is named here
    mods=$(for m in virtio_pci 9pnet_virtio 9p; do modprobe -d "$modroot" -S "$kver" --show-depends "$m"; done | awk '$1=="insmod"{print $2}' | awk '!seen[$0]++')
    [ -n "$mods" ] || fail "no 9p modules for $kver under $modroot"
    for ko in $mods; do
        name=$(basename "$ko"); name=${name%%.ko*}
        unpack_ko "$ko" "$IR/modules/$name.ko"
        echo "$name" >> "$IR/modules/order"
    done
    if [ -n "$matrix" ]; then
        cp -a "$matrix" "$IR/zfstest/matrix"
    else
        for m in spl zfs; do unpack_ko "$(modinfo -k "$kver" -n "$m")" "$IR/zfstest/$m.ko"; done
    fi
    (cd "$IR" && find . | cpio -o -H newc --quiet | gzip -1) > "$file"
}

# ---------------------------------------------------------------------------------------------
# 5. the VMs
kvm_works() {
    [ -r /dev/kvm ] && [ -w /dev/kvm ] || return 1
    # kvm_pvm (no VMX/SVM) cannot run a stock kernel: see the team's zfs-vm recipe notes
    if [ -d /sys/module/kvm_pvm ] && [ ! -d /sys/module/kvm_intel ] && [ ! -d /sys/module/kvm_amd ]; then return 1; fi
    return 0
}
# run_vm ACCEL KERNEL INITRD OUTDIR WITH_EDITOR: boots a guest once; OUTDIR (the results share) is
# emptied first, and its console goes to OUTDIR/../<name>-console.log
run_vm() {
    local accel=$1 kernel=$2 initrd=$3 outdir=$4 with_editor=$5 accel_args
    case $accel in
        kvm) accel_args=(-accel kvm -cpu host,-arch-capabilities) ;;
        tcg) accel_args=(-accel tcg,thread=multi -cpu "$TCG_CPU") ;;
    esac
    mkdir -p "$outdir"
    find "$outdir" -mindepth 1 -delete
    VM_CONSOLE=$(dirname "$outdir")/$(basename "$outdir")-console.log
    [ "$outdir" = "$OUT/guest" ] && VM_CONSOLE=$OUT/guest-console.log
    # the editor stage: the repository (code-server lives in .vscode-e2e/) read-only, and a network
    # that reaches nothing but the host's forward of 127.0.0.1:$EDITOR_PORT to the guest's code-server
    local editor_args=()
    if [ "$with_editor" = 1 ]; then
        EDITOR_PORT=$(source "$REPO/test/e2e/code-server-lib.sh" && cs_free_port)
        editor_args=(-virtfs "local,path=$REPO,mount_tag=zfstestrepo,security_model=none,readonly=on,multidevs=remap"
            -netdev "user,id=net0,restrict=on,hostfwd=tcp:127.0.0.1:$EDITOR_PORT-10.0.2.15:8080"
            -device virtio-net-pci,netdev=net0,romfile=)
    fi
    say "booting $(basename "$kernel") ($accel, ${VM_MEM} MiB, $VM_CPUS CPUs); console: $VM_CONSOLE"
    qrc=0
    timeout -k 10 "$VM_TIMEOUT" qemu-system-x86_64 "${accel_args[@]}" -smp "$VM_CPUS" -m "$VM_MEM" \
        -M pc -nodefaults -no-user-config -display none -monitor none -serial stdio -no-reboot \
        -kernel "$kernel" -initrd "$initrd" \
        -append "console=ttyS0 panic=-1 loglevel=4 mitigations=off no_timer_check" \
        -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
        -virtfs local,path="$outdir",mount_tag=zfstestout,security_model=none \
        "${editor_args[@]}" \
        -device virtio-rng-pci < /dev/null > "$VM_CONSOLE" 2>&1 &
    local vm_pid=$! waited=0 console
    # under KVM the root must be up quickly; a KVM that cannot run the kernel may hang instead of failing
    if [ "$accel" = kvm ]; then
        while kill -0 "$vm_pid" 2>/dev/null; do
            console=$(tr -d '\r' < "$VM_CONSOLE")
            case $console in *"ZFSTEST: root-ready"*) break ;; esac
            if [ "$waited" -ge "$KVM_BOOT_DEADLINE" ]; then
                say "KVM: no guest root after ${KVM_BOOT_DEADLINE}s, stopping that VM"; kill "$vm_pid" 2>/dev/null || true; break
            fi
            sleep 1; waited=$((waited + 1))
        done
    fi
    if [ "$with_editor" = 1 ]; then drive_editor "$vm_pid"; fi
    wait "$vm_pid" || qrc=$?
    tr -d '\r' < "$VM_CONSOLE" | grep -a 'ZFSTEST' >&2 || true
}
# boot KERNEL INITRD OUTDIR WITH_EDITOR FIRST_STAGE: run_vm with the accelerator ACCEL chose; with
# auto, a KVM run that did not get to the end of FIRST_STAGE is retried once with TCG
boot() {
    case $ACCEL in
        auto)
            if kvm_works; then
                run_vm kvm "$@"
                # a KVM that cannot run this kernel fails early (see the recipe notes): retry without it
                if [ ! -f "$3/$5.rc" ]; then say "the KVM run did not complete (qemu exit $qrc): retrying with TCG"; run_vm tcg "$@"; USED_ACCEL=tcg; else USED_ACCEL=kvm; fi
            else
                run_vm tcg "$@"; USED_ACCEL=tcg
            fi ;;
        kvm|tcg) run_vm "$ACCEL" "$@"; USED_ACCEL=$ACCEL ;;
        *) fail "ACCEL must be auto, kvm or tcg" ;;
    esac
}
# the editor stage: once the guest's code-server is up, runs the Playwright spec against it through
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
# stage_ok OUTDIR STAGE: the guest recorded the stage's end with exit status 0
stage_ok() {
    [ -f "$1/$2.rc" ] || { tail -n 40 "$VM_CONSOLE" >&2; fail "the guest stage $2 did not run to the end (qemu exit $qrc; console $VM_CONSOLE)"; }
    local rc; rc=$(cat "$1/$2.rc")
    [ "$rc" = 0 ] || { tail -n 30 "$1/$2.log" >&2; fail "the guest stage $2 failed (exit $rc; log $1/$2.log)"; }
}

# the 2.3.2 VM: the suite and the editor stage
MAIN_STAGES=$(for s in $ZFSTEST_STAGES; do [ "$s" = matrix ] || printf '%s ' "$s"; done)
ACCEL_MAIN=
if [ -n "$MAIN_STAGES" ]; then
    t0=$EPOCHREALTIME
    make_initramfs "$WORK/initramfs.cpio.gz" "$KVER" / "$MAIN_STAGES"
    mark_time initramfs "$t0"
    t0=$EPOCHREALTIME
    with_editor=0; has_stage editor && with_editor=1
    boot "$VMLINUZ" "$WORK/initramfs.cpio.gz" "$OUT/guest" "$with_editor" "${MAIN_STAGES%% *}"
    ACCEL_MAIN=$USED_ACCEL
    mark_time vm "$t0"
    [ "$qrc" = 124 ] && fail "the VM did not finish within ${VM_TIMEOUT}s (see $VM_CONSOLE)"
    for stage in $MAIN_STAGES; do stage_ok "$OUT/guest" "$stage"; done
    if has_stage editor; then
        [ -n "$EDITOR_SPEC_RC" ] || fail "the editor spec never ran: the guest's code-server did not come up (see $OUT/guest/editor.log)"
        [ "$EDITOR_SPEC_RC" = 0 ] || fail "the editor spec failed (exit $EDITOR_SPEC_RC); screenshots and log in $OUT/editor"
    fi
fi

# the version matrix: one VM per version
if has_stage matrix; then
    t0=$EPOCHREALTIME
    matrix_apt_update
    mark_time matrix-apt "$t0"
    for label in $ZFSTEST_VERSIONS; do
        matrix_prepare "$label"
        t0=$EPOCHREALTIME
        make_initramfs "$WORK/initramfs-$label.cpio.gz" "$MKVER" "$MMODROOT" matrix "$WORK/matrix/$label"
        boot "$MVMLINUZ" "$WORK/initramfs-$label.cpio.gz" "$OUT/matrix/$label" 0 matrix
        mark_time "matrix-$label-vm" "$t0"
        [ "$qrc" = 124 ] && fail "the $label VM did not finish within ${VM_TIMEOUT}s (see $VM_CONSOLE)"
        stage_ok "$OUT/matrix/$label" matrix
    done
fi

# ---------------------------------------------------------------------------------------------
# 6. timings for the benchmark notes, then the assertions
probe_ms=$(cat "$OUT/guest/cases/standard-json.ms" 2>/dev/null || echo null)
kmod=$(cat "$OUT/guest/fixtures/sys-module-zfs-version.txt" 2>/dev/null | tr -d '\n' || true)
{
    printf '{"when":"%s","accel":"%s","kernel":"%s","zfsKmod":"%s",' "$(date -u +%FT%TZ)" "${ACCEL_MAIN:-${USED_ACCEL:-}}" "$KVER" "$kmod"
    printf '"hostSeconds":{'
    first=1
    for k in "${!TIMING[@]}"; do
        [ $first = 1 ] || printf ','
        first=0
        printf '"%s":%s' "$k" "${TIMING[$k]}"
    done
    printf '},"probeWallMs":{'
    first=1
    for f in "$OUT"/guest/cases/*.ms "$OUT"/matrix/*/reports/*.ms; do
        [ -f "$f" ] || continue
        [ $first = 1 ] || printf ','
        first=0
        case $f in
            "$OUT"/matrix/*) rel=${f#"$OUT"/matrix/}; printf '"%s/%s":%s' "${rel%%/*}" "$(basename "$f" .ms)" "$(cat "$f")" ;;
            *) printf '"%s":%s' "$(basename "$f" .ms)" "$(cat "$f")" ;;
        esac
    done
    printf '}}\n'
} > "$OUT/timings.json"
if has_stage suite; then
    printf '{"probeWallMs":%s,"zfs":"%s","kernel":"%s","when":"%s","note":"zfs-dio probe --json tank/standard, full matrix, inside a %s VM"}\n' \
        "$probe_ms" "$kmod" "$KVER" "$(date -u +%FT%TZ)" "$ACCEL_MAIN" > "$OUT/probe-timing.json"
fi
say "timings: $(cat "$OUT/timings.json")"

asserts=()
{ has_stage suite || has_stage matrix; } && asserts+=("$REPO/test/zfs/assert.test.mjs")
{ has_stage suite || has_stage matrix; } && asserts+=("$REPO/test/zfs/trace-assert.test.mjs")
has_stage editor && asserts+=("$REPO/test/zfs/editor-assert.test.mjs")
ZFS_TEST_OUTPUT=$OUT ZFS_TEST_STAGES="$ZFSTEST_STAGES" ZFS_TEST_VERSIONS="$ZFSTEST_VERSIONS" \
    node --test --test-reporter=spec "${asserts[@]}"
say "assertions passed; total $(awk -v a="$T_START" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.0f", b-a}') s"

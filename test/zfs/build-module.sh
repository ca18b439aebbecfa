#!/bin/bash
# build-module.sh SRC_DIR HEADERS_OBJ DEST_DIR: builds the OpenZFS kernel modules of one zfs-dkms source
# tree (usr/src/zfs-<version> of the unpacked package) against one Debian kernel's headers the way dkms
# does, strips them as dkms does, and puts the .ko files and a load order into DEST_DIR.
#
# Debian splits the headers in two: the configured object tree (linux-headers-<kver>, HEADERS_OBJ)
# and the arch-independent tree next to it (linux-headers-<version>-common); configure gets the
# second as --with-linux and the first as --with-linux-obj, which is what dkms passes through
# /lib/modules/<kver>/{source,build}. The headers need not be installed: an unpacked package works
# once its Makefile includes the unpacked -common tree.
#
# DEST_DIR/load-order lists the modules in dependency order (2.1 splits the code over nine
# modules; 2.2 and later have spl and zfs only). DEST_DIR/build.log keeps configure and make output.
# The tree is built in a private copy, so the extracted package stays pristine.
set -euo pipefail

SRC=$1 OBJ=$2 DEST=$3
JOBS=${BUILD_JOBS:-2}
say() { echo "[build-module $(date +%T)] $*" >&2; }

[ -x "$SRC/configure" ] || { say "no configure script in $SRC"; exit 1; }
KVER=$(basename "$OBJ"); KVER=${KVER#linux-headers-}
COMMON=$(dirname "$OBJ")/linux-headers-${KVER%-*}-common
[ -d "$COMMON" ] && [ -d "$OBJ" ] || { say "headers for $KVER missing ($COMMON, $OBJ)"; exit 1; }

rm -rf "$DEST.tmp"
mkdir -p "$DEST.tmp"
BUILD=$DEST.tmp/tree
cp -a "$SRC" "$BUILD"
LOG=$DEST.tmp/build.log
extra=()
# newer trees refuse kernels past their tested maximum unless asked; dkms.conf asks for it as well
if grep -q -- '--enable-linux-experimental' "$BUILD/configure"; then extra+=(--enable-linux-experimental); fi
say "configure $(basename "$SRC") for $KVER"
(cd "$BUILD" && ./configure --disable-dependency-tracking --prefix=/usr --with-config=kernel \
    --with-linux="$COMMON" --with-linux-obj="$OBJ" "${extra[@]}") > "$LOG" 2>&1 \
    || { tail -n 30 "$LOG" >&2; say "configure failed (log: $LOG)"; exit 1; }
say "make -j$JOBS"
(cd "$BUILD" && make -j"$JOBS") >> "$LOG" 2>&1 || { tail -n 40 "$LOG" >&2; say "make failed (log: $LOG)"; exit 1; }

mapfile -t kos < <(find "$BUILD/module" -name '*.ko' | sort)
[ "${#kos[@]}" -gt 0 ] || { say "make produced no .ko files"; exit 1; }
for ko in "${kos[@]}"; do
    # dkms strips debug information too: about 100 MB of zfs.ko becomes about 12 MB
    strip --strip-debug -o "$DEST.tmp/$(basename "$ko")" "$ko"
done
# load order: a module after every module it depends on (modinfo's depends field)
declare -A deps=()
names=()
for ko in "$DEST.tmp"/*.ko; do
    n=$(basename "$ko" .ko); names+=("$n")
    deps[$n]=$(modinfo -F depends "$ko" | tr ',' ' ')
done
order=() placed=" "
while [ "${#order[@]}" -lt "${#names[@]}" ]; do
    progress=0
    for n in "${names[@]}"; do
        case $placed in *" $n "*) continue ;; esac
        ready=1
        for d in ${deps[$n]}; do
            # a dependency that is not one of ours is a kernel module, loaded by the kernel's own means
            case " ${names[*]} " in *" $d "*) case $placed in *" $d "*) ;; *) ready=0 ;; esac ;; esac
        done
        if [ "$ready" = 1 ]; then order+=("$n"); placed+="$n "; progress=1; fi
    done
    [ "$progress" = 1 ] || { say "circular module dependencies: ${names[*]}"; exit 1; }
done
printf '%s\n' "${order[@]}" > "$DEST.tmp/load-order"
modinfo -F version "$DEST.tmp/zfs.ko" > "$DEST.tmp/version"
echo "$KVER" > "$DEST.tmp/kernel"
rm -rf "$BUILD"
rm -rf "$DEST"
mv "$DEST.tmp" "$DEST"
say "built $(cat "$DEST/version") for $KVER: ${order[*]} ($(du -sh "$DEST" | cut -f1))"

#!/usr/bin/env bash
# npm run test:trace: `zfs-dio trace` on real programs. Installs Debian's strace, binutils (addr2line)
# and the toolchains (gcc, g++, rustc, golang-go, python3) with apt when they are missing, builds the
# project, and runs test/trace/real.test.mjs, which builds each program under test/trace/programs/
# with debug information and traces it in a scratch directory on this machine's disk.
# With CI=true a missing tool is a failure; so it is without CI, with the command to install it.
set -uo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
PACKAGES=(strace binutils gcc g++ rustc golang-go python3)
die() { echo "test:trace: $*" >&2; exit 1; }

command -v dpkg-query >/dev/null || die "dpkg-query not found: this suite uses Debian 12 packages (${PACKAGES[*]})"
missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  [[ "$(id -u)" == 0 ]] || die "missing Debian packages: ${missing[*]}; install them as root: apt-get install -y --no-install-recommends ${missing[*]}"
  echo "==> apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq || die "apt-get update failed"
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends --no-upgrade "${missing[@]}" || die "apt-get install ${missing[*]} failed"
fi
for tool in /usr/bin/strace /usr/bin/addr2line /usr/bin/gcc /usr/bin/g++ /usr/bin/rustc /usr/bin/go /usr/bin/python3; do
  [[ -x "$tool" ]] || die "$tool is missing after the install"
done
# The tracer must be allowed to trace its children (containers without CAP_SYS_PTRACE refuse it).
/usr/bin/strace -f -qq -o /dev/null /bin/true || die "strace cannot trace a child here (ptrace refused?)"

cd "$repo" || exit 1
node scripts/build.mjs > /dev/null || die "node scripts/build.mjs failed"
export TRACE_WORK="$repo/test-output/trace"
rm -rf "$TRACE_WORK"
mkdir -p "$TRACE_WORK"
fs=$(stat -f -c %T "$TRACE_WORK")
[[ "$fs" != tmpfs ]] || die "$TRACE_WORK is on tmpfs, which does not check O_DIRECT alignment; run from a checkout on a disk"
echo "==> traces in $TRACE_WORK ($fs)"
exec node --test --test-reporter=spec test/trace/real.test.mjs

#!/usr/bin/env bash
# npm run test:samples: proves that every program under samples/ is real, compilable code, built with
# Debian 12's own toolchains and offline (this project's machines and CI reach only npm and Debian's apt).
#   C    gcc -std=c11   -Wall -Wextra -Werror -c
#   C++  g++ -std=c++17 -Wall -Wextra -Werror -c
#   Rust /usr/bin/cargo build --offline, with crates.io replaced by Debian's vendored crates
#        (librust-libc-dev, /usr/share/cargo/registry) in a scratch CARGO_HOME; warnings are reported, not fatal
#   Go   /usr/bin/go build + go vet in module mode, golang.org/x/sys replaced by Debian's copy
#        (golang-golang-x-sys-dev, /usr/share/gocode) in a scratch copy of go.mod; GOPROXY=off
#   Py   /usr/bin/python3 -m py_compile
# Everything is compiled in a scratch copy under a temp dir; nothing is written into samples/.
# Missing Debian packages are installed with apt when running as root; otherwise (and whenever an install
# fails, with or without CI=true) the script names what is missing and exits non-zero.
set -uo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
samples="$repo/samples"

PACKAGES=(gcc g++ rustc cargo librust-libc-dev golang-go golang-golang-x-sys-dev python3)
# Explicit Debian paths: a rustup or pyenv install earlier on PATH must not stand in for Debian's toolchain.
GCC=/usr/bin/gcc
GXX=/usr/bin/g++
RUSTC=/usr/bin/rustc
CARGO=/usr/bin/cargo
GO=/usr/bin/go
PYTHON=/usr/bin/python3
CARGO_REGISTRY=/usr/share/cargo/registry
GOCODE_XSYS=/usr/share/gocode/src/golang.org/x/sys

die() { echo "test:samples: $*" >&2; exit 1; }

[[ -d "$samples" ]] || die "no samples/ directory at $samples"
command -v dpkg-query >/dev/null || die "dpkg-query not found: this suite uses Debian 12 (bookworm) packages (${PACKAGES[*]})"

missing_packages() {
  local pkg
  for pkg in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || echo "$pkg"
  done
}

# ---- 1. toolchains --------------------------------------------------------------------------------------
mapfile -t missing < <(missing_packages)
if ((${#missing[@]})); then
  if [[ "$(id -u)" != 0 ]]; then
    echo "test:samples: missing Debian packages: ${missing[*]}" >&2
    echo "test:samples: install them as root: apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
    [[ "${CI:-}" == true ]] && echo "test:samples: CI=true: a missing toolchain is a failure" >&2
    exit 1
  fi
  echo "==> apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || die "apt-get update failed"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" || die "apt-get install ${missing[*]} failed"
  mapfile -t still_missing < <(missing_packages)
  ((${#still_missing[@]} == 0)) || die "still missing after apt-get install: ${still_missing[*]}"
else
  echo "==> Debian packages already installed: ${PACKAGES[*]}"
fi

# The packages are installed; make sure they provide what this script relies on, by path.
for tool in "$GCC" "$GXX" "$RUSTC" "$CARGO" "$GO" "$PYTHON"; do
  [[ -x "$tool" ]] || die "$tool not found although its Debian package is installed"
done
libc_crate_dirs=("$CARGO_REGISTRY"/libc-0.2.*)
[[ -f "${libc_crate_dirs[-1]}/Cargo.toml" ]] || die "no libc crate under $CARGO_REGISTRY (package librust-libc-dev)"
[[ -f "$GOCODE_XSYS/go.mod" && -d "$GOCODE_XSYS/unix" ]] || die "no golang.org/x/sys module at $GOCODE_XSYS (package golang-golang-x-sys-dev)"

scratch="$(mktemp -d "${TMPDIR:-/tmp}/zfs-dio-samples.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/home" "$scratch/obj"
cp -r "$samples" "$scratch/samples"
work="$scratch/samples"

# Each toolchain runs with a minimal environment: Debian's PATH only, scratch HOME, no inherited
# RUSTUP_*/CARGO_*/GO*/PYTHON* settings from the caller.
clean_env=(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$scratch/home" TMPDIR="$scratch" LC_ALL=C.UTF-8)

# Version strings for the summary, read from the toolchains themselves and from dpkg.
pkg_version() { dpkg-query -W -f='${Version}' "$1"; }
gcc_version="gcc $("${clean_env[@]}" "$GCC" -dumpfullversion) (Debian $(pkg_version gcc-12 2>/dev/null || pkg_version gcc))"
gxx_version="g++ $("${clean_env[@]}" "$GXX" -dumpfullversion)"
rust_version="$("${clean_env[@]}" "$RUSTC" --version | cut -d' ' -f1-2), $("${clean_env[@]}" "$CARGO" --version | cut -d' ' -f1-2), libc $(pkg_version librust-libc-dev)"
go_version="$("${clean_env[@]}" "$GO" env GOVERSION), x/sys $(pkg_version golang-golang-x-sys-dev)"
python_version="$("${clean_env[@]}" "$PYTHON" --version 2>&1)"

# ---- 2. compile -----------------------------------------------------------------------------------------
summary=()   # "language|file|toolchain|result" rows
failures=0

# record LANG FILE TOOLCHAIN STATUS LOG [NOTE]: adds a summary row; on failure prints the compiler output.
record() {
  local lang=$1 file=$2 toolchain=$3 status=$4 log=$5 note=${6:-}
  if [[ "$status" == 0 ]]; then
    summary+=("$lang|$file|$toolchain|ok${note:+ ($note)}")
  else
    failures=$((failures + 1))
    summary+=("$lang|$file|$toolchain|FAILED${note:+ ($note)}")
    echo "---- $lang $file FAILED; compiler output:"
    cat "$log"
    echo "----"
  fi
}

# Files the analyzer would look at (same extensions as test/unit/samples.test.ts), so a new sample file
# that nothing below compiles is caught instead of silently ignored.
mapfile -t all_sources < <(cd "$work" && find . -type f -regextype posix-extended -regex '.*\.(c|h|cc|cpp|hpp|cxx|rs|go|py)$' | sed 's|^\./||' | sort)
covered=()

for file in "${all_sources[@]}"; do
  case "$file" in
    *.c)
      echo "==> gcc $file"
      "${clean_env[@]}" "$GCC" -std=c11 -Wall -Wextra -Werror -c "$work/$file" -o "$scratch/obj/$(basename "$file").o" >"$scratch/log" 2>&1
      record C "$file" "$gcc_version" $? "$scratch/log"
      covered+=("$file") ;;
    *.cc | *.cpp | *.cxx)
      echo "==> g++ $file"
      "${clean_env[@]}" "$GXX" -std=c++17 -Wall -Wextra -Werror -c "$work/$file" -o "$scratch/obj/$(basename "$file").o" >"$scratch/log" 2>&1
      record C++ "$file" "$gxx_version" $? "$scratch/log"
      covered+=("$file") ;;
    *.h | *.hpp)
      covered+=("$file") ;; # compiled through the files that include them
    *.py)
      echo "==> python3 -m py_compile $file"
      "${clean_env[@]}" "$PYTHON" -m py_compile "$work/$file" >"$scratch/log" 2>&1
      record Python "$file" "$python_version" $? "$scratch/log"
      covered+=("$file") ;;
  esac
done

# Rust: every Cargo crate under samples/.
cargo_home="$scratch/cargo-home"
mkdir -p "$cargo_home"
cat >"$cargo_home/config.toml" <<EOF
# crates.io is unreachable here: resolve every crate from Debian's vendored sources instead.
[source.crates-io]
replace-with = "debian"

[source.debian]
directory = "$CARGO_REGISTRY"

[net]
offline = true
EOF
while IFS= read -r manifest; do
  crate="$(dirname "$manifest")"
  echo "==> cargo build --offline ($crate)"
  (cd "$work/$crate" && "${clean_env[@]}" CARGO_HOME="$cargo_home" CARGO_TARGET_DIR="$scratch/cargo-target" \
    RUSTC="$RUSTC" RUSTDOC=/usr/bin/rustdoc "$CARGO" build --offline --color never) >"$scratch/log" 2>&1
  status=$?
  # Warnings do not fail the build, but they are shown: lines like "warning: unused variable: `x`",
  # without cargo's own "generated N warnings" tally.
  warnings=$(grep -E '^warning' "$scratch/log" | grep -cv 'generated [0-9]* warning')
  if [[ "$status" == 0 && "$warnings" -gt 0 ]]; then
    echo "---- $crate: $warnings warning(s):"
    cat "$scratch/log"
    echo "----"
  fi
  resolved_libc="$(grep -A1 '^name = "libc"' "$work/$crate/Cargo.lock" 2>/dev/null | sed -n 's/^version = "\(.*\)"/\1/p')"
  record Rust "$crate (cargo build)" "$rust_version" "$status" "$scratch/log" \
    "$warnings warning(s)${resolved_libc:+, libc $resolved_libc resolved}"
  while IFS= read -r rs; do covered+=("$crate/${rs#./}"); done < <(cd "$work/$crate" && find . -name '*.rs' -not -path './target/*')
done < <(cd "$work" && find . -name Cargo.toml -not -path '*/target/*' | sed 's|^\./||' | sort)

# Go: every module under samples/, built in module mode against Debian's golang.org/x/sys. Only the
# scratch copy of go.mod gets the replace directive; the committed one stays usable with the real proxy.
while IFS= read -r gomod; do
  module="$(dirname "$gomod")"
  go_env=("${clean_env[@]}" GOPATH="$scratch/gopath" GOCACHE="$scratch/gocache" GOPROXY=off GOSUMDB=off
    GOFLAGS=-mod=mod GO111MODULE=on GOTOOLCHAIN=local CGO_ENABLED=0)
  (cd "$work/$module" && "${go_env[@]}" "$GO" mod edit -replace=golang.org/x/sys="$GOCODE_XSYS") >"$scratch/log" 2>&1 ||
    { record Go "$module (go.mod)" "$go_version" 1 "$scratch/log"; continue; }
  echo "==> go build ($module)"
  (cd "$work/$module" && "${go_env[@]}" "$GO" build -o "$scratch/obj/go-$(basename "$module")" ./...) >"$scratch/log" 2>&1
  record Go "$module (go build)" "$go_version" $? "$scratch/log"
  echo "==> go vet ($module)"
  (cd "$work/$module" && "${go_env[@]}" "$GO" vet ./...) >"$scratch/log" 2>&1
  record Go "$module (go vet)" "$go_version" $? "$scratch/log"
  while IFS= read -r gofile; do covered+=("$module/${gofile#./}"); done < <(cd "$work/$module" && find . -name '*.go')
done < <(cd "$work" && find . -name go.mod | sed 's|^\./||' | sort)

# Any analyzable sample file that none of the steps above compiled is a failure, not a silent gap.
for file in "${all_sources[@]}"; do
  found=0
  for c in "${covered[@]}"; do [[ "$c" == "$file" ]] && { found=1; break; }; done
  if ((found == 0)); then
    echo "---- $file is not compiled by any step (a .rs outside a Cargo crate or a .go outside a Go module?)"
    failures=$((failures + 1))
    summary+=("?|$file|none|FAILED (not compiled)")
  fi
done

# ---- 3. summary -----------------------------------------------------------------------------------------
echo
printf '%-7s %-30s %-58s %s\n' language file toolchain result
for row in "${summary[@]}"; do
  IFS='|' read -r lang file toolchain result <<<"$row"
  printf '%-7s %-30s %-58s %s\n' "$lang" "$file" "$toolchain" "$result"
done
echo
if ((failures)); then
  echo "test:samples: $failures step(s) failed"
  exit 1
fi
echo "test:samples: all ${#summary[@]} steps passed"

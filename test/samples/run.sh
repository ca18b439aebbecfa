#!/usr/bin/env bash
# npm run test:samples: proves that every program under samples/ and test/fixtures/fixes/ is real, compilable
# code, and that it still compiles after each quick fix the analyzer offers on it: `zfs-dio scan --format json`
# prints the fixes, test/samples/fixed-variants.ts applies each one to its own copy of the tree, and the fixed
# file is compiled like the original. Built with Debian 12's own toolchains and offline (this project's machines
# and CI reach only npm and Debian's apt).
#   C    gcc -std=c11   -Wall -Wextra -Werror -c
#   C++  g++ -std=c++17 -Wall -Wextra -Werror -c
#   Rust /usr/bin/cargo build --offline, with crates.io replaced by Debian's vendored crates
#        (librust-libc-dev, /usr/share/cargo/registry) in a scratch CARGO_HOME; warnings are reported, not fatal
#   Go   /usr/bin/go build + go vet in module mode, golang.org/x/sys replaced by Debian's copy
#        (golang-golang-x-sys-dev, /usr/share/gocode) in a scratch copy of go.mod; GOPROXY=off
#   Py   /usr/bin/python3 -m py_compile
# Everything is compiled in a scratch copy under a temp dir; nothing is written into samples/ or test/.
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

# Rust: crates.io is unreachable here, so every crate resolves from Debian's vendored sources.
cargo_home="$scratch/cargo-home"
mkdir -p "$cargo_home"
cat >"$cargo_home/config.toml" <<CONFIG
# crates.io is unreachable here: resolve every crate from Debian's vendored sources instead.
[source.crates-io]
replace-with = "debian"

[source.debian]
directory = "$CARGO_REGISTRY"

[net]
offline = true
CONFIG

# One step per toolchain. Each takes what to compile and the name the summary shows.
compile_c() {  # compile_c FILE LABEL
  "${clean_env[@]}" "$GCC" -std=c11 -Wall -Wextra -Werror -c "$1" -o "$scratch/obj/c.o" >"$scratch/log" 2>&1
  record C "$2" "$gcc_version" $? "$scratch/log"
}
compile_cpp() {  # compile_cpp FILE LABEL
  "${clean_env[@]}" "$GXX" -std=c++17 -Wall -Wextra -Werror -c "$1" -o "$scratch/obj/cpp.o" >"$scratch/log" 2>&1
  record C++ "$2" "$gxx_version" $? "$scratch/log"
}
compile_python() {  # compile_python FILE LABEL (the bytecode goes to the scratch directory, never next to the file)
  "${clean_env[@]}" PYTHONPYCACHEPREFIX="$scratch/pycache" "$PYTHON" -m py_compile "$1" >"$scratch/log" 2>&1
  record Python "$2" "$python_version" $? "$scratch/log"
}
cargo_build() {  # cargo_build CRATE_DIR LABEL
  (cd "$1" && "${clean_env[@]}" CARGO_HOME="$cargo_home" CARGO_TARGET_DIR="$scratch/cargo-target" \
    RUSTC="$RUSTC" RUSTDOC=/usr/bin/rustdoc "$CARGO" build --offline --color never) >"$scratch/log" 2>&1
  local status=$? warnings resolved_libc
  # Warnings do not fail the build, but they are shown: lines like "warning: unused variable: `x`",
  # without cargo's own "generated N warnings" tally.
  warnings=$(grep -E '^warning' "$scratch/log" | grep -cv 'generated [0-9]* warning')
  if [[ "$status" == 0 && "$warnings" -gt 0 ]]; then
    echo "---- $2: $warnings warning(s):"
    cat "$scratch/log"
    echo "----"
  fi
  resolved_libc="$(grep -A1 '^name = "libc"' "$1/Cargo.lock" 2>/dev/null | sed -n 's/^version = "\(.*\)"/\1/p')"
  record Rust "$2 (cargo build)" "$rust_version" "$status" "$scratch/log" \
    "$warnings warning(s)${resolved_libc:+, libc $resolved_libc resolved}"
}
# Go: module mode against Debian's golang.org/x/sys. Only the copy's go.mod gets the replace directive; the
# committed one stays usable with the real proxy.
go_env=("${clean_env[@]}" GOPATH="$scratch/gopath" GOCACHE="$scratch/gocache" GOPROXY=off GOSUMDB=off
  GOFLAGS=-mod=mod GO111MODULE=on GOTOOLCHAIN=local CGO_ENABLED=0)
go_build() {  # go_build MODULE_DIR LABEL
  (cd "$1" && "${go_env[@]}" "$GO" mod edit -replace=golang.org/x/sys="$GOCODE_XSYS") >"$scratch/log" 2>&1 ||
    { record Go "$2 (go.mod)" "$go_version" 1 "$scratch/log"; return; }
  (cd "$1" && "${go_env[@]}" "$GO" build -o "$scratch/obj/go-bin" ./...) >"$scratch/log" 2>&1
  record Go "$2 (go build)" "$go_version" $? "$scratch/log"
  (cd "$1" && "${go_env[@]}" "$GO" vet ./...) >"$scratch/log" 2>&1
  record Go "$2 (go vet)" "$go_version" $? "$scratch/log"
}

# compile_tree DIR NAME: every analyzable file of a copied tree (same extensions as test/unit/samples.test.ts),
# every Cargo crate and Go module in it. A file that no step compiles is a failure, not a silent gap.
compile_tree() {
  local work=$1 name=$2 file manifest crate gomod module found c
  local sources=() covered=()
  mapfile -t sources < <(cd "$work" && find . -type f -regextype posix-extended -regex '.*\.(c|h|cc|cpp|hpp|cxx|rs|go|py)$' | sed 's|^\./||' | sort)
  for file in "${sources[@]}"; do
    case "$file" in
      *.c) echo "==> gcc $name/$file"; compile_c "$work/$file" "$name/$file"; covered+=("$file") ;;
      *.cc | *.cpp | *.cxx) echo "==> g++ $name/$file"; compile_cpp "$work/$file" "$name/$file"; covered+=("$file") ;;
      *.h | *.hpp) covered+=("$file") ;; # compiled through the files that include them
      *.py) echo "==> python3 -m py_compile $name/$file"; compile_python "$work/$file" "$name/$file"; covered+=("$file") ;;
    esac
  done
  while IFS= read -r manifest; do
    crate="$(dirname "$manifest")"
    echo "==> cargo build --offline ($name/$crate)"
    cargo_build "$work/$crate" "$name/$crate"
    while IFS= read -r file; do covered+=("$crate/${file#./}"); done < <(cd "$work/$crate" && find . -name '*.rs' -not -path './target/*')
  done < <(cd "$work" && find . -name Cargo.toml -not -path '*/target/*' | sed 's|^\./||' | sort)
  while IFS= read -r gomod; do
    module="$(dirname "$gomod")"
    echo "==> go build, go vet ($name/$module)"
    go_build "$work/$module" "$name/$module"
    while IFS= read -r file; do covered+=("$module/${file#./}"); done < <(cd "$work/$module" && find . -name '*.go')
  done < <(cd "$work" && find . -name go.mod | sed 's|^\./||' | sort)
  for file in "${sources[@]}"; do
    found=0
    for c in "${covered[@]}"; do [[ "$c" == "$file" ]] && { found=1; break; }; done
    if ((found == 0)); then
      echo "---- $name/$file is not compiled by any step (a .rs outside a Cargo crate or a .go outside a Go module?)"
      failures=$((failures + 1))
      summary+=("?|$name/$file|none|FAILED (not compiled)")
    fi
  done
}

# The onboarding samples, and the quick-fix cases the unit tests apply fixes to.
TREES=(samples test/fixtures/fixes)
for tree in "${TREES[@]}"; do
  [[ -d "$repo/$tree" ]] || die "no $tree/ directory at $repo/$tree"
  mkdir -p "$scratch/trees/$tree"
  cp -r "$repo/$tree/." "$scratch/trees/$tree"
  compile_tree "$scratch/trees/$tree" "$tree"
done

# ---- 3. every quick fix, applied and compiled -------------------------------------------------------------
# `zfs-dio scan --format json` prints each finding's fixes; fixed-variants.ts applies each one, from the JSON as
# another tool would, to its own copy of the tree, and the fixed file is compiled like the original.
if [[ ! -f "$repo/dist/cli.js" ]]; then
  echo "==> node scripts/build.mjs (dist/cli.js is missing)"
  (cd "$repo" && node scripts/build.mjs) || die "building dist/cli.js failed"
fi
[[ -x "$repo/node_modules/.bin/esbuild" ]] || die "no node_modules/.bin/esbuild: run npm ci first"
"$repo/node_modules/.bin/esbuild" "$repo/test/samples/fixed-variants.ts" --bundle --platform=node --format=cjs --target=node20 \
  --log-level=warning --outfile="$scratch/fixed-variants.cjs" || die "bundling test/samples/fixed-variants.ts failed"
(cd "$scratch/trees" && node "$scratch/fixed-variants.cjs" --cli "$repo/dist/cli.js" --out "$scratch/variants" "${TREES[@]}") \
  >"$scratch/variants.tsv" || die "writing the fixed variants failed"
variants=0
while IFS=$'\t' read -r dir tree file rule line title; do
  variants=$((variants + 1))
  label="$tree/$file:$line $rule, fixed: $title"
  echo "==> fixed variant $variants: $label"
  case "$file" in
    *.c) compile_c "$dir/$file" "$label" ;;
    *.cc | *.cpp | *.cxx) compile_cpp "$dir/$file" "$label" ;;
    *.py) compile_python "$dir/$file" "$label" ;;
    *.rs | *.go)
      # The crate or module that holds the file: the nearest Cargo.toml or go.mod above it.
      marker=Cargo.toml
      [[ "$file" == *.go ]] && marker=go.mod
      unit="$(dirname "$dir/$file")"
      while [[ "$unit" != "$dir" && ! -f "$unit/$marker" ]]; do unit="$(dirname "$unit")"; done
      if [[ ! -f "$unit/$marker" ]]; then
        failures=$((failures + 1))
        summary+=("?|$label|none|FAILED (no $marker above it)")
      elif [[ "$file" == *.rs ]]; then
        cargo_build "$unit" "$label"
      else
        go_build "$unit" "$label"
      fi ;;
    *)
      failures=$((failures + 1))
      summary+=("?|$label|none|FAILED (no toolchain for it)") ;;
  esac
done <"$scratch/variants.tsv"
if ((variants == 0)); then
  failures=$((failures + 1))
  summary+=("?|fixed variants|none|FAILED (the scans printed no fixes)")
fi

# ---- 4. summary -----------------------------------------------------------------------------------------
echo
printf '%-7s %-60s %-58s %s\n' language file toolchain result
for row in "${summary[@]}"; do
  IFS='|' read -r lang file toolchain result <<<"$row"
  printf '%-7s %-60s %-58s %s\n' "$lang" "${file:0:60}" "$toolchain" "$result"
done
echo
if ((failures)); then
  echo "test:samples: $failures step(s) failed"
  exit 1
fi
echo "test:samples: all ${#summary[@]} steps passed"

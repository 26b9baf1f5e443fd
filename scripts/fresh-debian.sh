#!/usr/bin/env bash
# Runs the README's commands on a fresh Debian bookworm machine: a clean root made with
# debootstrap (minbase) holding only g++, cmake, make and git, a clone of this repository's
# HEAD, and nothing else. Proves that scripts/setup.sh installs everything the build and the
# tests need, which a developer's machine (where it is all installed already) cannot show.
#
#   bash scripts/fresh-debian.sh [run|test|both|ci] [--dir DIR] [--mirror URL] [--keep]
#
#   run    bash scripts/run.sh scenarios/viborg-relationel-velfaerd.yaml    (README command 1)
#   test   bash scripts/test.sh                                              (README command 2)
#   both   run, then test (the default)
#   ci     run, then the Release part of test (SOCINVEST_TEST_STAGES=release): what CI does,
#          to stay within its time (see scripts/test.sh)
#
#   --dir DIR     the folder this script owns (default $SOCINVEST_FRESH_DIR or
#                 /var/tmp/socinvest-fresh). It keeps there:
#                   base.tar  the pristine root after debootstrap + g++ cmake make git,
#                             reused by later runs (made again when the mirror or package
#                             list changes, or with --rebuild-base)
#                   root/     the root of this run, unpacked afresh from base.tar every time
#   --mirror URL  Debian mirror (default: the one in the host's apt sources)
#   --keep        keep root/ after a successful run (it is always kept after a failure)
#   --rebuild-base  make base.tar again even when it is up to date
#
# Needs root, debootstrap (installed with apt-get when missing) and unshare (util-linux).
# Everything is mounted in a private mount and PID namespace, so the mounts (proc, sys, a
# private /dev) disappear with the run even when it is killed, and no process of the root
# outlives it; a trap unmounts them in order on a normal exit too. Nothing is ever deleted
# that this script did not create: it refuses a --dir that holds anything else, deletes only
# its own root/ and base build folder (each carrying its marker), never while anything is
# mounted below them, and never across a file-system boundary.
#
# Exit code: 0 when every command passed; the failing command's exit code otherwise (or 1
# for a problem with the setup of the root). Times of each step are printed at the end.
#
# Measured on the project's 2-core VM under nice -n 15, with other builds running (load ~5):
#   base (debootstrap + g++ cmake make git): 129 s, once; unpacking the cached base: 2-3 s
#   run command: 158-224 s (install, Release build of socinvest, the main job)
#   test command: 1718 s (install test tools, Release build + tests, sanitizer build + tests,
#                 fuzz build + 60 s of fuzzing); both: 2045 s in all
#   ci (run + Release tests): 347 s in all with the base cached (~8 min without)
# CI has 90 minutes and its own suite takes ~12, so CI runs `ci` (from scripts/test.sh) and
# the full `both` is run by hand after changing setup or the build.
set -euo pipefail

suite=bookworm
base_packages=(g++ cmake make git)
marker=.socinvest-fresh   # in every folder this script created and may delete
main_scenario=scenarios/viborg-relationel-velfaerd.yaml

say() { echo "fresh-debian: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

mode=both
dir="${SOCINVEST_FRESH_DIR:-/var/tmp/socinvest-fresh}"
mirror=""
keep=0
rebuild=0
while [ $# -gt 0 ]; do
  case "$1" in
    run|test|both|ci) mode="$1" ;;
    --dir) dir="${2:?--dir needs a folder}"; shift ;;
    --dir=*) dir="${1#--dir=}" ;;
    --mirror) mirror="${2:?--mirror needs a URL}"; shift ;;
    --mirror=*) mirror="${1#--mirror=}" ;;
    --keep) keep=1 ;;
    --rebuild-base) rebuild=1 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'" ;;
  esac
  shift
done

repo=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)

# ---------------------------------------------------------------------------------------
# Inside the private namespaces (the script runs itself again under unshare).
# ---------------------------------------------------------------------------------------
if [ "${SOCINVEST_FRESH_INNER:-0}" = 1 ]; then
  root="$dir/root"
  mounted=()
  unmount_all() {
    local i
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
      umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}" 2>/dev/null ||
        say "could not unmount ${mounted[i]}"
    done
    mounted=()
  }
  trap unmount_all EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  mnt() {  # mnt TARGET mount-arguments...
    local target="$1"; shift
    mount "$@" "$target"
    mounted+=("$target")
  }
  # proc, sys and a /dev of its own (a tmpfs with the few device nodes bound from the host,
  # pseudo-terminals and a /dev/shm for Chromium): nothing below the root reaches the host's
  # /dev, so a root can always be deleted safely.
  mount_system() {
    local r="$1" d
    mnt "$r/proc" -t proc proc
    mnt "$r/sys" -t sysfs -o ro sysfs
    mnt "$r/dev" -t tmpfs -o mode=755,nosuid tmpfs
    for d in null zero full random urandom tty; do
      touch "$r/dev/$d"
      mnt "$r/dev/$d" --bind "/dev/$d"
    done
    mkdir -p "$r/dev/pts" "$r/dev/shm"
    mnt "$r/dev/pts" -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts
    ln -s pts/ptmx "$r/dev/ptmx"
    mnt "$r/dev/shm" -t tmpfs -o mode=1777,nosuid,nodev tmpfs
    ln -s /proc/self/fd "$r/dev/fd"
    ln -s /proc/self/fd/0 "$r/dev/stdin"
    ln -s /proc/self/fd/1 "$r/dev/stdout"
    ln -s /proc/self/fd/2 "$r/dev/stderr"
    cp /etc/resolv.conf "$r/etc/resolv.conf"
  }
  # A fresh machine's environment: no variables from the host or from CI.
  in_root() {
    chroot "$1" /usr/bin/env -i HOME=/root TERM=dumb \
      PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "${@:2}"
  }

  case "$SOCINVEST_FRESH_STEP" in
    base)
      build="$dir/base.build"
      debootstrap --variant=minbase "$suite" "$build" "$SOCINVEST_FRESH_MIRROR" >&2 ||
        die "debootstrap failed (its log: $build/debootstrap/debootstrap.log)"
      touch "$build/$marker"
      # The same suites as an installed Debian machine: bookworm, its updates and security.
      printf '%s\n' "deb $SOCINVEST_FRESH_MIRROR $suite main" \
        "deb $SOCINVEST_FRESH_MIRROR $suite-updates main" \
        "deb $SOCINVEST_FRESH_SECURITY $suite-security main" > "$build/etc/apt/sources.list"
      mount_system "$build"
      in_root "$build" apt-get update -qq >&2
      in_root "$build" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends $SOCINVEST_FRESH_PACKAGES >&2
      in_root "$build" apt-get clean
      unmount_all
      rm -f "$build/etc/resolv.conf"
      ;;
    commands)
      mount_system "$root"
      rc=0
      for step in $SOCINVEST_FRESH_COMMANDS; do
        case "$step" in
          run) cmd="bash scripts/run.sh $main_scenario" ;;
          test) cmd="bash scripts/test.sh" ;;
          test-release) cmd="SOCINVEST_TEST_STAGES=release bash scripts/test.sh" ;;
        esac
        say "== in the clean root: $cmd"
        start=$SECONDS
        # SOCINVEST_FRESH_ROOT=0: test.sh must not start another fresh root from inside.
        in_root "$root" SOCINVEST_FRESH_ROOT=0 bash -c "cd /root/socinvest && $cmd" || rc=$?
        echo "$step $((SECONDS - start)) $rc" >> "$dir/times"
        if [ "$rc" -ne 0 ]; then
          say "FAILED ($rc) in the clean root: $cmd"
          exit "$rc"
        fi
      done
      ;;
  esac
  exit 0
fi

# ---------------------------------------------------------------------------------------
# On the host.
# ---------------------------------------------------------------------------------------
[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot and mounts)"
command -v unshare >/dev/null || die "needs unshare (util-linux)"
if ! command -v debootstrap >/dev/null; then
  say "installing debootstrap on this machine"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >&2 ||
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap; } >&2 ||
    die "cannot install debootstrap"
fi

# The mirror the host's apt uses (deb822 .sources or one-line sources.list), else Debian's.
host_mirror() {  # host_mirror SUITE
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk -v s="$1" 'BEGIN{RS=""} $0 ~ "(^|\n)Suites:[^\n]*[ \t]" s "([ \t]|\n|$)" {
        if (match($0, /(^|\n)URIs:[ \t]*[^ \t\n]+/)) { u = substr($0, RSTART, RLENGTH);
          sub(/^\n?URIs:[ \t]*/, "", u); print u; exit } }' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    awk -v s="$1" '$1 == "deb" { i = 2; if ($2 ~ /^\[/) while ($i !~ /\]$/) i++;
        if ($2 ~ /^\[/) i++; if ($(i + 1) == s) { print $i; exit } }' "$f"
  done
}
[ -n "$mirror" ] || mirror=$(host_mirror "$suite" | head -n 1)
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
security=$(host_mirror "$suite-security" | head -n 1)
[ -n "$security" ] || security="${mirror%/debian}/debian-security"
mirror="${mirror%/}"
security="${security%/}"
packages=("${base_packages[@]}")
case "$mirror $security" in *https:*) packages+=(ca-certificates) ;; esac  # apt over https

# The folder: created here (with the marker), or an empty one, or one made by this script.
if [ -e "$dir" ]; then
  [ -d "$dir" ] || die "$dir exists and is not a folder"
  if [ ! -e "$dir/$marker" ]; then
    [ -z "$(ls -A "$dir")" ] || die "$dir holds files this script did not create; choose another --dir"
    touch "$dir/$marker"
  fi
else
  mkdir -p "$dir"
  touch "$dir/$marker"
fi
dir=$(cd "$dir" && pwd -P)
root="$dir/root"

# Deletes a folder this script created: only with its marker, nothing mounted below it, and
# never crossing into another file system.
remove_own() {
  local target="$1"
  [ -e "$target" ] || return 0
  [ -e "$target/$marker" ] || die "$target was not made by this script (no $marker): not deleting it"
  if awk '{print $5}' /proc/self/mountinfo | grep -q "^$target/"; then
    die "something is still mounted below $target: not deleting it"
  fi
  rm -rf --one-file-system "$target"
}

# Runs a step of this script in private mount and PID namespaces.
inner() {  # inner STEP [VAR=value...]
  env SOCINVEST_FRESH_INNER=1 SOCINVEST_FRESH_STEP="$1" "${@:2}" \
    unshare --mount --pid --fork --kill-child --propagation private \
    bash "$repo/scripts/fresh-debian.sh" --dir "$dir"
}

total_start=$SECONDS
: > "$dir/times"

# 1. The pristine base, made once and reused while the mirror and package list are the same.
key="$suite $mirror $security ${packages[*]} minbase"
t_base="cached"
if [ "$rebuild" = 1 ] || [ ! -f "$dir/base.tar" ] || [ "$(cat "$dir/base.key" 2>/dev/null)" != "$key" ]; then
  say "making the base root: debootstrap $suite from $mirror, then ${packages[*]}"
  start=$SECONDS
  remove_own "$dir/base.build"
  mkdir "$dir/base.build"
  touch "$dir/base.build/$marker"
  inner base SOCINVEST_FRESH_MIRROR="$mirror" SOCINVEST_FRESH_SECURITY="$security" \
    SOCINVEST_FRESH_PACKAGES="${packages[*]}" || die "making the base root failed"
  tar -C "$dir/base.build" -cf "$dir/base.tar.part" .
  mv "$dir/base.tar.part" "$dir/base.tar"
  echo "$key" > "$dir/base.key"
  remove_own "$dir/base.build"
  t_base="$((SECONDS - start)) s"
  say "base root made in $t_base"
fi

# 2. This run's root, unpacked afresh, with a clone of HEAD.
if [ -e "$root" ]; then
  say "removing the previous root $root"
  remove_own "$root"
fi
start=$SECONDS
mkdir "$root"
touch "$root/$marker"   # first, so that a root left half-unpacked is still known as ours
tar -C "$root" -xf "$dir/base.tar"
t_unpack="$((SECONDS - start)) s"
head=$(git -C "$repo" rev-parse HEAD)
[ -z "$(git -C "$repo" status --porcelain --untracked-files=no)" ] ||
  say "note: uncommitted changes in $repo are not part of the test (it clones HEAD $head)"
git clone --quiet --no-local "$repo" "$root/root/socinvest"
git -C "$root/root/socinvest" checkout --quiet --detach "$head"
say "root ready in $root (unpacked in $t_unpack), HEAD $(git -C "$repo" rev-parse --short=12 HEAD)"

# 3. The README commands, inside the root.
case "$mode" in
  run) commands="run" ;;
  test) commands="test" ;;
  both) commands="run test" ;;
  ci) commands="run test-release" ;;
esac
rc=0
inner commands SOCINVEST_FRESH_COMMANDS="$commands" || rc=$?

say "times: base ${t_base}, unpack ${t_unpack}"
while read -r step secs status; do
  say "times: $step ${secs} s (exit $status)"
done < "$dir/times"
say "times: total $((SECONDS - total_start)) s"
if [ "$rc" -ne 0 ]; then
  say "FAILED (exit $rc); the root is kept for a look: chroot $root"
  exit "$rc"
fi
[ "$keep" = 1 ] && say "root kept: $root" || remove_own "$root"
say "ok: $commands passed in a clean Debian $suite root"

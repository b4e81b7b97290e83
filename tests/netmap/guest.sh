#!/bin/bash
# make test-netmap: run tests/netmap/guest inside a QEMU guest that has netmap.
#
# These machines load no kernel modules, so the netmap tests run in a guest:
# Debian's current kernel (linux-image-amd64, fetched with `apt-get download`
# and extracted, never installed) boots under QEMU with a busybox initramfs,
# loads netmap.ko built here from the netmap source in ../shared/third_party,
# mounts this machine's / read-only over virtio-9p and runs pytest from this
# checkout's .venv inside a chroot of it. The engine and its Python are the
# host's, built by `make native`; only the module is built for the guest.
#
# Cached under $PKTLAB_CACHE (default build/cache): the kernel packages, the
# extracted kernel, netmap.ko (keyed by kernel version and netmap commit) and
# the initramfs. The guest's console log and pytest's output land in a fresh
# folder under /tmp, printed on failure; the exit status is pytest's in the
# guest (or 1 when the guest did not get that far).
#
# Environment: PKTLAB_SHARED (../shared), PKTLAB_CACHE (build/cache),
# NETMAP_TGZ (the netmap tarball), ACCEL (kvm|tcg: kvm only where it works),
# GUEST_CPUS (2), GUEST_MEM (2048 MiB), GUEST_TIMEOUT (300 s),
# PYTEST_ARGS (what the guest's pytest runs: tests/netmap/guest),
# GUEST_CMD (a shell command run in the chroot instead of pytest, e.g. a benchmark).
set -euo pipefail
T0=$(date +%s)
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "${PKTLAB_SHARED:-}" ]; then     # the first of ../shared and ../../shared
  for d in "$ROOT/../shared" "$ROOT/../../shared"; do
    [ -d "$d/third_party" ] && { PKTLAB_SHARED=$(cd "$d" && pwd); break; }
  done
fi
SHARED=${PKTLAB_SHARED:-$ROOT/../shared}
CACHE=${PKTLAB_CACHE:-$ROOT/build/cache}
NETMAP_TGZ=${NETMAP_TGZ:-$(ls "$SHARED"/third_party/netmap-*.tar.gz 2>/dev/null | head -1 || true)}
PYTEST_ARGS=${PYTEST_ARGS:-tests/netmap/guest}
say() { echo "[test-netmap +$(( $(date +%s) - T0 ))s] $*"; }
die() { echo "test-netmap: $*" >&2; exit 1; }

[ -n "$NETMAP_TGZ" ] && [ -r "$NETMAP_TGZ" ] ||
  die "no netmap source: expected third_party/netmap-*.tar.gz under $SHARED (set PKTLAB_SHARED or NETMAP_TGZ)"
NETMAP_COMMIT=$(basename "$NETMAP_TGZ" .tar.gz); NETMAP_COMMIT=${NETMAP_COMMIT#netmap-}
[ -x "$ROOT/.venv/bin/python" ] || die "no .venv: run make setup first"
"$ROOT/.venv/bin/python" -c 'import pktlab.engine.netmap as n, sys; sys.exit(0 if n.available() else 1)' ||
  die "pktlab was built without netmap (make native builds it from $NETMAP_TGZ)"

# ---- 1. host packages ----------------------------------------------------------
need=()
for p in qemu-system-x86 busybox-static cpio kmod gcc make libelf-dev bc; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "missing Debian packages: ${need[*]} (run as root, or install them)"
  say "installing ${need[*]}"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# ---- 2. Debian's current kernel, extracted (not installed) ---------------------------
kpkg() { apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}'; }
KPKG=$(kpkg)
[ -n "$KPKG" ] || { apt-get update -qq >/dev/null; KPKG=$(kpkg); }
[ -n "$KPKG" ] || die "apt-cache does not know linux-image-amd64 (apt-get update failed?)"
KVER=${KPKG#linux-image-}                 # 6.1.0-57-amd64
KBASE=${KVER%-amd64}
KROOT=$CACHE/kernel/$KVER
KDIR=$KROOT/usr/src/linux-headers-$KVER
if [ ! -e "$KROOT/.done" ]; then
  say "kernel $KVER: downloading and extracting"
  KBUILD=$(apt-cache depends "linux-headers-$KVER" | awk '/Depends: linux-kbuild/{print $2; exit}')
  DEBS=$CACHE/debs; mkdir -p "$DEBS"
  for p in "$KPKG" "linux-headers-$KVER" "linux-headers-$KBASE-common" "$KBUILD"; do
    ls "$DEBS/${p}"_*.deb >/dev/null 2>&1 ||
      (cd "$DEBS" && apt-get download "$p" 2>&1 | grep -v 'Download is performed unsandboxed' || true)
    ls "$DEBS/${p}"_*.deb >/dev/null 2>&1 || die "apt-get download $p failed"
  done
  rm -rf "$KROOT"; mkdir -p "$KROOT"
  for p in "$KPKG" "linux-headers-$KVER" "linux-headers-$KBASE-common" "$KBUILD"; do
    dpkg-deb -x "$(ls "$DEBS/${p}"_*.deb | head -1)" "$KROOT"
  done
  # The -amd64 headers include the -common ones by an absolute path.
  sed -i "s#^include /usr/src/#include $KROOT/usr/src/#" "$KDIR/Makefile"
  depmod -b "$KROOT" "$KVER"
  touch "$KROOT/.done"
fi

# ---- 3. netmap.ko for that kernel, keyed by kernel version and netmap commit ---------
KO=$CACHE/netmap-ko/$KVER-$NETMAP_COMMIT
if [ ! -e "$KO/netmap.ko" ]; then
  say "netmap.ko for $KVER from netmap $NETMAP_COMMIT: configure (2-3 min) and make"
  rm -rf "$KO"; mkdir -p "$KO/src" "$KO/build"
  tar xzf "$NETMAP_TGZ" -C "$KO/src" --strip-components=1
  (cd "$KO/build" && "$KO/src/LINUX/configure" --kernel-dir="$KDIR" --no-drivers --no-apps \
      --no-utils --enable-vale --enable-pipe --enable-generic --enable-monitor >configure.log 2>&1) ||
    { tail -30 "$KO/build/configure.log"; die "netmap's configure failed (log: $KO/build/configure.log)"; }
  say "netmap.ko: make"
  make -C "$KO/build" -j"$(nproc)" >"$KO/build/make.log" 2>&1 ||
    { tail -30 "$KO/build/make.log"; die "building netmap.ko failed (log: $KO/build/make.log)"; }
  cp "$KO/build/netmap.ko" "$KO/netmap.ko"
fi
say "netmap.ko: $(modinfo -F vermagic "$KO/netmap.ko")"

# ---- 4. the initramfs: busybox, virtio/9p/veth modules, an init ---------------------
INIT=$ROOT/tests/netmap/guest-init.sh
INITRD=$CACHE/initramfs-$KVER-$(cksum <"$INIT" | cut -d' ' -f1).cpio.gz
if [ ! -e "$INITRD" ]; then
  say "initramfs"
  R=$(mktemp -d /tmp/pktlab-netmap-initrd.XXXXXX)
  mkdir -p "$R"/{bin,proc,sys,dev,tmp,mnt,host,lib/modules/$KVER}
  cp /bin/busybox "$R/bin/busybox"
  for a in $("$R/bin/busybox" --list); do [ "$a" = busybox ] || ln -sf busybox "$R/bin/$a"; done
  : >"$R/modlist"
  for m in virtio_pci 9pnet_virtio 9p veth; do
    for p in $(modprobe -d "$KROOT" -S "$KVER" --show-depends $m | awk '{print $2}'); do
      rel=${p#$KROOT/lib/modules/$KVER/}
      grep -qx "$rel" "$R/modlist" && continue
      echo "$rel" >>"$R/modlist"
      mkdir -p "$R/lib/modules/$KVER/$(dirname "$rel")"; cp "$p" "$R/lib/modules/$KVER/$rel"
    done
  done
  cp "$INIT" "$R/init"; chmod +x "$R/init"
  (cd "$R" && find . | cpio -o -H newc 2>/dev/null | gzip -1) >"$INITRD.tmp" && mv "$INITRD.tmp" "$INITRD"
  rm -rf "$R"
fi

# ---- 5. what the guest runs --------------------------------------------------------
WORK=$(mktemp -d /tmp/pktlab-netmap-guest.XXXXXX)
mkdir -p "$WORK/results"
cp "$KO/netmap.ko" "$WORK/"
{
  echo "ROOT='$ROOT'"
  printf 'PYTEST_ARGS=%q\n' "$PYTEST_ARGS"
  printf 'GUEST_CMD=%q\n' "${GUEST_CMD:-}"
} >"$WORK/env.sh"

if [ -z "${ACCEL:-}" ]; then
  # /dev/kvm is not enough: a PVM host's kvm does not boot Debian's kernel.
  if [ -w /dev/kvm ] && grep -qE 'vmx|svm' /proc/cpuinfo && { [ -d /sys/module/kvm_intel ] || [ -d /sys/module/kvm_amd ]; }; then
    ACCEL=kvm; else ACCEL=tcg; fi
fi
if [ "$ACCEL" = kvm ]; then ACC=(-accel kvm -cpu host); else ACC=(-accel tcg,thread=multi -cpu max); fi
say "booting the guest (accel $ACCEL, log $WORK/console.log)"
rc=0
timeout "${GUEST_TIMEOUT:-300}" qemu-system-x86_64 "${ACC[@]}" -smp "${GUEST_CPUS:-2}" -m "${GUEST_MEM:-2048}" \
  -nodefaults -no-user-config -display none -monitor none -serial file:"$WORK/console.log" -no-reboot \
  -kernel "$KROOT/boot/vmlinuz-$KVER" -initrd "$INITRD" -append 'console=ttyS0 panic=-1 quiet' \
  -virtfs local,path="$WORK",mount_tag=share,security_model=none,id=share \
  -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap,id=hostroot \
  </dev/null >"$WORK/qemu.log" 2>&1 || rc=$?
[ -s "$WORK/results/output.log" ] && cat "$WORK/results/output.log"
if [ ! -e "$WORK/results/rc" ]; then
  echo "---- guest console ($WORK/console.log) ----"; tail -60 "$WORK/console.log" 2>/dev/null || true
  cat "$WORK/qemu.log" 2>/dev/null || true
  die "the guest did not finish its tests (qemu exit status $rc$([ $rc = 124 ] && echo ': timed out'))"
fi
grc=$(cat "$WORK/results/rc")
if [ "$grc" != 0 ]; then
  echo "---- guest kernel log (tail) ----"; tail -40 "$WORK/results/dmesg.txt" 2>/dev/null || true
  echo "test-netmap: the tests failed in the guest (exit status $grc); logs in $WORK" >&2
else
  say "passed in the guest; logs in $WORK"
fi
echo "test-netmap: $(( $(date +%s) - T0 )) s in all (accel $ACCEL)"
exit "$grc"

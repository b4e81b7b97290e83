#!/bin/sh
# /init of the test-netmap guest (tests/netmap/guest.sh builds it into the initramfs).
# Loads the virtio/9p/veth modules, mounts the share (netmap.ko, env.sh, results/)
# and the host's / (read-only), loads netmap.ko, and runs the tests in a chroot of
# the host: results/output.log, results/rc, results/dmesg.txt.
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev; mount -t tmpfs tmp /tmp
up() { cut -d' ' -f1 /proc/uptime; }
echo "guest: up $(up)s, loading modules"
while read m; do insmod "/lib/modules/$(uname -r)/$m" || echo "guest: insmod $m failed"; done </modlist
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 share /mnt || { echo "guest: no share"; poweroff -f; }
R=/mnt/results
fail() { echo "guest: $*" | tee -a $R/output.log; echo 1 >$R/rc; sync; poweroff -f; }
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,ro,cache=loose hostroot /host ||
  fail "cannot mount the host's root over 9p"
mount -t proc proc /host/proc; mount -t sysfs sys /host/sys
mount -t devtmpfs dev /host/dev; mount -t tmpfs tmp /host/tmp
mkdir -p /host/tmp/share && mount --bind /mnt /host/tmp/share
insmod /mnt/netmap.ko || fail "insmod netmap.ko failed: $(dmesg | tail -3)"
dmesg | grep -m1 'netmap: loaded module' || true
ip link set lo up
. /mnt/env.sh
echo "guest: $(uname -r), netmap loaded at $(up)s; running the tests"
cat >/host/tmp/run.sh <<EOF
cd "$ROOT" || exit 1
export HOME=/tmp PYTHONDONTWRITEBYTECODE=1 PKTLAB_IN_GUEST=1 PKTLAB_GUEST_SHARE=/tmp/share
if [ -n "\$1" ]; then exec sh -c "\$1"; fi
exec .venv/bin/python -m pytest -q -p no:cacheprovider $PYTEST_ARGS
EOF
chroot /host /bin/sh /tmp/run.sh "$GUEST_CMD" >$R/output.log 2>&1
echo $? >$R/rc
dmesg >$R/dmesg.txt
echo "guest: done at $(up)s, rc $(cat $R/rc)"
sync; poweroff -f

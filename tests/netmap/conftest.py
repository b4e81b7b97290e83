"""The netmap tests. tests/netmap/guest/ needs netmap itself (/dev/netmap): it is
collected where the module is loaded, that is inside `make test-netmap`'s QEMU
guest (tests/netmap/guest.sh) on this kind of machine, or on a host with netmap;
elsewhere it is left out of the run here (make test runs it in the guest)."""

import os

collect_ignore = [] if os.path.exists("/dev/netmap") else ["guest"]

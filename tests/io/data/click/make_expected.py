"""Record what vanilla Click writes for the link-type corpus (tests/io/iohelpers.py).

    python tests/io/data/click/make_expected.py /path/to/click

Writes, next to this file, the inputs' outputs through Click's FromDump and
ToDump: for each link type L (1 Ethernet, 101 raw IP, 113 Linux SLL, 0 BSD
loopback), FromDump(FORCE_IP true) -> StripToNetworkHeader -> ToDump(ENCAP
IP, SNAPLEN 0) as ip_L.pcap and its output 1 (the non-IP frames) as
nonip_L.pcap; and ToDump(ENCAP IP) with Click's defaults (SNAPLEN 2000,
nanosecond timestamps) of the raw-IP file, read back and written again with
SNAPLEN 0 (EXTRA_LENGTH keeps the lengths on the wire). Recorded with Click
built from kohler/click 9197a594 (the commit of third_party/click-tests-*),
`./configure --enable-userlevel --disable-linuxmodule --disable-bsdmodule
--disable-dynamic-linking && make -C userlevel`; the files are the oracle
tests/io/test_io_click.py compares pktlab's output with.
"""

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from iohelpers import frames_for, write_pcap  # noqa: E402

HERE = Path(__file__).resolve().parent
ENCAP = {1: "ETHER", 101: "IP", 113: "SLL", 0: "NULL"}


def main(click: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for lt, name in ENCAP.items():
            src = tmp / f"in_{lt}.pcap"
            write_pcap(src, frames_for(lt), linktype=lt)
            conf = (f"fd :: FromDump({src}, FORCE_IP true, STOP true);"
                    f"fd[0] -> StripToNetworkHeader -> ToDump({HERE}/ip_{lt}.pcap, SNAPLEN 0, ENCAP IP);"
                    f"fd[1] -> ToDump({HERE}/nonip_{lt}.pcap, SNAPLEN 0, ENCAP {name});")
            subprocess.run([click, "-e", conf], check=True)
        src = tmp / "in_101.pcap"
        subprocess.run([click, "-e", f"FromDump({src}, STOP true) -> "
                        f"ToDump({HERE}/todump_ip.pcap, ENCAP IP);"], check=True)
        subprocess.run([click, "-e", f"FromDump({HERE}/todump_ip.pcap, STOP true) -> "
                        f"ToDump({HERE}/todump_ip_again.pcap, ENCAP IP, SNAPLEN 0);"], check=True)


if __name__ == "__main__":
    main(sys.argv[1])

"""Traffic: packets into a graph and out of it, and the packets of experiments.

    packets.py    scapy in and out: run_packets, template, capture, pcap files
    flowgen.py    the FastClick paper's router traffic (flows of 1 to 128 packets)
    tracetest.py  trace tests: one TOML file per case, run through the engine

scapy is imported inside the functions that build or decode packets, never
on import. May import pktlab.engine, pktlab.graph and pktlab.lang.
"""

from __future__ import annotations

from .packets import (Outputs, capture, decode, feed, read_pcap, run_packets, template, to_bytes,
                      write_pcap)

__all__ = ["Outputs", "capture", "decode", "feed", "read_pcap", "run_packets", "template",
           "to_bytes", "write_pcap"]

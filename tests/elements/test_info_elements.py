"""Informational elements: ClickyInfo keeps its styles; DPDKInfo's keywords
that pktlab has nothing for are errors naming them (its pool: tests/io)."""

import pytest

from pktlab import Engine
from pktlab.engine import EngineError


def test_clickyinfo_keeps_its_style():
    eng = Engine('ci :: ClickyInfo("Queue { fill: red; }", "* { decorations: activity }");'
                 "Idle -> Discard;")
    assert eng["ci"].style.splitlines() == ['"Queue { fill: red; }"',
                                            '"* { decorations: activity }"']
    assert Engine("ClickyInfo; Idle -> Discard;")["ClickyInfo@1"].style == ""


@pytest.mark.parametrize("kw", ["RX_PTHRESH 8", "NB_SOCKET_MBUF 1024", "MEMPOOL_PREFIX x",
                                "DEF_RING_NDESC 512", "RING_SIZE 64"])
def test_dpdkinfo_unsupported_keywords_are_errors(kw):
    word = kw.split()[0]
    with pytest.raises(EngineError, match=f"{word} is not supported by pktlab"):
        Engine(f"DPDKInfo(NB_MBUF 8192, {kw}); Idle -> Discard;")


def test_dpdkinfo_bad_values():
    with pytest.raises(EngineError, match="MBUF_SIZE"):
        Engine("DPDKInfo(MBUF_SIZE 100); Idle -> Discard;")
    with pytest.raises(EngineError, match="NB_MBUF"):
        Engine("DPDKInfo(10); Idle -> Discard;")
    Engine("DPDKInfo(65536, MBUF_CACHE_SIZE 512, MBUF_SIZE 2176); Idle -> Discard;")

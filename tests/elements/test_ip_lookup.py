"""The IP route lookup elements' handlers: Click's route syntax, answers and errors."""

import pytest

from pktlab.engine import EngineError

CLASSES = ["RadixIPLookup", "DirectIPLookup", "RangeIPLookup", "LinearIPLookup"]


@pytest.mark.parametrize("cls", CLASSES)
def test_partial_prefixes_and_click_answers(kit, cls):
    eng = kit.make_engine(f"Idle -> rt :: {cls}(18.26/16 1.0.0.1 0) => Discard, Discard;")
    rt = eng["rt"]
    assert rt.read("lookup 18.26.4.9") == "0 1.0.0.1"
    assert rt.read("lookup 18.27.0.1") == "-1"                 # no route: Click's -1
    rt.write("add", "18.26.0/12 4.0.0.4 1")                      # the address is masked
    assert rt.read("lookup 18.27.0.1") == "1 4.0.0.4"
    with pytest.raises(EngineError, match="conflict with existing route '18.16.0.0/12 4.0.0.4 1'"):
        rt.write("add", "18.17/12 6.0.0.6 0")
    with pytest.raises(EngineError, match="route '18.26.0.0/18 - -1' not found"):
        rt.write("remove", "18.26.0/18")
    with pytest.raises(EngineError, match="bad ADDR/MASK"):      # /24 names an unwritten byte
        rt.write("add", "18.26/24 0")
    rt.write("remove", "18.26/16 1.0.0.1 0")
    assert rt.read("lookup 18.26.4.9") == "1 4.0.0.4"

"""netmap on a host without the module (this image: make test-netmap runs the
traffic tests in a QEMU guest): built in, and a clear error at the element."""

import os
from pathlib import Path

import pytest

import pktlab
from pktlab.engine import EngineError, netmap

_ROOT = Path(__file__).resolve().parents[2]
_SHARED = [Path(os.environ["PKTLAB_SHARED"])] if os.environ.get("PKTLAB_SHARED") else []
_SHARED += [_ROOT.parent / "shared", _ROOT.parent.parent / "shared"]
# netmap's source comes from the project's shared folder (no registry serves
# it): a checkout without it builds pktlab without netmap, as the build says.
pytestmark = pytest.mark.skipif(
    not netmap.available() and not any(any((d / "third_party").glob("netmap-*.tar.gz")) for d in _SHARED),
    reason="no netmap source (third_party/netmap-*.tar.gz in $PKTLAB_SHARED, ../shared or "
           "../../shared): pktlab was built without netmap")


def test_built_with_netmap_here():
    # make native builds netmap's headers and libnetmap from ../shared/third_party
    assert netmap.available()
    assert set(netmap.CLASSES) <= set(pktlab.element_classes())


@pytest.mark.skipif(netmap.loaded(), reason="this host has /dev/netmap (the error is for hosts without it)")
@pytest.mark.parametrize("config", ["x :: FromNetmapDevice(vale0:a) -> Discard;",
                                    "InfiniteSource(LIMIT 1) -> x :: ToNetmapDevice(vale0:b);"])
def test_without_the_module_the_element_says_what_is_missing(config):
    with pytest.raises(EngineError) as ei:
        pktlab.Engine(config)
    msg = str(ei.value)
    assert "/dev/netmap does not exist" in msg and "netmap kernel module is not loaded" in msg
    assert "make test-netmap" in msg and msg.startswith("<config>:1:")
    assert "x" in msg


def test_manual_pages_name_the_handlers_they_have():
    for name in netmap.CLASSES:
        cls = pktlab.element_class(name)
        assert name in cls.doc and "BURST" in cls.doc
        for h in ("count", "ndesc", "buffers", "mem", "device"):   # burst: a live parameter
            assert h in {x.name for x in cls.handlers}, (name, h)

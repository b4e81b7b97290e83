"""Only here because setuptools reads cffi_modules and computed data files from
setup(); the rest is in pyproject.toml. The front end (labextension/) is built
first, so that the package carries it (pktlab/_build_frontend.py)."""

import importlib.util
from pathlib import Path

from setuptools import setup

_spec = importlib.util.spec_from_file_location(
    "_build_frontend", Path(__file__).resolve().parent / "pktlab" / "_build_frontend.py")
_frontend = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_frontend)
_frontend.build()

setup(cffi_modules=["pktlab/_build_native.py:ffibuilder"], data_files=_frontend.data_files())

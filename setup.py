"""Only here because setuptools reads cffi_modules from setup(); the rest is in pyproject.toml."""

from setuptools import setup

setup(cffi_modules=["pktlab/_build_native.py:ffibuilder"])

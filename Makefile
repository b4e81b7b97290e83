# pktlab — every entry point a user or CI needs.
#   make setup          system packages (when root), .venv, native build (idempotent)
#   make demo           run examples/forward.click in memory and print per-element rates
#   make test           everything: native tests (plain, ASan+UBSan, TSan) and pytest
#   make bench          the benchmarks (pktlab bench forward)
#   make test-sanitize  native tests under ASan+UBSan and TSan only

SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.stamp
APT_PACKAGES := build-essential pkg-config python3-dev libdpdk-dev dpdk dpdk-dev libpcap-dev libnuma-dev iproute2 chromium netcat-openbsd perl

CC ?= gcc
NATIVE_SRC := $(wildcard native/core/*.c) $(wildcard native/elements/*/*.c) $(wildcard native/lib/*.c) $(wildcard native/io/*.c)
NATIVE_HDR := $(wildcard native/include/*.h native/core/*.h native/lib/*.h native/io/*.h)
CFLAGS_TEST := -std=c11 -D_GNU_SOURCE -g -O1 -Wall -Wextra -Wno-unused-parameter -pthread
BUILD := native/build

.PHONY: setup system venv native frontend demo test test-native test-sanitize test-asan test-tsan test-py test-ts bench lint clean

setup: system $(STAMP) native frontend

# Debian packages: installed only when missing, and only as root.
system:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "note: missing Debian packages:$$missing (run 'sudo make system'; pktlab builds without DPDK)"; \
	  fi; \
	fi

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "pktlab needs $(PYTHON)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip "setuptools>=77" wheel cffi
	$(PY) -m pip install -q --no-build-isolation -e '.[dev,lab]'
	touch $(STAMP)

# The cffi extension, rebuilt when any native file changes.
native: $(STAMP) pktlab/.native-stamp
pktlab/.native-stamp: $(NATIVE_SRC) $(NATIVE_HDR) pktlab/_build_native.py
	$(PY) -m pip install -q --no-build-isolation --no-deps -e .
	touch $@

# The front end (labextension/): the widget bundle (pktlab/static/) and the
# JupyterLab extension (pktlab/labextension/), rebuilt only when their sources
# changed. The venv finds the extension and the server extension through a
# link and a config file (a wheel installs both as data files).
LABEXT_LINK := $(VENV)/share/jupyter/labextensions/pktlab
SERVER_CONF_DIR := $(VENV)/etc/jupyter/jupyter_server_config.d
frontend: $(STAMP)
	@command -v node >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq nodejs npm >/dev/null; } || \
	  echo "note: Node.js is missing: pktlab's widget and JupyterLab extension are not built"
	@if command -v node >/dev/null; then cd labextension && node build.mjs --core-package-file \
	  "$$($(CURDIR)/$(PY) -c 'import jupyterlab, pathlib; print(pathlib.Path(jupyterlab.__file__).parent / "staging" / "package.json")')"; fi
	@mkdir -p $(dir $(LABEXT_LINK)) $(SERVER_CONF_DIR)
	@[ -L $(LABEXT_LINK) ] || rm -rf $(LABEXT_LINK)
	@ln -sfn $(CURDIR)/pktlab/labextension $(LABEXT_LINK)
	@cp jupyter-config/jupyter_server_config.d/pktlab.json $(SERVER_CONF_DIR)/pktlab.json

demo: setup
	$(VENV)/bin/pktlab run examples/forward.click --threads 1 --duration 3

test: setup test-native test-sanitize test-ts test-py

# The graph widget's browser tests get a JupyterLab and a Chromium of their own
# (a second pytest process): sharing the session's server with the notebook
# tests left kernels competing for this machine's two cores.
test-py: setup
	$(PY) -m pytest -q --ignore=tests/browser/test_widget.py
	$(PY) -m pytest -q tests/browser/test_widget.py

$(BUILD)/test_core: native/tests/test_core.c $(NATIVE_SRC) $(NATIVE_HDR)
	@mkdir -p $(BUILD)
	$(CC) $(CFLAGS_TEST) -O2 -o $@ native/tests/test_core.c $(NATIVE_SRC)
$(BUILD)/test_core_asan: native/tests/test_core.c $(NATIVE_SRC) $(NATIVE_HDR)
	@mkdir -p $(BUILD)
	$(CC) $(CFLAGS_TEST) -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -o $@ native/tests/test_core.c $(NATIVE_SRC)
$(BUILD)/test_core_tsan: native/tests/test_core.c $(NATIVE_SRC) $(NATIVE_HDR)
	@mkdir -p $(BUILD)
	$(CC) $(CFLAGS_TEST) -fsanitize=thread -o $@ native/tests/test_core.c $(NATIVE_SRC)

test-native: $(BUILD)/test_core
	$(BUILD)/test_core

test-asan: $(BUILD)/test_core_asan
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 $(BUILD)/test_core_asan

test-tsan: $(BUILD)/test_core_tsan
	TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 setarch $$(uname -m) -R $(BUILD)/test_core_tsan

test-sanitize: test-asan test-tsan

bench: setup
	$(VENV)/bin/pktlab bench forward

# TypeScript: strict type-check of labextension/ (its lint: tsconfig's strict options).
test-ts: frontend
	cd labextension && node_modules/.bin/tsc --noEmit -p .

lint: setup test-ts
	$(PY) -m ruff check pktlab tests

clean:
	rm -rf $(BUILD) build *.egg-info pktlab/engine/_native*.so pktlab/engine/_native.c pktlab/_native*.so pktlab/.native-stamp

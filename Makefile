# pktlab — every entry point a user or CI needs.
#   make setup          system packages (when root), .venv, native build (idempotent)
#   make demo           run examples/forward.click in memory and print per-element rates
#   make test           everything: native tests (plain, ASan+UBSan, TSan), a fuzz smoke and pytest
#   make bench          the benchmarks (pktlab bench forward)
#   make test-sanitize  native tests under ASan+UBSan and TSan only
#   make test-netmap    the netmap tests, in a QEMU guest with netmap.ko (tests/netmap/guest.sh)
#   make fuzz           the fuzzers, FUZZ_TIME seconds per element class (docs/robustness.md)

SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.stamp
APT_PACKAGES := build-essential pkg-config python3-dev libdpdk-dev dpdk dpdk-dev libpcap-dev libnuma-dev iproute2 chromium netcat-openbsd perl tshark clang-14 libclang-rt-14-dev

CC ?= gcc
NATIVE_SRC := $(wildcard native/core/*.c) $(wildcard native/elements/*/*.c) $(wildcard native/lib/*.c) $(wildcard native/io/*.c)
NATIVE_HDR := $(wildcard native/include/*.h native/core/*.h native/lib/*.h native/io/*.h native/elements/*/*.h)
# Handler and keyword tables name only the fields they use; C zero-fills the
# rest (flags = 0), which -Wextra would report once per row.
CFLAGS_TEST := -std=c11 -D_GNU_SOURCE -g -O1 -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Werror=implicit-function-declaration -pthread
BUILD := native/build

# netmap: headers, libnetmap and its apps (pkt-gen, bridge) built from the
# source in ../shared/third_party (no registry serves it) into build/netmap;
# the engine is built with netmap whenever they are there (docs/build.md).
# The shared folder: $PKTLAB_SHARED, else the first of ../shared and ../../shared.
PKTLAB_SHARED ?= $(firstword $(foreach d,$(CURDIR)/../shared $(CURDIR)/../../shared,$(if $(wildcard $(d)/third_party),$(abspath $(d)))) $(CURDIR)/../shared)
NETMAP_TGZ ?= $(firstword $(wildcard $(PKTLAB_SHARED)/third_party/netmap-*.tar.gz))
NETMAP_DIR := build/netmap
NETMAP_CFLAGS := -O2 -fPIC -Wall -I $(NETMAP_DIR)/src/sys -I $(NETMAP_DIR)/src/apps/include -I $(NETMAP_DIR)/src/libnetmap
export PKTLAB_SHARED

.PHONY: setup system venv native netmap frontend demo test test-native test-sanitize test-asan test-asan-py test-tsan test-py test-ts test-netmap bench lint clean fuzz fuzz-py fuzz-smoke FORCE

setup: system netmap $(STAMP) native frontend

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

$(STAMP): pyproject.toml | netmap
	@command -v $(PYTHON) >/dev/null || { echo "pktlab needs $(PYTHON)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip "setuptools>=77" wheel cffi
	$(PY) -m pip install -q --no-build-isolation -e '.[dev,lab]'
	touch $(STAMP)

# The cffi extension, rebuilt when any native file changes.
native: netmap $(STAMP) pktlab/.native-stamp
pktlab/.native-stamp: $(NATIVE_SRC) $(NATIVE_HDR) pktlab/_build_native.py $(wildcard $(NETMAP_DIR)/.stamp)
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

# Rebuilt when the tarball changes; a note (and an engine without netmap) when there is none.
netmap:
	@if [ -z "$(NETMAP_TGZ)" ]; then \
	  echo "note: no netmap source (PKTLAB_SHARED=$(PKTLAB_SHARED)): pktlab builds without netmap"; \
	elif [ "$$(cat $(NETMAP_DIR)/.stamp 2>/dev/null)" != "$(notdir $(NETMAP_TGZ))" ]; then \
	  set -e; rm -rf $(NETMAP_DIR); mkdir -p $(NETMAP_DIR)/src $(NETMAP_DIR)/include/net $(NETMAP_DIR)/lib $(NETMAP_DIR)/bin; \
	  tar xzf "$(NETMAP_TGZ)" -C $(NETMAP_DIR)/src --strip-components=1; \
	  for f in $(NETMAP_DIR)/src/libnetmap/*.c; do \
	    $(CC) $(NETMAP_CFLAGS) -c $$f -o $(NETMAP_DIR)/lib/$$(basename $$f .c).o; done; \
	  ar rcs $(NETMAP_DIR)/lib/libnetmap.a $(NETMAP_DIR)/lib/*.o; \
	  cp $(NETMAP_DIR)/src/sys/net/*.h $(NETMAP_DIR)/include/net/; \
	  cp $(NETMAP_DIR)/src/libnetmap/libnetmap.h $(NETMAP_DIR)/include/; \
	  $(CC) $(NETMAP_CFLAGS) -DNO_PCAP -Wno-address-of-packed-member -o $(NETMAP_DIR)/bin/pkt-gen \
	    $(NETMAP_DIR)/src/apps/pkt-gen/pkt-gen.c $(NETMAP_DIR)/lib/libnetmap.a -lpthread -lm -lrt; \
	  $(CC) $(NETMAP_CFLAGS) -o $(NETMAP_DIR)/bin/bridge $(NETMAP_DIR)/src/apps/bridge/bridge.c \
	    $(NETMAP_DIR)/lib/libnetmap.a -lrt; \
	  echo "$(notdir $(NETMAP_TGZ))" > $(NETMAP_DIR)/.stamp; \
	  echo "netmap: headers, libnetmap, pkt-gen and bridge from $(notdir $(NETMAP_TGZ)) in $(NETMAP_DIR)"; \
	fi

# The netmap tests in a QEMU guest (TCG here: these machines load no modules
# and their /dev/kvm does not boot Debian's kernel). Part of `make test`
# wherever the netmap source is there; its module build is cached.
test-netmap: setup $(NETMAP_DIR)/bin/nmprobe
	bash tests/netmap/guest.sh
$(NETMAP_DIR)/bin/nmprobe: tests/netmap/nmprobe.c | netmap
	$(CC) -O2 -Wall -Wextra -I $(NETMAP_DIR)/include -o $@ $< $(NETMAP_DIR)/lib/libnetmap.a

demo: setup
	$(VENV)/bin/pktlab run examples/forward.click --threads 1 --duration 3

# Each part in turn, with its time (CI keeps the whole under about 30 minutes);
# the first part that fails stops the run, as make would.
TEST_PARTS := test-native test-sanitize test-asan-py fuzz-smoke test-ts test-py $(if $(NETMAP_TGZ),test-netmap)
test: setup
	@t0=$$(date +%s); times=""; \
	for part in $(TEST_PARTS); do \
	    s=$$(date +%s); \
	    $(MAKE) --no-print-directory $$part || { echo "== $$part FAILED after $$(( $$(date +%s) - s )) s"; exit 1; }; \
	    times="$$times$$part $$(( $$(date +%s) - s )) s\n"; \
	    echo "== $$part: $$(( $$(date +%s) - s )) s"; \
	done; \
	printf "== times\n$$times"; echo "== make test: $$(( $$(date +%s) - t0 )) s"

# The graph widget's browser tests get a JupyterLab and a Chromium of their own
# (a second pytest process): sharing the session's server with the notebook
# tests left kernels competing for this machine's two cores.
test-py: setup
	$(PY) -m pytest -q --ignore=tests/browser/test_widget.py
	$(PY) -m pytest -q tests/browser/test_widget.py

# One binary per native/tests/test_*.c, each built plain, with ASan+UBSan and with TSan.
NATIVE_TESTS := $(patsubst native/tests/test_%.c,%,$(wildcard native/tests/test_*.c))
TEST_HDR := $(wildcard native/tests/*.h)
$(BUILD)/test_%: native/tests/test_%.c $(NATIVE_SRC) $(NATIVE_HDR) $(TEST_HDR)
	@mkdir -p $(BUILD)
	$(CC) $(CFLAGS_TEST) -O2 -o $@ $< $(NATIVE_SRC) -lm
$(BUILD)/asan_%: native/tests/test_%.c $(NATIVE_SRC) $(NATIVE_HDR) $(TEST_HDR)
	@mkdir -p $(BUILD)
	$(CC) $(CFLAGS_TEST) -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -o $@ $< $(NATIVE_SRC) -lm
$(BUILD)/tsan_%: native/tests/test_%.c $(NATIVE_SRC) $(NATIVE_HDR) $(TEST_HDR)
	@mkdir -p $(BUILD)
	$(CC) $(CFLAGS_TEST) -fsanitize=thread -o $@ $< $(NATIVE_SRC) -lm

test-native: $(addprefix $(BUILD)/test_,$(NATIVE_TESTS))
	@for t in $^; do echo "$$t"; $$t || exit 1; done

test-asan: $(addprefix $(BUILD)/asan_,$(NATIVE_TESTS))
	@for t in $^; do echo "$$t"; ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 $$t || exit 1; done

test-tsan: $(addprefix $(BUILD)/tsan_,$(NATIVE_TESTS))
	@for t in $^; do echo "$$t"; TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 setarch $$(uname -m) -R $$t || exit 1; done

test-sanitize: test-asan test-tsan

# The Python extension built with ASan+UBSan (its own copy of the package in
# build/asan-py, ahead of the editable install on PYTHONPATH; libasan preloaded
# into the venv's Python) under the element, trace and live-change suites.
# Leak checking is off: CPython itself does not free everything at exit.
ASAN_PY := build/asan-py
ASAN_PY_CFLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
ASAN_PY_TESTS ?= tests/elements tests/trace tests/engine/test_live_change.py
$(ASAN_PY)/.stamp: $(NATIVE_SRC) $(NATIVE_HDR) pktlab/_build_native.py | $(STAMP) netmap
	@rm -rf $(ASAN_PY) && mkdir -p $(ASAN_PY)
	@echo "building the ASan+UBSan extension in $(ASAN_PY) (log: $(ASAN_PY)/build.log)"
	@PKTLAB_CFLAGS="$(ASAN_PY_CFLAGS)" PKTLAB_LDFLAGS="-fsanitize=address,undefined" \
	  $(PY) pktlab/_build_native.py $(ASAN_PY) >$(ASAN_PY)/build.log 2>&1 || { tail -30 $(ASAN_PY)/build.log; exit 1; }
	@touch $@
test-asan-py: native $(ASAN_PY)/.stamp
	@$(PY) -c "import shutil; shutil.copytree('pktlab', '$(ASAN_PY)/pktlab', dirs_exist_ok=True, \
	  ignore=shutil.ignore_patterns('*.so', '*.o', '_native.c', '__pycache__'))"
	LD_PRELOAD="$$(gcc -print-file-name=libasan.so) $$(gcc -print-file-name=libubsan.so)" \
	  ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  PYTHONPATH=$(CURDIR)/$(ASAN_PY) PKTLAB_EXPECT_NATIVE=$(CURDIR)/$(ASAN_PY)/ \
	  $(VENV)/bin/pytest -q -p no:cacheprovider $(ASAN_PY_TESTS)

# ---- fuzzing (docs/robustness.md) ----
# libFuzzer harness over every element class (native/fuzz/), ASan+UBSan, with
# the pools poisoning free buffers and the births of packets counted.
CLANG ?= clang-14
FUZZ_SRC := $(wildcard native/fuzz/*.c)
FUZZ_FLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
  -fno-sanitize-recover=all -fno-omit-frame-pointer -DPL_FUZZ_ACCOUNT -DPL_SLAB_PACKETS=32 \
  -DPL_STATS_SPARE=8 '-DPL_RING_BYTES_MAX=(1ull << 30)' -Wall -Wno-unused-parameter \
  -Wno-unused-function -pthread
FUZZ_TIME ?= 60
FUZZ_ARGS ?=
# The names of the sources linked in, rewritten only when the set changes: an
# element class added (whatever its file's time) or removed relinks the fuzzer,
# whose class list is the one its sources register.
FUZZ_LIST := $(BUILD)/fuzz_sources.list
$(FUZZ_LIST): FORCE
	@mkdir -p $(BUILD)
	@printf '%s\n' $(sort $(FUZZ_SRC) $(NATIVE_SRC)) > $@.new
	@cmp -s $@.new $@ && rm -f $@.new || mv -f $@.new $@
FORCE:
$(BUILD)/fuzz_elements: $(FUZZ_SRC) native/fuzz/fuzz.h $(NATIVE_SRC) $(NATIVE_HDR) $(FUZZ_LIST)
	@mkdir -p $(BUILD)
	@command -v $(CLANG) >/dev/null || { echo "fuzzing needs $(CLANG) (Debian: clang-14 libclang-rt-14-dev)"; exit 1; }
	@echo "$(CLANG) [fuzz flags] -o $@ native/fuzz/*.c [native sources]"
	@$(CLANG) $(FUZZ_FLAGS) -o $@ $(FUZZ_SRC) $(NATIVE_SRC)

# Every harness for FUZZ_TIME seconds per class (FUZZ_ARGS: more campaign.py options).
fuzz: $(BUILD)/fuzz_elements $(STAMP)
	nice $(PY) native/fuzz/campaign.py --time $(FUZZ_TIME) $(FUZZ_ARGS)

# The Python side's campaign (docs/robustness.md): parser and Engine() inputs,
# FUZZ_EXAMPLES per hypothesis test (4 parser tests, 2 engine tests).
FUZZ_EXAMPLES ?= 20000
fuzz-py: $(STAMP)
	PKTLAB_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) nice $(PY) -m pytest -q -p no:cacheprovider \
	  --hypothesis-show-statistics tests/lang/test_lang_fuzz.py tests/engine/test_fuzz_api.py

# The bounded run `make test` does: about two minutes in all, figures printed.
fuzz-smoke: $(BUILD)/fuzz_elements $(STAMP)
	$(PY) native/fuzz/campaign.py --smoke

bench: setup
	$(VENV)/bin/pktlab bench forward

# TypeScript: strict type-check of labextension/ (its lint: tsconfig's strict options).
test-ts: frontend
	cd labextension && node_modules/.bin/tsc --noEmit -p .

lint: setup test-ts
	$(PY) -m ruff check pktlab tests

clean:
	rm -rf $(BUILD) build *.egg-info pktlab/engine/_native*.so pktlab/engine/_native.c pktlab/_native*.so pktlab/.native-stamp

# Two commands matter: `make demo` (deploy the sandbox stack) and `make test` (everything CI runs).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export PATH := $(CURDIR)/.tools/bin:$(PATH)
export PULUMI_SKIP_UPDATE_CHECK := true

.PHONY: help venv engine s3 deps test-deps lint test test-all demo demo-destroy sandbox sandbox-stop conformance clean bench bench-smoke drift
.PHONY: chromium impact calendar calendar-screenshot

help:
	@echo "make demo          local sandbox + file state + pulumi up --refresh of the sandbox stack (with policies)"
	@echo "make demo-destroy  destroy the demo stack and stop the sandbox make demo started"
	@echo "make sandbox-stop  stop the sandbox make demo left running (port 8787)"
	@echo "make test          venv, engine, ruff, mypy and the whole pytest suite"
	@echo "make sandbox       serve the API sandbox on http://127.0.0.1:8787 in the foreground"
	@echo "make engine        the official Pulumi CLI and Python language host in .tools/bin"
	@echo "make s3            build/provide SeaweedFS (an S3-compatible store, for the state-backend tests)"
	@echo "make drift STACK=s live fields that differ from the stack's state (exit 1 on drift)"
	@echo "make impact STACK=s on-call hours, gaps and firings before -> after the pending change"
	@echo "make calendar STACK=s  an HTML calendar of on-call bands and firings (CALENDAR=file)"
	@echo "make calendar-screenshot  docs/calendar.png: the sandbox stack's calendar (deploys it first)"
	@echo "make bench         benchmarks against the real engine and the sandbox -> bench/results.md"
	@echo "make bench-smoke   the benchmarks at N = 10: checks the harness (part of make test)"
	@echo "make conformance   the APIs' official clients against the strict sandbox (part of make test)"

# The repository's exact versions (constraints.txt) within the package's ranges (pyproject.toml).
# The wheel holds only providers/ and sandbox/: the .pth puts the checkout itself on the venv's
# path, for the repository's own packages (stacks, harness, bench, policies, tests).
$(VENV)/.installed: pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]' -c constraints.txt
	$(PY) -c 'import pathlib, sysconfig; pathlib.Path(sysconfig.get_path("purelib"), "schedules-checkout.pth").write_text("$(CURDIR)\n")'
	@touch $@

# Pulumi's dynamic-provider launcher looks for the virtualenv in the program directory
# (`main: stacks/`), its language host in the project root (pulumi/pulumi#7061): one venv, two names.
stacks/.venv:
	ln -sfn ../$(VENV) $@

venv: $(VENV)/.installed stacks/.venv

engine:
	scripts/install-engine

s3:
	scripts/install-s3

# The headless browser of the calendar page's test, from Debian's packages (as root).
chromium:
	scripts/install-chromium

deps: venv engine

# What `make test` needs besides deps: the S3-compatible server of tests/engine/test_s3_backend.py
# and Chromium for tests/stacks/test_calendar_browser.py.
test-deps: deps s3 chromium

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

# The benchmarks at N = 10, run by `make test` after pytest: fails only when the harness breaks.
BENCH_SMOKE = $(PY) -m bench --smoke

# RUN_SLOW=1 also runs the tests marked slow.
test: test-deps lint
	$(VENV)/bin/pytest $(if $(RUN_SLOW),,-m "not slow") $(PYTEST_ARGS)
	$(BENCH_SMOKE)

# Costs against the engine floor and the minimum of API calls (docs/benchmarks.md); ~15 min.
bench: deps
	$(PY) -m bench

bench-smoke: deps
	$(BENCH_SMOKE)

# Opsgenie's Go SDK and the imbrace SDK against the strict sandbox (docs/sandbox.md); in make test too.
conformance: venv
	$(VENV)/bin/pytest tests/conformance $(PYTEST_ARGS)

demo: deps
	scripts/demo up

demo-destroy: deps
	scripts/demo destroy

# A refresh-preview of STACK: changes neither the APIs nor the state (stacks/drift.py).
drift: venv
	@test -n "$(STACK)" || { echo "usage: make drift STACK=<stack>" >&2; exit 2; }
	@$(PY) -m stacks drift --stack $(STACK)

# Who is on call and what fires, before -> after the pending change (stacks/impact.py; exit 1: a change).
impact: venv
	@test -n "$(STACK)" || { echo "usage: make impact STACK=<stack>" >&2; exit 2; }
	@$(PY) -m stacks impact --stack $(STACK)

CALENDAR ?= .state/calendar-$(STACK).html
calendar: venv
	@test -n "$(STACK)" || { echo "usage: make calendar STACK=<stack> [CALENDAR=file.html]" >&2; exit 2; }
	@mkdir -p $(dir $(CALENDAR))
	@$(PY) -m stacks calendar --stack $(STACK) --out $(CALENDAR)

# docs/calendar.png: the sandbox stack's calendar (deployed by `make demo`) over a fixed fortnight
# in which its iMBRACE jobs fire, in headless Chromium.
calendar-screenshot: deps chromium
	scripts/demo screenshot

sandbox: venv
	$(PY) -m sandbox --port 8787

# `make demo` leaves its sandbox serving (a second run reuses it); this stops it.
sandbox-stop:
	scripts/demo stop

clean:
	rm -rf .state .sandbox .pytest_cache .mypy_cache .ruff_cache

# Two commands do everything on a fresh machine: `make demo` (the instructor's main job) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PATH := $(abspath $(BIN)):$(PATH)
export TF_CPP_MIN_LOG_LEVEL := 3
export TF_ENABLE_ONEDNN_OPTS := 0
export MPLBACKEND := Agg

.PHONY: install demo lab test test-full test-deps test-quick mutants release bench clean hub student-kit

install: $(STAMP)

# Everything the instructor side needs: the student package `course` (editable) with the extras instructor
# (grader), test and hub. `autograder` is not installed: every target runs from this folder, which Python
# puts on sys.path (`python -m autograder`, `python -m pytest`).
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: install
	$(BIN)/python -m autograder demo

# JupyterLab on the course root (nbgrader's formgrader for the instructor under Nbgrader → Formgrader or
# /formgrader), opened on release/ (the student view). The exchange folder must exist for nbgrader's lists.
lab: install
	mkdir -p "$${NBGRADER_EXCHANGE:-$$HOME/.nbgrader-exchange}"
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" --ServerApp.default_url=/lab/tree/release \
		$(if $(filter 0,$(shell id -u)),--allow-root)

release: install
	$(BIN)/python -m autograder release

# Trial JupyterHub on 127.0.0.1:8000, NOT FOR PRODUCTION (throwaway passwords, one unix user): deploy/
hub: install
	test -x deploy/node_modules/.bin/configurable-http-proxy || npm ci --prefix deploy --no-audit --no-fund
	$(BIN)/python deploy/trial.py --port 8000

# What a fresh machine can install by itself before the tests: the hub's proxy when npm exists. Tests whose
# tools are missing are skipped, and pytest -ra lists each with the command that enables it.
test-deps: install
	@if command -v npm >/dev/null 2>&1 && ! test -x deploy/node_modules/.bin/configurable-http-proxy; then \
		npm ci --prefix deploy --no-audit --no-fund || true; fi

# Every test but the long end-to-end ones (marker `full`: browser, hub, student kit, benchmarks, solved
# notebooks as a student, 07's wrong versions), which `make test-full` and CI run. The run's wall time goes to
# benchmarks/results/make_test.json, which benchmark P1 reports.
test: install test-deps
	@start=$$(date +%s); $(BIN)/python -m pytest -ra --durations=15 -m "not full"; status=$$?; \
	printf '{"seconds": %s, "exit_status": %s, "date": "%s"}\n' "$$(( $$(date +%s) - start ))" "$$status" \
		"$$(date -u '+%Y-%m-%d %H:%M UTC')" > benchmarks/results/make_test.json; exit $$status

test-full: install test-deps
	$(BIN)/python -m pytest -ra --durations=15 -m full

test-quick: install
	$(BIN)/python -m pytest -ra -m "not slow and not full"

# The student kit (notebooks, the `course` wheel, LEEME.md): dist/redes-neuronales-estudiante-<version>.zip
student-kit: install
	$(BIN)/python -m autograder kit

mutants: install
	$(BIN)/python -m autograder check --mutants

bench: install
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf submitted autograded feedback gradebook.db grades.csv reports .pytest_cache

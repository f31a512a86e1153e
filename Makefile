# The single entry point: `make help` lists every target.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
RASA := $(BIN)/rasa

# Every other setting (ports, paths, tokens, Slack, scale) comes from the environment and
# .env through settings/ (python-dotenv), not from make: see .env.example.
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL ?= 2
export PYTHONPATH := $(CURDIR)

TRAINING_INPUTS := config.yml domain.yml $(shell find data -name '*.yml' 2>/dev/null)
MODEL_STAMP := models/.trained

.PHONY: help system install install-dev train run shell validate lint test test-unit test-stories test-eval test-reliability test-live eval eval-real clean lock tune-fallback report review review-accept bench bench-train bench-smoke

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

INSTALL_LOG := var/install.log
TRAIN_LOG := var/train.log

# requirements.lock (runtime) and requirements-dev.lock (tests, lint, bench) pin every package
# with its hashes; `make run` installs only the runtime set. `make lock` regenerates both.
$(VENV)/.installed: requirements.lock
	@mkdir -p var
	@echo "Installing the Python packages into $(VENV) (a few minutes the first time; log: $(INSTALL_LOG))"
	@test -x $(PYTHON) || $$(scripts/find_python310.sh) -m venv $(VENV)
	@$(PYTHON) -m pip install --quiet --upgrade pip==24.0 >$(INSTALL_LOG) 2>&1 || (tail -n 30 $(INSTALL_LOG); exit 1)
	@$(PYTHON) -m pip install --quiet --require-hashes -r requirements.lock >>$(INSTALL_LOG) 2>&1 \
		|| (tail -n 30 $(INSTALL_LOG); exit 1)
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.lock
	@echo "Installing the development packages (log: $(INSTALL_LOG))"
	@$(PYTHON) -m pip install --quiet --require-hashes -r requirements-dev.lock >>$(INSTALL_LOG) 2>&1 \
		|| (tail -n 30 $(INSTALL_LOG); exit 1)
	@touch $@

WIDGET_VENDOR := widget/public/vendor/socket.io.min.js

$(WIDGET_VENDOR): widget/package.json widget/package-lock.json
	@echo "Installing the widget's npm packages"
	@cd widget && npm ci --no-audit --no-fund --silent
	@mkdir -p $(dir $@) && cp widget/node_modules/socket.io-client/dist/socket.io.min.js $@

install: $(VENV)/.installed $(WIDGET_VENDOR) ## Create .venv (Python 3.10, runtime packages) and the widget's npm packages

install-dev: install $(VENV)/.installed-dev ## Add the test, lint and benchmark packages

$(MODEL_STAMP): $(VENV)/.installed $(TRAINING_INPUTS) nlu_components/*.py policies/*.py faq/*.py
	@mkdir -p var
	@echo "Training the model (about 2 minutes on 2 cores; log: $(TRAIN_LOG))"
	@# --force: Rasa's training cache keys on config and data, not on our components' code.
	@$(RASA) train --force --fixed-model-name bpo-faq --out models >$(TRAIN_LOG) 2>&1 || (tail -n 30 $(TRAIN_LOG); exit 1)
	@echo "Model: models/bpo-faq.tar.gz"
	@touch $@

train: $(MODEL_STAMP) ## Train the model when its data, domain or config changed

run: install train ## Serve Rasa (5005), the action server (5055) and the widget page (8080) on 127.0.0.1
	@scripts/run.sh

shell: install train ## Chat in the terminal (rasa shell) with the action server
	@scripts/run.sh shell

validate: install-dev ## Check the knowledge file and the Rasa training data
	$(PYTHON) -m faq.validate
	$(RASA) data validate --fail-on-warnings

lint: install-dev ## ruff (checks and format), mypy (strict on faq, actions, channels, settings, reporting), complexity <= 15
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(PYTHON) scripts/check_complexity.py

test-unit: install-dev ## Unit and contract tests (offline, seconds)
	$(PYTHON) -m pytest tests/unit -q

test-stories: install-dev train ## Conversation stories with rasa test, failing on any wrong prediction
	$(RASA) test core --stories tests/test_stories.yml --fail-on-prediction-errors --out results/stories

test-eval: install-dev train ## Held-out NLU F1 per language, faq_eval, channels, scale-out (live servers)
	$(PYTHON) -m pytest tests/integration tests/scale -q -s

test-reliability: install-dev train ## Bad input, faults, load and security defaults (prints its numbers)
	$(PYTHON) -m pytest tests/reliability -q -s

test-live: install-dev train ## All tests on live servers in one session (one stack start): eval, reliability
	$(PYTHON) -m pytest tests/integration tests/scale tests/reliability -q -s

system: ## Install the Debian packages the tests need (apt as root, else sudo, else prints the command)
	@scripts/install_system_packages.sh

test: system lint validate test-unit test-stories test-live bench-smoke ## Everything CI runs

EVAL := $(PYTHON) -m evaluation.conversations

eval: install ## Score a running stack (RASA_API_TOKEN set) on the held-out conversations, or CASES=...
	$(EVAL) $(or $(CASES),tests/eval/heldout.yml) --report results/eval/heldout.json

eval-real: install ## Score a running stack on the real and the blind questions, per language and kind
	$(EVAL) tests/real_questions tests/blind_questions tests/blind_questions_2 --quiet --report results/eval/real.json

bench: install-dev train ## Benchmark the project against Rasa's defaults (~20 min on 2 cores once trained; results/bench/)
	$(PYTHON) bench/run_bench.py

bench-train: install-dev ## Train the bench's models only (the peer takes ~50 min); make bench reuses them
	$(PYTHON) bench/run_bench.py --train-only

bench-smoke: install-dev ## The benchmark in a short mode that checks it works (CI runs this)
	$(PYTHON) bench/run_bench.py --smoke --out results/bench-smoke

report: install ## Report fallbacks, off-topic, low-confidence and "not helpful" turns (HTML, charts, CSV)
	$(PYTHON) -m reporting.unanswered --out results/report

review: install train ## Group the unanswered turns, suggest training data (results/review/); merges nothing
	$(PYTHON) -m reporting.review --out results/review

review-accept: install ## Append one review group to data/nlu/<lang>/review_accepted.yml: GROUP=en-1 [INTENT=ask_...]
	@test -n "$(GROUP)" || { echo "Name the group: make review-accept GROUP=en-1 (see results/review/review.html)"; exit 1; }
	$(PYTHON) -m reporting.review accept $(GROUP) $(if $(INTENT),--intent $(INTENT))

tune-fallback: install-dev train ## Tune the per-language fallback thresholds on the held-out NLU data
	$(PYTHON) scripts/tune_fallback.py

LOCK_FLAGS := --python-version 3.10 --python-platform x86_64-manylinux_2_28 --generate-hashes --no-header

lock: ## Re-pin requirements*.txt into requirements.lock and requirements-dev.lock, with hashes (needs uv)
	uv pip compile requirements.txt $(LOCK_FLAGS) -o requirements.lock
	uv pip compile requirements-dev.txt -c requirements.lock $(LOCK_FLAGS) -o requirements-dev.lock

clean: ## Remove trained models and test results (keeps .venv and conversations)
	rm -rf models results test-artifacts

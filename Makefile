# Two commands set everything up on a fresh machine: `make extract` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INPUT ?= corpus/articles
OUT ?= out
PROFILE ?= accurate
WORKERS ?= 1
SEED := ../shared/seeds/000_ca0cd79583425037.txt
SEED_GOLD := ../shared/gold/seed_gold.jsonl

ARTICLES ?= 1000
BENCH_CORPUS ?= real

.PHONY: extract test eval lint bench report clean train

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

extract: $(VENV)/.installed
	$(PY) -m pipeline extract $(INPUT) --out $(OUT) --profile $(PROFILE) --workers $(WORKERS)

test: $(VENV)/.installed
	$(PY) -m pytest

lint: $(VENV)/.installed
	$(PY) -m ruff check pipeline tests
	$(PY) -m ruff format --check pipeline tests

# Scores both profiles on real text (../shared/data, where present) and on our own gold; errors in
# eval-out/<suite>-<profile>/errors.tsv; the summary tables are written into README.md.
eval: $(VENV)/.installed
	$(PY) -m pipeline.evaluation --readme README.md

# Speed and memory against stock GiNZA on real news (../shared's Wikinews articles; the generated
# corpus without them or with BENCH_CORPUS=generated); prints ratios, writes bench-out/bench.json.
# SCALE=1: the fast profile on archives of 10,000 and 100,000 short generated articles, stage times
# and peak memory (bench-out/scale.json).
bench: $(VENV)/.installed
ifdef SCALE
	$(PY) -m pipeline.bench --scale
else
	$(PY) -m pipeline.bench --articles $(ARTICLES) --corpus-kind $(BENCH_CORPUS)
endif

# out/report.html: articles with highlighted entities, the events table and the timeline chart.
report: $(VENV)/.installed
	$(PY) -m pipeline.report $(OUT)

clean:
	rm -rf $(OUT) seed-out bench-out eval-out

# Rebuilds models/ner/model (the trained name recognizer) from ../shared/data/stockmark/train.jsonl
# with models/ner/config.cfg, seeded; prints the dev scores it reached.
train: $(VENV)/.installed
	$(PY) -m pipeline.train_ner

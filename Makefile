# Mitreden: `make run` serves the demo, `make test` runs every check CI runs.
# Both install what they need first (scripts/ensure-tools.sh) and are safe to repeat.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
# wasm-opt (npm binaryen 132) and the cargo-installed wasm-bindgen come first on PATH.
export PATH := $(CURDIR)/end2end/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
export CARGO_TERM_COLOR ?= never
# A one-off build (CI, a fresh checkout) gains nothing from incremental state, which would double
# target/ on disk. Set CARGO_INCREMENTAL=1 to keep it.
export CARGO_INCREMENTAL ?= 0

WASM_TARGET := wasm32-unknown-unknown
WASM_PROFILE := wasm-release
WASM := target/$(WASM_TARGET)/$(WASM_PROFILE)/app.wasm
CARGO := cargo
LOCKED := --locked

.PHONY: all run build site server test check lint unit e2e tools tools-build tools-bench clean help bench bench-export bench-retention

all: build

help:
	@echo "make run    - build (release), migrate, seed demo data, serve http://127.0.0.1:3000"
	@echo "make build  - release server binary target/release/mitreden and the site in target/site"
	@echo "make test   - fmt + clippy + unit/integration tests (SQLite and PostgreSQL) + end-to-end tests"
	@echo "make bench  - release benchmarks against same-run baselines (docs/BENCHMARKS.md)"

tools-build:
	scripts/ensure-tools.sh build

tools:
	scripts/ensure-tools.sh test

# --- build ----------------------------------------------------------------------------------
server: tools-build
	$(CARGO) build $(LOCKED) --release -p server

site: tools-build
	$(CARGO) build $(LOCKED) -p app --lib --target $(WASM_TARGET) --features hydrate --profile $(WASM_PROFILE)
	scripts/build-site.sh $(WASM)

build: server site

run: build
	target/release/mitreden seed-demo
	target/release/mitreden serve

# --- test -----------------------------------------------------------------------------------
lint: tools
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy $(LOCKED) --workspace --all-targets -- -D warnings
	$(CARGO) clippy $(LOCKED) -p app --lib --target $(WASM_TARGET) --features hydrate -- -D warnings

# Unit and integration tests, each integration test once on SQLite and once on a throwaway
# PostgreSQL cluster.
unit: tools
	scripts/with-postgres.sh $(CARGO) nextest run $(LOCKED) --workspace --no-fail-fast

# End-to-end: the debug server binary with the release site, in headless Chromium with JavaScript
# on and off. The binary comes from the test build (`cargo test --no-run` builds it with the same
# features as the integration tests), so after `make unit` nothing compiles again.
e2e: tools site
	$(CARGO) test $(LOCKED) --workspace --no-run
	MITREDEN_BIN=target/debug/mitreden scripts/e2e.sh

test: lint unit e2e

# The benchmark (bench/run.sh): the page against nginx, writes on SQLite and a PostgreSQL cluster
# with fsync on, memory, wasm size, export, Lighthouse; results in bench/results/*.json and
# docs/BENCHMARKS.md.
tools-bench:
	scripts/ensure-tools.sh bench

bench: tools-bench build
	MITREDEN_PG_DURABLE=1 scripts/with-postgres.sh bench/run.sh target/release/mitreden

# Export benchmark: 10k and 100k synthetic comments, CSV and XLSX, wall time and peak RSS
# (bench/results/export.json).
bench-export: server
	bench/export.sh target/release/mitreden

# Retention of 100,000 e-mail-link participants on SQLite and a throwaway PostgreSQL cluster.
bench-retention: server
	scripts/with-postgres.sh bench/retention.sh target/release/mitreden

clean:
	rm -rf target/site data

# Thin wrappers over cargo and scripts/. `make test` is exactly what CI runs.
CARGO ?= cargo
SCRM  := $(CARGO) run --quiet -p scrm-app --bin scrm --

.PHONY: run run-memory test browser-test console-screenshots bench fuzz load sqlmap fmt lint services migrate seed clean-test-dbs

## Bring up MariaDB and Redis, load the demo data, serve on http://127.0.0.1:8080
run: services
	$(SCRM) seed
	$(SCRM) serve

## Serve the demo data from memory: no MariaDB, no Redis, nothing persisted
run-memory:
	$(SCRM) serve --store memory

## Bring up MariaDB and Redis, check formatting and lints, run every test (the console's browser tests last)
test: services lint
	@if $(CARGO) nextest --version >/dev/null 2>&1; then \
		$(CARGO) nextest run --workspace --no-fail-fast; \
	else \
		$(CARGO) test --workspace --no-fail-fast; \
	fi
	@scripts/browser-tests.sh

## The web console in Chromium (Playwright), on both stores; run by `make test`
browser-test: services
	@scripts/browser-tests.sh

## Retake the console's screenshots into docs/console/ (the memory store's run)
console-screenshots:
	SCRM_BROWSER_STORES=memory SCRM_SCREENSHOTS=$(CURDIR)/docs/console scripts/browser-tests.sh

## Fuzz every operation of /openapi.json with schemathesis (not in `make test`; at most 10 min)
fuzz:
	@scripts/fuzz.sh

fmt:
	$(CARGO) fmt --all

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

services:
	@scripts/services.sh

migrate: services
	$(SCRM) migrate

seed: services
	$(SCRM) seed

## Load the release server case by case against native-client floors (docs/benchmarks.md).
## BENCH_CUSTOMERS=20000 for a small run; see scripts/bench.sh for the other BENCH_* knobs.
BENCH_CUSTOMERS ?= 1000000
bench:
	BENCH_CUSTOMERS=$(BENCH_CUSTOMERS) scripts/bench.sh

## Drop test databases left behind by killed test runs (names start with scrm_t_), take
## down the test clusters whose run is gone (scripts/cluster.sh reap), and remove the files
## of the fault tests' private servers whose test process is gone (/tmp/scrm-f<pid>-*)
clean-test-dbs:
	@scripts/cluster.sh reap
	@for d in "$${TMPDIR:-/tmp}"/scrm-f[0-9]*-*; do \
		[ -d "$$d" ] || continue; pid="$${d##*/scrm-f}"; pid="$${pid%%-*}"; \
		kill -0 "$$pid" 2>/dev/null || rm -rf "$$d"; \
	done
	@mariadb -h127.0.0.1 -uroot -N -e "SHOW DATABASES LIKE 'scrm\_t\_%'" | \
		while read -r db; do mariadb -h127.0.0.1 -uroot -e "DROP DATABASE \`$$db\`"; done

## 64 users of a mixed read/write workload for 5 minutes (LOAD_DURATION, LOAD_USERS); not in `make test`
load:
	@scripts/load.sh

## sqlmap --level 3 --risk 2 against the five search endpoints (not in `make test`)
sqlmap:
	@scripts/sqlmap.sh

# The two commands of the README: `make run` and `make test` (plus their helpers).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi

.PHONY: run test load deploy-check bench bench-data install install-dev node-deps translations system-deps migrate sync clean

run: install translations
	$(BIN)/flask db upgrade
	$(BIN)/flask directory sync
	$(BIN)/flask run --host 127.0.0.1 --port 5000

# Two passes: the whole suite on SQLite, then again (browser journeys aside) on a
# PostgreSQL server the tests start themselves on a loopback port (tests/support/pg_server.py).
test: system-deps install-dev translations node-deps
	$(BIN)/python -m pytest
	TEST_DATABASE=postgresql $(BIN)/python -m pytest -m "not browser"

# Not part of `make test`: gunicorn with 4 workers, a generated directory of ~200 staff,
# many concurrent clients for LOAD_SECONDS; fails on any error or lost write. Twice: on
# SQLite, then as production runs it (PostgreSQL, Redis, two instances behind nginx).
LOAD_SECONDS ?= 30
load: system-deps install-dev translations
	$(BIN)/python -m scripts.load --seconds $(LOAD_SECONDS)
	$(BIN)/python -m scripts.load --production --seconds $(LOAD_SECONDS)

# Not part of `make test` (about two minutes): the shipped deploy/ files as production runs
# them, all on loopback: nginx with TLS before two gunicorn instances on PostgreSQL and Redis,
# walked through by staff (scripts/deploy_check.py). Run by .ci/run.
deploy-check: install-dev translations system-deps
	$(BIN)/python -m scripts.deploy_check

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

# axe-core (the accessibility checker the browser tests inject), pinned by package-lock.json.
node-deps: node_modules/.installed
node_modules/.installed: package.json package-lock.json | system-deps
	npm ci --no-audit --no-fund --silent
	touch $@

translations: install
	$(BIN)/pybabel -q compile -d translations

# The tests start a real OpenLDAP slapd, a Samba AD DC (in a private network namespace:
# iproute2; users written with the system Python's samba module), a PostgreSQL server and
# Redis, make TLS certificates with openssl, drive the distribution's Chromium (npm installs
# axe-core for the accessibility checks), compare names with ICU (PyICU builds against
# libicu-dev), open the XLSX export and the DOCX report in LibreOffice (checked through
# poppler), and check the nginx site and the systemd units (systemd-analyze); `make bench`
# loads gunicorn with wrk. Run before install-dev, which builds PyICU.
SYSTEM_PACKAGES := slapd ldap-utils samba samba-common-bin winbind ldb-tools python3-samba iproute2 openssl chromium postgresql nodejs npm libicu-dev pkg-config g++ python3-dev libreoffice-calc-nogui libreoffice-writer-nogui poppler-utils redis-server nginx systemd wrk
system-deps:
	@missing=""; \
	command -v /usr/sbin/slapd >/dev/null 2>&1 || missing="$$missing slapd ldap-utils"; \
	command -v /usr/sbin/samba >/dev/null 2>&1 || missing="$$missing samba winbind"; \
	command -v /usr/bin/samba-tool >/dev/null 2>&1 || missing="$$missing samba-common-bin"; \
	command -v ldbsearch >/dev/null 2>&1 || missing="$$missing ldb-tools"; \
	/usr/bin/python3 -c "import samba.samdb" >/dev/null 2>&1 || missing="$$missing python3-samba"; \
	command -v ip >/dev/null 2>&1 || missing="$$missing iproute2"; \
	command -v openssl >/dev/null 2>&1 || missing="$$missing openssl"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	pkg-config --exists icu-uc 2>/dev/null && command -v g++ >/dev/null 2>&1 || missing="$$missing libicu-dev pkg-config g++ python3-dev"; \
	dpkg -s libreoffice-calc-nogui >/dev/null 2>&1 || missing="$$missing libreoffice-calc-nogui"; \
	dpkg -s libreoffice-writer-nogui >/dev/null 2>&1 || missing="$$missing libreoffice-writer-nogui"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	command -v /usr/sbin/nginx >/dev/null 2>&1 || missing="$$missing nginx"; \
	command -v systemd-analyze >/dev/null 2>&1 || missing="$$missing systemd"; \
	command -v wrk >/dev/null 2>&1 || missing="$$missing wrk"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing from the distribution:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "The tests need these Debian/Ubuntu packages: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

migrate: install
	$(BIN)/flask db upgrade

sync: install
	$(BIN)/flask directory sync

clean:
	rm -rf $(VENV) instance .pytest_cache node_modules

# Not part of `make test`: a province-scale data set (200 units, 20,000 staff, two years of
# history), built once into .bench/ (BENCH_DATA_FLAGS=--rebuild to build it again), then
# server times, SQL counts, throughput under gunicorn and memory; see BENCHMARKS.md.
BENCH_FLAGS ?=
BENCH_DATA_FLAGS ?=
bench-data: system-deps install-dev translations
	$(BIN)/python -m scripts.bench_data --staff 20000 --units 200 $(BENCH_DATA_FLAGS)
	$(BIN)/python -m scripts.bench_data --staff 1000 --units 200 $(BENCH_DATA_FLAGS)
	$(BIN)/python -m scripts.bench_data --staff 1000 --units 20 $(BENCH_DATA_FLAGS)

bench: bench-data
	$(BIN)/python -m scripts.bench $(BENCH_FLAGS)

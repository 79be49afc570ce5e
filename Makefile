# The two commands: `make demo` and `make test`. Everything else here serves them.
PYTHON ?= $(shell scripts/find-python)
VENV := .venv
PY := $(VENV)/bin/python
YIWANG := $(VENV)/bin/yiwang
PORT ?= 8000
PYTEST_ARGS ?=
# The demo serves on PORT: links it sends (SMS, notifications) name that port.
DEMO_ENV := DEBUG=1 YIWANG_SITE_URL=http://127.0.0.1:$(PORT) YIWANG_TWO_FACTOR=optional
# The LTS path the README promises: Debian 12's own Python 3.11 with Django 5.2 and the django-tasks backport.
PYTHON_LTS ?= /usr/bin/python3.11
VENV_LTS := .venv-3.11
PY_LTS := $(VENV_LTS)/bin/python

.PHONY: cluster cluster-stop cluster-status demo test install install-test install-test-lts messages migrate serve test-sqlite test-postgres test-sqlite-lts lint bench bench-peer clean

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || (echo "No Python 3.11+ found" && exit 1)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

$(VENV_LTS)/.installed-test: pyproject.toml
	@test -x "$(PYTHON_LTS)" || (echo "$(PYTHON_LTS) is missing: apt-get install python3.11 python3.11-venv" && exit 1)
	$(PYTHON_LTS) -m venv $(VENV_LTS)
	$(PY_LTS) -m pip install --quiet --upgrade pip
	$(PY_LTS) -m pip install --quiet -e '.[test]'
	@touch $@

install: $(VENV)/.installed messages
install-test: $(VENV)/.installed-test messages
install-test-lts: $(VENV_LTS)/.installed-test messages

messages: $(VENV)/.installed
	@$(PY) -m yiwang.i18n

migrate: install
	@mkdir -p var
	$(DEMO_ENV) $(YIWANG) migrate --noinput

demo: migrate
	$(DEMO_ENV) $(YIWANG) demo
	@echo ""
	@echo "  yiwang demo: http://127.0.0.1:$(PORT)/"
	@echo "  accounts (password yiwang-demo): admin putuo_leader putuo_staff shenjiamen_clerk liuheng_clerk"
	@echo "                                   mediator_wang maritime_mediator grid_worker liuheng_staff bank_operator court_liaison"
	@echo "                                   putuo_clerk agriculture_unit justice_unit"
	@echo "  API docs: http://127.0.0.1:$(PORT)/api/v1/docs/   (stop with Ctrl-C)"
	@echo ""
	@$(DEMO_ENV) $(YIWANG) db_worker >var/worker.log 2>&1 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(DEMO_ENV) $(YIWANG) runserver 127.0.0.1:$(PORT)

serve: migrate
	$(DEMO_ENV) $(YIWANG) runserver 127.0.0.1:$(PORT)

# SQLite and PostgreSQL on the newest Python (Django 6.1), then SQLite on Debian's Python 3.11 (Django 5.2 LTS).
test:
	scripts/system-deps
	$(MAKE) install-test install-test-lts
	$(MAKE) test-sqlite
	$(MAKE) test-postgres
	$(MAKE) test-sqlite-lts

# The production shape on this machine, on loopback (README "Production beyond one machine"): PostgreSQL
# primary + standby, Redis, S3, two app servers behind HAProxy on CLUSTER_PORT, two RQ workers, the demo.
CLUSTER_PORT ?= 8080
cluster: install-test
	scripts/system-deps cluster
	CLUSTER_PORT=$(CLUSTER_PORT) $(PY) scripts/cluster.py start

cluster-stop:
	CLUSTER_PORT=$(CLUSTER_PORT) $(PY) scripts/cluster.py stop

cluster-status:
	CLUSTER_PORT=$(CLUSTER_PORT) $(PY) scripts/cluster.py status

test-sqlite:
	@echo "=== tests on SQLite"
	$(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

test-sqlite-lts:
	@echo "=== tests on SQLite, Python 3.11 and Django 5.2 LTS"
	$(PY_LTS) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

test-postgres:
	@echo "=== tests on PostgreSQL"
	$(PY) scripts/with_postgres.py $(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

lint: install-test
	$(VENV)/bin/ruff check .

bench: install-test
	scripts/system-deps
	$(PY) scripts/with_postgres.py $(PY) bench/cases_bench.py

# yiwang beside django-helpdesk over HTTP (gunicorn, wrk) on one PostgreSQL: not part of `make test`.
bench-peer: install-test
	scripts/system-deps
	@command -v wrk >/dev/null 2>&1 || (test "$$(id -u)" = 0 && apt-get install -y -qq wrk >/dev/null) || \
	  (echo "wrk is missing: sudo apt-get install wrk" && exit 1)
	$(PY) scripts/with_postgres.py $(PY) bench/peer_bench.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(VENV_LTS) var

# Two commands for a fresh machine (see README):
#   make demo   set up, build the demo database and serve http://127.0.0.1:8000
#   make test   set up and run the test suite (SQLite; DATABASE_URL=postgres://… for PostgreSQL)
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: setup demo test bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "需要 Python 3.11（当前 %s）" % sys.version.split()[0]'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

demo: setup
	$(PY) -m jidu demo

test: setup
	$(PY) -m pytest -p no:cacheprovider

bench: setup
	$(PY) benchmarks/intake.py

clean:
	rm -rf $(VENV) var

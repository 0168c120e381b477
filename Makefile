# Two commands for a fresh machine (see README):
#   make demo   set up, build the demo database and serve http://127.0.0.1:8000
#   make test   set up and run the test suite (SQLite; DATABASE_URL=postgres://… for PostgreSQL)
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: setup demo test bench clean

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.txt
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "需要 Python 3.11（当前 %s）" % sys.version.split()[0]'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# Browser libraries (ECharts for the dashboard) from the npm registry, pinned in package-lock.json and
# served by Django from node_modules/. Without npm the dashboard still works, with tables only.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else \
	  echo "未找到 npm：驾驶舱只显示表格，不显示图表。安装 Node.js 与 npm 后重新运行 make setup。"; \
	fi

demo: setup
	$(PY) -m jidu demo

test: setup
	$(PY) -m pytest -p no:cacheprovider

bench: setup
	$(PY) benchmarks/intake.py

clean:
	rm -rf $(VENV) var

import pytest
from django.db import connection

from jidu.core.bulk import Analyzer
from jidu.orders.models import WorkOrder

pytestmark = pytest.mark.django_db


def test_analyzer_runs_at_growing_intervals(monkeypatch):
    calls = []
    analyzer = Analyzer(WorkOrder, first=10, ceiling=40)
    monkeypatch.setattr(connection, "vendor", "postgresql")  # count the statements, whatever the DB

    class Cursor:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def execute(self, sql):
            calls.append(sql)

    monkeypatch.setattr(connection, "cursor", lambda: Cursor())
    for _ in range(20):
        analyzer.add(5)  # 100 rows in all
    # after 10, 20, 40, 80 rows (the step doubles up to the ceiling of 40)
    assert len(calls) == 4 and calls[0] == 'ANALYZE "orders_workorder"'

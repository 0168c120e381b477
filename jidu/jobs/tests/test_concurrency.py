"""Two schedulers racing for real: threads with their own PostgreSQL connections (row-level
locks decide who wins each conditional UPDATE). SQLite serialises writers per database file, so
the race cannot happen there; the deterministic interleaving tests cover both databases."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from jidu.jobs import services

pytestmark = pytest.mark.django_db(transaction=True)


def _require_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("真实的行级并发竞争需要 PostgreSQL（SQLite 串行写入）；交错顺序测试在两种数据库上都运行")


def race(worker, n=2):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=30)
            results.append(worker())
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    return results


def test_two_schedulers_racing_on_postgresql_run_every_due_job_exactly_once(make_job, _calls):
    _require_postgresql()
    now = timezone.now()
    codes = [f"r{i:02d}" for i in range(40)]
    for code in codes:
        make_job(code, due=now - dt.timedelta(seconds=1))
    results = race(lambda: services.run_due(now))
    assert sorted(_calls) == [f"job_{c}" for c in codes]  # none twice, none skipped
    assert sum(r["done"] for r in results) == 40


def test_two_delivery_workers_racing_on_postgresql_send_each_delivery_once(make_user):
    _require_postgresql()
    from jidu.notifications import services as notifications
    from jidu.notifications.models import Channel, Delivery
    from jidu.notifications.tests.conftest import Receiver

    receiver = Receiver()
    try:
        Channel.objects.create(code="race", name="并发 Webhook", kind="webhook", url=receiver.url, secret="k")
        users = [make_user(f"race{i}", "supervisor") for i in range(30)]
        notifications.notify(users, kind="x", title="并发投递", urgent=True)
        assert Delivery.objects.filter(channel__code="race").count() == 30
        now = timezone.now()
        race(lambda: notifications.deliver_due(now))
        ids = receiver.delivery_ids()
        assert len(ids) == 30 and len(set(ids)) == 30
        assert Delivery.objects.filter(channel__code="race", state="sent").count() == 30
    finally:
        receiver.close()

import datetime as dt

import pytest
from django.utils import timezone

from jidu.jobs.tests import helpers


@pytest.fixture(autouse=True)
def _calls():
    helpers.CALLS.clear()
    yield helpers.CALLS
    helpers.CALLS.clear()


@pytest.fixture
def make_job(db):
    from jidu.jobs.models import PeriodicJob

    def make(code, target=None, *, due=None, **values):
        values.setdefault("schedule", "interval")
        if values["schedule"] == "interval":
            values.setdefault("every_seconds", 60)
        return PeriodicJob.objects.create(
            code=code, name=values.pop("name", f"测试作业{code}"), target=target or f"jidu.jobs.tests.helpers.job_{code}",
            next_run_at=due if due is not None else timezone.now() - dt.timedelta(seconds=1), **values)

    return make


def local(*args):
    return timezone.make_aware(dt.datetime(*args))


@pytest.fixture(autouse=True)
def _quiet_seeded_jobs(request):
    """Seeded jobs (dispute scan, delivery, report, retraining) stay out of the way unless a test
    enables them; each test makes its own jobs."""
    if "db" not in request.fixturenames and "transactional_db" not in request.fixturenames \
            and not request.node.get_closest_marker("django_db"):
        yield
        return
    from jidu.jobs.models import PeriodicJob

    request.getfixturevalue("transactional_db" if _transactional(request) else "db")
    PeriodicJob.objects.update(enabled=False)
    yield


def _transactional(request):
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))

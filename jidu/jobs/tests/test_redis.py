"""The production queue: django-tasks over Redis (django-tasks-rq). A real task is enqueued to a
real Redis, a real RQ worker runs it (in-process, burst mode), and the result is read back.

Skips only when Redis is unreachable — and fails instead when CI=true, so CI cannot skip it
silently."""

import datetime as dt
import os
import uuid

import pytest
from django.test import override_settings
from django.utils import timezone

from jidu.jobs import services, tasks

REDIS_URL = os.environ.get("JIDU_TEST_REDIS_URL", os.environ.get("JIDU_REDIS_URL", "redis://127.0.0.1:6379/0"))
pytestmark = pytest.mark.django_db


@pytest.fixture
def rq_queue():
    import django_rq
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.RedisError as exc:
        if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
            pytest.fail(f"CI 环境必须提供 Redis（{REDIS_URL}）：{exc}")
        pytest.skip(f"Redis 不可用（{REDIS_URL}）：{exc}；设置 JIDU_TEST_REDIS_URL 或启动 redis-server")
    name = f"jidu-test-{uuid.uuid4().hex[:10]}"  # our own queue: no collision with anyone's jobs
    # Tasks are declared for queue "default" (validated when the module is imported); the test
    # sends them to its own queue with .using(queue_name=...), nothing ever goes to "default".
    with override_settings(RQ_QUEUES={name: {"URL": REDIS_URL}, "default": {"URL": REDIS_URL}},
                           TASKS={"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [name, "default"]}}):
        queue = django_rq.get_queue(name)
        yield name, queue
        queue.empty()
        queue.delete(delete_jobs=True)


def work(queue):
    from rq import SimpleWorker

    from django_tasks_rq.backend import Job

    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)


def test_a_task_runs_through_redis_and_its_result_comes_back(rq_queue):
    from django_tasks.base import TaskResultStatus

    name, queue = rq_queue
    result = tasks.echo_task.using(queue_name=name).enqueue("你好")
    assert result.status == TaskResultStatus.READY and len(queue) == 1
    work(queue)
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "echo:你好"


def test_a_periodic_job_marked_enqueue_is_run_by_the_redis_worker(rq_queue, make_job, _calls):
    name, queue = rq_queue
    job = make_job("redis", enqueue=True, due=timezone.now() - dt.timedelta(seconds=1))
    original = tasks.run_job_task
    tasks.run_job_task = original.using(queue_name=name)
    try:
        assert services.run_due()["queued"] == 1
    finally:
        tasks.run_job_task = original
    assert _calls == [] and len(queue) == 1  # queued, not yet run
    work(queue)
    assert _calls == ["job_redis"]
    job.refresh_from_db()
    assert job.runs == 1 and job.last_result == "job_redis 完成"

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from jidu.jobs import services
from jidu.jobs.models import PeriodicJob
from jidu.jobs.schedule import first_run, next_run
from jidu.jobs.tests.conftest import local

pytestmark = pytest.mark.django_db


def test_seed_creates_the_jobs_and_never_overwrites_an_administrators_edit():
    PeriodicJob.objects.all().delete()
    call_command("load_job_defaults", stdout=StringIO())
    jobs = {j.code: j for j in PeriodicJob.objects.all()}
    assert {"scan_disputes", "deliver_notifications", "daily_report", "retrain_screening"} <= set(jobs)
    assert jobs["scan_disputes"].every_seconds == 60 and jobs["scan_disputes"].target == "jidu.jobs.builtin.scan_disputes"
    assert jobs["daily_report"].daily_at == dt.time(7, 30)
    assert jobs["retrain_screening"].kind == "command" and jobs["retrain_screening"].target == "train"
    assert all(j.next_run_at for j in jobs.values())
    PeriodicJob.objects.filter(code="scan_disputes").update(every_seconds=300, enabled=False)
    call_command("load_job_defaults", stdout=StringIO())
    job = PeriodicJob.objects.get(code="scan_disputes")
    assert (job.every_seconds, job.enabled) == (300, False)
    call_command("load_job_defaults", "--reset", stdout=StringIO())
    job.refresh_from_db()
    assert (job.every_seconds, job.enabled) == (60, True)


def test_a_bad_seed_file_is_refused_with_a_clear_message(tmp_path):
    from django.core.management.base import CommandError

    bad = tmp_path / "jobs.json"
    bad.write_text('{"jobs": [{"code": "x", "target": "a.b", "schedule": "daily", "daily_at": "7点半"}]}',
                   encoding="utf-8")
    with pytest.raises(CommandError, match="HH:MM"):
        call_command("load_job_defaults", "--file", str(bad), stdout=StringIO())


def test_daily_schedule_is_local_time_and_skips_holidays_when_working_days_only(make_job):
    job = make_job("d", schedule="daily", daily_at=dt.time(7, 30))
    assert next_run(job, local(2026, 9, 30, 8, 0)) == local(2026, 10, 1, 7, 30)
    job.working_days_only = True
    # 国庆 2026-10-01..07 are holidays: the next working day is 10-08.
    assert next_run(job, local(2026, 9, 30, 8, 0)) == local(2026, 10, 8, 7, 30)
    assert next_run(job, local(2026, 9, 30, 7, 0)) == local(2026, 9, 30, 7, 30)
    # 2026-10-10 (Saturday) is a 调休 working day.
    assert next_run(job, local(2026, 10, 9, 8, 0)) == local(2026, 10, 10, 7, 30)


def test_interval_schedule_on_working_days_waits_for_the_next_working_day(make_job):
    job = make_job("i", every_seconds=60, working_days_only=True)
    assert next_run(job, local(2026, 9, 30, 23, 59, 30)) == local(2026, 10, 8, 0, 0)
    assert first_run(job, local(2026, 9, 29, 10, 0)) == local(2026, 9, 29, 10, 0)


def test_a_due_job_runs_once_records_its_result_and_moves_to_the_next_slot(make_job, _calls):
    now = timezone.now()
    job = make_job("a", due=now - dt.timedelta(seconds=5))
    later = make_job("b", due=now + dt.timedelta(minutes=5))
    counts = services.run_due(now)
    assert counts["done"] == 1 and _calls == ["job_a"]
    job.refresh_from_db()
    assert job.last_result == "job_a 完成" and job.last_error == "" and job.runs == 1
    assert job.last_run_at == now and job.next_run_at == now + dt.timedelta(seconds=60)
    assert services.run_due(now)["done"] == 0  # not due again yet
    later.refresh_from_db()
    assert later.runs == 0


def test_an_unimportable_callable_is_recorded_as_an_error_every_time_and_others_still_run(make_job, _calls):
    now = timezone.now()
    broken = make_job("r", target="jidu.reports.tasks.no_such_report", due=now - dt.timedelta(seconds=2))
    failing = make_job("f", target="jidu.jobs.tests.helpers.boom", due=now - dt.timedelta(seconds=2))
    make_job("ok", due=now - dt.timedelta(seconds=1))
    counts = services.run_due(now)
    assert counts == {"done": 1, "failed": 2, "queued": 0, "skipped": 0}
    assert _calls == ["job_ok"]
    broken.refresh_from_db()
    failing.refresh_from_db()
    assert "无法导入" in broken.last_error and broken.enabled and broken.next_run_at > now
    assert "作业内部错误" in failing.last_error
    services.run_due(broken.next_run_at)
    broken.refresh_from_db()
    assert broken.failures == 2


def test_a_command_job_runs_the_management_command_and_keeps_its_output(make_job):
    job = make_job("cmd", kind="command", target="scan_disputes")
    services.run_due()
    job.refresh_from_db()
    assert job.last_error == "" and "已发提醒" in job.last_result
    bad = make_job("cmd2", kind="command", target="no_such_command")
    services.run_due()
    bad.refresh_from_db()
    assert "no_such_command" in bad.last_error


def test_two_schedulers_interleaved_run_each_job_exactly_once(make_job, _calls):
    now = timezone.now()
    for i in range(5):
        make_job(f"x{i}", due=now - dt.timedelta(seconds=10 - i))
    seen_by_a = services.due_jobs(now)                  # scheduler A reads the due list ...
    first = services.claim_job(*seen_by_a[0], now)       # ... claims and runs the first job
    services.run_claimed(*first, started=now)
    counts_b = services.run_due(now)                     # B runs in between, takes the rest
    ran_by_a = [services.claim_job(pk, expected, now) for pk, expected in seen_by_a[1:]]  # A's stale claims
    assert ran_by_a == [None] * 4 and counts_b["done"] == 4
    assert sorted(_calls) == [f"job_x{i}" for i in range(5)]


def test_a_scheduler_killed_mid_job_leaves_it_due_again_after_the_lease(make_job, _calls):
    now = timezone.now()
    job = make_job("k", due=now - dt.timedelta(seconds=1), lease_seconds=120)
    claimed = services.claim_job(job.pk, job.next_run_at, now)
    assert claimed is not None  # ... and the process dies here, before running or recording
    assert services.run_due(now + dt.timedelta(seconds=60))["done"] == 0  # the lease still holds
    assert _calls == []
    assert services.run_due(now + dt.timedelta(seconds=121))["done"] == 1  # retried after the lease
    assert _calls == ["job_k"]
    job.refresh_from_db()
    assert job.runs == 1 and job.next_run_at > now + dt.timedelta(seconds=121)


def test_an_enqueued_job_is_run_by_the_task_worker(make_job, _calls):
    job = make_job("q", enqueue=True)
    counts = services.run_due()
    assert counts["queued"] == 1 and _calls == ["job_q"]  # tests run tasks immediately
    job.refresh_from_db()
    assert job.runs == 1 and job.last_result == "job_q 完成"


def test_a_queued_run_whose_claim_was_taken_over_does_not_run_twice(make_job, _calls):
    now = timezone.now()
    job = make_job("t", due=now - dt.timedelta(seconds=1))
    _job, token = services.claim_job(job.pk, job.next_run_at, now)
    later = now + dt.timedelta(seconds=job.lease_seconds + 1)
    services.run_due(later)  # lease ran out: another scheduler took and ran the slot
    assert _calls == ["job_t"]
    assert services.run_queued(job.pk, token.isoformat()).startswith("已由其他进程运行")
    assert _calls == ["job_t"]


def test_run_scheduler_command_runs_due_jobs_once(make_job, _calls):
    make_job("c1")
    out = StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    assert "完成 1 个" in out.getvalue() and _calls == ["job_c1"]


def test_admin_run_now_runs_the_job_and_refuses_a_running_one(client, make_user, make_job, _calls):
    from jidu.core.models import AuditLog

    admin = make_user("root", "admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    job = make_job("n", due=timezone.now() + dt.timedelta(hours=3), enabled=False)
    url = "/admin/jobs/periodicjob/"
    assert client.get(url).status_code == 200
    client.post(url, {"action": "run_now", "_selected_action": [job.pk]})
    assert _calls == ["job_n"]
    job.refresh_from_db()
    assert job.runs == 1 and AuditLog.objects.filter(detail__event="run_periodic_job_now").exists()
    # While a run holds its lease, "run now" does not start a second one.
    services.claim_job(job.pk, job.next_run_at, timezone.now())
    response = client.post(url, {"action": "run_now", "_selected_action": [job.pk]}, follow=True)
    assert "正在运行中" in response.content.decode() and _calls == ["job_n"]


def test_admin_editing_the_schedule_recomputes_the_next_run(client, make_user, make_job):
    admin = make_user("root2", "admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    job = make_job("e", due=timezone.now() + dt.timedelta(days=3))
    data = {"code": "e", "name": "改过的作业", "enabled": "on", "kind": "callable", "target": job.target,
            "arguments": "", "schedule": "daily", "every_seconds": "", "daily_at": "07:30", "lease_seconds": 600}
    response = client.post(f"/admin/jobs/periodicjob/{job.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    job.refresh_from_db()
    assert job.daily_at == dt.time(7, 30) and job.next_run_at <= timezone.now() + dt.timedelta(days=1)


def test_an_atomic_job_that_fails_half_way_leaves_nothing_half_written(make_job):
    from jidu.core.models import AuditLog

    plain = make_job("half1", target="jidu.jobs.tests.helpers.write_then_fail")
    services.run_due()
    assert AuditLog.objects.filter(object_type="test.half").count() == 1  # not atomic: the write stays
    plain.delete()
    atomic = make_job("half2", target="jidu.jobs.tests.helpers.write_then_fail", atomic=True)
    services.run_due()
    assert AuditLog.objects.filter(object_type="test.half").count() == 1  # rolled back
    atomic.refresh_from_db()
    assert "写了一半" in atomic.last_error and atomic.failures == 1

"""Running periodic jobs: claim each due job atomically, run it, record the outcome.

Claiming is the healthchecks ``sendalerts`` pattern (see :mod:`jidu.jobs.claims`): a scheduler
moves the job's ``next_run_at`` from the value it read to "now + lease" with one conditional
UPDATE; only the scheduler whose UPDATE changed the row runs the job. Two schedulers therefore
never run the same slot twice, and a slot neither claimed is still due at the next pass. When
the run ends, ``next_run_at`` moves to the next slot of the schedule. A scheduler killed mid-run
leaves ``next_run_at`` at the lease's end: the job is due again then and retried. That is why a
job's own work must be idempotent or transactional (at-least-once execution).
"""

from __future__ import annotations

import datetime as dt
import logging
import shlex
import time
from io import StringIO

from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from jidu.jobs import claims
from jidu.jobs.models import PeriodicJob
from jidu.jobs.schedule import first_run

log = logging.getLogger(__name__)
MAX_TEXT = 2000


class JobTargetError(Exception):
    """The job names a callable or command that cannot be found."""


def execute(job: PeriodicJob) -> str:
    """Do the job's work and return a short summary; raises on failure."""
    if job.kind == PeriodicJob.Kind.COMMAND:
        out, err = StringIO(), StringIO()
        try:
            args = shlex.split(job.arguments or "")
        except ValueError as exc:
            raise JobTargetError(f"命令参数无法解析：{exc}") from None
        call_command(job.target, *args, stdout=out, stderr=err)
        lines = [line for line in out.getvalue().splitlines() if line.strip()]
        return "\n".join(lines[-5:]) or "完成"
    try:
        func = import_string(job.target)
    except ImportError as exc:
        raise JobTargetError(f"无法导入“{job.target}”：{exc}") from None
    if not callable(func):
        raise JobTargetError(f"“{job.target}”不是可调用的函数")
    result = func()
    return str(result if result not in (None, "") else "完成")


def initialise_schedules(now: dt.datetime | None = None) -> int:
    """Give enabled jobs that have no next run (new rows, re-enabled ones) their first slot."""
    now = now or timezone.now()
    count = 0
    for job in PeriodicJob.objects.filter(enabled=True, next_run_at__isnull=True):
        count += claims.claim(PeriodicJob.objects, job.pk, field="next_run_at", expected=None,
                              new=first_run(job, now))
    return count


def due_jobs(now: dt.datetime, limit: int = 100) -> list[tuple[int, dt.datetime]]:
    """(pk, next_run_at) of the enabled jobs that are due — what a scheduler will try to claim."""
    return list(PeriodicJob.objects.filter(enabled=True, next_run_at__lte=now)
                .order_by("next_run_at", "pk").values_list("pk", "next_run_at")[:limit])


def claim_job(pk: int, expected, now: dt.datetime) -> tuple[PeriodicJob, dt.datetime] | None:
    """Claim one job slot read as ``expected``; returns the job and the lease end (the claim's
    token), or None when another scheduler was first."""
    lease = PeriodicJob.objects.filter(pk=pk).values_list("lease_seconds", flat=True).first()
    if lease is None:
        return None
    until = now + dt.timedelta(seconds=lease or 600)
    if not claims.claim(PeriodicJob.objects, pk, field="next_run_at", expected=expected, new=until):
        return None
    PeriodicJob.objects.filter(pk=pk, next_run_at=until).update(last_run_at=now)
    return PeriodicJob.objects.get(pk=pk), until


def run_claimed(job: PeriodicJob, token: dt.datetime, started: dt.datetime | None = None) -> tuple[str, str]:
    """Run a job this process has claimed (``token``: the lease end it wrote) and record the
    outcome. An error is recorded, never raised: one broken job does not stop the others."""
    started = started or timezone.now()
    t0 = time.monotonic()
    try:
        if job.atomic:
            with transaction.atomic():
                summary, error = execute(job), ""
        else:
            summary, error = execute(job), ""
    except Exception as exc:  # recorded on the row; the scheduler goes on
        log.exception("定时作业“%s”失败", job.name)
        summary, error = "", f"{type(exc).__name__}: {exc}"
    finished = timezone.now()
    elapsed = time.monotonic() - t0
    next_at = job.next_after(started)
    if next_at <= finished:
        next_at = job.next_after(finished)
    # The schedule moves on only if the claim is still ours (an administrator may have edited the
    # schedule meanwhile, or the lease ran out and another scheduler took the slot).
    still_ours = PeriodicJob.objects.filter(pk=job.pk, next_run_at=token).update(next_run_at=next_at)
    if not still_ours:
        log.warning("定时作业“%s”运行了 %.0f 秒，租约已被改动；不改下次运行时间", job.name, elapsed)
    PeriodicJob.objects.filter(pk=job.pk).update(
        last_finished_at=finished, last_result=summary[:MAX_TEXT], last_error=error[:MAX_TEXT],
        runs=F("runs") + 1, failures=F("failures") + (1 if error else 0))
    return summary, error


def dispatch(job: PeriodicJob, token: dt.datetime, now: dt.datetime) -> str:
    """Run a claimed job here, or hand it to the task queue (``job.enqueue``)."""
    if job.enqueue:
        from jidu.jobs.tasks import run_job_task

        run_job_task.enqueue(job.pk, token.isoformat())
        return "queued"
    _summary, error = run_claimed(job, token, started=now)
    return "failed" if error else "done"


def run_due(now: dt.datetime | None = None, limit: int = 100) -> dict[str, int]:
    """One scheduler pass: claim every due job and run (or enqueue) it."""
    now = now or timezone.now()
    initialise_schedules(now)
    counts = {"done": 0, "failed": 0, "queued": 0, "skipped": 0}
    for pk, expected in due_jobs(now, limit):
        claimed = claim_job(pk, expected, now)
        if claimed is None:
            counts["skipped"] += 1  # another scheduler has it
            continue
        job, token = claimed
        counts[dispatch(job, token, now)] += 1
    return counts


def trigger(job: PeriodicJob, now: dt.datetime | None = None) -> bool:
    """"Run now" (admin): claim the job whatever its schedule and queue it for the worker. False
    when it is running right now (its lease holds)."""
    now = now or timezone.now()
    job.refresh_from_db()
    if job.is_running:
        return False
    claimed = claim_job(job.pk, job.next_run_at, now)
    if claimed is None:
        return False
    from jidu.jobs.tasks import run_job_task

    run_job_task.enqueue(job.pk, claimed[1].isoformat())
    return True


def run_queued(pk: int, token_iso: str) -> str:
    """The worker's side of an enqueued run: re-claim from the scheduler's token (so a run whose
    lease ran out and was re-queued is not done twice), then run."""
    token = dt.datetime.fromisoformat(token_iso)
    now = timezone.now()
    claimed = claim_job(pk, token, now)
    if claimed is None:
        return "已由其他进程运行或租约已过期，跳过"
    job, new_token = claimed
    summary, error = run_claimed(job, new_token, started=now)
    return error or summary

from django_tasks import task

from jidu.jobs import services


@task()
def run_job_task(job_id: int, token: str) -> str:
    """Run one periodic job that a scheduler (or the admin's "run now") has claimed."""
    return services.run_queued(job_id, token)


@task()
def echo_task(value: str) -> str:
    """A trivial task: checks that a queue backend and its worker are wired up (tests, ops)."""
    return f"echo:{value}"

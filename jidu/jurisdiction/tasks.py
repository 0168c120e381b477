from django_tasks import task

from jidu.jurisdiction.services import disputes


@task()
def scan_disputes_task() -> dict:
    """Send due dispute reminders (once each) and escalate overdue disputes (once). Safe to run
    in several workers at once: each reminder is claimed by a unique row before it is sent."""
    return disputes.scan()

"""The main job's set-up path: reference data, users, a synthetic stream through the intake."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from jidu.intake.models import ImportBatch
from jidu.orders.models import WorkOrder
from jidu.org.models import User

pytestmark = pytest.mark.django_db


def test_demo_builds_users_and_orders_without_errors():
    before_first_run = timezone.now()
    out = io.StringIO()
    call_command("demo", "--no-serve", "--orders", "300", "--days", "7", stdout=out)
    text = out.getvalue()
    batch = ImportBatch.objects.get(kind="demo")
    assert batch.errors == 0 and batch.state == "done"
    # 300 planned over 7 days, less those planned for later today.
    assert WorkOrder.objects.count() >= 250
    assert not WorkOrder.objects.filter(received_at__gt=timezone.now()).exists()
    assert not batch.issues.filter(level="warning", reason__contains="重复").exists()
    for username in ["admin", "dispatcher", "supervisor", "scjg", "leader"]:
        assert username in text
    handler = User.objects.get(username="scjg")
    assert handler.role == "handler" and handler.department.code == "PT_SCJG"
    assert handler.groups.filter(name="部门承办人").exists()
    password = next(line.split()[1] for line in text.splitlines() if line.strip().startswith("dispatcher"))
    assert User.objects.get(username="dispatcher").check_password(password)
    # Re-running never duplicates orders. Time moves on between the runs, so the second run may
    # add orders planned for the minutes in between; what the first run loaded must stay as it was.
    # (An order's first version is stamped with its received time.)
    count = WorkOrder.objects.filter(received_at__lte=before_first_run).count()
    call_command("demo", "--no-serve", "--orders", "300", "--days", "7", "--regenerate", stdout=io.StringIO())
    assert WorkOrder.objects.filter(received_at__lte=before_first_run).count() == count

import datetime as dt

import pytest
from django.utils import timezone

from conftest import order_record
from jidu.jobs import services
from jidu.jobs.models import PeriodicJob

pytestmark = pytest.mark.django_db


def test_the_seeded_dispute_scan_sends_each_reminder_once_however_often_it_runs(ingest):
    from jidu.jurisdiction.models import Notice, ReminderSent
    from jidu.jurisdiction.services import disputes
    from jidu.orders.models import WorkOrder

    ingest(order_record("J-0001"))
    order = WorkOrder.objects.get(order_no="J-0001")
    dispute, _ = disputes.open_dispute(order, reason="不属于本部门", opened_at=timezone.now() - dt.timedelta(hours=13))
    notices_before = Notice.objects.count()
    PeriodicJob.objects.filter(code="scan_disputes").update(enabled=True, next_run_at=timezone.now())
    services.run_due()
    job = PeriodicJob.objects.get(code="scan_disputes")
    assert job.last_error == "" and "已发提醒 1 条" in job.last_result
    assert list(ReminderSent.objects.filter(dispute=dispute).values_list("point", flat=True)) == ["12h"]
    sent_notices = Notice.objects.count() - notices_before
    assert sent_notices >= 1
    # Two more passes (one run by a second scheduler after the slot moved on): nothing new.
    services.run_due(job.next_run_at)
    PeriodicJob.objects.filter(code="scan_disputes").update(next_run_at=timezone.now())
    services.run_due()
    assert ReminderSent.objects.filter(dispute=dispute).count() == 1
    assert Notice.objects.count() - notices_before == sent_notices
    assert "已发提醒 0 条" in PeriodicJob.objects.get(code="scan_disputes").last_result

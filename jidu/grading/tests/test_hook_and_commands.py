from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from jidu.grading import receivers
from jidu.grading.models import ClueGrade, ColourLevel, Criterion, GradingPolicy
from jidu.grading.tests.conftest import grade_of
from jidu.screening.signals import orders_screened
from jidu.orders.models import WorkOrder

pytestmark = pytest.mark.django_db


def test_grading_listens_to_screening_results():
    from jidu.grading.tests.conftest import ORIGINAL_RECEIVERS

    assert "grading.grade_screened" in [key[0] for key, *_ in ORIGINAL_RECEIVERS]


def test_orders_screened_grades_the_orders_that_have_a_screening(clue, ingest, record):
    order = clue("H-1", "2026-10-01 10:00:00", grade=False, problems=["短斤少两"])
    ingest(record("H-2"))  # not screened
    other = WorkOrder.objects.get(order_no="H-2")
    orders_screened.connect(receivers.grade_screened, dispatch_uid="grading.grade_screened")
    orders_screened.send(sender=None, order_ids=[order.pk, other.pk], changed_ids=[order.pk])
    assert grade_of(order).colour == "orange"
    assert grade_of(order).reasons == ["重点问题：短斤少两", "国庆假期"]
    assert not ClueGrade.objects.filter(order=other).exists()


def test_a_persons_correction_regrades_the_order(clue, make_user):
    from jidu.screening.services import correct

    order = clue("H-3", "2026-09-01 10:00:00", grade=False, problems=[], tourism=False)
    orders_screened.connect(receivers.grade_screened, dispatch_uid="grading.grade_screened")
    correct(order, "tourism", True, user=make_user("sup", "supervisor"))
    assert ClueGrade.objects.get(order=order).colour == "yellow"


def test_the_receiver_is_connected_by_the_app(monkeypatch):
    # the autouse fixture empties the receivers; the app connects with this uid in ready()
    from django.apps import apps

    monkeypatch.setattr(orders_screened, "receivers", [])
    apps.get_app_config("grading").ready()
    assert any(key[0] == "grading.grade_screened" for key, *_ in orders_screened.receivers)


def test_regrade_command(clue):
    a = clue("R-1", "2026-09-01 09:00:00", grade=False, problems=["短斤少两"], businesses=["老王海鲜"])
    b = clue("R-2", "2026-09-01 10:00:00", grade=False, problems=["短斤少两"], businesses=["老王海鲜"])
    out = StringIO()
    call_command("regrade", "--since", "2026-09-01", stdout=out)
    assert "重新研判2件" in out.getvalue()
    assert grade_of(a).colour == grade_of(b).colour == "orange"
    call_command("regrade", "--all", stdout=StringIO())
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("regrade", stdout=StringIO())


def test_defaults_are_loaded_by_load_reference_and_are_idempotent():
    assert set(ColourLevel.objects.values_list("code", "response_hours")) == {
        ("red", 2), ("orange", 24), ("yellow", 72)}
    policy = GradingPolicy.objects.get(name="舟山涉旅执法线索三色研判")
    n = policy.criteria.count()
    assert n >= 10
    assert set(policy.criteria.get(name="重点问题").problem_types.values_list("name", flat=True)) == {
        "短斤少两", "价格违法", "黄牛揽客/强迫消费", "虚假宣传"}
    Criterion.objects.filter(policy=policy, name="涉案金额5000元以上").update(min_amount=8000)
    call_command("load_grading_defaults", stdout=StringIO())
    assert policy.criteria.count() == n
    assert policy.criteria.get(name="涉案金额5000元以上").min_amount == 8000  # an administrator's edit stays
    call_command("load_grading_defaults", "--reset", stdout=StringIO())
    assert policy.criteria.get(name="涉案金额5000元以上").min_amount == 5000


def test_role_groups_carry_the_grading_permissions():
    supervisor = set(Group.objects.get(name="执法监督员").permissions.values_list("codename", flat=True))
    assert {"view_cluegrade", "change_cluegrade", "add_calendarevent"} <= supervisor
    handler = set(Group.objects.get(name="部门承办人").permissions.values_list("codename", flat=True))
    assert "view_cluegrade" in handler and "change_cluegrade" not in handler
    admin = set(Group.objects.get(name="管理员").permissions.values_list("codename", flat=True))
    assert "change_criterion" in admin

from io import StringIO

import pytest

from jidu.supervision import demo_data
from jidu.supervision.models import SupervisionCase
from jidu.supervision.workflow import State

pytestmark = pytest.mark.django_db


def test_demo_takes_a_red_clue_to_an_applied_case_once(red_clue, make_user):
    make_user("supervisor", "supervisor", "SFJ")
    make_user("scjg", "handler", "PT_SCJG")
    red_clue("D-0001")
    red_clue("D-0002", colour="orange")
    out = StringIO()
    demo_data.populate(out)
    full = SupervisionCase.objects.get(demo_key=demo_data.FULL_KEY)
    assert full.state == State.APPLIED and full.result.money_recovered == 2680
    assert SupervisionCase.objects.get(demo_key=demo_data.OPEN_KEY).state == State.RECTIFYING
    assert "新增" in out.getvalue()
    demo_data.populate(out)
    assert SupervisionCase.objects.count() == 2
    assert "未重复创建" in out.getvalue()

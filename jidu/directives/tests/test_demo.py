from io import StringIO

import pytest

from jidu.directives import demo_data
from jidu.directives.models import Directive

pytestmark = pytest.mark.django_db


def test_demo_material_issues_a_few_and_has_one_replied_idempotently(proposal, make_user):
    make_user("supervisor", "supervisor", "SFJ")
    make_user("scjg", "handler", "PT_SCJG")
    for n in range(3):
        proposal(f"T-030{n}")
    out = StringIO()
    demo_data.populate(out)
    states = sorted(Directive.objects.values_list("state", flat=True))
    assert states == ["issued", "proposed", "replied"]  # two 督办单 issued (one replied), one left to do
    demo_data.populate(out)
    assert sorted(Directive.objects.values_list("state", flat=True)) == states
    assert "演示签发 2 件，已回复 1 件" in out.getvalue()

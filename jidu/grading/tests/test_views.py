import pytest
from django.test import Client

from jidu.core.models import AuditLog
from jidu.grading.models import CalendarEvent, GradeChange
from jidu.grading.tests.conftest import grade_of
from jidu.orders.models import WorkOrder

pytestmark = pytest.mark.django_db


def login(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def clues(clue):
    """A red cluster (市场监管局), an orange money clue and a yellow clue (文广旅体局), a pending one,
    and an order that is not about enforcement."""
    for n, hour in enumerate((9, 10, 11), 1):
        clue(f"Q-R{n}", f"2026-09-01 {hour}:00:00", problems=["短斤少两"], businesses=["沈家门老王海鲜排档"])
    clue("Q-O1", "2026-09-02 09:00:00", problems=["退订退款纠纷"], amounts=[8000],
         record_overrides={"lead_department": "舟山市文化和广电旅游体育局"})
    clue("Q-Y1", "2026-09-02 10:00:00", problems=["退订退款纠纷"],
         record_overrides={"lead_department": "舟山市文化和广电旅游体育局"})
    clue("Q-P1", "2026-09-02 11:00:00", enforcement=None, state="pending", explanation="置信度不足，待人工研判")
    clue("Q-N1", "2026-09-02 12:00:00", enforcement=False, tourism=False)
    return {o.order_no: o for o in WorkOrder.objects.all()}


def positions(html, names):
    return [html.index(n) for n in names]


def test_queue_orders_red_first_then_by_time_left_with_explanations(make_user, clues):
    html = login(make_user("jd", "supervisor")).get("/clues/").content.decode()
    pos = positions(html, ["Q-R1", "Q-R2", "Q-R3", "Q-O1", "Q-Y1", "Q-P1"])
    assert pos == sorted(pos)
    assert "Q-N1" not in html
    assert "红：24小时内同一商户3起短斤少两投诉" in html
    assert "橙：涉案金额8000元（≥5000元）" in html
    assert "筛查：命中“短斤少两”规则" in html and "待人工研判" in html


def test_queue_filters_with_htmx(make_user, clues):
    client = login(make_user("jd", "supervisor"))
    res = client.get("/clues/?colour=orange", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="clue-table")
    html = res.content.decode()
    assert "<html" not in html and "Q-O1" in html and "Q-R1" not in html
    html = client.get("/clues/?colour=none").content.decode()
    assert "Q-P1" in html and "Q-R1" not in html
    assert "Q-R1" not in client.get("/clues/?tourism=no").content.decode()
    assert "Q-R1" in client.get("/clues/?date_from=2026-09-01&date_to=2026-09-01").content.decode()
    assert "Q-O1" not in client.get("/clues/?date_from=2026-09-01&date_to=2026-09-01").content.decode()


def test_handler_sees_only_own_clues_and_gets_404_audited_for_anothers(make_user, clues):
    handler = make_user("wg", "handler", "WGLT")
    client = login(handler)
    html = client.get("/clues/").content.decode()
    assert "Q-O1" in html and "Q-Y1" in html and "Q-R1" not in html
    assert client.get(f"/clues/{clues['Q-O1'].pk}/").status_code == 200
    res = client.get(f"/clues/{clues['Q-R1'].pk}/")
    assert res.status_code == 404
    entry = AuditLog.objects.get(action="denied")
    assert entry.user == handler and entry.object_id == str(clues["Q-R1"].pk)
    # no downgrade for a handler
    assert client.post(f"/clues/{clues['Q-O1'].pk}/downgrade/", {"to_colour": "yellow", "reason": "x"}
                       ).status_code == 403
    assert grade_of(clues["Q-O1"]).colour == "orange"


def test_user_without_grading_permission_gets_403(make_user, clues):
    user = make_user("nobody", "")
    assert login(user).get("/clues/").status_code == 403


def test_order_page_shows_the_grade_and_a_supervisor_downgrades_with_a_reason(make_user, clues):
    supervisor = make_user("jd", "supervisor")
    client = login(supervisor)
    order = clues["Q-R1"]
    html = client.get(f"/orders/{order.pk}/").content.decode()
    assert "三色研判" in html and "红：24小时内同一商户3起短斤少两投诉" in html
    assert "司法局牵头会同部门实地督查" in html and "调低颜色" in html
    assert 'href="/clues/"' in html  # nav
    # no reason: refused, nothing changes
    res = client.post(f"/clues/{order.pk}/downgrade/", {"to_colour": "yellow", "reason": "  "},
                      HTTP_HX_REQUEST="true")
    assert res.status_code == 422 and "必须填写理由" in res.content.decode()
    assert grade_of(order).colour == "red"
    res = client.post(f"/clues/{order.pk}/downgrade/", {"to_colour": "orange", "reason": "商户已当场退赔"})
    assert res.status_code == 302
    assert grade_of(order).colour == "orange"
    change = GradeChange.objects.filter(order=order).first()
    assert change.by == supervisor and change.reason == "商户已当场退赔"
    assert AuditLog.objects.filter(action="change", object_id=str(order.pk)).exists()
    html = client.get(f"/orders/{order.pk}/").content.decode()
    assert "商户已当场退赔" in html


def test_leader_sees_the_grade_but_cannot_downgrade(make_user, clues):
    html = login(make_user("ld", "leader")).get(f"/orders/{clues['Q-R1'].pk}/").content.decode()
    assert "红：24小时内同一商户3起短斤少两投诉" in html and "调低颜色" not in html


def test_supervisor_enters_a_ferry_suspension_and_the_orders_it_affects_are_regraded(make_user, clue):
    order = clue("E-1", "2026-09-11 09:00:00", problems=["退订退款纠纷", "短斤少两"])
    assert grade_of(order).colour == "yellow"
    client = login(make_user("jd", "supervisor"))
    assert client.get("/clues/events/").status_code == 200
    from jidu.org.models import Area

    res = client.post("/clues/events/", {
        "kind": "ferry", "title": "台风停航", "start": "2026-09-10T06:00", "end": "2026-09-11T18:00",
        "areas": [Area.objects.get(name="普陀区").pk], "note": "沈家门、朱家尖客运航线全部停航"})
    assert res.status_code == 302, res.content.decode()
    event = CalendarEvent.objects.get()
    assert event.entered_by.username == "jd"
    grade = grade_of(order)
    assert grade.colour == "orange" and "停航影响期（台风停航，及其后3天）" in grade.reasons
    assert "台风停航" in client.get("/clues/events/").content.decode()


def test_handler_cannot_enter_events(make_user):
    client = login(make_user("wg", "handler", "WGLT"))
    assert client.get("/clues/events/").status_code == 403
    assert client.post("/clues/events/", {"kind": "ferry", "title": "x",
                                          "start": "2026-09-10T06:00", "end": "2026-09-11T18:00"}).status_code == 403
    assert not CalendarEvent.objects.exists()


def test_queue_shows_clues_still_being_handled_by_default(clue, make_user):
    from django.test import Client

    open_clue = clue("Q-OPEN", problems=["短斤少两"])
    done = clue("Q-DONE", problems=["短斤少两"], record_overrides={"status": "办结"})
    client = Client()
    client.force_login(make_user("sup", "supervisor"))
    html = client.get("/clues/").content.decode()
    assert open_clue.order_no in html and done.order_no not in html
    html = client.get("/clues/?handling=finished").content.decode()
    assert done.order_no in html and open_clue.order_no not in html
    html = client.get("/clues/?handling=all").content.decode()
    assert done.order_no in html and open_clue.order_no in html

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jidu.coordination import services as svc
from jidu.coordination.models import Consultation, Guidance, Inspection
from jidu.core.models import AuditLog

pytestmark = pytest.mark.django_db


def _client(client, user):
    client.force_login(user)
    return client


def test_nav_link_is_shown_to_roles_with_the_permission(client, people, make_user):
    page = _client(client, people["scjg"]).get(reverse("coordination:consultations"))
    assert "会商巡查" in page.content.decode()
    client.force_login(make_user("disp", "dispatcher", "RX12345"))
    assert "会商巡查" not in client.get(reverse("orders:queue")).content.decode()


def test_supervisor_creates_a_consultation_through_the_form(client, people, dept, order):
    order("T-0009")
    c = _client(client, people["sup"])
    response = c.post(reverse("coordination:consultation_new"), {
        "topic": "网约房监管会商", "kind": "huishen", "scheduled_at": "2026-09-01T09:30", "place": "会议室",
        "departments": [dept("PT_SCJG").pk, dept("GAJ").pk], "order_numbers": "T-0009", "dispute_ids": ""})
    obj = Consultation.objects.get(topic="网约房监管会商")
    assert response.status_code == 302 and response.url == reverse("coordination:consultation", args=[obj.pk])
    assert list(obj.orders.values_list("order_no", flat=True)) == ["T-0009"]
    page = c.get(response.url).content.decode()
    assert "会审：网约房监管会商" in page and "T-0009" in page


def test_unknown_order_number_is_a_clear_error(client, people, dept):
    response = _client(client, people["sup"]).post(reverse("coordination:consultation_new"), {
        "topic": "x", "kind": "huishang", "scheduled_at": "2026-09-01T09:30",
        "departments": [dept("PT_SCJG").pk], "order_numbers": "T-9999"})
    assert response.status_code == 400 and "未找到工单：T-9999" in response.content.decode()
    assert not Consultation.objects.exists()


def test_invalid_transition_through_the_page_shows_the_reason(client, consultation, people):
    obj = consultation()
    response = _client(client, people["sup"]).post(
        reverse("coordination:consultation_conclude", args=[obj.pk]), {"conclusions": "结论"}, follow=True)
    assert "当前状态为“已计划”，不能形成结论" in response.content.decode()


def test_handler_sees_only_consultations_of_their_department(client, consultation, people, dept):
    mine = consultation()
    other = consultation(topic="交通营运会商", departments=[dept("PT_JTYS")], orders=[])
    c = _client(client, people["wglt"])
    page = c.get(reverse("coordination:consultations")).content.decode()
    assert mine.topic in page and other.topic not in page
    assert c.get(reverse("coordination:consultation", args=[mine.pk])).status_code == 200


@pytest.mark.parametrize("kind", ["consultation", "inspection", "guidance", "material", "task"])
def test_another_departments_object_by_url_is_404_and_audited(client, consultation, inspection, people, dept,
                                                               kind):
    if kind in ("consultation", "material", "task"):
        obj = consultation(departments=[dept("PT_JTYS")], orders=[])
        if kind == "consultation":
            url = reverse("coordination:consultation", args=[obj.pk])
            label = "coordination.consultation"
        elif kind == "material":
            m = svc.add_materials(obj, [SimpleUploadedFile("纪要.pdf", b"%PDF-1.4")], by=people["sup"])[0]
            url, label = reverse("coordination:material", args=[m.pk]), "coordination.consultationmaterial"
        else:
            svc.hold(obj, by=people["sup"], minutes="纪要")
            t = svc.add_task(obj, by=people["sup"], text="x", owner_department=dept("PT_JTYS"), working_days=2)
            response = _client(client, people["scjg"]).post(reverse("coordination:task_done", args=[t.pk]),
                                                           {"note": "冒充"})
            assert response.status_code == 404
            assert AuditLog.objects.filter(action="denied", object_type="coordination.followuptask").exists()
            t.refresh_from_db()
            assert not t.done
            return
    elif kind == "inspection":
        obj = inspection(departments=[dept("PT_JTYS")])
        url, label = reverse("coordination:inspection", args=[obj.pk]), "coordination.inspection"
    else:
        obj = svc.issue_guidance(by=people["sup"], department=dept("PT_JTYS"), text="x", requested_action="y")
        url, label = reverse("coordination:guidance", args=[obj.pk]), "coordination.guidance"
    response = _client(client, people["scjg"]).get(url)
    assert response.status_code == 404
    assert AuditLog.objects.filter(action="denied", object_type=label, user=people["scjg"]).exists()


def test_photo_of_another_departments_inspection_is_404(client, inspection, people, dept):
    obj = inspection(departments=[dept("PT_JTYS")])
    svc.start_inspection(obj, by=people["sup"])
    f = svc.add_finding(obj, by=people["sup"], place="x", description="y",
                        photos=[SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n0000")])
    photo = f.photos.get()
    assert _client(client, people["scjg"]).get(reverse("coordination:photo", args=[photo.pk])).status_code == 404
    assert AuditLog.objects.filter(action="denied", object_type="coordination.findingphoto").exists()
    assert _client(client, people["jtys"]).get(reverse("coordination:photo", args=[photo.pk])).status_code == 200


def test_material_download_is_audited(client, consultation, people):
    obj = consultation()
    m = svc.add_materials(obj, [SimpleUploadedFile("会商材料.pdf", b"%PDF-1.4 test")], by=people["sup"])[0]
    response = _client(client, people["scjg"]).get(reverse("coordination:material", args=[m.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert AuditLog.objects.filter(action="export", object_type="coordination.consultationmaterial",
                                   object_id=str(m.pk), user=people["scjg"]).exists()


def test_handler_reports_its_followup_on_the_page(client, consultation, people, dept):
    obj = consultation()
    svc.hold(obj, by=people["sup"], minutes="纪要")
    task = svc.add_task(obj, by=people["sup"], text="制定指引", owner_department=dept("PT_SCJG"), working_days=2)
    form_action = reverse("coordination:task_done", args=[task.pk])
    # the other invited department sees the task but gets no form to report it
    page = _client(client, people["wglt"]).get(reverse("coordination:consultation", args=[obj.pk])).content.decode()
    assert "制定指引" in page and form_action not in page
    c = _client(client, people["scjg"])
    assert form_action in c.get(reverse("coordination:consultation", args=[obj.pk])).content.decode()
    c.post(form_action, {"note": "已印发"})
    task.refresh_from_db()
    assert task.done and task.done_note == "已印发"


def test_leader_reads_but_cannot_change(client, consultation, people, dept):
    obj = consultation()
    c = _client(client, people["leader"])
    assert c.get(reverse("coordination:consultation", args=[obj.pk])).status_code == 200
    assert c.get(reverse("coordination:inspections")).status_code == 200
    assert c.get(reverse("coordination:guidances")).status_code == 200
    assert c.post(reverse("coordination:consultation_hold", args=[obj.pk]), {"minutes": "x"}).status_code == 403
    assert c.get(reverse("coordination:consultation_new")).status_code == 403
    assert c.get(reverse("coordination:guidance_new")).status_code == 403
    obj.refresh_from_db()
    assert obj.state == Consultation.State.PLANNED


def test_invalid_uscc_on_the_finding_form_is_shown_in_chinese(client, inspection, people):
    obj = inspection()
    svc.start_inspection(obj, by=people["sup"])
    response = _client(client, people["sup"]).post(reverse("coordination:finding_add", args=[obj.pk]), {
        "place": "朱家尖", "description": "短斤少两", "uscc": "91330903MA2A0B1C70"})
    assert response.status_code == 400
    assert "统一社会信用代码“91330903MA2A0B1C70”无效：校验位不正确" in response.content.decode()
    assert not obj.findings.exists()


def test_handler_sees_inspections_it_takes_part_in_and_reports_rectification(client, inspection, people, dept):
    mine = inspection()
    other = inspection(title="交通巡查", departments=[dept("PT_JTYS")])
    svc.start_inspection(mine, by=people["sup"])
    r = svc.add_rectification(mine, by=people["sup"], department=dept("PT_WGLT"), description="整改",
                              deadline=dt.date(2026, 8, 1))
    c = _client(client, people["wglt"])
    page = c.get(reverse("coordination:inspections")).content.decode()
    assert mine.title in page and other.title not in page
    c.post(reverse("coordination:rectification_done", args=[r.pk]), {"note": "已整改"})
    r.refresh_from_db()
    assert r.done
    assert c.post(reverse("coordination:inspection_transition", args=[mine.pk]), {"to": "completed"}).status_code == 403
    mine.refresh_from_db()
    assert mine.state == Inspection.State.IN_PROGRESS


def test_guidance_form_and_department_response(client, people, order):
    o = order("T-0005", lead_department="普陀区市场监督管理局")
    c = _client(client, people["sup"])
    response = c.post(reverse("coordination:guidance_new"), {
        "order_no": "T-0005", "text": "请依法处理", "requested_action": "立案调查", "working_days": 5})
    g = Guidance.objects.get()
    assert response.status_code == 302 and g.order == o and g.department.code == "PT_SCJG"
    h = _client(client, people["scjg"])
    page = h.get(reverse("coordination:guidances")).content.decode()
    assert "请依法处理" in page
    h.post(reverse("coordination:guidance_ack", args=[g.pk]), {"note": "收到"})
    h.post(reverse("coordination:guidance_act", args=[g.pk]), {"action_taken": "已立案"})
    g.refresh_from_db()
    assert g.state == Guidance.State.ACTED and g.acknowledge_note == "收到"
    assert "请依法处理" not in _client(client, people["wglt"]).get(reverse("coordination:guidances")).content.decode()


def test_list_entry_form_amends_the_entry(client, consultation, people, dept):
    from jidu.jurisdiction.models import ListEntry

    obj = consultation()
    svc.hold(obj, by=people["sup"], minutes="纪要")
    svc.conclude(obj, by=people["sup"], conclusions="结论")
    entry = ListEntry.objects.get(code="ZS-PD-016")
    n = entry.versions.count()
    response = _client(client, people["sup"]).post(reverse("coordination:consultation_entry", args=[obj.pk]), {
        "mode": "amend", "entry": entry.pk, "basis_text": "会商明确：网约房治安管理由公安机关负责"})
    assert response.status_code == 302
    assert entry.versions.count() == n + 1
    page = client.get(reverse("coordination:consultation", args=[obj.pk])).content.decode()
    assert "修改条目" in page and "ZS-PD-016" in page


def test_pages_render_for_each_state(client, consultation, inspection, people, dept):
    obj = consultation()
    i = inspection()
    c = _client(client, people["sup"])
    for url in (reverse("coordination:consultations"), reverse("coordination:consultation_new"),
                reverse("coordination:consultation_edit", args=[obj.pk]), reverse("coordination:inspections"),
                reverse("coordination:inspection_new"), reverse("coordination:inspection_edit", args=[i.pk]),
                reverse("coordination:inspection", args=[i.pk]), reverse("coordination:guidances"),
                reverse("coordination:guidance_new"), reverse("coordination:index")):
        assert c.get(url, follow=True).status_code == 200, url
    svc.hold(obj, by=people["sup"], minutes="纪要")
    assert "布置任务" in c.get(reverse("coordination:consultation", args=[obj.pk])).content.decode()
    svc.conclude(obj, by=people["sup"], conclusions="结论")
    page = c.get(reverse("coordination:consultation", args=[obj.pk])).content.decode()
    assert "按结论更新清单" in page and "办结" in page

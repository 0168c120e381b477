"""Screening right after intake: file imports screen in line, API pushes enqueue a task."""

import pytest

from jidu.intake.importing import run_import
from jidu.intake.models import ApiToken, ImportBatch
from jidu.orders.models import WorkOrder
from jidu.screening.models import OrderScreening

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_rules")]

HEADER = "工单号,受理时间,诉求内容,诉求类型,承办单位,所属区域"
ROWS = ["H-1,2026-09-01 09:00,朱家尖民宿因台风停航拒不退还订金，游客要求退款,投诉,舟山市文化和广电旅游体育局,普陀区",
        "H-2,2026-09-02 10:30,沈家门海鲜排档短斤少两，老板用鬼秤,投诉,舟山市市场监督管理局,普陀区"]


def test_file_import_screens_every_order_with_the_active_model(tmp_path, source, active_model):
    path = tmp_path / "orders.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    batch = run_import(ImportBatch.objects.create(source=source, kind="file", filename="orders.csv"), path)
    assert batch.created == 2
    screenings = OrderScreening.objects.filter(order__order_no__in=["H-1", "H-2"])
    assert screenings.count() == 2
    assert {s.model_version_id for s in screenings} == {active_model.pk}
    assert all(s.summary.startswith("筛查：") for s in screenings)


def test_api_push_enqueues_screening_and_the_task_screens(client, source, record, active_model, monkeypatch):
    from jidu.screening import hooks

    enqueued = []
    original = hooks.enqueue_screening

    def spy(ids):
        enqueued.append(list(ids))
        result = original(ids)  # ImmediateBackend in tests: runs now
        assert result.status == "SUCCEEDED"
        return result

    monkeypatch.setattr(hooks, "enqueue_screening", spy)
    raw = ApiToken.issue(name="t", source=source, scopes=["orders:write"])[1]
    res = client.post("/api/v1/orders", record("API-1"), content_type="application/json",
                      HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert res.status_code == 201
    order = WorkOrder.objects.get(order_no="API-1")
    assert enqueued == [[order.pk]]
    assert OrderScreening.objects.get(order=order).model_version == active_model


def test_api_push_still_succeeds_when_enqueueing_fails(client, source, record, monkeypatch):
    from jidu.screening import hooks

    def broken(ids):
        raise ConnectionError("queue down")

    monkeypatch.setattr(hooks, "enqueue_screening", broken)
    raw = ApiToken.issue(name="t", source=source, scopes=["orders:write"])[1]
    res = client.post("/api/v1/orders", record("API-2"), content_type="application/json",
                      HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert res.status_code == 201
    assert OrderScreening.objects.get(order__order_no="API-2").needs_rescreen


def test_an_update_of_content_rescreens_but_keeps_corrections(ingest, record, source, tmp_path, active_model,
                                                              make_user):
    from jidu.screening import services

    path = tmp_path / "a.csv"
    path.write_text("\n".join([HEADER, ROWS[1]]) + "\n", encoding="utf-8")
    run_import(ImportBatch.objects.create(source=source, kind="file", filename="a.csv"), path)
    order = WorkOrder.objects.get(order_no="H-2")
    services.correct(order, "enforcement", False, user=make_user("sup", "supervisor"))
    path.write_text("\n".join([HEADER, ROWS[1].replace("老板用鬼秤", "老板用鬼秤，还骂人")]) + "\n", encoding="utf-8")
    batch = run_import(ImportBatch.objects.create(source=source, kind="file", filename="b.csv"), path)
    assert batch.updated == 1
    s = OrderScreening.objects.get(order=order)
    assert s.enforcement is False and s.provenance["enforcement"] == "person"


def test_file_import_hands_screening_the_texts_it_wrote(tmp_path, source, active_model, monkeypatch):
    """Screening of an import reads the titles and contents from the ingestor (not again from the
    database), and they are exactly what was stored; an update of the text is screened with the
    new text."""
    from jidu.screening import services

    seen = []
    original = services.screen_orders

    def spy(ids, **kwargs):
        seen.append(kwargs.get("texts"))
        return original(ids, **kwargs)

    monkeypatch.setattr(services, "screen_orders", spy)
    path = tmp_path / "orders.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    run_import(ImportBatch.objects.create(source=source, kind="file", filename="orders.csv"), path)
    stored = {o.pk: (o.title, o.content) for o in WorkOrder.objects.filter(order_no__in=["H-1", "H-2"])}
    assert seen == [stored]

    path.write_text("\n".join([HEADER, ROWS[0], ROWS[1].replace("鬼秤", "鬼秤，还拒绝退款")]) + "\n",
                    encoding="utf-8")
    run_import(ImportBatch.objects.create(source=source, kind="file", filename="orders.csv"), path)
    h2 = WorkOrder.objects.get(order_no="H-2")
    assert "拒绝退款" in h2.content
    assert seen[-1] == {h2.pk: (h2.title, h2.content)}  # only the changed order, with its new text


def test_screening_with_texts_given_equals_screening_from_the_database(tmp_path, source, active_model):
    from jidu.screening import services

    path = tmp_path / "orders.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    run_import(ImportBatch.objects.create(source=source, kind="file", filename="orders.csv"), path)
    fields = ["enforcement", "kind", "field_id", "tourism", "summary", "explanation", "entities", "labels"]
    given = {s.order_id: [getattr(s, f) for f in fields] for s in OrderScreening.objects.all()}
    OrderScreening.objects.all().delete()
    services.screen_orders(list(given))  # no texts: read from the database
    again = {s.order_id: [getattr(s, f) for f in fields] for s in OrderScreening.objects.all()}
    assert again == given and len(given) == 2

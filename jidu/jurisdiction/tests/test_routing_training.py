"""The city's own history (final lead departments, dispatchers' choices) trains routing advice."""

import io

import pytest
from django.core.management import CommandError, call_command

from jidu.jurisdiction.models import RoutingChoice
from jidu.jurisdiction.services import advice, routing_training
from jidu.orders.models import WorkOrder
from jidu.org.models import Department

pytestmark = pytest.mark.django_db

TOPICS = {
    "舟山市教育局": ["学校周末违规补课收费", "幼儿园乱收费", "培训机构无证办学", "老师有偿家教"],
    "舟山市人力资源和社会保障局": ["公司拖欠工资不发", "工地老板欠薪", "单位不交社保", "加班不给加班费"],
    "舟山市民政局": ["养老院服务差", "低保申请被拒", "殡葬收费过高", "社会组织乱收费"],
}


@pytest.fixture
def history(order, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    n = 0
    for dept, topics in TOPICS.items():
        for i in range(12):
            n += 1
            order(f"RT-{n}", title=topics[i % 4], content=f"{topics[i % 4]}，第{i}次反映，请处理。",
                  lead_department=dept, status="办结")
    return n


def test_train_routing_learns_from_handled_orders_and_choices_and_activates(history, make_user):
    misrouted = WorkOrder.objects.get(order_no="RT-1")  # an 教育 order, but the dispatcher chose 民政
    RoutingChoice.objects.create(order=misrouted, lead_department=Department.objects.get(name="舟山市民政局"),
                                 by=make_user("d", "dispatcher"))
    texts, labels, n_choices = routing_training.examples()
    assert n_choices == 1 and len(texts) == history
    assert labels[texts.index(f"{misrouted.title} {misrouted.content}")] == "舟山市民政局"

    out = io.StringIO()
    call_command("train_routing", "--min-per-department", "5", "--activate", stdout=out)
    assert "已启用" in out.getvalue()
    assert routing_training.active_artifact() is not None
    advice.reset_model()
    model = advice.routing_model()
    assert set(model.departments) == set(TOPICS)
    assert model.predict("工厂拖欠工资三个月", 1)[0][0] == "舟山市人力资源和社会保障局"


def test_too_little_history_is_a_clear_error(order, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    order("RT-X", lead_department="舟山市教育局", status="办结")
    with pytest.raises(CommandError, match="不足两个"):
        call_command("train_routing", stdout=io.StringIO())

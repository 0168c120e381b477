"""In a real browser: a supervisor takes a red clue to a supervision case and issues a numbered
notice (Playwright driving Debian's Chromium; skipped where either is missing)."""

import os
import shutil
from io import StringIO

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
playwright = pytest.importorskip("playwright.sync_api", reason="Playwright 未安装")
if not os.path.exists(CHROMIUM):
    pytest.skip(f"没有找到 Chromium（{CHROMIUM}）：apt-get install chromium", allow_module_level=True)

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "browser-pass-123"


@pytest.fixture
def browser_page():
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
        yield page
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def test_supervisor_takes_a_red_clue_to_a_case_and_issues_a_notice(live_server, browser_page, make_user):
    from django.core.management import call_command

    from conftest import order_record
    from jidu.grading.models import ClueGrade
    from jidu.intake.services import Ingestor
    from jidu.orders.models import Source, WorkOrder
    from jidu.supervision.models import SupervisionCase

    call_command("load_reference", stdout=StringIO())  # transactional tests start from an empty database
    list(Ingestor(Source.objects.get(code="12345"), actor_label="测试").ingest(enumerate([
        order_record("B-0001", title="沈家门海鲜排档短斤少两", lead_department="普陀区市场监督管理局")], 1)))
    order = WorkOrder.objects.get(order_no="B-0001")
    ClueGrade.objects.create(order=order, colour="red", points=9, reasons=["24小时内同一商户3起短斤少两投诉"])
    make_user("sup", "supervisor", "SFJ", password=PASSWORD)

    page, base = browser_page, live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "sup")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{base}/clues/{order.pk}/")
    page.click("text=立案督办")
    assert page.input_value("input[name=subject]") == "沈家门海鲜排档短斤少两"
    page.click("button:has-text('立案')")
    page.wait_for_selector("text=已立案")
    page.click("button:has-text('开始调查')")
    page.wait_for_selector("text=已开始调查")
    page.select_option("#issue-form select[name=doc_type]", "notice")
    page.select_option("#issue-form select[name=addressee]", index=1)
    page.click("button:has-text('制发并编号')")
    page.wait_for_selector("text=已制发行政执法监督通知书")
    case = SupervisionCase.objects.get()
    assert case.state == "document_issued"
    with page.expect_download() as info:
        page.click("text=下载 Word")
    assert info.value.suggested_filename.startswith("舟司执监〔")

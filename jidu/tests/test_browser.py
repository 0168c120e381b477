"""End-to-end in a real browser (Playwright driving Debian's Chromium at /usr/bin/chromium).

Skips with a reason where Chromium or Playwright is absent; .ci/run installs Chromium.
"""

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
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
        yield page
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def data(make_user):
    from django.core.management import call_command

    from conftest import order_record
    from jidu.intake.services import Ingestor
    from jidu.orders.models import Source

    call_command("load_reference", stdout=StringIO())  # transactional tests start from an empty database
    records = [order_record("E-1", title="沈家门海鲜排档短斤少两", lead_department="普陀区市场监督管理局"),
               order_record("E-2", title="朱家尖民宿停航拒不退款", lead_department="普陀区文化和广电旅游体育局",
                            content="民宿因停航拒不退款")]
    list(Ingestor(Source.objects.get(code="12345"), actor_label="测试").ingest(enumerate(records, 1)))
    return {"supervisor": make_user("sup", "supervisor", personal=True, password=PASSWORD),
            "handler": make_user("sc", "handler", "PT_SCJG", password=PASSWORD)}


def login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/orders/**")


def test_supervisor_filters_with_htmx_opens_an_order_and_reveals_the_caller(live_server, browser_page, data):
    page = browser_page
    login(page, live_server.url, "sup")
    page.click("text=全部")
    assert page.locator("table.grid tbody tr").count() == 2
    page.fill("input[name=q]", "民宿")
    page.wait_for_function("document.querySelectorAll('table.grid tbody tr').length === 1")
    assert "q=%E6%B0%91%E5%AE%BF" in page.url  # htmx pushed the filter into the address bar
    page.click("text=E-2")
    assert page.locator("#caller").inner_text().count("138****5678") == 1
    page.click("text=查看完整信息")
    page.wait_for_selector("text=13812345678")
    assert "已记入审计日志" in page.locator("#caller").inner_text()


def test_department_handler_sees_only_its_order_and_gets_404_for_others(live_server, browser_page, data):
    from jidu.orders.models import WorkOrder

    page = browser_page
    login(page, live_server.url, "sc")
    page.click("text=全部")
    rows = page.locator("table.grid tbody tr")
    assert rows.count() == 1 and "E-1" in rows.inner_text()
    other = WorkOrder.objects.get(order_no="E-2")
    response = page.goto(f"{live_server.url}/orders/{other.pk}/")
    assert response.status == 404

import pytest
from django.contrib import auth

from jidu.core.models import AuditLog
from jidu.notifications import services
from jidu.notifications.models import Notification, Preference

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_users(make_user):
    return make_user("alice", "handler", "PT_SCJG"), make_user("bob", "supervisor", "SFJ")


def test_the_inbox_lists_only_my_own_notifications_and_the_nav_shows_the_unread_count(client, two_users):
    alice, bob = two_users
    services.notify([alice], kind="x", title="给爱丽丝的消息 N-0001")
    services.notify([bob], kind="x", title="给鲍勃的消息 N-0002")
    services.notify([bob], kind="x", title="给鲍勃的第二条 N-0003")
    client.force_login(bob)
    html = client.get("/notifications/").content.decode()
    assert "N-0002" in html and "N-0003" in html and "N-0001" not in html
    assert 'id="inbox-badge"' in html and '<span class="tag danger" title="未读消息">2</span>' in html
    badge = client.get("/notifications/badge/").content.decode()
    assert ">2</span>" in badge and "every 60s" in badge


def test_a_user_cannot_read_another_users_notification_by_url(client, two_users):
    alice, bob = two_users
    n, = services.notify([alice], kind="x", title="私人消息 N-0004")
    client.force_login(bob)
    assert client.get(f"/notifications/{n.pk}/").status_code == 404
    assert client.post(f"/notifications/{n.pk}/read/").status_code == 404
    denied = AuditLog.objects.filter(action="denied", object_type="notifications.notification", object_id=str(n.pk))
    assert denied.count() == 2 and denied.first().user == bob
    n.refresh_from_db()
    assert n.read_at is None
    assert client.get("/notifications/999999/").status_code == 404  # absent: 404, nothing to audit
    assert denied.count() == 2


def test_opening_marks_read_and_follows_the_link(client, two_users):
    alice, _ = two_users
    n, = services.notify([alice], kind="x", title="去看看 N-0005", url="/orders/")
    client.force_login(alice)
    page = client.get(f"/notifications/{n.pk}/")
    assert page.status_code == 200 and "N-0005" in page.content.decode()
    n.refresh_from_db()
    assert n.read_at is not None
    go = client.get(f"/notifications/{n.pk}/?go=1")
    assert go.status_code == 302 and go["Location"] == "/orders/"


def test_an_external_link_is_not_followed_by_redirect(client, two_users):
    alice, _ = two_users
    n, = services.notify([alice], kind="x", title="外链", url="https://evil.example/")
    client.force_login(alice)
    assert client.get(f"/notifications/{n.pk}/?go=1").status_code == 200


def test_mark_one_and_mark_all_read(client, two_users):
    alice, bob = two_users
    ns = [services.notify([alice], kind="x", title=f"消息{i}")[0] for i in range(3)]
    other, = services.notify([bob], kind="x", title="鲍勃的")
    client.force_login(alice)
    client.post(f"/notifications/{ns[0].pk}/read/")
    assert services.unread_count(alice) == 2
    htmx = client.post(f"/notifications/{ns[1].pk}/read/", HTTP_HX_REQUEST="true")
    assert "inbox-badge" in htmx.content.decode() and ">1</span>" in htmx.content.decode()
    client.post("/notifications/read-all/")
    assert services.unread_count(alice) == 0
    other.refresh_from_db()
    assert other.read_at is None  # mark-all touches only my own
    assert client.get("/notifications/read-all/").status_code == 405


def test_the_inbox_needs_a_login(client):
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_preferences_save_quiet_hours_and_refuse_half_filled_ones(client, two_users):
    from jidu.notifications.models import Channel

    alice, _ = two_users
    hook = Channel.objects.create(code="h", name="部门群机器人", kind="webhook", url="http://127.0.0.1:9/")
    client.force_login(alice)
    page = client.get("/notifications/preferences/").content.decode()
    assert "部门群机器人" in page
    bad = client.post("/notifications/preferences/", {"channels": [hook.pk], "quiet_start": "21:00"})
    assert "免打扰开始和结束时间要么都填，要么都不填" in bad.content.decode()
    assert not Preference.objects.filter(user=alice).exists()
    ok = client.post("/notifications/preferences/", {"channels": [hook.pk], "quiet_start": "21:00",
                                                     "quiet_end": "08:00"})
    assert ok.status_code == 302
    pref = Preference.objects.get(user=alice)
    assert [c.code for c in pref.channels.all()] == ["h"] and str(pref.quiet_end) == "08:00:00"
    # An empty channel choice opts out of every channel; the inbox still gets the row.
    client.post("/notifications/preferences/", {"quiet_start": "", "quiet_end": ""})
    n, = services.notify([alice], kind="x", title="只在站内", urgent=True)
    assert not n.deliveries.exists() and Notification.objects.filter(user=alice).count() == 1
    assert auth.get_user(client).pk == alice.pk


def test_the_inbox_names_the_area_of_work_in_chinese(client, two_users):
    from jidu.notifications.templatetags.notifications_tags import kind_label

    alice, _ = two_users
    services.notify([alice], kind="warning.spike", title="预警 N-0009")
    client.force_login(alice)
    html = client.get("/notifications/").content.decode()
    assert "预警抄报" in html and "warning.spike" not in html
    assert kind_label("directive_issued") == "协查督办" and kind_label("something") == "通知"


def test_a_script_link_is_never_rendered_and_an_expired_session_leaves_the_badge_alone(client, two_users):
    alice, _ = two_users
    n, = services.notify([alice], kind="x", title="坏链接", url="javascript:alert(1)")
    client.force_login(alice)
    assert "javascript:" not in client.get(f"/notifications/{n.pk}/").content.decode()
    assert "javascript:" not in client.get("/notifications/").content.decode()
    client.logout()
    assert client.get("/notifications/badge/", HTTP_HX_REQUEST="true").status_code == 204

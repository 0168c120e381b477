import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from jidu.intake.models import ApiToken

pytestmark = pytest.mark.django_db


def test_every_admin_list_page_opens_for_the_administrator(make_user):
    from django.contrib import admin

    user = make_user("root", "admin")
    user.is_staff = user.is_superuser = True
    user.save()
    client = Client()
    client.force_login(user)
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url


def test_admin_creates_an_api_token_and_shows_the_secret_once(make_user, source):
    user = make_user("root", "admin")
    user.is_staff = user.is_superuser = True
    user.save()
    client = Client()
    client.force_login(user)
    res = client.post(reverse("admin:intake_apitoken_add"),
                      {"name": "热线对接", "source": source.pk, "scopes": '["orders:write"]'}, follow=True)
    token = ApiToken.objects.get(name="热线对接")
    message = next(str(m) for m in res.context["messages"] if "令牌明文" in str(m))
    raw = message.split("：")[-1]
    assert ApiToken.authenticate(raw) == token
    assert raw not in token.token_hash


def test_api_token_command_creates_and_revokes(source):
    out = io.StringIO()
    call_command("api_token", "create", "--source", "12345", "--name", "对接", stdout=out)
    raw = out.getvalue().split("：")[-1].strip()
    token = ApiToken.authenticate(raw)
    assert token is not None and token.scopes == ["orders:write"]
    call_command("api_token", "revoke", token.prefix, stdout=io.StringIO())
    assert ApiToken.authenticate(raw) is None


def test_load_reference_is_idempotent_and_reports_bad_json_with_its_position(tmp_path):
    from jidu.org.models import Area, Department

    areas, depts = Area.objects.count(), Department.objects.count()
    call_command("load_reference", stdout=io.StringIO())
    assert (Area.objects.count(), Department.objects.count()) == (areas, depts)
    bad = tmp_path / "city.json"
    bad.write_text('{"areas": [\n  {"code": "1",}\n]}', encoding="utf-8")
    with pytest.raises(CommandError, match="第2行"):
        call_command("load_reference", "--file", str(bad), stdout=io.StringIO())


def test_a_second_city_loads_from_its_own_file(tmp_path):
    from jidu.org.models import Area, Department

    city = {"city": {"code": "510100", "name": "成都市"},
            "areas": [{"code": "510104", "name": "锦江区", "kind": "district", "parent": "510100"}],
            "fields": [{"code": "scjg", "name": "市场监管", "departments": ["CD_SCJG"]}],
            "departments": [{"code": "CD_SCJG", "name": "成都市市场监督管理局", "level": "city",
                             "area": "510100", "is_enforcement": True}]}
    path = tmp_path / "chengdu.json"
    path.write_text(json.dumps(city, ensure_ascii=False), encoding="utf-8")
    call_command("load_reference", "--file", str(path), stdout=io.StringIO())
    assert Area.objects.get(code="510104").parent.name == "成都市"
    assert list(Department.objects.get(code="CD_SCJG").fields.values_list("name", flat=True)) == ["市场监管"]

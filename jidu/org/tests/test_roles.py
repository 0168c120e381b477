"""Role groups: defaults seeded once, new defaults arrive, an administrator's removals stick."""

import pytest
from django.contrib.auth.models import Group, Permission

from jidu.org import roles

pytestmark = pytest.mark.django_db


def _perm(name):
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def test_a_permission_the_administrator_removed_is_not_given_back():
    roles.ensure_role_groups()
    group = Group.objects.get(name="部门承办人")
    perm = _perm("orders.export_workorder")
    assert group.permissions.filter(pk=perm.pk).exists()
    group.permissions.remove(perm)
    roles.ensure_role_groups()
    assert not group.permissions.filter(pk=perm.pk).exists()


def test_a_new_default_reaches_an_existing_group(monkeypatch):
    roles.ensure_role_groups()
    group = Group.objects.get(name="领导")
    perm = _perm("orders.change_workorder")
    assert not group.permissions.filter(pk=perm.pk).exists()
    name, perms = roles.ROLE_DEFAULTS["leader"]
    monkeypatch.setitem(roles.ROLE_DEFAULTS, "leader", (name, perms + ["orders.change_workorder"]))
    roles.ensure_role_groups()
    assert group.permissions.filter(pk=perm.pk).exists()


def test_apps_declare_their_role_permissions_in_their_own_module(monkeypatch):
    import types

    fake = types.ModuleType("jidu.worktime.permissions")
    fake.ROLE_PERMISSIONS = {"handler": ["worktime.view_holiday"]}
    monkeypatch.setitem(__import__("sys").modules, "jidu.worktime.permissions", fake)
    assert "worktime.view_holiday" in roles.role_defaults()["handler"][1]
    assert "worktime.view_holiday" not in roles.ROLE_DEFAULTS["handler"][1]

"""Roles are Django groups. Their default permissions are seeded here once; administrators edit
them afterwards in the admin (the seed never overwrites an existing group unless asked to)."""

from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission

# Role code → (group name, default permissions "app_label.codename").
ROLE_DEFAULTS: dict[str, tuple[str, list[str]]] = {
    "dispatcher": (
        "热线派单员",
        ["orders.view_workorder", "orders.change_workorder", "orders.export_workorder",
         "intake.add_importbatch", "intake.view_importbatch", "grading.view_cluegrade",
         "screening.view_orderscreening",
         "jurisdiction.view_listentry", "jurisdiction.export_listentry", "jurisdiction.view_dispute",
         "jurisdiction.add_dispute", "jurisdiction.add_disputeclaim", "jurisdiction.view_precedent", "jurisdiction.add_routingchoice",
         "jurisdiction.view_routingchoice"],
    ),
    "supervisor": (
        "执法监督员",
        ["orders.view_workorder", "orders.change_workorder", "orders.export_workorder",
         "intake.view_importbatch", "grading.view_cluegrade", "grading.add_cluegrade", "grading.change_cluegrade",
         "grading.view_calendarevent", "grading.add_calendarevent", "grading.change_calendarevent",
         "screening.view_rule", "screening.add_rule", "screening.change_rule", "screening.add_correction",
         "screening.view_orderscreening",
         "jurisdiction.view_listentry", "jurisdiction.add_listentry", "jurisdiction.change_listentry",
         "jurisdiction.import_listentry", "jurisdiction.export_listentry", "jurisdiction.view_dispute",
         "jurisdiction.add_dispute", "jurisdiction.change_dispute", "jurisdiction.decide_dispute",
         "jurisdiction.add_disputeclaim", "jurisdiction.view_precedent", "jurisdiction.add_precedent",
         "jurisdiction.view_routingchoice"],
    ),
    "handler": ("部门承办人", ["orders.view_workorder", "orders.export_workorder", "grading.view_cluegrade",
                           "screening.view_orderscreening",
                           "jurisdiction.view_listentry", "jurisdiction.view_dispute",
                           "jurisdiction.add_disputeclaim", "jurisdiction.view_precedent"]),
    "leader": ("领导", ["orders.view_workorder", "orders.export_workorder", "grading.view_cluegrade",
                      "screening.view_orderscreening",
                      "jurisdiction.view_listentry", "jurisdiction.export_listentry",
                      "jurisdiction.view_dispute", "jurisdiction.view_precedent", "jurisdiction.view_routingchoice"]),
    "admin": ("管理员", ["*"]),
}



def admin_apps() -> list[str]:
    """Apps whose permissions the administrator role receives by default ("*"): auth and every jidu app."""
    return ["auth"] + [c.label for c in django_apps.get_app_configs() if c.name.startswith("jidu.")]


def role_defaults() -> dict[str, tuple[str, list[str]]]:
    """ROLE_DEFAULTS plus what each later app declares in ``<app>/permissions.py`` as
    ``ROLE_PERMISSIONS = {"supervisor": ["app.codename", ...], ...}`` (so apps stay self-contained)."""
    import importlib

    merged = {code: (name, list(perms)) for code, (name, perms) in ROLE_DEFAULTS.items()}
    for config in django_apps.get_app_configs():
        if not config.name.startswith("jidu."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.permissions")
        except ModuleNotFoundError as exc:
            if exc.name == f"{config.name}.permissions":
                continue
            raise
        for code, perms in getattr(module, "ROLE_PERMISSIONS", {}).items():
            if merged[code][1] != ["*"]:
                merged[code][1].extend(perms)
    return merged


def _permissions(names: list[str]):
    if names == ["*"]:
        return Permission.objects.filter(content_type__app_label__in=admin_apps()).exclude(
            codename="view_personal_data"
        )
    perms = []
    for name in names:
        app_label, codename = name.split(".")
        perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
        if perm is not None:
            perms.append(perm)
    return perms


def ensure_role_groups(sender=None, reset: bool = False, **kwargs) -> None:
    from django.contrib.auth.management import create_permissions

    for app_config in django_apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    from jidu.org.models import SeededPermission

    for _code, (name, perm_names) in role_defaults().items():
        group, created = Group.objects.get_or_create(name=name)
        defaults = list(_permissions(perm_names))
        if created or reset:
            group.permissions.set(defaults)
            seeded = set()
        else:
            seeded = set(SeededPermission.objects.filter(group=group).values_list("permission_id", flat=True))
            # Defaults never given before (a new app, a new release) are added; ones already given
            # and since removed by an administrator stay removed.
            group.permissions.add(*[p for p in defaults if p.pk not in seeded])
        SeededPermission.objects.bulk_create(
            [SeededPermission(group=group, permission=p) for p in defaults if p.pk not in seeded],
            ignore_conflicts=True)


def sync_user_group(user) -> None:
    """Keep a user's role group in step with user.role (other groups are left alone)."""
    role_groups = {name for name, _ in ROLE_DEFAULTS.values()}
    wanted = ROLE_DEFAULTS.get(user.role, (None,))[0]
    current = set(user.groups.filter(name__in=role_groups).values_list("name", flat=True))
    if current == ({wanted} if wanted else set()):
        return
    user.groups.remove(*Group.objects.filter(name__in=current - {wanted}))
    if wanted:
        group, _ = Group.objects.get_or_create(name=wanted)
        user.groups.add(group)

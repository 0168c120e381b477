"""Test settings shared by every app: an isolated data directory and a fixed field key."""

import pytest
from cryptography.fernet import Fernet

TEST_FIELD_KEY = Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path):
    from jidu.core import crypto

    settings.JIDU_FIELD_KEYS = [TEST_FIELD_KEY]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    crypto.reset_key_cache()
    yield
    crypto.reset_key_cache()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the Zhoushan reference data (areas, departments, calendar, time limits, header
    synonyms, the 12345 source, role groups) once into the test database."""
    from io import StringIO

    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("load_reference", stdout=StringIO())


@pytest.fixture
def source(db):
    from jidu.orders.models import Source

    return Source.objects.get(code="12345")


@pytest.fixture
def make_user(db):
    from django.contrib.auth.models import Permission

    from jidu.org.models import Department, User

    def make(username, role, dept_code=None, personal=False, password="test-pass-123"):
        user = User.objects.create_user(username=username, password=password, role=role,
                                        department=Department.objects.get(code=dept_code) if dept_code else None)
        if personal:
            user.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
        return user

    return make


@pytest.fixture
def ingest(source):
    """Ingest canonical records through the one intake code path; returns the outcomes."""
    from jidu.intake.services import Ingestor

    def run(*records, **kwargs):
        return list(Ingestor(source, actor_label=kwargs.pop("actor_label", "测试"), **kwargs)
                    .ingest((i, r) for i, r in enumerate(records, 1)))

    return run


def order_record(order_no="ZS001", **overrides):
    record = {
        "order_no": order_no, "order_type": "投诉", "channel": "电话", "received_at": "2026-09-01 09:30:00",
        "caller_name": "张三", "caller_phone": "13812345678", "caller_id_number": "330902199001011237",
        "title": "海鲜排档短斤少两", "content": "在沈家门海鲜排档买的梭子蟹明显缺斤短两，要求查处。",
        "address": "普陀区沈家门街道滨港路", "area": "普陀区", "lead_department": "舟山市市场监督管理局",
        "status": "已派单",
    }
    record.update(overrides)
    return record


@pytest.fixture
def record():
    return order_record

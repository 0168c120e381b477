import pytest


@pytest.fixture(autouse=True)
def _mute_pipeline(monkeypatch):
    """Orders are ingested without the screening/grading/jurisdiction receivers."""
    from jidu.intake.signals import orders_ingested

    monkeypatch.setattr(orders_ingested, "receivers", [])
    monkeypatch.setattr(orders_ingested, "sender_receivers_cache", {})


@pytest.fixture
def dept():
    from jidu.org.models import Department

    return lambda code: Department.objects.get(code=code)

"""`load_demo_data` (run by `make run`): everything from the seeds, the demo accounts printed
with where to sign in, and a second run changes nothing."""

import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db

APPS = {"boards", "actionplans", "neighbourhoods", "meetings"}


def _rows():
    return {
        model._meta.label: model.objects.count()
        for config in apps.get_app_configs()
        if config.label in APPS
        for model in config.get_models()
    }


def test_it_loads_everything_once_and_prints_the_demo_accounts(monkeypatch):
    monkeypatch.setenv("DEMO_ADDRESS", "127.0.0.1:8031")
    first = io.StringIO()
    call_command("load_demo_data", stdout=first)
    loaded = _rows()
    call_command("load_demo_data", stdout=io.StringIO())
    assert _rows() == loaded
    printed = first.getvalue()
    assert "Demo accounts (password for each: leeds-demo-2026)" in printed
    for username in ("governance", "chair", "officer", "scrutiny"):
        assert username in printed
        user = get_user_model().objects.get(username=username)
        assert user.check_password("leeds-demo-2026")
        # Reminders in `make run` go somewhere, on a domain reserved for examples.
        assert user.email == f"{username}@example.org"
    assert "Sign in at http://127.0.0.1:8031/accounts/login/" in printed
    assert loaded["boards.Board"] >= 40
    assert loaded["neighbourhoods.Lsoa"] == 482
    assert loaded["meetings.Meeting"] == 4

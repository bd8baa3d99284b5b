"""Security in depth: the health check, the audit log of security events, sign-in throttling,
the Content Security Policy, and a clean 503 while the database is away."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client, override_settings
from django.urls import reverse

from leeds_communities.models import AuditEvent
from leeds_communities.security import client_address
from tests.factories import BoardFactory

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "worker": "ok"}


def test_healthz_answers_503_when_the_database_does_not(client):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("gone")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_a_page_answers_503_not_500_while_the_database_is_away(client):
    with mock.patch(
        "boards.models.BoardQuerySet.for_user",
        side_effect=OperationalError("server closed the connection unexpectedly"),
    ):
        response = client.get(reverse("boards:board_list"))
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Nothing you submitted just now has been saved" in response.content.decode()


def test_every_page_has_a_content_security_policy_without_unsafe_inline(client):
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "<script>" not in response.content.decode()


def test_signing_in_and_failing_are_audited(client, scrutiny_member):
    client.post(reverse("login"), {"username": "scrutiny", "password": "wrong"})
    client.post(reverse("login"), {"username": "scrutiny", "password": "password"})
    events = list(AuditEvent.objects.order_by("pk").values_list("action", "summary"))
    assert events[0] == ("sign_in_failed", "Failed sign-in as 'scrutiny'")
    assert events[1] == ("sign_in", "scrutiny signed in")
    assert not AuditEvent.objects.filter(detail__icontains="wrong").exists()


def test_a_refused_request_is_audited(client, officer):
    client.force_login(officer)
    assert client.get(reverse("audit_log")).status_code == 403
    event = AuditEvent.objects.get(action="permission_denied")
    assert event.actor == officer
    assert event.detail["path"] == reverse("audit_log")


def test_an_export_is_audited(client, scrutiny_member):
    BoardFactory()
    client.force_login(scrutiny_member)
    client.get(reverse("boards:board_list"), {"kind": "partnership", "_export": "xlsx"})
    event = AuditEvent.objects.get(action="export")
    assert event.actor == scrutiny_member
    assert event.summary == "Exported Boards and partnerships as XLSX"
    assert "kind=partnership" in event.detail["path"]


def test_governance_support_reads_and_filters_the_audit_log(client, governance_support, officer):
    client.force_login(officer)
    client.get(reverse("audit_log"))
    client.force_login(governance_support)
    response = client.get(reverse("audit_log"), {"action": "permission_denied"})
    assert response.status_code == 200
    rows = list(response.context["table"].data)
    assert [r.action for r in rows] == ["permission_denied"]
    assert "Refused GET /audit/" in response.content.decode()


@override_settings(AXES_ENABLED=True)
def test_five_failed_sign_ins_lock_the_account_out_with_a_clear_message(client, scrutiny_member):
    for _ in range(5):
        client.post(reverse("login"), {"username": "scrutiny", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "scrutiny", "password": "password"})
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many attempts to sign in" in html
    assert "15 minutes" in html
    assert "_auth_user_id" not in client.session


def _sign_in(client, password, address, forwarded=None):
    meta = {"REMOTE_ADDR": address}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("login"), {"username": "scrutiny", "password": password}, **meta)


@override_settings(AXES_ENABLED=True, TRUSTED_PROXY_COUNT=0)
def test_without_a_proxy_throttling_keys_on_the_connection_and_ignores_forwarded_headers(
    client, scrutiny_member
):
    for attempt in range(5):
        # A client cannot dodge the lock by claiming a new address each time.
        _sign_in(client, "wrong", "203.0.113.5", forwarded=f"198.51.100.{attempt}")
    assert _sign_in(client, "password", "203.0.113.5", forwarded="192.0.2.1").status_code == 429
    other = Client()
    assert _sign_in(other, "password", "198.51.100.7").status_code == 302


@override_settings(AXES_ENABLED=True, TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_one_client_is_locked_out_and_another_is_not(client, scrutiny_member):
    balancer = "10.0.0.1"
    for _ in range(5):
        _sign_in(client, "wrong", balancer, forwarded="evil.example, 203.0.113.5")
    assert _sign_in(client, "password", balancer, forwarded="203.0.113.5").status_code == 429
    colleague = Client()
    assert _sign_in(colleague, "password", balancer, forwarded="198.51.100.7").status_code == 302
    assert "_auth_user_id" in colleague.session


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_the_audit_log_records_the_address_the_proxy_saw(client, scrutiny_member):
    _sign_in(client, "wrong", "10.0.0.1", forwarded="192.0.2.9, 203.0.113.5")
    _sign_in(client, "password", "10.0.0.1", forwarded="203.0.113.6")
    failed = AuditEvent.objects.get(action="sign_in_failed")
    signed_in = AuditEvent.objects.get(action="sign_in")
    assert failed.detail["address"] == "203.0.113.5"
    assert signed_in.detail["address"] == "203.0.113.6"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "192.0.2.1", "10.0.0.1"),
        (1, "", "10.0.0.1"),
        (1, "192.0.2.1", "192.0.2.1"),
        (1, "192.0.2.1, 2001:db8::1", "2001:db8::1"),
        (1, "not-an-address", "10.0.0.1"),
        (2, "192.0.2.66, 192.0.2.1, 10.0.0.9", "192.0.2.1"),
        (2, "192.0.2.1", "10.0.0.1"),
    ],
)
def test_the_client_address_trusts_only_the_configured_proxies(
    rf, settings, count, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = count
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_a_members_pack_download_is_audited_and_a_public_one_is_not(client, governance_support):
    from tests.meetings.factories import MeetingFactory

    meeting = MeetingFactory()
    url = reverse(
        "meetings:meeting_pack_pdf", kwargs={"slug": meeting.board.slug, "meeting_id": meeting.pk}
    )
    assert client.get(url).status_code == 200
    assert not AuditEvent.objects.filter(action="members_pack_download").exists()
    client.force_login(governance_support)
    assert client.get(url + "?members=1").status_code == 200
    event = AuditEvent.objects.get(action="members_pack_download")
    assert event.actor == governance_support
    assert event.detail["meeting"] == meeting.pk

"""Home, sign in and out, and the accessible error pages."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from leeds_communities import views

pytestmark = pytest.mark.django_db


def test_it_shows_the_home_page_with_the_sections(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="govuk-skip-link"' in html
    assert "Leeds Communities" in html
    assert 'href="/boards/"' in html


def test_a_wrong_password_gets_the_error_summary_and_no_session(client, officer):
    response = client.post(reverse("login"), {"username": "officer", "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "_auth_user_id" not in client.session


def test_signing_in_redirects_to_next_and_signing_out_ends_the_session(client, officer):
    response = client.post(
        reverse("login"), {"username": "officer", "password": "password", "next": "/boards/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/boards/"
    assert client.session["_auth_user_id"] == str(officer.pk)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_signing_in_refuses_an_external_next(client, officer):
    response = client.post(
        reverse("login"),
        {"username": "officer", "password": "password", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("home")


def test_the_404_page_is_the_service_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_the_403_page_explains_and_offers_sign_in():
    request = RequestFactory().get("/admin-only/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = views.permission_denied(request)
    assert response.status_code == 403
    assert "You do not have access to this page" in response.content.decode()


def test_the_500_page_renders_without_a_request_context():
    response = views.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_the_header_names_the_signed_in_user_and_role(client, governance_support):
    client.force_login(governance_support)
    html = client.get("/").content.decode()
    assert "Governance support" in html
    assert "Sign out" in html
    assert 'href="/admin/"' in html


def test_the_home_page_leads_to_every_section(client, db):
    html = client.get("/").content.decode()
    for url in ("/boards/", "/actionplans/", "/dashboards/", "/meetings/", "/neighbourhoods/"):
        assert f'href="{url}"' in html, url
    assert 'href="/audit/"' not in html


def test_governance_support_is_shown_the_audit_log(client, governance_support):
    client.force_login(governance_support)
    assert 'href="/audit/"' in client.get("/").content.decode()

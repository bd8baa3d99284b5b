"""Updating an output's RAG status: the plain form, htmx in place, who may, the closed quarter,
and no lost update when two people save from the same starting point."""

import pytest
from django.urls import reverse

from actionplans.models import Output, StatusUpdate
from leeds_communities.models import AuditEvent
from tests.actionplans.journey import closed_quarter, open_quarter, update_data
from tests.factories import OutputFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def quarter():
    return open_quarter()


@pytest.fixture
def output(agency):
    return OutputFactory(lead_agency=agency, ref="NE001", title="Open a youth centre")


def _url(output):
    return reverse("actionplans:output_update", args=[output.pk])


def test_officer_updates_without_javascript_and_is_sent_back_with_a_message(
    client, officer, output, quarter
):
    client.force_login(officer)
    back = reverse("actionplans:my_outputs") + "?status=BLANK"
    response = client.post(
        _url(output),
        update_data(output, quarter, rag="AMBER", commentary="Site not secured", next=back),
        follow=True,
    )
    assert response.redirect_chain == [(back, 302)]
    assert "NE001 updated: Amber for Quarter 3 2006/07." in response.content.decode()
    update = StatusUpdate.objects.get()
    assert (update.rag, update.commentary, update.created_by) == (
        "AMBER",
        "Site not secured",
        officer,
    )
    assert update.source == StatusUpdate.Source.WEB
    output.refresh_from_db()
    assert output.version == 1
    assert AuditEvent.objects.filter(action="status_update", actor=officer).count() == 1


def test_the_form_page_offers_govuk_radios_for_the_three_colours(client, officer, output, quarter):
    client.force_login(officer)
    response = client.get(_url(output))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="govuk-fieldset"' in html
    assert html.count('name="rag" type="radio"') == 3
    for word in ("Green – on track", "Amber – some slippage", "Red – off track"):
        assert word in html
    assert f'name="version" value="{output.version}"' in html
    # The first radio carries the field's id, so the error summary can link to it.
    assert f'id="o{output.pk}-rag"' in html


@pytest.mark.parametrize("rag", ["AMBER", "RED"])
def test_commentary_is_required_for_amber_and_red_and_what_was_typed_is_kept(
    client, officer, output, quarter, rag
):
    client.force_login(officer)
    response = client.post(_url(output), update_data(output, quarter, rag=rag, commentary="  "))
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert f"Say why the output is {rag.lower()}" in html
    assert f'value="{rag}" checked' in html
    assert not StatusUpdate.objects.exists()


def test_green_needs_no_commentary(client, officer, output, quarter):
    client.force_login(officer)
    response = client.post(_url(output), update_data(output, quarter, rag="GREEN"))
    assert response.status_code == 302
    assert StatusUpdate.objects.get().rag == "GREEN"


def test_a_missing_colour_is_an_error_with_the_summary(client, officer, output, quarter):
    client.force_login(officer)
    data = update_data(output, quarter, commentary="Kept text")
    del data["rag"]
    response = client.post(_url(output), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'<a href="#o{output.pk}-rag">Choose Green, Amber or Red</a>' in html
    assert "Kept text" in html
    assert not StatusUpdate.objects.exists()


def test_officer_cannot_update_another_agencys_output(
    client, other_agency_officer, output, quarter
):
    client.force_login(other_agency_officer)
    response = client.post(_url(output), update_data(output, quarter))
    assert response.status_code == 403
    assert client.get(_url(output)).status_code == 403
    assert not StatusUpdate.objects.exists()
    assert Output.objects.get(pk=output.pk).version == 0


def test_anonymous_is_sent_to_sign_in_and_nothing_is_written(client, output, quarter):
    response = client.post(_url(output), update_data(output, quarter))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not StatusUpdate.objects.exists()


def test_an_unknown_output_is_404(client, officer, quarter):
    client.force_login(officer)
    response = client.post(reverse("actionplans:output_update", args=[999999]), {})
    assert response.status_code == 404


def test_a_redirect_elsewhere_is_refused(client, officer, output, quarter):
    client.force_login(officer)
    response = client.post(_url(output), update_data(output, quarter, next="https://evil.example/"))
    assert response["Location"] == output.get_absolute_url()


def test_the_second_of_two_forms_from_the_same_version_is_refused_and_shown_the_first(
    client, officer, agency, output, quarter
):
    colleague = UserFactory(
        username="colleague",
        first_name="Pat",
        last_name="Colleague",
        role="Officer",
        profile__organisation=agency,
    )
    first = update_data(output, quarter, rag="RED", commentary="Contractor went bust")
    second = update_data(output, quarter, rag="GREEN", commentary="All fine")
    assert first["version"] == second["version"] == 0

    client.force_login(colleague)
    assert client.post(_url(output), first).status_code == 302
    client.force_login(officer)
    response = client.post(_url(output), second)

    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else updated this output first" in html
    assert "Pat Colleague" in html
    assert "Contractor went bust" in html
    # What the second person typed is kept, now against the version that includes the first.
    assert "All fine" in html
    assert 'name="version" value="1"' in html
    assert list(StatusUpdate.objects.values_list("rag", flat=True)) == ["RED"]

    # Saving again from the new version is a knowing choice and is accepted.
    again = update_data(output, quarter, rag="GREEN", commentary="All fine", version=1)
    assert client.post(_url(output), again).status_code == 302
    assert list(StatusUpdate.objects.order_by("pk").values_list("rag", flat=True)) == [
        "RED",
        "GREEN",
    ]


def test_a_closed_quarter_refuses_an_officers_update(client, officer, output):
    quarter = closed_quarter()
    client.force_login(officer)
    page = client.get(_url(output)).content.decode()
    assert "is closed" in page
    assert "Ask governance support to record a late return" in page
    response = client.post(_url(output), update_data(output, quarter))
    assert response.status_code == 400
    assert "is closed" in response.content.decode()
    assert not StatusUpdate.objects.exists()


def test_governance_support_records_a_late_return_only_with_a_reason_that_is_kept(
    client, governance_support, output
):
    quarter = closed_quarter()
    client.force_login(governance_support)
    response = client.post(_url(output), update_data(output, quarter, rag="GREEN"))
    assert response.status_code == 400
    assert "Give the reason for recording a return after the quarter closed" in (
        response.content.decode()
    )
    assert not StatusUpdate.objects.exists()

    response = client.post(
        _url(output),
        update_data(output, quarter, rag="GREEN", late_reason="Return e-mailed on time, lost"),
    )
    assert response.status_code == 302
    update = StatusUpdate.objects.get()
    assert update.late_reason == "Return e-mailed on time, lost"
    assert AuditEvent.objects.get(action="status_update").detail["late"] is True


def test_htmx_opens_the_form_in_the_row_and_saving_returns_the_row(
    client, officer, output, quarter
):
    client.force_login(officer)
    headers = {"HX-Request": "true"}
    back = reverse("actionplans:my_outputs")
    form_row = client.get(_url(output) + f"?next={back}", headers=headers)
    assert form_row.status_code == 200
    html = form_row.content.decode()
    assert html.lstrip().startswith(f'<tr class="govuk-table__row" id="output-{output.pk}"')
    assert f'hx-post="{_url(output)}"' in html
    assert "HX-Request" in form_row["Vary"]

    saved = client.post(
        _url(output),
        update_data(output, quarter, rag="RED", commentary="Stalled", next=back),
        headers=headers,
    )
    assert saved.status_code == 200
    html = saved.content.decode()
    assert html.lstrip().startswith(f'<tr class="govuk-table__row" id="output-{output.pk}"')
    assert "NE001 updated: Red for Quarter 3 2006/07." in html
    assert "Red</strong>" in html
    assert StatusUpdate.objects.get().rag == "RED"
    # No flash message waits for the next page: the row said it.
    assert "updated" not in client.get(back).content.decode().split("<main")[1].split("<form")[0]


def test_htmx_errors_stay_in_the_row_with_a_successful_status(client, officer, output, quarter):
    client.force_login(officer)
    response = client.post(
        _url(output),
        update_data(output, quarter, rag="AMBER"),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200  # htmx swaps only successful responses
    html = response.content.decode()
    assert html.lstrip().startswith("<tr")
    assert "Say why the output is amber" in html
    assert not StatusUpdate.objects.exists()


def test_htmx_cancel_gives_back_the_plain_row(client, officer, output, quarter):
    client.force_login(officer)
    response = client.get(_url(output) + "?show=row", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr class="govuk-table__row" id="output-{output.pk}"')
    assert "Blank</strong>" in html
    assert "<form" not in html


def test_htmx_shows_a_conflict_in_the_row(client, officer, agency, output, quarter):
    stale = update_data(output, quarter, rag="GREEN")
    colleague = UserFactory(username="colleague2", role="Officer", profile__organisation=agency)
    client.force_login(colleague)
    client.post(_url(output), update_data(output, quarter, rag="RED", commentary="Stopped"))
    client.force_login(officer)
    response = client.post(_url(output), stale, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<tr")
    assert "Someone else updated this output first" in html
    assert "Stopped" in html
    assert StatusUpdate.objects.count() == 1


@pytest.mark.parametrize("query", ["?year=1&quarter=1", "?year=2006/07&quarter=9", "?quarter=x"])
def test_htmx_asking_for_an_unknown_quarter_is_not_found(client, officer, output, quarter, query):
    client.force_login(officer)
    response = client.get(_url(output) + query, headers={"HX-Request": "true"})
    assert response.status_code == 404
    assert "There is no such quarter to report on." in response.content.decode()


def test_htmx_posting_for_an_unknown_quarter_is_not_found_and_writes_nothing(
    client, officer, output, quarter
):
    client.force_login(officer)
    data = update_data(output, quarter, rag="GREEN")
    data["quarter"] = "999"
    response = client.post(_url(output), data, headers={"HX-Request": "true"})
    assert response.status_code == 404
    assert "There is no such quarter to report on." in response.content.decode()
    assert not StatusUpdate.objects.exists()

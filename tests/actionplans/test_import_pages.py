"""The upload pages: check (dry run with every row error by line), then confirm; all or nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actionplans.models import Output, StatusUpdate
from leeds_communities.models import AuditEvent
from tests.actionplans.test_import_commands import (
    GOOD,
    GOOD2,
    OUTPUTS_HEADER,
    UPDATE_AMBER,
    UPDATE_GOOD,
    UPDATES_HEADER,
    build_outputs,
    build_register,
)
from tests.factories import OutputFactory, UserFactory

pytestmark = pytest.mark.django_db
OUTPUTS_URL = reverse("actionplans:import_outputs")
UPDATES_URL = reverse("actionplans:import_status_updates")


def _upload(*lines, name="plan.csv", raw=None):
    content = raw if raw is not None else ("\r\n".join(lines) + "\r\n").encode()
    return SimpleUploadedFile(name, content, content_type="text/csv")


@pytest.fixture
def register():
    return build_register()


@pytest.fixture
def outputs(register, agency):
    return build_outputs(register, agency)


@pytest.fixture
def support_client(client, governance_support):
    client.force_login(governance_support)
    return client


def test_the_page_explains_the_columns(support_client):
    html = support_client.get(OUTPUTS_URL).content.decode()
    assert f"<code>{OUTPUTS_HEADER}</code> (a <code>board</code> column may be added" in html
    assert 'type="file"' in html
    assert "missing programmes, plans, priorities and lead agencies" in html


def test_checking_previews_and_writes_nothing_then_confirming_imports(support_client, register):
    response = support_client.post(OUTPUTS_URL, {"file": _upload(OUTPUTS_HEADER, GOOD, GOOD2)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 outputs to create, 0 to update, 0 unchanged" in html
    assert "Open a youth centre" in html
    assert not Output.objects.exists()
    confirm = response.context["confirm"]

    response = support_client.post(
        OUTPUTS_URL,
        {"token": confirm["token"].value(), "digest": confirm["digest"].value()},
        follow=True,
    )
    assert response.redirect_chain == [(OUTPUTS_URL, 302)]
    assert "Imported plan.csv: 2 outputs created, 0 updated, 0 unchanged." in (
        response.content.decode()
    )
    assert Output.objects.count() == 2
    assert AuditEvent.objects.get(action="import_outputs").actor.username == "governance"


def test_a_confirmed_file_cannot_be_imported_twice(support_client, register):
    response = support_client.post(OUTPUTS_URL, {"file": _upload(OUTPUTS_HEADER, GOOD)})
    confirm = response.context["confirm"]
    data = {"token": confirm["token"].value(), "digest": confirm["digest"].value()}
    support_client.post(OUTPUTS_URL, data)
    again = support_client.post(OUTPUTS_URL, data)
    assert again.status_code == 400
    assert "no longer waiting to be imported" in again.content.decode()
    assert Output.objects.count() == 1


def test_a_forged_token_imports_nothing(support_client, register):
    response = support_client.post(OUTPUTS_URL, {"token": "x" * 32, "digest": "y" * 64})
    assert response.status_code == 400
    assert not Output.objects.exists()


def test_another_person_cannot_confirm_someone_elses_check(client, governance_support, register):
    client.force_login(governance_support)
    response = client.post(OUTPUTS_URL, {"file": _upload(OUTPUTS_HEADER, GOOD)})
    confirm = response.context["confirm"]
    colleague = UserFactory(username="colleague", role="Governance support")
    client.force_login(colleague)
    response = client.post(
        OUTPUTS_URL, {"token": confirm["token"].value(), "digest": confirm["digest"].value()}
    )
    assert response.status_code == 400
    assert not Output.objects.exists()


def test_if_the_records_change_after_the_check_nothing_is_imported_and_it_rechecks(
    support_client, register
):
    response = support_client.post(OUTPUTS_URL, {"file": _upload(OUTPUTS_HEADER, GOOD)})
    confirm = response.context["confirm"]
    OutputFactory(plan=register, ref="NE001", title="Someone else's title")
    response = support_client.post(
        OUTPUTS_URL, {"token": confirm["token"].value(), "digest": confirm["digest"].value()}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "The records changed since you checked this file" in html
    assert "0 outputs to create, 1 to update" in html
    assert Output.objects.get().title == "Someone else's title"


def test_every_row_error_is_shown_with_its_line_and_nothing_is_written(support_client, register):
    bad_agency = GOOD.replace("Leeds City Council", "Nobody")
    bad_date = GOOD2.replace("2006-05-01", "2006-13-01")
    response = support_client.post(
        OUTPUTS_URL, {"file": _upload(OUTPUTS_HEADER, bad_agency, bad_date)}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was imported: 2 problems in plan.csv" in html
    assert (
        "<strong>Line 2:</strong> there is no lead agency (organisation) called “Nobody”." in html
    )
    assert "<strong>Line 3:</strong> start_date “2006-13-01” is not a real date." in html
    assert "govuk-error-summary" in html
    assert response.context["confirm"] is None
    assert not Output.objects.exists()


def test_the_page_refuses_a_file_that_is_not_utf8(support_client, register):
    raw = f"{OUTPUTS_HEADER}\n{GOOD}\n".encode().replace(b"Open", b"\xe9")
    response = support_client.post(OUTPUTS_URL, {"file": _upload(raw=raw)})
    assert response.status_code == 400
    assert "the file is not UTF-8 text" in response.content.decode()


def test_an_empty_upload_is_an_error(support_client, register):
    response = support_client.post(OUTPUTS_URL, {"file": _upload(raw=b"")})
    assert response.status_code == 400
    assert "The file is empty" in response.content.decode()
    response = support_client.post(OUTPUTS_URL, {})
    assert "Choose a CSV file to check" in response.content.decode()


def test_create_missing_is_carried_from_the_check_to_the_confirm(support_client, register):
    row = GOOD.replace("Leeds City Council", "Groundwork Leeds")
    response = support_client.post(
        OUTPUTS_URL, {"file": _upload(OUTPUTS_HEADER, row), "create_missing": "on"}
    )
    assert "lead agency “Groundwork Leeds”" in response.content.decode()
    confirm = response.context["confirm"]
    support_client.post(
        OUTPUTS_URL, {"token": confirm["token"].value(), "digest": confirm["digest"].value()}
    )
    assert Output.objects.get().lead_agency.name == "Groundwork Leeds"


def test_status_updates_are_checked_then_imported(support_client, outputs):
    response = support_client.post(
        UPDATES_URL, {"file": _upload(UPDATES_HEADER, UPDATE_GOOD, UPDATE_AMBER)}
    )
    assert response.status_code == 200
    assert "2 status updates to create, 0 unchanged" in response.content.decode()
    assert not StatusUpdate.objects.exists()
    confirm = response.context["confirm"]
    support_client.post(
        UPDATES_URL, {"token": confirm["token"].value(), "digest": confirm["digest"].value()}
    )
    assert StatusUpdate.objects.count() == 2


def test_an_outputs_check_cannot_be_confirmed_as_status_updates(support_client, register):
    response = support_client.post(OUTPUTS_URL, {"file": _upload(OUTPUTS_HEADER, GOOD)})
    confirm = response.context["confirm"]
    response = support_client.post(
        UPDATES_URL, {"token": confirm["token"].value(), "digest": confirm["digest"].value()}
    )
    assert response.status_code == 400
    assert not Output.objects.exists()

"""Evidence on a return: files refused by their content (never by name), nothing stored on any
refusal, the upload page, the public switch, the download's headers, and what the public sees."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse

from actionplans.evidence import (
    DOCX,
    JPEG,
    ODS,
    ODT,
    PDF,
    PNG,
    PPTX,
    XLSX,
    download_name,
    inspect_content,
    set_evidence_public,
)
from actionplans.models import Quarter, ReturnEvidence
from leeds_communities.models import AuditEvent
from tests.actionplans.evidence_files import (
    docx_bytes,
    image_bytes,
    odt_bytes,
    pdf_bytes,
    pptx_bytes,
    upload,
    xlsx_bytes,
    zip_bytes,
)
from tests.actionplans.journey import closed_quarter, open_quarter
from tests.factories import OutputFactory, QuarterFactory, StatusUpdateFactory

pytestmark = pytest.mark.django_db

PROBE = "Private-evidence-probe-7d2a"


def _stored() -> set[str]:
    try:
        return set(default_storage.listdir("evidence")[1])
    except FileNotFoundError:
        return set()


def _url(update) -> str:
    return reverse("actionplans:return_evidence", args=[update.pk])


@pytest.fixture
def a_return(agency):
    """A return for an output the `officer` persona's agency leads, in an open quarter."""
    output = OutputFactory(lead_agency=agency, ref="NE001")
    return StatusUpdateFactory(output=output, quarter=open_quarter(), rag="GREEN")


# --- what a file is, from its content -------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("report.pdf", pdf_bytes(), PDF),
        ("photo.png", image_bytes("PNG"), PNG),
        ("photo.jpeg", image_bytes("JPEG"), JPEG),
        ("notes.docx", docx_bytes(), DOCX),
        ("figures.xlsx", xlsx_bytes(), XLSX),
        ("slides.pptx", pptx_bytes(), PPTX),
        ("notes.odt", odt_bytes(), ODT),
        ("sums.ods", odt_bytes("spreadsheet"), ODS),
        # The name does not decide: a PDF without an ending, a photo called "scan" are found.
        ("report", pdf_bytes(), PDF),
        ("scan.bin", image_bytes("PNG"), PNG),
    ],
)
def test_it_finds_what_a_file_is_from_its_content(name, content, kind):
    assert inspect_content(content, name=name) == kind


@pytest.mark.parametrize(
    ("name", "content", "browser_type", "code", "message"),
    [
        (
            "report.pdf",
            b"Just some text, not a PDF at all.\n",
            "application/pdf",
            "not_what_it_claims",
            "The file is not a PDF: its name says it is, but its content is not",
        ),
        (
            "report.pdf",
            image_bytes("PNG"),
            "application/pdf",
            "not_what_it_claims",
            "The file is not a PDF: its name says it is, but it is a PNG image",
        ),
        (
            "upload",
            b"plain text",
            "application/pdf",
            "not_what_it_claims",
            "The file is not a PDF",
        ),
        (
            "report.pdf",
            b"%PDF-1.7\nthis is not really a PDF",
            "application/pdf",
            "unreadable",
            "The PDF cannot be read: save or export it again",
        ),
        (
            "archive.zip",
            zip_bytes({"readme.txt": b"hello"}),
            "application/zip",
            "unreadable",
            "The file is a zip archive, not a Word, Excel or PowerPoint document",
        ),
        (
            "notes.docx",
            zip_bytes({"readme.txt": b"hello"}),
            "",
            "not_what_it_claims",
            "The file is not a Word document: its name says it is, but its content is not",
        ),
        (
            "notes.docx",
            zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>"}),
            "",
            "not_what_it_claims",
            "The file is not a Word document: its name says it is, but it is an Excel workbook",
        ),
        (
            "notes.docx",
            docx_bytes(macros=True),
            "",
            "unreadable",
            "The Word document contains macros",
        ),
        ("notes.docx", b"PK\x03\x04broken", "", "not_what_it_claims", "not a Word document"),
        ("page.html", b"<html><script>alert(1)</script>", "text/html", "type_not_allowed", ""),
        (
            "slides.odp",
            odt_bytes("presentation"),
            "",
            "unreadable",
            "The file is a zip archive, not a Word, Excel or PowerPoint document",
        ),
        ("empty.pdf", b"", "application/pdf", "empty", "The selected file is empty"),
    ],
    ids=[
        "text-named-pdf",
        "png-named-pdf",
        "text-the-browser-calls-pdf",
        "damaged-pdf",
        "zip-not-office",
        "zip-named-docx",
        "workbook-named-docx",
        "macros",
        "broken-zip-named-docx",
        "html",
        "odf-presentation",
        "empty",
    ],
)
def test_a_file_is_refused_by_its_content(name, content, browser_type, code, message):
    with pytest.raises(ValidationError) as refused:
        inspect_content(content, name=name, browser_type=browser_type)
    assert refused.value.code == code
    assert message in refused.value.message


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.RETURN_EVIDENCE_MAX_BYTES = 2048
    content = pdf_bytes()
    assert len(content) < 2048
    assert inspect_content(content, name="small.pdf") == PDF
    big = content + b"%" * 2048
    with pytest.raises(ValidationError, match="The file must be smaller than 2 KB") as refused:
        inspect_content(big, name="big.pdf")
    assert refused.value.code == "too_big"


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("Q3 report.pdf", PDF, "Q3 report.pdf"),
        ('..\\..\\etc/pass"wd;.pdf', PDF, "pass_wd.pdf"),
        ("photo.pdf", PNG, "photo.png"),
        ("\u202eevil\u202dfdp.png", PNG, "evilfdp.png"),
        ("Café notes.docx", DOCX, "Café notes.docx"),
        ("...", PDF, "evidence.pdf"),
        ("report.exe", PDF, "report.exe.pdf"),
    ],
)
def test_the_download_name_is_safe_and_ends_in_what_the_file_is(name, kind, expected):
    assert download_name(name, kind) == expected


# --- the upload page ------------------------------------------------------------------------


def test_an_officer_adds_evidence_and_it_is_stored_and_audited(client, officer, a_return):
    client.force_login(officer)
    content = pdf_bytes()
    response = client.post(_url(a_return), {"file": upload("Site visit.pdf", content)})
    assert response.status_code == 302
    assert response["Location"] == _url(a_return)
    evidence = ReturnEvidence.objects.get()
    assert (evidence.update, evidence.uploaded_by) == (a_return, officer)
    assert evidence.original_name == "Site visit.pdf"
    assert (evidence.size, evidence.content_type, evidence.public) == (
        len(content),
        "application/pdf",
        False,
    )
    # Stored under a random name of its own, not the uploader's.
    assert re.fullmatch(r"evidence/[0-9a-f]{32}\.pdf", evidence.file.name)
    with evidence.file.open("rb") as handle:
        assert handle.read() == content
    event = AuditEvent.objects.get(action="return_evidence_added")
    assert event.actor == officer
    assert event.detail["evidence"] == evidence.pk
    assert event.detail["sha256"] == evidence.sha256
    page = client.get(_url(a_return))
    assert "Site visit.pdf" in page.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "browser_type", "message"),
    [
        ("minutes.pdf", b"These are the minutes.\n", "application/pdf", "The file is not a PDF"),
        ("archive.zip", zip_bytes({"a.txt": b"a"}), "application/zip", "is a zip archive"),
        (
            "minutes.pdf",
            pdf_bytes() + b"%" * 4096,
            "application/pdf",
            "The file must be smaller than 4 KB",
        ),
    ],
    ids=["text-named-pdf", "zip-not-office", "over-size"],
)
def test_a_refused_file_shows_a_govuk_error_and_writes_nothing(
    client, officer, a_return, settings, name, content, browser_type, message
):
    settings.RETURN_EVIDENCE_MAX_BYTES = 4096
    client.force_login(officer)
    before = _stored()
    response = client.post(_url(a_return), {"file": upload(name, content, browser_type)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html and message in html
    assert "govuk-form-group--error" in html
    assert response.context["form"].errors["file"]
    assert not ReturnEvidence.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="return_evidence").exists()
    assert _stored() == before


def test_no_file_chosen_is_a_govuk_error(client, officer, a_return):
    client.force_login(officer)
    response = client.post(_url(a_return), {})
    assert response.status_code == 400
    assert "Choose a file to upload" in response.content.decode()
    assert not ReturnEvidence.objects.exists()


def test_a_file_whose_record_fails_is_removed_from_storage(client, officer, a_return, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("actionplans.evidence.record_audit", fail)
    client.force_login(officer)
    client.raise_request_exception = False
    before = _stored()
    response = client.post(_url(a_return), {"file": upload("a.pdf", pdf_bytes())})
    assert response.status_code == 500
    assert not ReturnEvidence.objects.exists()
    assert _stored() == before


def test_another_agencys_officer_cannot_add_evidence(client, other_agency_officer, a_return):
    client.force_login(other_agency_officer)
    response = client.post(_url(a_return), {"file": upload("a.pdf", pdf_bytes())})
    assert response.status_code == 403
    assert not ReturnEvidence.objects.exists()


# --- the output page's history --------------------------------------------------------------


def _add(update, user, name="Evidence.pdf", content=None, *, public=False):
    from actionplans.evidence import add_return_evidence

    evidence = add_return_evidence(
        update=update, upload=upload(name, content or pdf_bytes()), acting_user=user
    )
    if public:
        ReturnEvidence.objects.filter(pk=evidence.pk).update(public=True)
        evidence.refresh_from_db()
    return evidence


def test_signed_in_users_see_evidence_under_the_return(
    client, officer, scrutiny_member, a_return, governance_support
):
    evidence = _add(a_return, officer, f"{PROBE}.pdf")
    page = client.get(a_return.output.get_absolute_url())
    assert PROBE not in page.content.decode()
    client.force_login(scrutiny_member)
    html = client.get(a_return.output.get_absolute_url()).content.decode()
    assert f'href="{evidence.get_absolute_url()}"' in html
    assert f"{PROBE}.pdf" in html and "Signed-in users only" in html
    # Scrutiny reads it but may not add to it.
    assert "Add evidence to this return" not in html
    client.force_login(officer)
    html = client.get(a_return.output.get_absolute_url()).content.decode()
    assert f'href="{_url(a_return)}"' in html and "Add evidence to this return" in html


def test_the_public_sees_only_public_files_of_published_quarters(
    client, officer, governance_support, agency
):
    output = OutputFactory(lead_agency=agency)
    published = StatusUpdateFactory(output=output, quarter=closed_quarter(number=2), rag="GREEN")
    unpublished = StatusUpdateFactory(output=output, quarter=open_quarter(), rag="GREEN")
    shown = _add(published, officer, "Shown-to-the-public.pdf", public=True)
    private = _add(published, officer, f"{PROBE}-private.pdf")
    too_soon = _add(unpublished, officer, f"{PROBE}-unpublished.png", image_bytes(), public=True)

    html = client.get(output.get_absolute_url()).content.decode()
    assert "Shown-to-the-public.pdf" in html
    assert PROBE not in html
    assert "Add evidence" not in html and "Signed-in users only" not in html
    assert client.get(shown.get_absolute_url()).status_code == 200
    for hidden in (private, too_soon):
        assert client.get(hidden.get_absolute_url()).status_code == 404

    # Once the quarter closes (its returns published), its public file is public too.
    Quarter.objects.filter(pk=unpublished.quarter_id).update(state=Quarter.State.CLOSED)
    assert client.get(too_soon.get_absolute_url()).status_code == 200
    assert client.get(private.get_absolute_url()).status_code == 404


def test_the_output_page_reads_all_its_evidence_in_one_query(
    client, officer, agency, django_assert_num_queries
):
    output = OutputFactory(lead_agency=agency)
    quarters = [QuarterFactory(year=2006, number=n, state="closed") for n in (1, 2)]
    for quarter in quarters:
        update = StatusUpdateFactory(output=output, quarter=quarter, created_by=officer)
        for n in range(3):
            _add(update, officer, f"file-{quarter.number}-{n}.pdf")
    client.force_login(officer)
    client.get(output.get_absolute_url())
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        html = client.get(output.get_absolute_url()).content.decode()
    assert sum("actionplans_returnevidence" in q["sql"] for q in queries.captured_queries) == 1
    assert html.count("file-") == 6


# --- the download ---------------------------------------------------------------------------


def test_the_download_is_an_attachment_with_the_detected_type_and_a_safe_name(
    client, officer, a_return
):
    content = image_bytes("PNG")
    evidence = _add(a_return, officer, 'x"<script>.pdf.png', content)
    client.force_login(officer)
    response = client.get(evidence.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="x__script_.pdf.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "private, no-store"


def test_a_browser_content_type_is_never_served(client, officer, a_return):
    client.force_login(officer)
    client.post(_url(a_return), {"file": upload("scan.png", image_bytes("PNG"), "text/html")})
    evidence = ReturnEvidence.objects.get()
    assert evidence.content_type == "image/png"
    assert client.get(evidence.get_absolute_url())["Content-Type"] == "image/png"


def test_a_missing_stored_file_is_not_found(client, officer, a_return):
    evidence = _add(a_return, officer)
    default_storage.delete(evidence.file.name)
    client.force_login(officer)
    response = client.get(evidence.get_absolute_url())
    assert response.status_code == 404
    assert "The file of “Evidence.pdf” is missing" in response.content.decode()


# --- making a file public -------------------------------------------------------------------


def test_governance_support_makes_a_file_public_and_it_is_audited(
    client, officer, governance_support, agency
):
    update = StatusUpdateFactory(
        output=OutputFactory(lead_agency=agency), quarter=closed_quarter(), rag="GREEN"
    )
    evidence = _add(update, officer)
    client.force_login(governance_support)
    page = client.get(_url(update)).content.decode()
    assert "Make public" in page and "No: signed-in users only" in page
    url = reverse("actionplans:evidence_public", args=[evidence.pk])
    response = client.post(url, {"public": "yes"})
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert evidence.public
    event = AuditEvent.objects.get(action="return_evidence_public")
    assert (event.actor, event.detail["evidence"]) == (governance_support, evidence.pk)
    assert "Make private" in client.get(_url(update)).content.decode()

    client.post(url, {"public": "no"})
    evidence.refresh_from_db()
    assert not evidence.public
    assert AuditEvent.objects.filter(action="return_evidence_private").count() == 1


def test_making_a_file_public_twice_records_it_once(officer, governance_support, a_return):
    evidence = _add(a_return, officer)
    assert set_evidence_public(evidence=evidence, public=True, acting_user=governance_support)
    assert not set_evidence_public(evidence=evidence, public=True, acting_user=governance_support)
    assert AuditEvent.objects.filter(action="return_evidence_public").count() == 1


def test_a_bad_public_value_changes_nothing(client, officer, governance_support, a_return):
    evidence = _add(a_return, officer)
    client.force_login(governance_support)
    url = reverse("actionplans:evidence_public", args=[evidence.pk])
    assert client.post(url, {"public": "maybe"}).status_code == 400
    evidence.refresh_from_db()
    assert not evidence.public


def test_an_officer_cannot_make_a_file_public(client, officer, a_return):
    evidence = _add(a_return, officer)
    client.force_login(officer)
    url = reverse("actionplans:evidence_public", args=[evidence.pk])
    assert client.post(url, {"public": "yes"}).status_code == 403
    evidence.refresh_from_db()
    assert not evidence.public
    assert not AuditEvent.objects.filter(action="return_evidence_public").exists()


def test_the_upload_page_says_when_a_public_file_reaches_the_public(
    client, officer, governance_support, a_return
):
    _add(a_return, officer, public=True)
    client.force_login(governance_support)
    html = client.get(_url(a_return)).content.decode()
    assert f"Yes, once {a_return.quarter} is published" in html

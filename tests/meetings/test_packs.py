"""Board packs: structure, exempt material, stored artefacts, live data and the URL fetcher."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from actionplans.models import Quarter
from actionplans.summary import build_summary
from boards.meetings import packs
from boards.meetings.models import BoardPack
from leeds_communities.pdf import BASE_URL, RefusedURL, StaticFilesFetcher
from tests.factories import (
    ActionPlanFactory,
    OutputFactory,
    ProgrammeFactory,
    QuarterFactory,
    StatusUpdateFactory,
)
from tests.meetings.conftest import (
    EXEMPT_APPENDIX_TEXT,
    EXEMPT_APPENDIX_TITLE,
    EXEMPT_REPORT_SUBJECT,
    EXEMPT_REPORT_TEXT,
    PUBLIC_REPORT_TEXT,
)

# Every test of packs runs twice: with the development static files (the finders) and with the
# production settings' manifest storage, where the print CSS has a hashed name.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("static_storage")]

EXEMPT_STRINGS = [
    EXEMPT_REPORT_SUBJECT,
    EXEMPT_REPORT_TEXT,
    EXEMPT_APPENDIX_TITLE,
    EXEMPT_APPENDIX_TEXT,
]


def _reader(pack: BoardPack) -> PdfReader:
    with pack.file.open("rb") as handle:
        return PdfReader(io.BytesIO(handle.read()))


def _text(reader: PdfReader) -> str:
    # Extraction breaks lines where the layout wraps them; compare with whitespace collapsed.
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def _outline(reader: PdfReader, entries=None, level=0):
    result = []
    for entry in reader.outline if entries is None else entries:
        if isinstance(entry, list):
            result.extend(_outline(reader, entry, level + 1))
        else:
            result.append((level, entry.title, reader.get_destination_page_number(entry) + 1))
    return result


@pytest.fixture
def progress(exempt_meeting):
    """The board's plans in a closed quarter: one RED output with commentary, one BLANK."""
    quarter = QuarterFactory(year=2006, number=3, state=Quarter.State.CLOSED)
    programme = ProgrammeFactory(name="Leeds Regeneration Plan", board=exempt_meeting.board)
    plan = ActionPlanFactory(programme=programme, owner=exempt_meeting.board, short_name="East")
    StatusUpdateFactory(output=OutputFactory(plan=plan, ref="E1"), quarter=quarter, rag="GREEN")
    StatusUpdateFactory(
        output=OutputFactory(plan=plan, ref="E2", title="Improve the street environment"),
        quarter=quarter,
        rag="RED",
        commentary="Contractor withdrew; re-tendering.",
    )
    OutputFactory(plan=plan, ref="E3", title="Extended schools")
    return programme, quarter


def test_the_public_pack_has_no_exempt_text_and_the_members_pack_has_it(exempt_meeting):
    public = packs.current_pack(exempt_meeting.meeting, members=False)
    members = packs.current_pack(exempt_meeting.meeting, members=True)
    public_text, members_text = _text(_reader(public)), _text(_reader(members))
    for secret in EXEMPT_STRINGS:
        assert secret not in public_text
        assert secret in members_text
    assert PUBLIC_REPORT_TEXT in public_text
    assert "2. Property matter" in public_text  # the agenda heading stays public
    assert "Access to Information Procedure Rule 10.4 (3)" in public_text
    assert "Not for publication" in members_text


def test_every_page_of_exempt_material_in_the_members_pack_is_marked(exempt_meeting):
    reader = _reader(packs.current_pack(exempt_meeting.meeting, members=True))
    pages = [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]
    exempt_pages = [
        i
        for i, text in enumerate(pages)
        if EXEMPT_REPORT_TEXT in text or EXEMPT_APPENDIX_TEXT in text
    ]
    assert exempt_pages
    for i in exempt_pages:
        assert "Not for publication" in pages[i], f"page {i + 1} is not marked"


def test_the_print_stylesheet_reaches_the_pdf(exempt_meeting, static_storage, caplog):
    """The page furniture comes from the print CSS's @page margin boxes: without the stylesheet
    there are no page numbers, running header or exempt marks."""
    from django.templatetags.static import static

    if static_storage == "production":
        assert re.search(r"/static/css/pack\.[0-9a-f]{12}\.css$", static("css/pack.css"))
    reader = _reader(packs.current_pack(exempt_meeting.meeting, members=True))
    first = reader.pages[0].extract_text()
    assert f"Page 1 of {len(reader.pages)}" in first
    assert "Not for publication" in _text(reader)
    assert "Failed to load stylesheet" not in caplog.text


def test_the_pack_has_metadata_bookmarks_and_page_numbers(exempt_meeting):
    pack = packs.current_pack(exempt_meeting.meeting, members=False)
    reader = _reader(pack)
    meta = reader.metadata
    assert meta.title == "Communities Board: public pack, 24 May 2013"
    assert "Communities Board" in meta.author
    assert meta.subject.startswith("Agenda and papers for the meeting of the Communities Board")
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # a tagged PDF
    assert pack.page_count == len(reader.pages)
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4
    top = [(title, page) for level, title, page in _outline(reader) if level == 0]
    items = [title for title, _ in top if re.match(r"^\d+\. ", title)]
    assert items == ["1. Working with communities", "2. Property matter", "3. Any other business"]
    for title, page in top:
        # Each bookmark points at the page that starts with its heading.
        assert title.split(":")[0] in reader.pages[page - 1].extract_text().replace("\n", " ")
    last = reader.pages[-1].extract_text()
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in last
    assert "Communities Board — 24 May 2013" in last  # the running header


def test_the_contents_page_numbers_match_the_pages(exempt_meeting):
    reader = _reader(packs.current_pack(exempt_meeting.meeting, members=True))
    bookmarks = {title: page for _, title, page in _outline(reader)}
    contents = reader.pages[1].extract_text()
    assert "Contents" in contents
    found = dict(re.findall(r"^(\d+\. [^.\n]+?) ?\.{3,} *(\d+)$", contents, re.M))
    assert found, contents
    for title, page in found.items():
        assert bookmarks[title.strip()] == int(page)


def test_each_agenda_item_starts_a_new_page(exempt_meeting):
    reader = _reader(packs.current_pack(exempt_meeting.meeting, members=False))
    pages = [bookmark[2] for bookmark in _outline(reader) if bookmark[0] == 0]
    assert len(set(pages)) == len(pages)


def test_a_pack_is_stored_and_reused_until_something_changes(exempt_meeting, monkeypatch):
    first = packs.current_pack(exempt_meeting.meeting, members=False)
    rendered = []
    real_pdf = packs.render_pdf
    monkeypatch.setattr(packs, "render_pdf", lambda *args: rendered.append(1) or real_pdf(*args))
    again = packs.current_pack(exempt_meeting.meeting, members=False)
    assert again.pk == first.pk and rendered == []
    report = exempt_meeting.public_report
    report.summary = "A changed summary."
    report.save()
    changed = packs.current_pack(exempt_meeting.meeting, members=False)
    assert changed.pk != first.pk and changed.version == 2 and rendered == [1]
    assert "A changed summary." in _text(_reader(changed))
    # A change only members can see rebuilds the members' pack but not the public one.
    members = packs.current_pack(exempt_meeting.meeting, members=True)
    exempt = exempt_meeting.exempt_report
    exempt.summary = "A changed exempt summary."
    exempt.save()
    assert packs.current_pack(exempt_meeting.meeting, members=False).pk == changed.pk
    assert packs.current_pack(exempt_meeting.meeting, members=True).version == members.version + 1


def test_the_data_appendix_equals_the_summary_for_the_latest_closed_quarter(
    client, exempt_meeting, progress
):
    import csv

    programme, quarter = progress
    summary = build_summary(programme, quarter)
    text = _text(_reader(packs.current_pack(exempt_meeting.meeting, members=False)))
    assert "Quarter 3 2006/07, the latest closed quarter" in text
    for row in summary.rows:
        cells = " ".join(str(v) for _, count, pct in row.cells() for v in (count, pct))
        assert f"{row.label} {row.outputs} {cells}" in text
    # Row for row, the summary page's own export for that quarter says the same.
    response = client.get(
        reverse("actionplans:summary"),
        {"programme": programme.slug, "year": "2006/07", "quarter": 3, "format": "csv"},
    )
    rows = list(csv.reader(response.content.decode().splitlines()))[1:]
    assert len(rows) == len(summary.rows)
    for row in rows:
        assert " ".join(row) in text
    # The exceptions: RED with its commentary, BLANK with what BLANK means; GREEN left out.
    assert "E2 Improve the street environment" in text
    assert "Contractor withdrew; re-tendering." in text
    assert "E3 Extended schools" in text and "No response from lead agency" in text
    assert "E1 " not in text
    # The same numbers drawn as an SVG bar chart, its title and counts in the PDF's text.
    assert "Leeds Regeneration Plan: outputs by status, Quarter 3 2006/07" in text


def test_a_live_summary_appendix_is_rendered_from_the_returns(exempt_meeting, progress):
    from tests.meetings.factories import AppendixFactory

    programme, quarter = progress
    AppendixFactory(
        report=exempt_meeting.public_report,
        order=3,
        number="3",
        title="Summary progress table",
        kind="live_summary",
        programme=programme,
        quarter=quarter,
    )
    html = packs.render_pack_html(exempt_meeting.meeting, members=False)
    assert "Summary progress table" in html
    assert re.search(r"<th scope=\"row\">East</th>\s*<td>3</td>\s*<td>1</td><td>33</td>", html)


def test_a_pack_prints_at_most_a_few_exceptions_a_plan_and_says_where_the_rest_are(
    exempt_meeting, progress, monkeypatch
):
    programme, quarter = progress
    plan = programme.plans.get()
    for n in range(4, 12):
        StatusUpdateFactory(
            output=OutputFactory(plan=plan, ref=f"E{n:02d}"),
            quarter=quarter,
            rag="RED",
            commentary=f"Held up {n}.",
        )
    monkeypatch.setattr(packs, "EXCEPTIONS_PER_PLAN", 4)
    shown = packs.board_progress(exempt_meeting.board).exceptions
    # Nine RED (E2 and E04–E11), one BLANK (E3): four printed, RED first, then the count.
    assert [o.ref for o in shown] == ["E04", "E05", "E06", "E07"]
    assert [o.more for o in shown] == [0, 0, 0, 6]
    html = packs.render_pack_html(exempt_meeting.meeting, members=False)
    assert "And 6 more RED or BLANK outputs in East, not printed here" in html
    assert f"/dashboards/exceptions/?year=2006%2F07&amp;quarter=3&amp;plan={plan.slug}" in html
    assert "Held up 8." not in html


def test_building_a_pack_runs_a_fixed_number_of_queries(
    exempt_meeting, progress, django_assert_num_queries
):
    from tests.meetings.factories import AgendaItemFactory, AppendixFactory, ReportFactory

    for n in range(4, 20):
        report = ReportFactory(board=exempt_meeting.board)
        AppendixFactory(report=report, order=1)
        AgendaItemFactory(meeting=exempt_meeting.meeting, order=n, report=report)
    with django_assert_num_queries(PACK_QUERIES):
        packs.render_pack_html(exempt_meeting.meeting, members=True)


# agenda items (+ reports, decisions), sections, recommendations, appendices, latest closed
# quarter, the board's programmes, build_summary (2), exceptions, exemption answers (report 2)
PACK_QUERIES = 10


def test_the_fetcher_serves_static_files_and_refuses_everything_else():
    from django.templatetags.static import static

    fetcher = StaticFilesFetcher()
    response = fetcher.fetch(BASE_URL + "static/css/pack.css")
    assert b"@page" in response.read()
    # The address `{% static %}` gives: hashed under the production storage.
    response = fetcher.fetch(BASE_URL + static("css/pack.css").lstrip("/"))
    assert b"@page" in response.read()
    for url in (
        "file:///etc/passwd",
        "https://example.com/static/css/pack.css",
        BASE_URL + "media/packs/x.pdf",
        BASE_URL + "static/../../etc/passwd",
        BASE_URL + "static/%2e%2e/settings.py",
    ):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)


def test_the_download_serves_the_stored_pack(client, exempt_meeting):
    url = reverse(
        "meetings:meeting_pack_pdf", args=["communities-board", exempt_meeting.meeting.pk]
    )
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF")
    assert BoardPack.objects.count() == 1
    client.get(url)
    assert BoardPack.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("officer", 403),
        ("other_agency_officer", 403),
        ("scrutiny_member", 403),
        ("chair", 200),
        ("governance_support", 200),
    ],
)
def test_the_members_pack_is_only_for_members_and_governance_support(
    persona, status, persona_client, exempt_meeting
):
    url = reverse(
        "meetings:meeting_pack_pdf", args=["communities-board", exempt_meeting.meeting.pk]
    )
    response = persona_client(persona).get(url + "?members=1")
    assert response.status_code == status
    if status != 200:
        assert not BoardPack.objects.filter(variant=BoardPack.Variant.MEMBERS).exists()


def test_a_chair_can_regenerate_the_packs(persona_client, exempt_meeting):
    packs.current_pack(exempt_meeting.meeting, members=False)
    url = reverse(
        "meetings:meeting_pack_regenerate", args=["communities-board", exempt_meeting.meeting.pk]
    )
    response = persona_client("chair").post(url)
    assert response.status_code == 302
    assert BoardPack.objects.filter(variant="public").count() == 2
    assert BoardPack.objects.filter(variant="members").count() == 1


def _pdf_with_pages(texts: list[str]) -> bytes:
    from weasyprint import HTML

    body = "".join(f'<p style="break-before: page">{t}</p>' for t in texts)
    return HTML(string=f"<html><body>{body}</body></html>").write_pdf()


def test_uploaded_pdf_appendices_are_appended_and_numbered_in_sequence(exempt_meeting):
    from django.core.files.base import ContentFile

    from tests.meetings.factories import AppendixFactory

    appendix = AppendixFactory(
        report=exempt_meeting.public_report, order=3, number="3", title="Site plan", kind="pdf"
    )
    appendix.file.save(
        "site-plan.pdf", ContentFile(_pdf_with_pages(["Uploaded page one", "Uploaded page two"]))
    )
    reader = _reader(packs.current_pack(exempt_meeting.meeting, members=False))
    pages = [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]
    first = next(i for i, text in enumerate(pages) if "Uploaded page one" in text)
    assert "Uploaded page two" in pages[first + 1]
    total = len(reader.pages)
    assert f"Page {first + 1} of {total}" in pages[first]
    assert f"Page {first + 2} of {total}" in pages[first + 1]
    assert "Appendix 3, page 2 of 2" in pages[first + 1]
    # Drawing the uploaded pages in keeps the pack's tags, metadata and bookmarks.
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert reader.metadata.title == "Communities Board: public pack, 24 May 2013"
    assert any(title.startswith("Appendix 3") for _, title, _ in _outline(reader))


def test_an_exempt_uploaded_pdf_never_reaches_the_public_pack(exempt_meeting):
    from django.core.files.base import ContentFile

    from tests.meetings.factories import AppendixFactory

    appendix = AppendixFactory(
        report=exempt_meeting.public_report,
        order=3,
        number="3",
        title="Confidential plan",
        kind="pdf",
        is_exempt=True,
        exempt_rule="10.4 (3)",
    )
    appendix.file.save("plan.pdf", ContentFile(_pdf_with_pages(["Secret uploaded words"])))
    public = _text(_reader(packs.current_pack(exempt_meeting.meeting, members=False)))
    members = _text(_reader(packs.current_pack(exempt_meeting.meeting, members=True)))
    assert "Secret uploaded words" not in public and "Confidential plan" not in public
    assert "Secret uploaded words" in members


QUEUED_ONLY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_a_changed_pack_is_built_in_the_background_with_visible_progress(
    client, exempt_meeting, settings
):
    from boards.meetings.models import PackBuild
    from boards.meetings.tasks import build_board_pack

    settings.TASKS = QUEUED_ONLY  # enqueued, not run: as with a worker that has not started yet
    url = reverse(
        "meetings:meeting_pack_pdf", args=["communities-board", exempt_meeting.meeting.pk]
    )
    response = client.get(url)
    assert response.status_code == 202
    html = response.content.decode()
    assert "The public pack is being built" in html
    assert '<meta http-equiv="refresh" content="3">' in html
    build = PackBuild.objects.get()
    assert (build.state, build.variant) == (PackBuild.State.QUEUED, "public")
    client.get(url)
    assert PackBuild.objects.count() == 1  # asking again does not queue it twice
    page = client.get(exempt_meeting.meeting.get_absolute_url()).content.decode()
    assert "A new public pack is being built (waiting to start)" in page

    build_board_pack.call(build.pk)  # what the worker does
    build.refresh_from_db()
    assert build.state == PackBuild.State.DONE and build.step == "Ready"
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert BoardPack.objects.count() == 1


def test_a_failed_build_says_so(client, exempt_meeting, settings, monkeypatch):
    from boards.meetings.models import PackBuild
    from boards.meetings.tasks import build_board_pack

    settings.TASKS = QUEUED_ONLY
    url = reverse(
        "meetings:meeting_pack_pdf", args=["communities-board", exempt_meeting.meeting.pk]
    )
    client.get(url)
    build = PackBuild.objects.get()

    def broken(*args, **kwargs):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(packs, "render_pdf", broken)
    with pytest.raises(RuntimeError):
        build_board_pack.call(build.pk)
    build.refresh_from_db()
    assert build.state == PackBuild.State.FAILED and "no fonts" in build.error
    html = client.get(url).content.decode()  # asking again does not queue another failing build
    assert PackBuild.objects.count() == 1
    assert "The pack could not be built" in html and "no fonts" not in html


def _zero_size_pdf() -> bytes:
    """A PDF that starts `%PDF-` and has a page, but a MediaBox of no size."""
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, NameObject, NumberObject

    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.pages[0][NameObject("/MediaBox")] = ArrayObject([NumberObject(0)] * 4)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _encrypted_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf_with_pages(["Locked"]))))
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (_zero_size_pdf, "Page 1 of the PDF has no size"),
        (_encrypted_pdf, "The PDF is password-protected"),
        (lambda: b"%PDF-1.7 and then nothing", "The PDF cannot be read"),
    ],
)
def test_an_appendix_upload_is_opened_fully_and_refused_if_a_pack_cannot_use_it(
    content, error, client, exempt_meeting, governance_support
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from boards.meetings.models import Appendix

    client.force_login(governance_support)
    url = reverse("meetings:appendix_create", args=[exempt_meeting.public_report.pk])
    upload = SimpleUploadedFile("plan.pdf", content(), content_type="application/pdf")
    response = client.post(
        url, {"number": "3", "title": "Site plan", "kind": "pdf", "file": upload}
    )
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Appendix.objects.filter(title="Site plan").exists()
    good = SimpleUploadedFile("plan.pdf", _pdf_with_pages(["Fine"]), "application/pdf")
    response = client.post(url, {"number": "3", "title": "Site plan", "kind": "pdf", "file": good})
    assert response.status_code == 302


def test_a_malformed_appendix_fails_its_build_once_and_says_why_to_governance_support(
    client, exempt_meeting, governance_support
):
    from django.core.files.base import ContentFile

    from boards.meetings.models import PackBuild
    from tests.meetings.factories import AppendixFactory

    # Uploaded before uploads were checked: the build cannot draw a page of no size.
    appendix = AppendixFactory(
        report=exempt_meeting.public_report, order=3, number="3", title="Site plan", kind="pdf"
    )
    appendix.file.save("site-plan.pdf", ContentFile(_zero_size_pdf()))
    url = reverse(
        "meetings:meeting_pack_pdf", args=["communities-board", exempt_meeting.meeting.pk]
    )
    for _ in range(3):  # anonymous polls
        response = client.get(url)
        assert response.status_code == 202
        html = response.content.decode()
        assert "The pack could not be built" in html and "Waiting to start" not in html
        assert "ZeroDivisionError" not in html
        assert '<meta http-equiv="refresh"' not in html
    build = PackBuild.objects.get()  # one build, not one a poll
    assert build.state == PackBuild.State.FAILED and "ZeroDivisionError" in build.error
    client.force_login(governance_support)
    html = client.get(url).content.decode()
    assert "Why it failed" in html and "ZeroDivisionError" in html
    assert PackBuild.objects.count() == 1
    # A forced rebuild tries again; so does new content (here: the file replaced).
    client.post(
        reverse(
            "meetings:meeting_pack_regenerate",
            args=["communities-board", exempt_meeting.meeting.pk],
        )
    )
    assert PackBuild.objects.filter(variant="public").count() == 2
    appendix.file.save("site-plan.pdf", ContentFile(_pdf_with_pages(["Fixed plan"])))
    response = client.get(url)
    assert response.status_code == 200


def _stale(build, seconds=600, state="running"):
    import datetime

    from django.utils import timezone

    type(build).objects.filter(pk=build.pk).update(
        state=state,
        step="Laying out the pages",
        updated_at=timezone.now() - datetime.timedelta(seconds=seconds),
    )


def test_a_build_whose_worker_stopped_is_failed_as_stale_and_retried_a_few_times(
    client, exempt_meeting, settings
):
    from boards.meetings.models import PackBuild
    from boards.meetings.tasks import build_board_pack

    settings.TASKS = QUEUED_ONLY
    settings.PACK_BUILD_STALE_AFTER = 300
    settings.PACK_BUILD_ATTEMPTS = 3
    url = reverse(
        "meetings:meeting_pack_pdf", args=["communities-board", exempt_meeting.meeting.pk]
    )
    client.get(url)
    first = PackBuild.objects.get()
    _stale(first, seconds=60)  # quiet for a minute: still within the bound
    client.get(url)
    assert PackBuild.objects.count() == 1

    _stale(first)  # the worker was killed mid-build
    html = client.get(url).content.decode()
    first.refresh_from_db()
    assert first.state == PackBuild.State.FAILED and first.error.startswith("Stale:")
    second = PackBuild.objects.first()
    assert (second.state, second.attempt) == (PackBuild.State.QUEUED, 2)
    assert "being built again: attempt 2 of 3" in html
    assert '<meta http-equiv="refresh" content="3">' in html
    assert build_board_pack.call(first.pk) is None  # the stale build's own task does nothing

    _stale(second, state="queued")  # no worker picked it up either
    client.get(url)
    third = PackBuild.objects.first()
    assert third.attempt == 3
    _stale(third)
    response = client.get(url)
    assert response.status_code == 202
    html = response.content.decode()
    assert PackBuild.objects.count() == 3  # bounded: no fourth attempt
    assert "The pack could not be built" in html
    assert '<meta http-equiv="refresh"' not in html
    assert PackBuild.objects.first().state == PackBuild.State.FAILED


def test_the_workers_steps_are_its_heartbeat(exempt_meeting, settings):
    import datetime

    from django.utils import timezone

    from boards.meetings.models import PackBuild
    from boards.meetings.tasks import build_board_pack

    settings.TASKS = QUEUED_ONLY
    digest = packs.content_digest(exempt_meeting.meeting, members=False)
    build = packs.request_build(exempt_meeting.meeting, members=False, digest=digest)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    PackBuild.objects.filter(pk=build.pk).update(updated_at=long_ago)
    build_board_pack.call(build.pk)
    build.refresh_from_db()
    assert build.state == PackBuild.State.DONE and build.updated_at > long_ago


def test_the_commands_build_packs_and_write_one_to_a_file(exempt_meeting, tmp_path):
    from django.core.management import CommandError, call_command

    out = io.StringIO()
    call_command("build_packs", stdout=out)
    assert BoardPack.objects.count() == 2
    assert "Members' pack v1" in out.getvalue()
    call_command("build_packs", stdout=io.StringIO())
    assert BoardPack.objects.count() == 2  # unchanged: nothing rebuilt

    target = tmp_path / "pack.pdf"
    out = io.StringIO()
    call_command(
        "build_board_pack",
        str(exempt_meeting.meeting.pk),
        "--members",
        "--output",
        str(target),
        stdout=out,
    )
    assert f"written to {target}" in out.getvalue()
    assert EXEMPT_REPORT_TEXT in _text(PdfReader(str(target)))
    with pytest.raises(CommandError):
        call_command("build_board_pack", "999999", stdout=io.StringIO())


def test_a_live_summary_of_an_open_quarter_reaches_members_but_not_the_public(
    client, exempt_meeting, progress, governance_support
):
    """The publication rule in packs and on the report page: an open quarter's table is for
    signed-in people and the members' pack only."""
    from tests.factories import QuarterFactory
    from tests.meetings.factories import AppendixFactory

    programme, _ = progress
    open_quarter = QuarterFactory(year=2006, number=4, state="open")
    AppendixFactory(
        report=exempt_meeting.public_report,
        order=3,
        number="3",
        title="Live table for the open quarter",
        kind="live_summary",
        programme=programme,
        quarter=open_quarter,
    )
    public = packs.render_pack_html(exempt_meeting.meeting, members=False)
    assert "Quarter 4 2006/07 is not published yet" in public
    members = packs.render_pack_html(exempt_meeting.meeting, members=True)
    assert "Live data: the summary progress table for Quarter 4 2006/07" in members
    page = client.get(exempt_meeting.public_report.get_absolute_url()).content.decode()
    assert "appears here once the quarter closes" in page
    client.force_login(governance_support)
    page = client.get(exempt_meeting.public_report.get_absolute_url()).content.decode()
    assert "computed now from the returns for Quarter 4 2006/07" in page


def test_regenerating_the_packs_is_audited(persona_client, exempt_meeting):
    from leeds_communities.models import AuditEvent

    url = reverse(
        "meetings:meeting_pack_regenerate", args=["communities-board", exempt_meeting.meeting.pk]
    )
    persona_client("chair").post(url)
    event = AuditEvent.objects.get(action="packs.regenerated")
    assert event.actor.username == "chair"
    assert event.detail["meeting"] == exempt_meeting.meeting.pk


def test_the_progress_page_says_a_failed_build_failed_and_stops_refreshing(exempt_meeting):
    from boards.meetings.models import PackBuild
    from boards.meetings.presenters import pack_build_progress

    build = PackBuild(meeting=exempt_meeting.meeting, state=PackBuild.State.FAILED)
    build.error = "ZeroDivisionError: float division by zero"
    failed = pack_build_progress(build, members=True)
    assert (failed.failed, failed.refresh) == (True, False)
    assert failed.heading == "The pack could not be built" and failed.reason == ""
    support = pack_build_progress(build, members=True, show_reason=True)
    assert support.reason == "ZeroDivisionError: float division by zero"
    running = pack_build_progress(PackBuild(state=PackBuild.State.RUNNING), members=True)
    assert running.refresh and running.heading == "The members' pack is being built"

"""Governance support schedules meetings, builds agendas and writes reports; authors edit theirs."""

import datetime

import pytest
from django.urls import reverse

from boards.meetings.models import AgendaItem, Meeting, Report
from leeds_communities.models import AuditEvent
from tests.meetings.factories import ReportFactory

pytestmark = pytest.mark.django_db


def test_governance_support_schedules_a_meeting(persona_client, exempt_meeting):
    client = persona_client("governance_support")
    url = reverse("meetings:meeting_create", args=["communities-board"])
    response = client.post(
        url,
        {
            "date": "3/12/2026",
            "date_precision": "day",
            "start_time": "14:00",
            "status": "scheduled",
        },
    )
    meeting = Meeting.objects.get(date=datetime.date(2026, 12, 3))
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert meeting.board == exempt_meeting.board
    assert meeting.start_time == datetime.time(14, 0)
    assert AuditEvent.objects.filter(action="meeting.created").exists()


def test_the_meeting_form_explains_what_is_wrong(persona_client, exempt_meeting):
    client = persona_client("governance_support")
    url = reverse("meetings:meeting_create", args=["communities-board"])
    response = client.post(url, {"date": "31/02/2026", "start_time": "teatime"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html
    assert "Enter a real date, for example 2026-12-03" in html
    assert "Enter a time, for example 14:00" in html
    assert Meeting.objects.count() == 1


def test_governance_support_adds_an_agenda_item_with_a_paper(persona_client, exempt_meeting):
    client = persona_client("governance_support")
    meeting = exempt_meeting.meeting
    url = reverse("meetings:agenda_item_create", args=["communities-board", meeting.pk])
    assert 'value="4"' in client.get(url).content.decode()  # the next free number
    response = client.post(
        url,
        {"order": 4, "title": "Work programme", "report": exempt_meeting.public_report.pk},
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get(meeting=meeting, order=4)
    assert item.report == exempt_meeting.public_report
    duplicate = client.post(url, {"order": 4, "title": "Again"})
    assert duplicate.status_code == 400


def test_an_agenda_item_offers_only_the_boards_own_reports(persona_client, exempt_meeting):
    other = ReportFactory(subject="Another board's paper")
    client = persona_client("governance_support")
    url = reverse(
        "meetings:agenda_item_create", args=["communities-board", exempt_meeting.meeting.pk]
    )
    assert "Another board&#x27;s paper" not in client.get(url).content.decode()
    response = client.post(url, {"order": 9, "title": "X", "report": other.pk})
    assert response.status_code == 400


def test_the_author_edits_their_report_but_cannot_move_it(persona_client, exempt_meeting, officer):
    report = exempt_meeting.public_report
    report.author_user = officer
    report.save()
    client = persona_client("officer")
    url = reverse("meetings:report_update", args=[report.pk])
    html = client.get(url).content.decode()
    assert 'name="board"' not in html
    response = client.post(
        url,
        {
            "subject": "Working with Communities in Leeds (revised)",
            "report_of": report.report_of,
            "report_to": report.report_to,
            "wards_affected": "named",
            "wards_named": "",
            "equality_implications": "true",
            "eligible_for_call_in": "unknown",
        },
    )
    assert response.status_code == 400
    assert "Name the wards affected." in response.content.decode()
    response = client.post(
        url,
        {
            "subject": "Working with Communities in Leeds (revised)",
            "report_of": report.report_of,
            "report_to": report.report_to,
            "wards_affected": "named",
            "wards_named": "Gipton and Harehills",
            "equality_implications": "true",
            "eligible_for_call_in": "unknown",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.subject.endswith("(revised)") and report.equality_implications is True
    assert report.board == exempt_meeting.board


def test_another_officer_cannot_edit_the_report(persona_client, exempt_meeting):
    url = reverse("meetings:report_update", args=[exempt_meeting.public_report.pk])
    assert persona_client("other_agency_officer").post(url, {"subject": "X"}).status_code == 403
    assert Report.objects.get(pk=exempt_meeting.public_report.pk).subject != "X"


def test_governance_support_writes_an_exempt_report_only_with_its_rule(
    persona_client, exempt_meeting
):
    client = persona_client("governance_support")
    data = {
        "board": exempt_meeting.board.pk,
        "subject": "Land at Quarry Hill",
        "report_of": "Director of City Development",
        "report_to": "Communities Board",
        "is_exempt": "on",
    }
    response = client.post(reverse("meetings:report_create"), data)
    assert response.status_code == 400
    assert "Name the access to information procedure rule." in response.content.decode()
    response = client.post(reverse("meetings:report_create"), data | {"exempt_rule": "10.4 (3)"})
    assert response.status_code == 302
    assert Report.objects.get(subject="Land at Quarry Hill").is_exempt


def test_governance_support_records_a_decision(persona_client, exempt_meeting):
    item = exempt_meeting.meeting.agenda_items.get(order=3)
    url = reverse(
        "meetings:decision_edit", args=["communities-board", exempt_meeting.meeting.pk, item.pk]
    )
    client = persona_client("governance_support")
    assert client.post(url, {"text": "No outcome"}).status_code == 400
    response = client.post(url, {"outcome": "noted", "text": "The board noted the update."})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.decision.get_outcome_display() == "Noted"
    html = client.get(exempt_meeting.meeting.get_absolute_url()).content.decode()
    assert "Decision: Noted" in html and "The board noted the update." in html


def test_a_chair_cannot_record_a_decision(persona_client, exempt_meeting):
    item = exempt_meeting.meeting.agenda_items.get(order=3)
    url = reverse(
        "meetings:decision_edit", args=["communities-board", exempt_meeting.meeting.pk, item.pk]
    )
    assert persona_client("chair").post(url, {"outcome": "agreed"}).status_code == 403


def test_the_admin_screens_for_meetings_and_reports_open(persona_client, exempt_meeting):
    client = persona_client("governance_support")
    meeting, report = exempt_meeting.meeting, exempt_meeting.public_report
    for url in (
        reverse("admin:meetings_meeting_change", args=[meeting.pk]),
        reverse("admin:meetings_report_change", args=[report.pk]),
        reverse("admin:meetings_appendix_changelist"),
        reverse("admin:meetings_decision_changelist"),
        reverse("admin:meetings_actionarising_changelist"),
        reverse("admin:meetings_attendance_changelist"),
        reverse("admin:meetings_declarationofinterest_changelist"),
        reverse("admin:meetings_agendaitem_changelist"),
        reverse("admin:meetings_meeting_add"),
        reverse("admin:meetings_packbuild_changelist"),
        reverse("admin:meetings_boardpack_changelist"),
    ):
        assert client.get(url).status_code == 200, url


def _body_data(sections, recommendations, body_version=0):
    data = {"body_version": body_version}
    for prefix, rows in (("sections", sections), ("recommendations", recommendations)):
        data[f"{prefix}-TOTAL_FORMS"] = len(rows)
        data[f"{prefix}-INITIAL_FORMS"] = sum(1 for r in rows if r.get("id"))
        data[f"{prefix}-MIN_NUM_FORMS"] = 0
        data[f"{prefix}-MAX_NUM_FORMS"] = 1000
        for i, row in enumerate(rows):
            for key, value in row.items():
                data[f"{prefix}-{i}-{key}"] = value
    return data


def test_the_author_rewrites_sections_and_recommendations_in_order(
    persona_client, exempt_meeting, officer
):
    report = exempt_meeting.public_report
    report.author_user = officer
    report.save()
    first = report.sections.get()
    first_rec = report.recommendations.get()
    url = reverse("meetings:report_body_update", args=[report.pk])
    client = persona_client("officer")
    assert "New section" in client.get(url).content.decode()
    response = client.post(
        url,
        _body_data(
            [
                {
                    "id": first.pk,
                    "number": "1.0",
                    "heading": "Purpose",
                    "body": "Kept.",
                    "DELETE": "on",
                },
                {"number": "2.0", "heading": "Background", "body": "New background."},
                {"number": "3.0", "heading": "Proposals", "body": "New proposals."},
            ],
            [{"id": first_rec.pk, "number": "7.1", "text": "That the board agrees the plan."}],
        ),
    )
    assert response.status_code == 302
    assert list(report.sections.values_list("order", "heading")) == [
        (1, "Background"),
        (2, "Proposals"),
    ]
    assert report.recommendations.get().text == "That the board agrees the plan."
    assert AuditEvent.objects.filter(action="report.body_changed").exists()


def test_a_section_without_a_heading_is_refused(persona_client, exempt_meeting):
    report = exempt_meeting.public_report
    url = reverse("meetings:report_body_update", args=[report.pk])
    response = persona_client("governance_support").post(
        url, _body_data([{"number": "9", "heading": "", "body": "Text"}], [])
    )
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert report.sections.count() == 1


def test_a_resubmitted_body_form_is_refused_and_writes_nothing(persona_client, exempt_meeting):
    report = exempt_meeting.public_report
    url = reverse("meetings:report_body_update", args=[report.pk])
    client = persona_client("governance_support")
    page = client.get(url).content.decode()
    assert 'name="body_version" value="0"' in page
    section = report.sections.get()
    recommendation = report.recommendations.get()
    data = _body_data(
        [{"id": section.pk, "number": "1.0", "heading": section.heading, "body": "Text."}],
        [
            {"id": recommendation.pk, "number": "7.1", "text": recommendation.text},
            {"number": "7.2", "text": "That the board notes the report."},
        ],
    )
    assert client.post(url, data).status_code == 302
    before = list(report.recommendations.values_list("order", "number", "text"))
    audits = AuditEvent.objects.filter(action="report.body_changed").count()

    response = client.post(url, data)  # the same form again: the back button, a double click

    assert response.status_code == 409
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Someone else changed this report" in html
    assert "Nothing was saved" in html
    assert 'href="#"' not in html  # the message goes to no field, so it is not a link
    assert 'name="body_version" value="1"' in html
    assert list(report.recommendations.values_list("order", "number", "text")) == before
    assert [order for order, _, _ in before] == [1, 2]
    assert AuditEvent.objects.filter(action="report.body_changed").count() == audits
    report.refresh_from_db()
    assert report.body_version == 1


def test_a_body_form_without_its_version_is_refused(persona_client, exempt_meeting):
    report = exempt_meeting.public_report
    url = reverse("meetings:report_body_update", args=[report.pk])
    data = _body_data([], [{"number": "7.2", "text": "New."}])
    del data["body_version"]
    response = persona_client("governance_support").post(url, data)
    assert response.status_code == 400
    assert "open it again" in response.content.decode()
    assert report.recommendations.count() == 1


def test_saving_the_body_with_a_stale_version_raises_and_writes_nothing(
    exempt_meeting, governance_support
):
    from boards.meetings.forms import RecommendationFormSet, SectionFormSet
    from boards.meetings.services import StaleReportBody, save_report_body

    report = exempt_meeting.public_report
    data = _body_data([], [{"number": "7.2", "text": "New."}])
    sections = SectionFormSet(data, instance=report, prefix="sections")
    recommendations = RecommendationFormSet(data, instance=report, prefix="recommendations")
    assert sections.is_valid() and recommendations.is_valid()
    Report.objects.filter(pk=report.pk).update(body_version=3)
    with pytest.raises(StaleReportBody):
        save_report_body(
            report=report,
            sections=sections,
            recommendations=recommendations,
            acting_user=governance_support,
            expected_version=0,
        )
    assert report.recommendations.count() == 1


def _record_data(**rows):
    data = {}
    for prefix in ("attendance", "declarations", "actions"):
        items = rows.get(prefix, [])
        data[f"{prefix}-TOTAL_FORMS"] = len(items)
        data[f"{prefix}-INITIAL_FORMS"] = 0
        data[f"{prefix}-MIN_NUM_FORMS"] = 0
        data[f"{prefix}-MAX_NUM_FORMS"] = 1000
        for i, row in enumerate(items):
            for key, value in row.items():
                data[f"{prefix}-{i}-{key}"] = value
    return data


def test_governance_support_records_attendance_declarations_and_actions(
    persona_client, exempt_meeting
):
    meeting = exempt_meeting.meeting
    item = meeting.agenda_items.get(order=1)
    url = reverse("meetings:meeting_record_update", args=["communities-board", meeting.pk])
    client = persona_client("governance_support")
    assert "Attendance and apologies" in client.get(url).content.decode()
    response = client.post(
        url,
        _record_data(
            attendance=[
                {"name": "Cllr A Member", "representing": "Leeds City Council", "kind": "present"},
                {"name": "B Partner", "kind": "apologies"},
            ],
            declarations=[{"agenda_item": item.pk, "name": "Cllr A Member", "interest": "Trustee"}],
            actions=[
                {"agenda_item": item.pk, "text": "Draft the work programme", "due": "2013-09-30"}
            ],
        ),
    )
    assert response.status_code == 302
    assert sorted(meeting.attendances.values_list("name", "kind")) == [
        ("B Partner", "apologies"),
        ("Cllr A Member", "present"),
    ]
    assert meeting.declarations.get().agenda_item == item
    assert meeting.actions.get().due == datetime.date(2013, 9, 30)
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "Cllr A Member" in html and "Trustee" in html and "Draft the work programme" in html


def test_an_attendance_row_must_name_someone(persona_client, exempt_meeting):
    meeting = exempt_meeting.meeting
    url = reverse("meetings:meeting_record_update", args=["communities-board", meeting.pk])
    response = persona_client("governance_support").post(
        url, _record_data(attendance=[{"representing": "Nobody", "kind": "present"}])
    )
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not meeting.attendances.exists()


def _blank_pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_author_uploads_a_pdf_appendix_and_a_non_pdf_is_refused(
    persona_client, exempt_meeting, officer
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = exempt_meeting.public_report
    report.author_user = officer
    report.save()
    url = reverse("meetings:appendix_create", args=[report.pk])
    client = persona_client("officer")
    assert 'enctype="multipart/form-data"' in client.get(url).content.decode()
    fake = SimpleUploadedFile("plan.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(url, {"number": "3", "title": "Site plan", "kind": "pdf", "file": fake})
    assert response.status_code == 400
    assert "The file must be a PDF" in response.content.decode()
    pdf = SimpleUploadedFile("plan.pdf", _blank_pdf(), content_type="application/pdf")
    response = client.post(url, {"number": "3", "title": "Site plan", "kind": "pdf", "file": pdf})
    assert response.status_code == 302
    appendix = report.appendices.get(number="3")
    assert (appendix.order, appendix.kind, appendix.is_exempt) == (3, "pdf", False)
    assert appendix.file.read().startswith(b"%PDF-")


def test_an_exempt_appendix_needs_its_rule(persona_client, exempt_meeting):
    report = exempt_meeting.public_report
    url = reverse("meetings:appendix_create", args=[report.pk])
    data = {"number": "4", "title": "Costs", "kind": "text", "body": "Figures.", "is_exempt": "on"}
    client = persona_client("governance_support")
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Name the access to information procedure rule." in response.content.decode()
    assert client.post(url, data | {"exempt_rule": "10.4 (3)"}).status_code == 302
    assert report.appendices.get(number="4").is_exempt

"""A pack or appendix whose file is gone from storage (a lost disk, a restore of the database
alone): the pack is built again, the appendix is a clear 404 page; never a 500."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from boards.meetings import packs
from boards.meetings.models import BoardPack, PackBuild
from boards.meetings.tasks import build_board_pack
from tests.meetings.factories import AppendixFactory
from tests.meetings.test_packs import QUEUED_ONLY, _pdf_with_pages

pytestmark = pytest.mark.django_db


def _url(exempt_meeting, **query):
    url = reverse(
        "meetings:meeting_pack_pdf", args=["communities-board", exempt_meeting.meeting.pk]
    )
    return url + ("?members=1" if query.get("members") else "")


def _lose_file(field_file):
    default_storage.delete(field_file.name)
    assert not default_storage.exists(field_file.name)


@pytest.mark.parametrize("persona", ["anonymous", "chair"])
def test_a_pack_whose_file_is_lost_is_built_again_and_served(
    persona, persona_client, exempt_meeting
):
    members = persona == "chair"
    client = persona_client(persona)
    pack = packs.current_pack(exempt_meeting.meeting, members=members)
    _lose_file(pack.file)

    response = client.get(_url(exempt_meeting, members=members))

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["X-Pack-Version"] == "2"
    rebuilt = BoardPack.objects.filter(variant=packs.variant_of(members)).order_by("-version")
    assert [p.version for p in rebuilt] == [2, 1]
    assert default_storage.exists(rebuilt[0].file.name)
    # Served from the new file from now on: nothing more is built.
    assert client.get(_url(exempt_meeting, members=members)).status_code == 200
    assert rebuilt.count() == 2


def test_with_a_worker_the_lost_pack_is_queued_once_and_served_when_built(
    client, exempt_meeting, settings
):
    pack = packs.current_pack(exempt_meeting.meeting, members=False)
    _lose_file(pack.file)
    settings.TASKS = QUEUED_ONLY

    response = client.get(_url(exempt_meeting))
    assert response.status_code == 202
    assert "The public pack is being built" in response.content.decode()
    build = PackBuild.objects.get()
    assert build.state == PackBuild.State.QUEUED
    assert client.get(_url(exempt_meeting)).status_code == 202
    assert PackBuild.objects.count() == 1, "polling does not queue it again"

    build_board_pack.call(build.pk, True)  # what the worker does with the queued task
    response = client.get(_url(exempt_meeting))
    assert response.status_code == 200
    assert response["X-Pack-Version"] == "2"


def test_an_appendix_whose_file_is_lost_is_a_clear_404(client, exempt_meeting, caplog):
    appendix = AppendixFactory(
        report=exempt_meeting.public_report, order=3, number="3", title="Site plan", kind="pdf"
    )
    appendix.file.save("site-plan.pdf", ContentFile(_pdf_with_pages(["Site plan"])))
    url = reverse("meetings:report_appendix_file", args=[appendix.report_id, appendix.order])
    assert client.get(url).status_code == 200
    _lose_file(appendix.file)

    response = client.get(url)

    assert response.status_code == 404
    html = response.content.decode()
    assert "The file of appendix 3 is missing" in html
    assert exempt_meeting.public_report.get_absolute_url() in html
    assert any("Stored file missing" in r.getMessage() for r in caplog.records)

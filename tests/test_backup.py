"""`make backup` / `make restore`: a restore brings back every record and every status history,
and exactly the files under MEDIA_ROOT (uploaded appendices, built packs), checksummed.

Runs on whichever database the suite uses (SQLite here, PostgreSQL in CI): the same commands
back up with pg_dump/pg_restore on PostgreSQL and with the sqlite3 backup API on SQLite.
"""

import datetime
import hashlib
import json
import tarfile
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from actionplans.models import Output, Quarter, StatusUpdate
from actionplans.services import record_status_update
from boards.meetings import packs
from boards.meetings.models import BoardPack
from boards.models import Board, Membership
from leeds_communities.roles import Role
from tests.factories import (
    ActionPlanFactory,
    BoardFactory,
    MembershipFactory,
    OrganisationFactory,
    OutputFactory,
    QuarterFactory,
    UserFactory,
)

# The data must be committed for pg_dump (another process) to see it, and a restore replaces
# the whole database, so these tests run outside the per-test transaction.
pytestmark = pytest.mark.django_db(transaction=True)


def every_record() -> dict[str, list[dict]]:
    """Every row of every table the project's models own, in primary-key order."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def status_histories() -> dict[int, list[tuple]]:
    return {
        output.pk: list(
            output.updates.order_by("created_at", "pk").values_list(
                "pk", "quarter_id", "rag", "commentary", "created_by_id", "created_at", "source"
            )
        )
        for output in Output.objects.order_by("pk")
    }


@pytest.fixture
def filled_database():
    """Boards with members, a plan, outputs, and a status history made by the service."""
    agency = OrganisationFactory(name="Leeds City Council")
    officer = UserFactory(username="officer", role=Role.OFFICER, profile__organisation=agency)
    boards = BoardFactory.create_batch(3)
    for board in boards:
        MembershipFactory.create_batch(2, board=board)
    plan = ActionPlanFactory(owner=boards[0])
    q3 = QuarterFactory(year=2006, number=3, state=Quarter.State.OPEN)
    q4 = QuarterFactory(year=2006, number=4, state=Quarter.State.OPEN)
    outputs = OutputFactory.create_batch(4, plan=plan, lead_agency=agency)
    for n, output in enumerate(outputs):
        for quarter, rag in [(q3, "GREEN"), (q4, "AMBER"), (q4, "RED")][: n + 1]:
            record_status_update(
                output=output,
                quarter=quarter,
                rag=rag,
                commentary=f"Return {rag.lower()} — “quoted”, <b>kept</b> as typed",
                corrective_action="New contractor" if rag == "RED" else "",
                corrective_action_by=datetime.date(2007, 3, 31) if rag == "RED" else None,
                acting_user=officer,
                expected_version=output.version,
            )
    return {"officer": officer, "outputs": outputs, "quarter": q4, "boards": boards}


def backup(directory: Path) -> Path:
    out = StringIO()
    call_command("backup_database", directory=directory, stdout=out, stderr=StringIO())
    return Path(out.getvalue().strip())


def test_it_restores_every_record_and_every_status_history(filled_database, tmp_path):
    before, histories = every_record(), status_histories()
    assert len(before["actionplans.StatusUpdate"]) == 1 + 2 + 3 + 3
    assert len(before["boards.Membership"]) == 6

    path = backup(tmp_path / "backups")
    assert path.parent == tmp_path / "backups"
    assert path.name.startswith("leeds-communities-") and path.stat().st_size > 0

    # Lose and change things after the backup.
    outputs, officer = filled_database["outputs"], filled_database["officer"]
    outputs[3].delete()  # and its history, by cascade
    Output.objects.filter(pk=outputs[0].pk).update(title="Changed after the backup")
    record_status_update(
        output=outputs[1],
        quarter=filled_database["quarter"],
        rag="RED",
        commentary="Written after the backup",
        corrective_action="Recovery plan agreed.",
        corrective_action_by=datetime.date(2030, 3, 31),
        acting_user=officer,
        expected_version=outputs[1].version,
    )
    Membership.objects.filter(board=filled_database["boards"][1]).delete()
    Board.objects.filter(pk=filled_database["boards"][2].pk).update(name="Renamed")
    BoardFactory(name="A board made after the backup")
    assert every_record() != before

    call_command("restore_database", str(path), interactive=False, stdout=StringIO())

    assert every_record() == before
    assert status_histories() == histories
    assert not StatusUpdate.objects.filter(commentary="Written after the backup").exists()
    restored = Output.objects.get(pk=outputs[1].pk)
    assert restored.version == len(histories[restored.pk]) == 2
    # The restored database goes on working: the next return gets a fresh id and version.
    update = record_status_update(
        output=restored,
        quarter=filled_database["quarter"],
        rag="GREEN",
        commentary="",
        acting_user=officer,
        expected_version=2,
    )
    assert update.pk > max(row["id"] for row in before["actionplans.StatusUpdate"])


def test_it_names_backups_by_time_and_never_overwrites_one(filled_database, tmp_path):
    from leeds_communities.backups import BackupError, backup_database

    moment = datetime.datetime(2027, 3, 31, 17, 5, 9, tzinfo=datetime.UTC)
    first = backup_database(tmp_path, now=moment)
    assert first.name.startswith("leeds-communities-20270331T170509Z.")
    with pytest.raises(BackupError, match="already exists"):
        backup_database(tmp_path, now=moment)
    assert not list(tmp_path.glob("*.partial"))


def test_it_refuses_a_file_that_is_not_a_backup_and_changes_nothing(filled_database, tmp_path):
    before = every_record()
    bogus = tmp_path / "notes.dump"
    bogus.write_text("Minutes of the meeting, not a database.")

    with pytest.raises(CommandError, match="is not a"):
        call_command("restore_database", str(bogus), interactive=False, stdout=StringIO())
    with pytest.raises(CommandError, match="no backup file"):
        call_command("restore_database", str(tmp_path / "missing.dump"), interactive=False)

    assert every_record() == before


# --- Uploaded files and built packs ---------------------------------------------------------


@pytest.fixture
def media_on_disk(settings, tmp_path):
    """MEDIA_ROOT on disk, as in production (the suite keeps uploads in memory otherwise)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def media_tree(root: Path) -> dict[str, str]:
    """Every file under `root` by its relative name, with its content's SHA-256."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def meeting_with_files(media_on_disk):
    """A meeting whose report has an uploaded PDF appendix, and its public pack built."""
    from tests.meetings.factories import (
        AgendaItemFactory,
        AppendixFactory,
        MeetingFactory,
        ReportFactory,
    )
    from tests.meetings.test_packs import _pdf_with_pages

    board = BoardFactory(name="Communities Board", slug="communities-board")
    meeting = MeetingFactory(board=board)
    report = ReportFactory(board=board, subject="Working with Communities in Leeds")
    AgendaItemFactory(meeting=meeting, order=1, title="Working with communities", report=report)
    appendix = AppendixFactory(report=report, order=1, number="1", title="Site plan", kind="pdf")
    appendix.file.save("site-plan.pdf", ContentFile(_pdf_with_pages(["Uploaded site plan"])))
    pack = packs.current_pack(meeting, members=False)
    return {"meeting": meeting, "appendix": appendix, "pack": pack}


def _pack_url(meeting) -> str:
    return reverse("meetings:meeting_pack_pdf", args=[meeting.board.slug, meeting.pk])


def test_a_backup_holds_the_database_and_every_file_with_checksums(
    meeting_with_files, media_on_disk, tmp_path
):
    path = backup(tmp_path / "backups")
    assert path.suffix == ".tar"
    with tarfile.open(path) as archive:
        names = set(archive.getnames())
        manifest = json.load(archive.extractfile("MANIFEST.json"))
        for name, entry in manifest["files"].items():
            content = archive.extractfile(name).read()
            assert hashlib.sha256(content).hexdigest() == entry["sha256"]
            assert len(content) == entry["size"]
    database = manifest["database"]["name"]
    assert database in names
    expected = {f"media/{name}" for name in media_tree(media_on_disk)}
    assert {n for n in names if n.startswith("media/")} == expected
    assert f"media/{meeting_with_files['pack'].file.name}" in expected
    assert f"media/{meeting_with_files['appendix'].file.name}" in expected
    assert set(manifest["files"]) == names - {"MANIFEST.json"}


def test_a_restore_brings_back_exactly_the_files_and_the_downloads_work(
    meeting_with_files, media_on_disk, tmp_path, client
):
    before_files, before_records = media_tree(media_on_disk), every_record()
    pack, appendix = meeting_with_files["pack"], meeting_with_files["appendix"]
    pack_bytes = (media_on_disk / pack.file.name).read_bytes()
    path = backup(tmp_path / "backups")

    # After the backup: the pack's file is lost, the upload is replaced, a stray file appears.
    (media_on_disk / pack.file.name).unlink()
    (media_on_disk / appendix.file.name).write_bytes(b"%PDF-1.4 something else")
    (media_on_disk / "packs" / "stray.pdf").write_bytes(b"made after the backup")
    BoardPack.objects.all().delete()
    assert media_tree(media_on_disk) != before_files

    call_command("restore_database", str(path), interactive=False, stdout=StringIO())

    assert media_tree(media_on_disk) == before_files
    assert every_record() == before_records
    assert not list(media_on_disk.parent.glob(".media-*")), "no staging left beside MEDIA_ROOT"
    response = client.get(_pack_url(meeting_with_files["meeting"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pack_bytes
    assert BoardPack.objects.count() == 1, "the restored pack is served, not rebuilt"
    appendix_url = reverse(
        "meetings:report_appendix_file", args=[appendix.report_id, appendix.order]
    )
    response = client.get(appendix_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_damaged_backup_is_refused_and_changes_nothing(
    meeting_with_files, media_on_disk, tmp_path
):
    path = backup(tmp_path / "backups")
    pack = meeting_with_files["pack"]
    # Flip one byte inside the stored pack's copy in the archive.
    with tarfile.open(path) as archive:
        member = archive.getmember(f"media/{pack.file.name}")
        offset = member.offset_data + member.size // 2
    raw = bytearray(path.read_bytes())
    raw[offset] ^= 0xFF
    path.write_bytes(bytes(raw))
    (media_on_disk / "made-later.txt").write_text("kept: the restore must not start")
    BoardFactory(name="A board made after the backup")
    before_files, before_records = media_tree(media_on_disk), every_record()

    with pytest.raises(CommandError, match="damaged"):
        call_command("restore_database", str(path), interactive=False, stdout=StringIO())

    assert media_tree(media_on_disk) == before_files
    assert every_record() == before_records


def test_an_archive_that_is_not_ours_is_refused(media_on_disk, tmp_path, db):
    path = tmp_path / "other.tar"
    with tarfile.open(path, "w") as archive:
        archive.add(__file__, arcname="../../etc/evil")
    with pytest.raises(CommandError, match="not a Leeds Communities backup"):
        call_command("restore_database", str(path), interactive=False, stdout=StringIO())

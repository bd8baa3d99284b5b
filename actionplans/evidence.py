"""Evidence on a return: which files are allowed, found from their content alone, the upload
form, and the two writes (adding a file, making it public or private), each audited.

    kind = inspect_content(content, name="report.pdf")   # a Kind, or ValidationError saying why
    add_return_evidence(update=update, upload=upload, acting_user=user)
    set_evidence_public(evidence=evidence, public=True, acting_user=user)

A file's name and the browser's content type are never trusted: they are only compared with what
the content turned out to be, so that a file claiming to be a PDF that is not is refused by name.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from actionplans.models import ReturnEvidence, StatusUpdate
from leeds_communities.models import record_audit
from leeds_communities.roles import is_governance_support


@dataclass(frozen=True)
class Kind:
    content_type: str
    extension: str
    label: str  # "PDF", "Word document": as the pages name it
    article: str  # "a" or "an", for messages
    claims: tuple[str, ...]  # the name endings that claim this kind

    @property
    def named(self) -> str:
        return f"{self.article} {self.label}"


_OOXML = "application/vnd.openxmlformats-officedocument."
_ODF = "application/vnd.oasis.opendocument."
PDF = Kind("application/pdf", ".pdf", "PDF", "a", (".pdf",))
PNG = Kind("image/png", ".png", "PNG image", "a", (".png",))
JPEG = Kind("image/jpeg", ".jpg", "JPEG image", "a", (".jpg", ".jpeg"))
DOCX = Kind(f"{_OOXML}wordprocessingml.document", ".docx", "Word document", "a", (".docx",))
XLSX = Kind(f"{_OOXML}spreadsheetml.sheet", ".xlsx", "Excel workbook", "an", (".xlsx",))
PPTX = Kind(
    f"{_OOXML}presentationml.presentation", ".pptx", "PowerPoint presentation", "a", (".pptx",)
)
ODT = Kind(f"{_ODF}text", ".odt", "OpenDocument text", "an", (".odt",))
ODS = Kind(f"{_ODF}spreadsheet", ".ods", "OpenDocument spreadsheet", "an", (".ods",))
KINDS = (PDF, PNG, JPEG, DOCX, XLSX, PPTX, ODT, ODS)
_BY_TYPE = {kind.content_type: kind for kind in KINDS}
_BY_ENDING = {ending: kind for kind in KINDS for ending in kind.claims}

ALLOWED = (
    "a PDF, a PNG or JPEG image, or a Word, Excel or PowerPoint document (or OpenDocument "
    "text or spreadsheet)"
)
# The main part each Office Open XML document must have (its package's [Content_Types].xml too).
_OOXML_MAIN_PARTS = {
    "word/document.xml": DOCX,
    "xl/workbook.xml": XLSX,
    "ppt/presentation.xml": PPTX,
}
# An Office document opens to many times its size; more than this is a zip bomb, not evidence.
_MAX_EXPANDED_BYTES = 200 * 1024 * 1024
_PART_READ_LIMIT = 1024 * 1024


def kind_of(content_type: str) -> Kind | None:
    return _BY_TYPE.get(content_type)


def size_text(size: int) -> str:
    """10485760 → '10 MB'; 512000 → '500 KB'."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.3g} MB"
    return f"{max(1, size // 1024)} KB"


def max_bytes() -> int:
    return settings.RETURN_EVIDENCE_MAX_BYTES


# --- what a file is -------------------------------------------------------------------------


def _pdf(content: bytes) -> tuple[Kind, str | None]:
    from leeds_communities.pdf import pdf_problem

    return PDF, pdf_problem(content)


def _image(content: bytes, kind: Kind, pillow_format: str) -> tuple[Kind, str | None]:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(content), formats=[pillow_format]) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return kind, f"The {kind.label} cannot be read: save or export it again"
    return kind, None


def _read_part(archive: zipfile.ZipFile, name: str) -> bytes:
    with archive.open(name) as part:
        return part.read(_PART_READ_LIMIT)


def _zip(content: bytes) -> tuple[Kind | None, str | None]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if sum(info.file_size for info in infos) > _MAX_EXPANDED_BYTES:
                return None, "The document is far larger when opened than a document should be"
            lowered = {name.lower() for name in names}
            if "mimetype" in names:
                mimetype = _read_part(archive, "mimetype").decode("ascii", "replace").strip()
                kind = _BY_TYPE.get(mimetype) if mimetype.startswith(_ODF) else None
                if kind is None:
                    return None, None
                if any(n.startswith(("basic/", "scripts/")) for n in lowered):
                    return kind, f"The {kind.label} contains macros: save a copy without them"
                return kind, None
            if "[Content_Types].xml" not in names:
                return None, None
            found = [kind for part, kind in _OOXML_MAIN_PARTS.items() if part in names]
            if len(found) != 1:
                return None, None
            kind = found[0]
            types = _read_part(archive, "[Content_Types].xml").lower()
            if b"macroenabled" in types or any(n.endswith("vbaproject.bin") for n in lowered):
                return kind, (
                    f"The {kind.label} contains macros: save it as {kind.extension} without them"
                )
            return kind, None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, KeyError, ValueError):
        return None, "The file cannot be opened as a document: save or export it again"


def _detect(content: bytes) -> tuple[Kind | None, str | None]:
    """(the kind the content is, a reason it is refused): (None, None) for a kind not allowed."""
    if content.startswith(b"%PDF-"):
        return _pdf(content)
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return _image(content, PNG, "PNG")
    if content.startswith(b"\xff\xd8\xff"):
        return _image(content, JPEG, "JPEG")
    if content.startswith(b"PK\x03\x04"):
        kind, problem = _zip(content)
        if kind is None and problem is None:
            problem = (
                "The file is a zip archive, not a Word, Excel or PowerPoint document: "
                f"upload {ALLOWED}"
            )
        return kind, problem
    return None, None


def _claimed(name: str, browser_type: str) -> Kind | None:
    """The kind the file's name (or else the browser) says it is, if an allowed one."""
    ending = PurePosixPath(display_name(name)).suffix.lower()
    return _BY_ENDING.get(ending) or _BY_TYPE.get((browser_type or "").split(";")[0].strip())


def inspect_content(content: bytes, *, name: str, browser_type: str = "") -> Kind:
    """The kind of file `content` is, from the content alone; ValidationError (with a code)
    saying why it is refused: empty, too big, not what its name claims, damaged, not allowed."""
    if not content:
        raise ValidationError("The selected file is empty", code="empty")
    if len(content) > max_bytes():
        raise ValidationError(
            f"The file must be smaller than {size_text(max_bytes())}", code="too_big"
        )
    kind, problem = _detect(content)
    claimed = _claimed(name, browser_type)
    if claimed is not None and claimed != kind:
        found = f"it is {kind.named}" if kind else "its content is not"
        raise ValidationError(
            f"The file is not {claimed.named}: its name says it is, but {found}. Upload {ALLOWED}",
            code="not_what_it_claims",
        )
    if problem:
        raise ValidationError(problem, code="unreadable")
    if kind is None:
        raise ValidationError(f"The file must be {ALLOWED}", code="type_not_allowed")
    return kind


def inspect_upload(upload) -> tuple[bytes, Kind]:
    """An uploaded file's content and kind; its size is checked before it is read."""
    if upload.size > max_bytes():
        raise ValidationError(
            f"The file must be smaller than {size_text(max_bytes())}", code="too_big"
        )
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    return content, inspect_content(
        content, name=upload.name or "", browser_type=getattr(upload, "content_type", "")
    )


# --- names ----------------------------------------------------------------------------------


def display_name(name: str) -> str:
    """The uploaded file's own name, without any folder, control or direction characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFKC", base)
    base = "".join(c for c in base if unicodedata.category(c) not in ("Cc", "Cf", "Zl", "Zp"))
    return " ".join(base.split())[:200] or "evidence"


def download_name(name: str, kind: Kind | None) -> str:
    """A safe name to save the file as: letters, digits, spaces and - _ . ( ), ending in the
    extension of what the file is (not what it was called)."""
    base = display_name(name)
    stem = PurePosixPath(base).stem if PurePosixPath(base).suffix.lower() in _BY_ENDING else base
    stem = "".join(c if (c.isalnum() or c in " -_.()") else "_" for c in stem)
    stem = " ".join(stem.split()).strip(" ._")[:100] or "evidence"
    return stem + (kind.extension if kind else "")


# --- the upload form ------------------------------------------------------------------------


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label="File",
        error_messages={
            "required": "Choose a file to upload",
            "empty": "The selected file is empty",
            "invalid": "The selected file could not be read: choose it again",
        },
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(e for kind in KINDS for e in kind.claims)}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            f"{ALLOWED[0].upper()}{ALLOWED[1:]}, at most {size_text(max_bytes())}. "
            "Signed-in users can open it; the public only if governance support makes it public."
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.content, self.kind = inspect_upload(upload)
        return upload


class EvidencePublicForm(forms.Form):
    public = forms.TypedChoiceField(
        choices=[("yes", "Public"), ("no", "Signed-in users only")],
        coerce=lambda value: value == "yes",
        widget=forms.HiddenInput,
    )


# --- the writes -----------------------------------------------------------------------------


@transaction.atomic
def add_return_evidence(*, update: StatusUpdate, upload, acting_user) -> ReturnEvidence:
    """Attach `upload` to the return, once its content is found to be an allowed kind. Nothing
    is stored if it is refused; a file stored before a failed insert is removed again."""
    if not update.output.can_be_updated_by(acting_user):
        raise PermissionDenied(
            "Only an officer of the lead agency or governance support may add evidence."
        )
    content, kind = inspect_upload(upload)
    evidence = ReturnEvidence(
        update=update,
        original_name=display_name(upload.name),
        size=len(content),
        content_type=kind.content_type,
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=acting_user,
        uploaded_at=timezone.now(),
    )
    evidence.file.save(f"evidence{kind.extension}", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            evidence.save()
            record_audit(
                actor=acting_user,
                action="return_evidence_added",
                summary=f"Added {kind.label} “{evidence.original_name}” to the {update.quarter} "
                f"return for {update.output.ref}",
                evidence=evidence.pk,
                update=update.pk,
                output=update.output_id,
                name=evidence.original_name,
                size=evidence.size,
                content_type=kind.content_type,
                sha256=evidence.sha256,
            )
    except Exception:
        evidence.file.delete(save=False)
        raise
    return evidence


@transaction.atomic
def set_evidence_public(*, evidence: ReturnEvidence, public: bool, acting_user) -> bool:
    """Governance support decides whether the public may open a file (once its quarter is
    published). Returns whether anything changed."""
    if not is_governance_support(acting_user):
        raise PermissionDenied("Only governance support may make evidence public.")
    evidence = (
        ReturnEvidence.objects.select_for_update()
        .select_related("update__output", "update__quarter")
        .get(pk=evidence.pk)
    )
    if evidence.public == public:
        return False
    evidence.public = public
    evidence.save(update_fields=["public"])
    update = evidence.update
    record_audit(
        actor=acting_user,
        action="return_evidence_public" if public else "return_evidence_private",
        summary=f"Made “{evidence.original_name}” on the {update.quarter} return for "
        f"{update.output.ref} {'public' if public else 'private to signed-in users'}",
        evidence=evidence.pk,
        update=update.pk,
        output=update.output_id,
    )
    return True

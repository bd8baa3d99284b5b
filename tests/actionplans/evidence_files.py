"""Files for the evidence tests, built in memory: real PDFs, images and Office documents, and
files that only pretend to be them."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile


def pdf_bytes(text: str = "") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if text:
        writer.add_metadata({"/Title": text})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image_bytes(image_format: str = "PNG") -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format=image_format)
    return buffer.getvalue()


def zip_bytes(parts: dict[str, bytes], *, first: tuple[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if first:
            archive.writestr(first[0], first[1], compress_type=zipfile.ZIP_STORED)
        for name, content in parts.items():
            archive.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def docx_bytes(*, macros: bool = False) -> bytes:
    parts = {"[Content_Types].xml": _TYPES, "word/document.xml": b"<w:document/>"}
    if macros:
        parts["word/vbaProject.bin"] = b"\x00macro"
    return zip_bytes(parts)


def xlsx_bytes() -> bytes:
    return zip_bytes({"[Content_Types].xml": _TYPES, "xl/workbook.xml": b"<workbook/>"})


def pptx_bytes() -> bytes:
    return zip_bytes({"[Content_Types].xml": _TYPES, "ppt/presentation.xml": b"<p/>"})


def odt_bytes(kind: str = "text") -> bytes:
    return zip_bytes(
        {"content.xml": b"<office:document-content/>"},
        first=("mimetype", f"application/vnd.oasis.opendocument.{kind}".encode()),
    )


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def attach_probe_evidence(acting_user, open_output, probe: str) -> list[str]:
    """Over the demo data: evidence the public must never reach, named with `probe` — a public
    file on the open quarter's return of `open_output`, and a private file on a published
    return — and a public file on that published return, which it may. Gives the addresses
    of their output pages and downloads, for a crawl to start from."""
    from actionplans.evidence import add_return_evidence
    from actionplans.models import Quarter, ReturnEvidence, StatusUpdate

    unpublished = StatusUpdate.objects.filter(output=open_output).exclude(
        quarter__state=Quarter.State.CLOSED
    )[0]
    published = StatusUpdate.objects.filter(quarter__state=Quarter.State.CLOSED).first()
    files = [
        (unpublished, f"{probe}-unpublished.pdf", True),
        (published, f"{probe}-private.pdf", False),
        (published, "Published evidence.pdf", True),
    ]
    urls = []
    for update, name, public in files:
        evidence = add_return_evidence(
            update=update, upload=upload(name, pdf_bytes()), acting_user=acting_user
        )
        ReturnEvidence.objects.filter(pk=evidence.pk).update(public=public)
        urls += [update.output.get_absolute_url(), evidence.get_absolute_url()]
    return urls

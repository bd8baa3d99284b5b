"""HTML to PDF with WeasyPrint, fetching nothing but the project's own static files from disk.

Pack templates link their print CSS with `{% static %}`; relative to `BASE_URL` that becomes an
address this fetcher maps onto a file of the configured static files storage: under the
production settings a hashed name (`css/pack.<hash>.css`) listed in the manifest, read from
STATIC_ROOT; in development, where names are not hashed, a file the finders find. Everything else —
remote URLs, `file://` paths, other hosts — is refused, so a pack cannot be made to read the
server's disk or reach the network.
"""

import contextvars
import io
import logging
import mimetypes
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage

# WeasyPrint reports every rendering step at INFO; the project's log needs only its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import HTML, URLFetcher  # noqa: E402
from weasyprint.urls import URLFetcherResponse  # noqa: E402

BASE_URL = "https://pack.leeds-communities.invalid/"


class RefusedURL(ValueError):
    pass


class StaticFilesFetcher(URLFetcher):
    """Serves `<BASE_URL><STATIC_URL>…` from the static files on disk; refuses anything else."""

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        base = urlsplit(BASE_URL)
        if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
            raise RefusedURL(f"Packs fetch only their own static files, not {url}")
        static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        if not parts.path.startswith(static_prefix):
            raise RefusedURL(f"Not a static file: {url}")
        relative = PurePosixPath(unquote(parts.path[len(static_prefix) :]))
        if relative.is_absolute() or ".." in relative.parts:
            raise RefusedURL(f"Not a static file: {url}")
        found = find_static(str(relative))
        if not found:
            raise RefusedURL(f"No such static file: {relative}")
        with open(found, "rb") as handle:
            body = handle.read()
        content_type = mimetypes.guess_type(str(relative))[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


def find_static(name: str) -> str | None:
    """The file on disk that serves the static `name` (as `{% static %}` wrote it), if any.

    A manifest storage (production) serves what collectstatic wrote to STATIC_ROOT: the hashed
    names in its manifest, and the original names it keeps beside them. Without a manifest
    (development, or before collectstatic) the finders look in the apps and STATICFILES_DIRS.
    """
    hashed_files = getattr(staticfiles_storage, "hashed_files", None)
    if hashed_files:
        if name not in hashed_files and name not in set(hashed_files.values()):
            return None
        path = staticfiles_storage.path(name)
        return path if os.path.isfile(path) else None
    return finders.find(name)


@dataclass
class RenderedPdf:
    content: bytes
    page_count: int


@dataclass
class Insert:
    """A page of another PDF to draw onto the page holding the element with id `anchor`."""

    anchor: str
    pdf: bytes
    page: int


# The content box of an A4 page with the pack's margins (22mm top and bottom, 18mm sides),
# less 8mm at the top for the placeholder's label ("Appendix 2, page 1 of 3").
_MM = 72 / 25.4
_BOX = (18 * _MM, 22 * _MM, (210 - 18) * _MM, (297 - 22 - 8) * _MM)


def _no_progress(step: str) -> None:
    pass


class PdfTooLong(Exception):
    """The document has more table rows than the PDF may hold (see `row_limit`)."""

    def __init__(self, rows: int, limit: int):
        super().__init__(f"{rows} table rows, more than the {limit} a PDF may hold")
        self.rows = rows
        self.limit = limit


_row_limit: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "pdf_row_limit", default=None
)
_ROW = re.compile(r"<tr[\s>]", re.IGNORECASE)


@contextmanager
def row_limit(limit: int):
    """While inside, render_pdf refuses (PdfTooLong) a document of more than `limit` table
    rows before laying anything out: the rows are what make a long PDF slow."""
    token = _row_limit.set(limit)
    try:
        yield
    finally:
        _row_limit.reset(token)


def render_pdf(
    html: str, inserts: list[Insert] | None = None, progress=_no_progress
) -> RenderedPdf:
    """A tagged PDF (PDF/UA-1) with the document's title, author, subject and language.

    Each insert's page is scaled into the content box of the page that holds its anchor, so
    uploaded documents take the pack's running header, page numbers and bookmarks.
    """
    limit = _row_limit.get()
    if limit is not None:
        rows = len(_ROW.findall(html))
        if rows > limit:
            raise PdfTooLong(rows, limit)
    progress("Laying out the pages")
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesFetcher()).render()
    progress(f"Writing {len(document.pages)} pages")
    buffer = io.BytesIO()
    document.write_pdf(buffer, pdf_variant="pdf/ua-1")
    content = buffer.getvalue()
    if inserts:
        progress("Adding the uploaded appendices")
        content = _draw_inserts(content, document, inserts)
    return RenderedPdf(content=content, page_count=len(document.pages))


def pdf_problem(content: bytes) -> str | None:
    """What stops an uploaded PDF going into a pack, as a sentence for the form; None if it is
    fine. The file is opened fully, as a build would: every page must have a size."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            return "The PDF is password-protected: upload a copy without a password"
        if len(reader.pages) == 0:
            return "The PDF has no pages"
        for number, page in enumerate(reader.pages, start=1):
            box = page.mediabox
            if not (abs(float(box.width)) > 0 and abs(float(box.height)) > 0):
                return f"Page {number} of the PDF has no size: save or export it again"
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return "The PDF cannot be read: save or export it again"
    return None


def _draw_inserts(content: bytes, document, inserts: list[Insert]) -> bytes:
    from pypdf import PdfReader, PdfWriter, Transformation

    page_of = {anchor: i for i, page in enumerate(document.pages) for anchor in page.anchors}
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(content)))
    sources: dict[int, PdfReader] = {}
    left, bottom, right, top = _BOX
    for insert in inserts:
        if insert.anchor not in page_of:
            continue
        reader = sources.setdefault(id(insert.pdf), PdfReader(io.BytesIO(insert.pdf)))
        source = reader.pages[insert.page]
        width, height = float(source.mediabox.width), float(source.mediabox.height)
        scale = min((right - left) / width, (top - bottom) / height)
        x = left + ((right - left) - width * scale) / 2
        y = bottom + ((top - bottom) - height * scale) / 2
        transform = Transformation().translate(
            -float(source.mediabox.left), -float(source.mediabox.bottom)
        )
        writer.pages[page_of[insert.anchor]].merge_transformed_page(
            source, transform.scale(scale).translate(x, y)
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

"""HTML to PDF with WeasyPrint, fetching nothing but the project's own static files from disk.

Pack templates link their print CSS with `{% static %}`; relative to `BASE_URL` that becomes an
address this fetcher maps onto a file found by the staticfiles finders. Everything else —
remote URLs, `file://` paths, other hosts — is refused, so a pack cannot be made to read the
server's disk or reach the network.
"""

import io
import logging
import mimetypes
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

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
        found = finders.find(str(relative))
        if not found:
            raise RefusedURL(f"No such static file: {relative}")
        with open(found, "rb") as handle:
            body = handle.read()
        content_type = mimetypes.guess_type(str(relative))[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


@dataclass
class RenderedPdf:
    content: bytes
    page_count: int


def render_pdf(html: str) -> RenderedPdf:
    """A tagged PDF (PDF/UA-1) with the document's title, author, subject and language."""
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesFetcher()).render()
    buffer = io.BytesIO()
    document.write_pdf(buffer, pdf_variant="pdf/ua-1")
    return RenderedPdf(content=buffer.getvalue(), page_count=len(document.pages))

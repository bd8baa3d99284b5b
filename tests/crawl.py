"""A crawler for tests: every page reachable by links from the home page, as one client sees
the site."""

import io
import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from django.urls import Resolver404, resolve

MAX_PAGES = 400
SECTIONS = [
    "/boards/",
    "/actionplans/",
    "/dashboards/",
    "/meetings/",
    "/reports/",
    "/neighbourhoods/",
]
# Downloads and feeds are checked for their status only; their links are not followed.
NOT_HTML = re.compile(r"(\.pdf|\.ics|_export=|format=(csv|pdf))")
# Long generated lists would spend the budget on one section: sample their pages.
SKIP = re.compile(r"(\?|&)(page|sort)=|/admin/|/accounts/logout/")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def _download_text(response) -> str | None:
    """The text of a CSV, iCalendar or PDF download, to look for what must not be in it."""
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if content_type.startswith("application/pdf"):
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)
    if content_type.startswith(("text/", "application/vnd.openxmlformats")):
        return body.decode("utf-8", errors="replace")
    return None


def crawl(client, *, per_view: int = 6, start=("/",), downloads: bool = False):
    """Breadth first from the home page (or `start`), at most `per_view` pages of any one view
    (a thousand output pages look alike), so that the budget reaches every kind of page. With
    `downloads`, the text of CSV, iCalendar and PDF downloads is kept among the bodies too."""
    seen, queue, failures = set(), list(start), []
    bodies = {}
    visits: Counter = Counter()
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        try:
            view = resolve(urlsplit(url).path).view_name
        except Resolver404:
            view = url
        if visits[view] >= per_view:
            continue
        visits[view] += 1
        seen.add(url)
        response = client.get(url)
        if response.status_code >= 500 or response.status_code == 404:
            failures.append((url, response.status_code))
            continue
        content_type = response.get("Content-Type", "")
        if NOT_HTML.search(url) or not content_type.startswith("text/html"):
            if downloads and response.status_code == 200:
                text = _download_text(response)
                if text is not None:
                    bodies[url] = text
            continue
        html = response.content.decode()
        bodies[url] = html
        parser = _Links()
        parser.feed(html)
        for href in parser.links:
            target = urldefrag(urljoin(url, href))[0]
            parts = urlsplit(target)
            if parts.netloc or parts.scheme not in ("", "http") or SKIP.search(target):
                continue
            if target not in seen:
                queue.append(target)
    return seen, failures, bodies

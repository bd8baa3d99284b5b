"""Limits on PDFs made while a reader waits (the dashboards' `?format=pdf`): each client may ask
for DASHBOARD_PDF_LIMIT of them every DASHBOARD_PDF_PERIOD seconds (then 429 with Retry-After),
and one holds at most DASHBOARD_PDF_MAX_ROWS table rows (beyond that a page pointing to the
CSV/XLSX export and to narrower selections, instead of tying a web worker up for half a minute).
Board packs are built by the task worker and are not limited here.
"""

import functools
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import render

from leeds_communities import ratelimit
from leeds_communities.pdf import PdfTooLong, row_limit


def is_pdf_request(request) -> bool:
    return request.GET.get("format") == "pdf"


def limit_pdf(view=None, *, exports: bool = False):
    """Apply the limits to the PDF requests of `view`; `exports`: its table has CSV/XLSX
    downloads to offer instead of a PDF that is too long."""
    if view is None:
        return functools.partial(limit_pdf, exports=exports)

    @functools.wraps(view)
    def limited(request, *args, **kwargs):
        if not is_pdf_request(request):
            return view(request, *args, **kwargs)
        wait = ratelimit.hit(
            f"pdf:{ratelimit.client_key(request)}",
            limit=settings.DASHBOARD_PDF_LIMIT,
            period=settings.DASHBOARD_PDF_PERIOD,
        )
        if wait is not None:
            response = render(
                request,
                "errors/429_pdf.html",
                {"retry_after": wait, "page_url": _url(request)},
                status=429,
            )
            response["Retry-After"] = str(wait)
            return response
        try:
            with row_limit(settings.DASHBOARD_PDF_MAX_ROWS):
                return view(request, *args, **kwargs)
        except PdfTooLong as error:
            return render(
                request,
                "errors/pdf_too_long.html",
                {
                    "rows": error.rows,
                    "limit": error.limit,
                    "page_url": _url(request),
                    "export_urls": [
                        (name.upper(), _url(request, _export=name)) for name in ("csv", "xlsx")
                    ]
                    if exports
                    else [],
                },
                status=422,
            )

    return limited


def _url(request, **extra) -> str:
    """This page's address without the PDF format (plus `extra`)."""
    params = {k: v for k, v in request.GET.items() if k != "format"}
    params.update(extra)
    return request.path + ("?" + urlencode(params) if params else "")

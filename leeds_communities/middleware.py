"""Middleware for requests the views should never see, and for a database that is away."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.template.loader import get_template

logger = logging.getLogger("leeds_communities.database")


class RejectNullCharactersMiddleware:
    """A NUL character cannot be stored in PostgreSQL text, so a query string or form carrying
    one would fail deep inside a lookup; refuse it up front with a clear 400. No page has a NUL
    in its address, so a path carrying one is simply not found."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise Http404("No page has a NUL character in its address.")
        sources = [request.GET, request.POST] if request.method == "POST" else [request.GET]
        for params in sources:
            for key, values in params.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    return HttpResponseBadRequest(
                        "The request contained a NUL character, which cannot be stored. "
                        "Remove it and try again.",
                        content_type="text/plain; charset=utf-8",
                    )
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """When the database is away (a restart, a failover), answer 503 with a plain page rather
    than a 500: the request did nothing, the client may try again, and the next request
    reconnects."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning("database unavailable", extra={"path": request.path})
        response = HttpResponse(get_template("errors/503.html").render({}), status=503)
        response["Retry-After"] = "5"
        return response

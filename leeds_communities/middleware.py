"""When the database is away (a restart, a failover), answer 503 with a plain page rather than a
500: the request did nothing, the client may try again, and the next request reconnects."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import get_template

logger = logging.getLogger("leeds_communities.database")


class DatabaseUnavailableMiddleware:
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

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from leeds_communities.security import record_permission_denied
from leeds_communities.worker import worker_problem


@never_cache
@require_safe
def healthz(request):
    """200 when the app and its database answer and the pack worker is alive (or has nothing
    to do); 503 with the reason otherwise: for the load balancer and the monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        problem = worker_problem()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unavailable"}, status=503)
    if problem:
        return JsonResponse(
            {"status": "unavailable", "database": "ok", "worker": problem, "reason": problem},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": "ok", "worker": "ok"})


def permission_denied(request, exception=None):
    record_permission_denied(request)
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # No context processors: the error may have come from them or from the database.
    from django.http import HttpResponseServerError

    return HttpResponseServerError(get_template("errors/500.html").render({}))

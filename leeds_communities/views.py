from django.shortcuts import render
from django.template.loader import get_template
from django.views.decorators.http import require_safe

from boards.models import Board


@require_safe
def home(request):
    return render(
        request,
        "home.html",
        {"board_count": Board.objects.for_user(request.user).count()},
    )


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # No context processors: the error may have come from them or from the database.
    from django.http import HttpResponseServerError

    return HttpResponseServerError(get_template("errors/500.html").render({}))

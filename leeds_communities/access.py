"""Refusing a request, one way everywhere: the public is asked to sign in, a signed-in person
without the right gets 403 with the reason.

`@allow_only(test, message)` guards a function view, `AllowOnlyMixin` a class-based one; views
that decide later (after fetching the object) call `refuse(request, message)`.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from leeds_communities.roles import Role, has_role, is_governance_support


def refuse(request: HttpRequest, message: str, *, login_next: str | None = None) -> HttpResponse:
    """Sign in first (back to `login_next`, by default this address: POST-only views name the
    page to return to), else 403 with `message`."""
    if not request.user.is_authenticated:
        return redirect_to_login(str(login_next or request.get_full_path()))
    raise PermissionDenied(message)


def allow_only(test: Callable[[object], bool], message: str, *, login_next: str | None = None):
    """Decorator: run the view only for users `test` accepts; refuse the others."""

    def decorator(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not test(request.user):
                return refuse(request, message, login_next=login_next)
            return view(request, *args, **kwargs)

        return guarded

    return decorator


class AllowOnlyMixin:
    """For class-based views: `allowed(user)` decides, `refusal_message` explains."""

    refusal_message = "You do not have permission to see this page."

    def allowed(self, user) -> bool:
        return user.is_authenticated

    def dispatch(self, request, *args, **kwargs):
        if not self.allowed(request.user):
            return refuse(request, self.refusal_message)
        return super().dispatch(request, *args, **kwargs)


class _Reader:
    """Who a document built without a request is for: the public, or signed-in members."""

    def __init__(self, is_authenticated: bool):
        self.is_authenticated = is_authenticated
        self.is_anonymous = not is_authenticated


# The public pack is read by the public; the members' pack by signed-in members.
PUBLIC = _Reader(False)
MEMBER = _Reader(True)


def signed_in(user) -> bool:
    return user.is_authenticated


def reports_returns(user) -> bool:
    """Officers report for their agency; governance support for anyone."""
    return has_role(user, Role.OFFICER) or is_governance_support(user)


__all__ = [
    "MEMBER",
    "PUBLIC",
    "AllowOnlyMixin",
    "allow_only",
    "is_governance_support",
    "refuse",
    "reports_returns",
    "signed_in",
]

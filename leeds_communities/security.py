"""Security events go to the audit log, which governance support reads at /audit/: sign-in,
failed sign-in, permission denied, data exports and members' pack downloads."""

import ipaddress

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from leeds_communities.models import record_audit

# Events that record who did what to the service, as opposed to changes to its data.
SECURITY_ACTIONS = (
    "sign_in",
    "sign_out",
    "sign_in_failed",
    "permission_denied",
    "export",
    "members_pack_download",
)


def client_address(request) -> str:
    """The address the client connected from, for sign-in throttling and the audit log.

    Behind TRUSTED_PROXY_COUNT proxies, each appending to X-Forwarded-For the address it saw, that
    is the entry the outermost trusted proxy added: the count-th from the right. Entries to its
    left are whatever the client claimed and are never believed. Without trusted proxies, or when
    the header is short or malformed, it is REMOTE_ADDR.
    """
    if request is None:
        return ""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= count and _is_ip_address(forwarded[-count]):
            return forwarded[-count]
    return remote


def _is_ip_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _signed_in(sender, request, user, **kwargs):
    record_audit(
        actor=user,
        action="sign_in",
        summary=f"{user.get_username()} signed in",
        address=client_address(request),
    )


def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        record_audit(
            actor=user,
            action="sign_out",
            summary=f"{user.get_username()} signed out",
            address=client_address(request),
        )


def _sign_in_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked the password; keep only the username that was tried.
    username = str(credentials.get("username", ""))[:150]
    record_audit(
        actor=None,
        action="sign_in_failed",
        summary=f"Failed sign-in as {username!r}",
        username=username,
        address=client_address(request),
    )


def record_permission_denied(request) -> None:
    record_audit(
        actor=request.user,
        action="permission_denied",
        summary=f"Refused {request.method} {request.path}"[:500],
        path=request.path,
        address=client_address(request),
    )


def record_export(request, what: str, export_format: str) -> None:
    record_audit(
        actor=request.user,
        action="export",
        summary=f"Exported {what} as {export_format.upper()}",
        path=request.get_full_path()[:1000],
        address=client_address(request),
    )


def record_members_pack_download(request, meeting, pack) -> None:
    record_audit(
        actor=request.user,
        action="members_pack_download",
        summary=f"Downloaded the members' pack v{pack.version}: {meeting}"[:500],
        meeting=meeting.pk,
        pack=pack.pk,
        address=client_address(request),
    )


def connect() -> None:
    user_logged_in.connect(_signed_in, dispatch_uid="audit_sign_in")
    user_logged_out.connect(_signed_out, dispatch_uid="audit_sign_out")
    user_login_failed.connect(_sign_in_failed, dispatch_uid="audit_sign_in_failed")

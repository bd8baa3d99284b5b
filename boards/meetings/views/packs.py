"""Board packs: the stored PDF, its progress page while a new one is built, and a rebuild.

The members' pack, with the exempt papers, reaches only those `can_see_exempt` allows.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from boards.meetings import packs
from boards.meetings.models import PackBuild, can_see_exempt
from boards.meetings.views.lookups import get_meeting_for_user
from leeds_communities.security import record_members_pack_download


def _pack_access(request, meeting) -> bool:
    """Whether the members' pack was asked for; raises or redirects those not allowed it."""
    members = request.GET.get("members") == "1"
    if members and not can_see_exempt(request.user, meeting.board_id):
        if not request.user.is_authenticated:
            raise _LoginRequired
        raise PermissionDenied("The members' pack is only for the board's members.")
    return members


class _LoginRequired(Exception):
    pass


@require_safe
def meeting_pack_pdf(request, slug, meeting_id):
    """The stored pack. When the papers or data have changed since it was built, a new one is
    built in the background and this page shows its progress until it is ready."""
    meeting = get_meeting_for_user(request, slug, meeting_id)
    try:
        members = _pack_access(request, meeting)
    except _LoginRequired:
        return redirect_to_login(request.get_full_path())
    digest = packs.content_digest(meeting, members=members)
    pack = packs.stored_pack(meeting, members=members, digest=digest)
    if pack is None:
        build = packs.request_build(meeting, members=members, digest=digest)
        if build.state != PackBuild.State.DONE or build.pack is None:
            return render(
                request,
                "meetings/pack_progress.html",
                {"meeting": meeting, "board": meeting.board, "build": build, "members": members},
                status=202,
            )
        pack = build.pack
    if members:
        record_members_pack_download(request, meeting, pack)
    response = FileResponse(
        pack.file.open("rb"), content_type="application/pdf", filename=packs.pack_filename(pack)
    )
    response["Cache-Control"] = "private, no-store" if members else "no-cache"
    response["X-Pack-Version"] = str(pack.version)
    return response


@require_POST
def meeting_pack_regenerate(request, slug, meeting_id):
    """A chair (any member of the board) or governance support rebuilds both packs."""
    meeting = get_meeting_for_user(request, slug, meeting_id)
    if not can_see_exempt(request.user, meeting.board_id):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied("Only the board's members and governance support can do this.")
    for members in (False, True):
        digest = packs.content_digest(meeting, members=members)
        packs.request_build(meeting, members=members, digest=digest, force=True)
    messages.success(
        request,
        "The public and members' packs are being rebuilt; the download links give the new ones.",
    )
    return redirect(
        reverse("meetings:meeting_detail", kwargs={"slug": slug, "meeting_id": meeting.pk})
    )

"""Board packs: the stored PDF, its progress page while a new one is built, and a rebuild.

The members' pack, with the exempt papers, reaches only those `can_see_exempt` allows.
"""

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from boards.meetings import packs
from boards.meetings.models import PackBuild, can_see_exempt
from boards.meetings.presenters import pack_build_progress
from boards.meetings.services import regenerate_packs
from boards.meetings.views.lookups import get_meeting_for_user
from leeds_communities.access import refuse
from leeds_communities.files import file_is_missing
from leeds_communities.roles import is_governance_support
from leeds_communities.security import record_members_pack_download


@require_safe
def meeting_pack_pdf(request, slug, meeting_id):
    """The stored pack. When the papers or data have changed since it was built, a new one is
    built in the background and this page shows its progress until it is ready."""
    meeting = get_meeting_for_user(request, slug, meeting_id)
    members = request.GET.get("members") == "1"
    if members and not can_see_exempt(request.user, meeting.board_id):
        return refuse(request, "The members' pack is only for the board's members.")
    digest = packs.content_digest(meeting, members=members)
    pack = packs.stored_pack(meeting, members=members, digest=digest)
    lost = pack is not None and file_is_missing(pack.file)
    if pack is None or lost:
        build = packs.request_build(meeting, members=members, digest=digest)
        if lost and build.state == PackBuild.State.DONE:
            # The stored pack's file is gone (a lost disk, a partial restore): build it again.
            build = packs.request_build(meeting, members=members, digest=digest, force=True)
        if build.state != PackBuild.State.DONE or build.pack is None:
            return render(
                request,
                "meetings/pack_progress.html",
                {
                    "meeting": meeting,
                    "board": meeting.board,
                    "build": build,
                    "members": members,
                    "progress": pack_build_progress(
                        build, members=members, show_reason=is_governance_support(request.user)
                    ),
                },
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
        return refuse(
            request,
            "Only the board's members and governance support can do this.",
            login_next=meeting.get_absolute_url(),
        )
    regenerate_packs(meeting=meeting, acting_user=request.user)
    messages.success(
        request,
        "The public and members' packs are being rebuilt; the download links give the new ones.",
    )
    return redirect(
        reverse("meetings:meeting_detail", kwargs={"slug": slug, "meeting_id": meeting.pk})
    )

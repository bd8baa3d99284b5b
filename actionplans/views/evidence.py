"""Evidence on a return: the page that lists a return's files and takes new ones, governance
support's public / private switch, and the download, which serves only what the reader may see."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from actionplans.evidence import (
    EvidenceForm,
    EvidencePublicForm,
    add_return_evidence,
    download_name,
    kind_of,
    set_evidence_public,
)
from actionplans.models import ReturnEvidence, StatusUpdate
from actionplans.presenters import status_tag
from leeds_communities.access import allow_only, signed_in
from leeds_communities.files import file_is_missing, missing_file_response
from leeds_communities.roles import is_governance_support

REFUSAL = "Only an officer of the lead agency or governance support may add evidence to a return."


def _get_return_for_user(request, pk: int) -> StatusUpdate:
    """A return the reader may see and add evidence to: 404 to those who may not see it, 403
    to those who may see it but not add to it."""
    update = get_object_or_404(
        StatusUpdate.objects.visible_to(request.user).select_related(
            "output", "output__plan", "output__lead_agency", "quarter", "created_by"
        ),
        pk=pk,
    )
    if not update.output.can_be_updated_by(request.user):
        raise PermissionDenied(REFUSAL)
    return update


def _public_now(files) -> set[int]:
    """The files among `files` the public can open now (the one rule, `visible_to`)."""
    return set(
        files.filter(pk__in=ReturnEvidence.objects.visible_to(None)).values_list("pk", flat=True)
    )


def _page(request, update: StatusUpdate, form: EvidenceForm, *, status: int = 200):
    files = ReturnEvidence.objects.visible_to(request.user).filter(update=update)
    public_now = _public_now(files)
    files = list(files.select_related("uploaded_by"))
    return render(
        request,
        "actionplans/return_evidence.html",
        {
            "update": update,
            "output": update.output,
            "tag": status_tag(update.rag),
            "files": [(f, kind_of(f.content_type), f.pk in public_now) for f in files],
            "form": form,
            "can_publish": is_governance_support(request.user),
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@allow_only(signed_in, "Sign in to add evidence to a return.")
def return_evidence(request, pk):
    update = _get_return_for_user(request, pk)
    if request.method != "POST":
        return _page(request, update, EvidenceForm())
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, update, form, status=400)
    try:
        evidence = add_return_evidence(
            update=update, upload=form.cleaned_data["file"], acting_user=request.user
        )
    except ValidationError as error:
        form.add_error("file", error)
        return _page(request, update, form, status=400)
    messages.success(request, f"“{evidence.original_name}” added to the {update.quarter} return.")
    return redirect(reverse("actionplans:return_evidence", args=[update.pk]))


@require_POST
@allow_only(is_governance_support, "Only governance support may make evidence public.")
def evidence_public(request, pk):
    evidence = get_object_or_404(
        ReturnEvidence.objects.visible_to(request.user).select_related("update__quarter"), pk=pk
    )
    form = EvidencePublicForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Say whether the file is to be public.")
    public = form.cleaned_data["public"]
    set_evidence_public(evidence=evidence, public=public, acting_user=request.user)
    if public:
        when = (
            "now"
            if _public_now(ReturnEvidence.objects.filter(pk=evidence.pk))
            else f"once {evidence.update.quarter} is published"
        )
        messages.success(request, f"The public can open “{evidence.original_name}” {when}.")
    else:
        messages.success(request, f"“{evidence.original_name}” is for signed-in users only.")
    return redirect(reverse("actionplans:return_evidence", args=[evidence.update_id]))


@require_safe
def evidence_file(request, pk):
    evidence = get_object_or_404(
        ReturnEvidence.objects.visible_to(request.user).select_related("update"), pk=pk
    )
    if file_is_missing(evidence.file):
        return missing_file_response(
            request,
            evidence.file,
            what=f"“{evidence.original_name}”",
            back_url=reverse("actionplans:output_detail", args=[evidence.update.output_id]),
        )
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=download_name(evidence.original_name, kind_of(evidence.content_type)),
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Saved, never shown in the page: and if a browser shows it anyway, it runs nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if request.user.is_authenticated:
        response["Cache-Control"] = "private, no-store"
    return response

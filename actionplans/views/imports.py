"""Spreadsheet imports as upload pages for governance support: check (a dry run that shows what
would change and every row error), then confirm. Both steps use the readers in
`actionplans/imports/`, as the management commands do."""

import base64
import secrets

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from actionplans.forms import ImportConfirmForm, ImportUploadForm
from actionplans.imports import (
    OPTIONAL_OUTPUT_COLUMNS,
    OUTPUT_COLUMNS,
    OUTPUTS,
    RETURN_DETAIL_COLUMNS,
    STATUS_UPDATE_COLUMNS,
    STATUS_UPDATES,
    ImportFailed,
    RowError,
    read_outputs,
    read_status_updates,
)
from boards.models import Board
from leeds_communities.access import refuse
from leeds_communities.roles import is_governance_support

# The checked file waits in the signed-in person's session between the preview and the confirm,
# so nobody else can confirm it and nothing is written before they do.
_SESSION_PREFIX = "actionplans-import:"


class OutputImportUploadForm(ImportUploadForm):
    """The outputs upload also offers the board that owns what creating missing records makes
    (as `import_outputs --board` does)."""

    def __init__(self, *args, **kwargs):
        kwargs["create_missing"] = True
        super().__init__(*args, **kwargs)
        create_missing = self.fields["create_missing"]
        create_missing.label = "Create missing programmes, plans, priorities and lead agencies"
        create_missing.help_text = (
            "Without this, a name that is not in the register is a row error. A new programme "
            "or plan is owned by the row's board, else by the board chosen below, else (a plan) "
            "by its programme's board."
        )
        self.fields["board"] = forms.ModelChoiceField(
            queryset=Board.objects.order_by("name"),
            required=False,
            label="Board",
            empty_label="None: each row's board column names it",
            help_text="With missing records created: owns the new programmes and plans of rows "
            "whose board column is empty or left out.",
        )


_KINDS = {
    OUTPUTS: {
        "title": "Import outputs",
        "url_name": "actionplans:import_outputs",
        "columns": OUTPUT_COLUMNS,
        "optional": OPTIONAL_OUTPUT_COLUMNS,
        "form": OutputImportUploadForm,
    },
    STATUS_UPDATES: {
        "title": "Import status updates",
        "url_name": "actionplans:import_status_updates",
        "columns": STATUS_UPDATE_COLUMNS,
        "optional": RETURN_DETAIL_COLUMNS,
        "form": ImportUploadForm,
    },
}


def _read(kind: str, content: bytes, *, filename: str, actor, create_missing: bool, board=None):
    if kind == OUTPUTS:
        return read_outputs(
            content, filename=filename, actor=actor, create_missing=create_missing, board=board
        )
    return read_status_updates(content, filename=filename, actor=actor)


def _render(request, kind, *, form=None, result=None, confirm=None, errors=None, status=200):
    spec = _KINDS[kind]
    return render(
        request,
        "actionplans/import.html",
        {
            "kind": kind,
            "spec": spec,
            "header": ",".join(c[0] for c in spec["columns"] if c[0] not in spec["optional"]),
            "optional": ", ".join(spec["optional"]),
            "form": form or spec["form"](),
            "result": result,
            "confirm": confirm,
            "errors": errors if errors is not None else (result.errors if result else []),
        },
        status=status,
    )


def _import_page(request, kind):
    if not is_governance_support(request.user):
        return refuse(request, "Only governance support imports action plans.")
    spec = _KINDS[kind]
    if request.method != "POST":
        return _render(request, kind)
    if "token" in request.POST:
        return _confirm(request, kind)

    form = spec["form"](request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, kind, form=form, status=400)
    upload = form.cleaned_data["file"]
    content = upload.read()
    create_missing = bool(form.cleaned_data.get("create_missing"))
    board = form.cleaned_data.get("board")
    result = _read(
        kind,
        content,
        filename=upload.name,
        actor=request.user,
        create_missing=create_missing,
        board=board,
    )
    if result.errors:
        return _render(request, kind, form=form, result=result, status=400)
    token = secrets.token_urlsafe(24)
    request.session[_SESSION_PREFIX + token] = {
        "kind": kind,
        "filename": upload.name,
        "create_missing": create_missing,
        "board": board.pk if board else None,
        "content": base64.b64encode(content).decode("ascii"),
    }
    confirm = ImportConfirmForm(initial={"token": token, "digest": result.digest()})
    return _render(request, kind, result=result, confirm=confirm)


def _confirm(request, kind):
    confirm = ImportConfirmForm(request.POST)
    pending = None
    if confirm.is_valid():
        pending = request.session.get(_SESSION_PREFIX + confirm.cleaned_data["token"])
    if not pending or pending.get("kind") != kind:
        return _render(
            request,
            kind,
            errors=[
                RowError(
                    None,
                    "The checked file is no longer waiting to be imported (it was imported "
                    "already, or you signed out). Nothing was imported: upload it again.",
                )
            ],
            status=400,
        )
    key = _SESSION_PREFIX + confirm.cleaned_data["token"]
    content = base64.b64decode(pending["content"])
    result = _read(
        kind,
        content,
        filename=pending["filename"],
        actor=request.user,
        create_missing=pending["create_missing"],
        board=Board.objects.filter(pk=pending.get("board")).first()
        if pending.get("board")
        else None,
    )
    if result.errors:
        request.session.pop(key, None)
        return _render(request, kind, result=result, status=400)
    if result.digest() != confirm.cleaned_data["digest"]:
        # The records changed since the preview: show what importing would do now.
        confirm = ImportConfirmForm(
            initial={"token": confirm.cleaned_data["token"], "digest": result.digest()}
        )
        messages.warning(
            request,
            "The records changed since you checked this file, so nothing was imported. "
            "Check the new preview and confirm again.",
        )
        return _render(request, kind, result=result, confirm=confirm, status=409)
    try:
        result.apply()
    except ImportFailed as failed:
        return _render(request, kind, result=result, errors=failed.errors, status=400)
    request.session.pop(key, None)
    messages.success(request, f"Imported {result.filename}: {result.describe(done=True)}.")
    return redirect(_KINDS[kind]["url_name"])


@require_http_methods(["GET", "HEAD", "POST"])
def import_outputs(request):
    return _import_page(request, OUTPUTS)


@require_http_methods(["GET", "HEAD", "POST"])
def import_status_updates(request):
    return _import_page(request, STATUS_UPDATES)

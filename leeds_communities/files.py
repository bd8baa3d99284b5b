"""Stored files (uploads, built packs) whose database row outlived the file itself — a disk
lost, a restore of the database alone — are answered clearly, never with a 500."""

import logging

from django.shortcuts import render

logger = logging.getLogger(__name__)


def file_is_missing(field_file) -> bool:
    """The row names a file that its storage does not have."""
    return bool(field_file) and not field_file.storage.exists(field_file.name)


def missing_file_response(request, field_file, *, what: str, back_url: str):
    """A 404 page saying the file is missing (logged, so that it is restored or uploaded
    again), rather than the error opening it would give."""
    logger.error("Stored file missing: %s (%s)", field_file.name, what)
    return render(
        request,
        "errors/file_missing.html",
        {"what": what, "back_url": back_url},
        status=404,
    )

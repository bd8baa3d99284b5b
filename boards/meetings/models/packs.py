"""Stored board packs, and the background builds that make them."""

import datetime

from django.conf import settings
from django.db import models

from boards.meetings.models.meetings import Meeting


class BoardPack(models.Model):
    """A stored board pack: built once per content hash, served from the file afterwards."""

    class Variant(models.TextChoices):
        PUBLIC = "public", "Public pack"
        MEMBERS = "members", "Members' pack"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="packs")
    variant = models.CharField(max_length=10, choices=Variant.choices)
    version = models.PositiveIntegerField()
    content_hash = models.CharField(max_length=64)
    file = models.FileField(upload_to="packs/")
    page_count = models.PositiveIntegerField()
    generated_at = models.DateTimeField()
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "variant", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "variant", "version"], name="board_pack_unique_version"
            )
        ]

    def __str__(self):
        return f"{self.get_variant_display()} v{self.version}, {self.meeting}"


class PackBuild(models.Model):
    """A pack being built in the background, so a download page can show how far it has got."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being built"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="pack_builds")
    variant = models.CharField(max_length=10, choices=BoardPack.Variant.choices)
    content_hash = models.CharField(max_length=64)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    step = models.CharField(max_length=200, blank=True)
    pack = models.ForeignKey(
        BoardPack, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    error = models.TextField(blank=True)
    # Which try at this content this is: a build whose worker stopped is queued again as the next.
    attempt = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    # The heartbeat: every step the worker reports sets it (queryset updates name it).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["meeting", "variant", "content_hash"])]

    def __str__(self):
        return f"{self.get_variant_display()} of {self.meeting}: {self.get_state_display()}"

    def is_stale(self, now) -> bool:
        """Waiting or running with no progress within PACK_BUILD_STALE_AFTER seconds."""
        bound = datetime.timedelta(seconds=settings.PACK_BUILD_STALE_AFTER)
        waiting = self.state in (self.State.QUEUED, self.State.RUNNING)
        return waiting and self.updated_at < now - bound

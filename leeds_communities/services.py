"""Writes every app shares: saving or deleting a record through a form or the administration
screens, checked, in one transaction, with an audit row naming what changed.

Apps' own services (`boards.services`, `actionplans.services`, …) call these for the plain edits
and add their rules around them; `AuditedAdmin` makes every admin save and delete go through the
app's service, so an edit in the administration screens is audited like any other.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from leeds_communities.models import record_audit
from leeds_communities.roles import is_governance_support


def require_governance_support(user, doing: str) -> None:
    if not is_governance_support(user):
        raise PermissionDenied(f"Only governance support {doing}.")


def _describe(instance) -> str:
    return f"{instance._meta.verbose_name.capitalize()} “{instance}”"


@transaction.atomic
def save_record(*, instance, acting_user, changed: list[str] | None = None, action: str = ""):
    """Save `instance` (validated by its form), auditing which fields changed."""
    require_governance_support(acting_user, f"changes {instance._meta.verbose_name_plural}")
    created = instance.pk is None
    instance.save()
    changed = list(changed or [])
    record_audit(
        actor=acting_user,
        action=action or f"{instance._meta.label_lower}.{'created' if created else 'changed'}",
        summary=f"{_describe(instance)} {'added' if created else 'changed'}"
        + (f": {', '.join(changed)}" if changed and not created else ""),
        model=instance._meta.label,
        pk=instance.pk,
        fields=changed,
    )
    return instance


@transaction.atomic
def delete_record(*, instance, acting_user, action: str = "") -> None:
    require_governance_support(acting_user, f"deletes {instance._meta.verbose_name_plural}")
    label, pk, description = instance._meta.label, instance.pk, _describe(instance)
    instance.delete()
    record_audit(
        actor=acting_user,
        action=action or f"{instance._meta.label_lower}.deleted",
        summary=f"{description} deleted",
        model=label,
        pk=pk,
    )

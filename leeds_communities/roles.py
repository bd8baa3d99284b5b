"""The four roles are Django groups; anonymous users are the public.

Every permission decision in the project asks these helpers, so a role means the same thing on
every page, export and admin screen.
"""

from django.contrib.auth.models import AnonymousUser, Group
from django.db import models


class Role(models.TextChoices):
    GOVERNANCE_SUPPORT = "Governance support"
    CHAIR = "Chair"
    OFFICER = "Officer"
    SCRUTINY_MEMBER = "Scrutiny member"


def has_role(user, role: Role) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser and role == Role.GOVERNANCE_SUPPORT:
        return True
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return role.value in cached


def is_governance_support(user) -> bool:
    return has_role(user, Role.GOVERNANCE_SUPPORT)


def roles_of(user) -> list[str]:
    return [role.value for role in Role if has_role(user, role)]


def ensure_role_groups() -> dict[Role, Group]:
    """Create the groups; governance support gets every permission of the project's apps."""
    from django.contrib.auth.models import Permission

    groups = {role: Group.objects.get_or_create(name=role.value)[0] for role in Role}
    support_perms = Permission.objects.filter(
        content_type__app_label__in=["boards", "actionplans", "neighbourhoods", "meetings"]
    )
    groups[Role.GOVERNANCE_SUPPORT].permissions.set(support_perms)
    return groups


__all__ = ["AnonymousUser", "Role", "ensure_role_groups", "has_role", "is_governance_support"]

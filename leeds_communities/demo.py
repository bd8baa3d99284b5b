"""Demo accounts, one per role, for `make run` on a developer's machine (never in production)."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured

from boards.models import Organisation, Person, Profile
from leeds_communities.roles import Role, ensure_role_groups

DEMO_PASSWORD = "leeds-demo-2026"  # noqa: S105 - a demo password, refused in production


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: Role
    organisation: str | None = None
    person: str | None = None

    @property
    def email(self) -> str:
        """On a domain reserved for examples, so reminders in `make run` visibly go somewhere."""
        return f"{self.username}@example.org"


DEMO_ACCOUNTS = [
    DemoAccount("governance", "Demo Governance Support", Role.GOVERNANCE_SUPPORT),
    # The chair account sits in the seat of the Communities Board's chair named in seed 000.
    DemoAccount("chair", "Demo Chair", Role.CHAIR, person="Cllr Peter Gruen"),
    DemoAccount("officer", "Demo Officer", Role.OFFICER, organisation="Leeds City Council"),
    DemoAccount("scrutiny", "Demo Scrutiny Member", Role.SCRUTINY_MEMBER),
]


def create_demo_accounts() -> list[DemoAccount]:
    if not settings.DEMO_ACCOUNTS:
        raise ImproperlyConfigured("Demo accounts are switched off in these settings.")
    groups = ensure_role_groups()
    user_model = get_user_model()
    for account in DEMO_ACCOUNTS:
        first, _, last = account.full_name.partition(" ")
        user, created = user_model.objects.get_or_create(
            username=account.username, defaults={"first_name": first, "last_name": last}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
        user.is_staff = account.role == Role.GOVERNANCE_SUPPORT
        user.email = account.email
        user.save()
        user.groups.set([groups[account.role]])
        Profile.objects.update_or_create(
            user=user,
            defaults={
                "organisation": Organisation.objects.filter(name=account.organisation).first()
                if account.organisation
                else None,
                "person": Person.objects.filter(name=account.person).first()
                if account.person
                else None,
            },
        )
    return DEMO_ACCOUNTS

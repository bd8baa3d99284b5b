"""The boards app's models: the register of boards, members and terms of reference."""

from boards.models.register import (
    Board,
    BoardQuerySet,
    Membership,
    MembershipQuerySet,
    Organisation,
    Person,
    Profile,
    Sector,
    TermsOfReference,
    TermsOfReferenceQuerySet,
    TermsSection,
)

__all__ = [
    "Board",
    "BoardQuerySet",
    "Membership",
    "MembershipQuerySet",
    "Organisation",
    "Person",
    "Profile",
    "Sector",
    "TermsOfReference",
    "TermsOfReferenceQuerySet",
    "TermsSection",
]

"""Governance-significant writes to the neighbourhoods data: one function each."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from leeds_communities.models import record_audit
from leeds_communities.roles import is_governance_support
from neighbourhoods.data import BOUNDARY_NOT_DEFINED
from neighbourhoods.models import Lsoa, PriorityNeighbourhood, Ward


@transaction.atomic
def set_priority_lsoas(
    *, neighbourhood: PriorityNeighbourhood, lsoas, acting_user
) -> PriorityNeighbourhood:
    """Choose the LSOAs of a priority neighbourhood; its wards follow from them."""
    if not is_governance_support(acting_user):
        raise PermissionDenied("Only governance support may choose a neighbourhood's LSOAs.")
    if neighbourhood.is_computed:
        raise ValidationError(
            "The LSOAs of this set are computed from the data and cannot be chosen.",
            code="computed",
        )
    neighbourhood = PriorityNeighbourhood.objects.select_for_update().get(pk=neighbourhood.pk)
    before = sorted(neighbourhood.lsoas.values_list("code", flat=True))
    lsoa_ids = [lsoa.pk for lsoa in lsoas]
    codes = sorted(Lsoa.objects.filter(pk__in=lsoa_ids).values_list("code", flat=True))
    neighbourhood.lsoas.set(lsoa_ids)
    neighbourhood.wards.set(Ward.objects.filter(lsoas__in=lsoa_ids).distinct())
    description = neighbourhood.description.replace(BOUNDARY_NOT_DEFINED, "").strip()
    if not codes:
        description = f"{description} {BOUNDARY_NOT_DEFINED}".strip()
    if description != neighbourhood.description:
        neighbourhood.description = description
        neighbourhood.save(update_fields=["description"])
    added, removed = sorted(set(codes) - set(before)), sorted(set(before) - set(codes))
    record_audit(
        actor=acting_user,
        action="set_priority_lsoas",
        summary=f"{neighbourhood.name}: {len(codes)} LSOAs "
        f"({len(added)} added, {len(removed)} removed)",
        neighbourhood=neighbourhood.slug,
        added=added,
        removed=removed,
    )
    return neighbourhood

"""How an indicator value names its area: a type and a code (see `IndicatorValue`)."""

from neighbourhoods.models import (
    LEEDS_CODE,
    AreaType,
    CommunityCommittee,
    Lsoa,
    PriorityNeighbourhood,
    Ward,
)

# (model, field holding the code) for every area type but the city.
_CODE_FIELDS = {
    AreaType.LSOA: (Lsoa, "code"),
    AreaType.PRIORITY: (PriorityNeighbourhood, "slug"),
    AreaType.WARD: (Ward, "code"),
    AreaType.COMMITTEE: (CommunityCommittee, "slug"),
}


def area_exists(area_type: str, code: str) -> bool:
    if area_type == AreaType.CITY:
        return code == LEEDS_CODE
    model, field = _CODE_FIELDS[AreaType(area_type)]
    return model.objects.filter(**{field: code}).exists()


def known_area_codes() -> dict[str, set[str]]:
    """Every valid code of every area type, for checking a whole file at once."""
    codes = {
        area_type.value: set(model.objects.values_list(field, flat=True))
        for area_type, (model, field) in _CODE_FIELDS.items()
    }
    codes[AreaType.CITY.value] = {LEEDS_CODE}
    return codes


def area_key(obj) -> tuple[str, str]:
    """The (area_type, area_code) of a ward, committee, LSOA or priority neighbourhood."""
    for area_type, (model, field) in _CODE_FIELDS.items():
        if isinstance(obj, model):
            return area_type.value, getattr(obj, field)
    raise TypeError(f"{obj!r} is not an area")


CITY_KEY = (AreaType.CITY.value, LEEDS_CODE)

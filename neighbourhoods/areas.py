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


def area_names(keys) -> dict[tuple[str, str], tuple[str, str | None]]:
    """{(area_type, area_code): (name, profile URL)} for many areas, one query per type."""
    wanted: dict[str, set[str]] = {}
    for area_type, code in keys:
        wanted.setdefault(area_type, set()).add(code)
    names: dict[tuple[str, str], tuple[str, str | None]] = {}
    for area_type, codes in wanted.items():
        if area_type == AreaType.CITY:
            names.update({(area_type, c): ("Leeds", None) for c in codes})
            continue
        model, field = _CODE_FIELDS[AreaType(area_type)]
        for obj in model.objects.filter(**{f"{field}__in": codes}):
            label = f"{obj.name} ({obj.code})" if area_type == AreaType.LSOA else str(obj)
            names[(area_type, getattr(obj, field))] = (label, obj.get_absolute_url())
    return names

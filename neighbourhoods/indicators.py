"""Import Thriving Neighbourhoods indicator values from CSV, all or nothing.

    area_type,area_code,indicator,period,value
    ward,E05011388,Residents feeling safe,2019/20,61.5

Reading never writes; `apply()` writes every row or none, with an audit row. Errors name the
CSV line (the header is line 1), in the same way as the action plan imports, whose file reading
and cell cleaning this reuses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction

from actionplans.imports import ImportFailed, RowError, _clean_cells, _records, decode
from leeds_communities.models import record_audit
from neighbourhoods.areas import known_area_codes
from neighbourhoods.models import AreaType, Indicator, IndicatorValue

COLUMNS = ["area_type", "area_code", "indicator", "period", "value"]
# (column, what to enter): shown by the command's help and the README.
COLUMN_HELP = [
    ("area_type", "lsoa, ward, committee, priority or city"),
    (
        "area_code",
        "an LSOA or ward by its ONS code (E01…, E05…), a committee or priority neighbourhood by "
        "the slug in its page address, the city as E08000035",
    ),
    ("indicator", "the indicator's name, as recorded (add new indicators in the admin first)"),
    ("period", "up to 20 characters, for example 2019 or 2019/20"),
    ("value", "a number, with at most 4 decimal places"),
]
_PERIOD_MAX = IndicatorValue._meta.get_field("period").max_length
_MAX_DIGITS, _PLACES = 14, 4


@dataclass
class IndicatorImport:
    filename: str
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    to_create: list[IndicatorValue] = field(default_factory=list)
    to_update: list[IndicatorValue] = field(default_factory=list)
    unchanged: int = 0
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def describe(self) -> str:
        verb = ("created", "updated") if self.applied else ("to create", "to update")
        return (
            f"{len(self.to_create)} indicator values {verb[0]}, {len(self.to_update)} "
            f"{verb[1]}, {self.unchanged} unchanged"
        )

    @transaction.atomic
    def apply(self, *, actor=None) -> IndicatorImport:
        if self.errors:
            raise ImportFailed(self.errors)
        if self.applied:
            raise RuntimeError("This import has already been applied.")
        IndicatorValue.objects.bulk_create(self.to_create, batch_size=500)
        IndicatorValue.objects.bulk_update(self.to_update, ["value"], batch_size=500)
        self.applied = True
        record_audit(
            actor=actor,
            action="import_indicator_values",
            summary=f"Imported {self.filename}: {self.describe()}",
            filename=self.filename,
            rows=self.rows,
            created=len(self.to_create),
            updated=len(self.to_update),
            unchanged=self.unchanged,
        )
        return self


def _parse_value(line: int, text: str, errors: list[RowError]) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        errors.append(RowError(line, f"value “{text}” is not a number."))
        return None
    if not value.is_finite():
        errors.append(RowError(line, f"value “{text}” is not a number."))
        return None
    sign, digits, exponent = value.as_tuple()
    places = -exponent if exponent < 0 else 0
    if places > _PLACES:
        errors.append(RowError(line, f"value “{text}” has more than {_PLACES} decimal places."))
        return None
    if len(digits) - places > _MAX_DIGITS - _PLACES:
        errors.append(RowError(line, f"value “{text}” is too large."))
        return None
    return value


def read_indicator_values(content: bytes | str, *, filename: str) -> IndicatorImport:
    """Check every row and work out what importing the file would change."""
    result = IndicatorImport(filename=filename)
    text, result.errors = decode(content)
    if text is None:
        return result
    records, result.errors = _records(text, COLUMNS)
    if not records:
        if not result.errors:
            result.errors.append(RowError(None, "The file has a header but no rows to import."))
        return result
    result.rows = len(records)
    codes = known_area_codes()
    indicators = {i.name.casefold(): i for i in Indicator.objects.all()}
    existing = {
        (v.indicator_id, v.area_type, v.area_code, v.period): v
        for v in IndicatorValue.objects.all()
    }
    seen: dict[tuple, int] = {}
    for line, record in records:
        cells, errors = _clean_cells(line, record, multiline=())
        area_type = cells["area_type"].lower()
        if area_type not in AreaType.values:
            errors.append(
                RowError(
                    line,
                    f"area_type “{cells['area_type']}” is not one of {', '.join(AreaType.values)}.",
                )
            )
        elif cells["area_code"] not in codes[area_type]:
            errors.append(
                RowError(
                    line,
                    f"there is no {AreaType(area_type).label.lower()} with area_code "
                    f"“{cells['area_code']}”.",
                )
            )
        indicator = indicators.get(cells["indicator"].casefold()) if cells["indicator"] else None
        if not cells["indicator"]:
            errors.append(RowError(line, "indicator is empty; give the indicator's name."))
        elif indicator is None:
            errors.append(
                RowError(
                    line,
                    f"there is no indicator called “{cells['indicator']}”; add it in the "
                    "admin first.",
                )
            )
        period = cells["period"]
        if not period:
            errors.append(RowError(line, "period is empty; give the period, such as 2019/20."))
        elif len(period) > _PERIOD_MAX:
            errors.append(
                RowError(line, f"period is {len(period)} characters long; at most {_PERIOD_MAX}.")
            )
        value = None
        if not cells["value"]:
            errors.append(RowError(line, "value is empty."))
        else:
            value = _parse_value(line, cells["value"], errors)
        if errors:
            result.errors.extend(errors)
            continue
        key = (indicator.pk, area_type, cells["area_code"], period)
        if key in seen:
            result.errors.append(
                RowError(
                    line, f"this row repeats the area, indicator and period of line {seen[key]}."
                )
            )
            continue
        seen[key] = line
        current = existing.get(key)
        if current is None:
            result.to_create.append(
                IndicatorValue(
                    indicator=indicator,
                    area_type=area_type,
                    area_code=cells["area_code"],
                    period=period,
                    value=value,
                )
            )
        elif current.value != value:
            current.value = value
            result.to_update.append(current)
        else:
            result.unchanged += 1
    return result

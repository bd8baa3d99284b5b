"""Import Thriving Neighbourhoods indicator values from CSV, all or nothing.

    area_type,area_code,indicator,period,value
    ward,E05011388,Residents feeling safe,2019/20,61.5

Reading never writes; `apply()` writes every row or none, with an audit row. Errors name the
CSV line (the header is line 1): the file is read, checked and cleaned by the project's CSV
import engine (`leeds_communities/csvimport.py`), as the action plan imports are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from leeds_communities.csvimport import (
    ImportFailed,
    Row,
    RowError,
    parse_rows,
    read_csv,
    write_all_or_nothing,
)
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

    def apply(self, *, actor=None) -> IndicatorImport:
        if self.errors:
            raise ImportFailed(self.errors)
        if self.applied:
            raise RuntimeError("This import has already been applied.")
        write_all_or_nothing([], lambda: self._write(actor))
        return self

    def _write(self, actor) -> None:
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


def _parse_value(row: Row, text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        row.error(f"value “{text}” is not a number.", column="value")
        return None
    if not value.is_finite():
        row.error(f"value “{text}” is not a number.", column="value")
        return None
    sign, digits, exponent = value.as_tuple()
    places = -exponent if exponent < 0 else 0
    if places > _PLACES:
        row.error(f"value “{text}” has more than {_PLACES} decimal places.", column="value")
        return None
    if len(digits) - places > _MAX_DIGITS - _PLACES:
        row.error(f"value “{text}” is too large.", column="value")
        return None
    return value


def read_indicator_values(content: bytes | str, *, filename: str) -> IndicatorImport:
    """Check every row and work out what importing the file would change."""
    result = IndicatorImport(filename=filename)
    table = read_csv(content, columns=COLUMNS)
    if not table.rows:
        result.errors = table.errors
        return result
    result.rows = len(table.rows)
    codes = known_area_codes()
    indicators = {i.name.casefold(): i for i in Indicator.objects.all()}
    existing = {
        (v.indicator_id, v.area_type, v.area_code, v.period): v
        for v in IndicatorValue.objects.all()
    }
    seen: dict[tuple, int] = {}

    def parse(row: Row) -> IndicatorValue | None:
        area_type = row["area_type"].lower()
        if area_type not in AreaType.values:
            row.error(
                f"area_type “{row['area_type']}” is not one of {', '.join(AreaType.values)}.",
                column="area_type",
            )
        elif row["area_code"] not in codes[area_type]:
            row.error(
                f"there is no {AreaType(area_type).label.lower()} with area_code "
                f"“{row['area_code']}”.",
                column="area_code",
            )
        indicator = indicators.get(row["indicator"].casefold()) if row["indicator"] else None
        if not row["indicator"]:
            row.error("indicator is empty; give the indicator's name.", column="indicator")
        elif indicator is None:
            row.error(
                f"there is no indicator called “{row['indicator']}”; add it in the admin first.",
                column="indicator",
            )
        period = row["period"]
        if not period:
            row.error("period is empty; give the period, such as 2019/20.", column="period")
        elif len(period) > _PERIOD_MAX:
            row.error(
                f"period is {len(period)} characters long; at most {_PERIOD_MAX}.",
                column="period",
            )
        value = None
        if not row["value"]:
            row.error("value is empty.", column="value")
        else:
            value = _parse_value(row, row["value"])
        if row.errors:
            return None
        key = (indicator.pk, area_type, row["area_code"], period)
        if key in seen:
            row.error(f"this row repeats the area, indicator and period of line {seen[key]}.")
            return None
        seen[key] = row.line
        current = existing.get(key)
        if current is None:
            return IndicatorValue(
                indicator=indicator,
                area_type=area_type,
                area_code=row["area_code"],
                period=period,
                value=value,
            )
        if current.value != value:
            current.value = value
            result.to_update.append(current)
        else:
            result.unchanged += 1
        return None

    checked = parse_rows(table, parse)
    result.errors = checked.errors
    if result.errors:
        result.to_update, result.unchanged = [], 0
    else:
        result.to_create = [value for _, value in checked.items if value is not None]
    return result

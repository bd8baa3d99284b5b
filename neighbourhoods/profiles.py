"""What an area's profile says: deprivation summaries, comparisons, outputs and indicators.

Every profile reads the whole city's deprivation once (two queries: about 5,000 small rows) and
summarises any set of LSOAs from it in Python, so a profile costs the same number of queries
whether it describes one LSOA or a committee area of sixty.
"""

import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.urls import NoReverseMatch

from neighbourhoods.areas import CITY_KEY
from neighbourhoods.models import (
    Deprivation,
    Domain,
    ImdEdition,
    IndicatorValue,
    Lsoa,
    PriorityNeighbourhood,
    Ward,
)

DOMAINS_2019 = list(Domain)
DECILES = range(1, 11)


@dataclass
class AreaSummary:
    """Deprivation of a set of LSOAs; England's row is built from the definition of a decile."""

    label: str
    href: str | None = None
    lsoa_count: int = 0
    population: int | None = None
    # {(year, domain): [count in decile 1, …, count in decile 10]}
    distribution: dict[tuple[int, str], list[int]] = field(default_factory=dict)
    median_rank: dict[int, float] = field(default_factory=dict)
    mean_score: dict[int, Decimal | None] = field(default_factory=dict)
    is_england: bool = False

    def share_in_decile_1(self, year: int, domain: str = Domain.IMD) -> float | None:
        counts = self.distribution.get((year, domain))
        if not counts or not sum(counts):
            return None
        return 100 * counts[0] / sum(counts)

    def in_decile_1(self, year: int, domain: str = Domain.IMD) -> int | None:
        counts = self.distribution.get((year, domain))
        return counts[0] if counts else None

    def imd_share_2019(self):
        return self.share_in_decile_1(2019)

    def imd_share_2015(self):
        return self.share_in_decile_1(2015)

    def share_change(self) -> float | None:
        now, then = self.share_in_decile_1(2019), self.share_in_decile_1(2015)
        return None if now is None or then is None else now - then

    def domain_shares(self) -> list[float | None]:
        return [self.share_in_decile_1(2019, d) for d in DOMAINS_2019]


class CityData:
    """The deprivation of every Leeds LSOA, loaded once per request."""

    def __init__(self):
        self.editions = {e.year: e for e in ImdEdition.objects.all()}
        self.lsoas = {
            row["id"]: row
            for row in Lsoa.objects.values(
                "id", "code", "name", "ward_id", "ward__committee_id", "population"
            )
        }
        self.values: dict[int, dict[tuple[int, str], tuple[int, int, Decimal | None]]] = {}
        self.present: set[tuple[int, str]] = set()
        for lsoa_id, year, domain, rank, decile, score in Deprivation.objects.values_list(
            "lsoa_id", "edition__year", "domain", "rank", "decile", "score"
        ):
            self.values.setdefault(lsoa_id, {})[(year, domain)] = (rank, decile, score)
            self.present.add((year, domain))

    def ids_in_ward(self, ward_id) -> list[int]:
        return [i for i, row in self.lsoas.items() if row["ward_id"] == ward_id]

    def ids_in_committee(self, committee_id) -> list[int]:
        return [i for i, row in self.lsoas.items() if row["ward__committee_id"] == committee_id]

    def summarise(self, lsoa_ids, label: str, href: str | None = None) -> AreaSummary:
        lsoa_ids = list(lsoa_ids)
        summary = AreaSummary(label=label, href=href, lsoa_count=len(lsoa_ids))
        populations = [self.lsoas[i]["population"] for i in lsoa_ids if i in self.lsoas]
        summary.population = sum(populations) if populations and None not in populations else None
        for year in self.editions:
            for domain in Domain:
                counts = [0] * 10
                found = False
                for lsoa_id in lsoa_ids:
                    value = self.values.get(lsoa_id, {}).get((year, domain))
                    if value:
                        counts[value[1] - 1] += 1
                        found = True
                if found:
                    summary.distribution[(year, domain)] = counts
            ranks = [
                self.values[i][(year, Domain.IMD)][0]
                for i in lsoa_ids
                if (year, Domain.IMD) in self.values.get(i, {})
            ]
            if ranks:
                summary.median_rank[year] = statistics.median(ranks)
            summary.mean_score[year] = self._weighted_score(lsoa_ids, year)
        return summary

    def _weighted_score(self, lsoa_ids, year) -> Decimal | None:
        total = weight = 0
        for lsoa_id in lsoa_ids:
            value = self.values.get(lsoa_id, {}).get((year, Domain.IMD))
            population = self.lsoas.get(lsoa_id, {}).get("population")
            if not value or value[2] is None or not population:
                return None
            total += value[2] * population
            weight += population
        return (total / weight).quantize(Decimal("0.1")) if weight else None

    def city(self) -> AreaSummary:
        return self.summarise(self.lsoas, "Leeds")

    def england(self) -> AreaSummary:
        """Deciles split England's LSOAs into tenths, so each decile holds 10% of them."""
        summary = AreaSummary(label="England", is_england=True)
        for year, edition in self.editions.items():
            count = edition.national_lsoa_count
            summary.lsoa_count = count
            tenth = [count / 10] * 10
            for domain in Domain:
                if (year, domain) in self.present:
                    summary.distribution[(year, domain)] = tenth
            summary.median_rank[year] = (count + 1) / 2
            summary.mean_score[year] = None
        return summary

    def lsoa_values(self, lsoa_id) -> dict[tuple[int, str], tuple[int, int, Decimal | None]]:
        return self.values.get(lsoa_id, {})


def decile_rows(summary: AreaSummary, years) -> list[dict]:
    """One row per (edition, domain) present: the count of LSOAs in each decile."""
    rows = []
    for year in years:
        for domain in Domain:
            counts = summary.distribution.get((year, domain))
            if counts:
                rows.append(
                    {"year": year, "domain": domain.label, "counts": counts, "total": sum(counts)}
                )
    return rows


def lsoa_domain_rows(values, editions) -> list[dict]:
    """An LSOA's rank, decile and score in each domain, 2019 beside 2015 where published."""
    rows = []
    for domain in Domain:
        row = {"domain": domain.label, "editions": []}
        for year in editions:
            row["editions"].append(values.get((year, domain)))
        if any(row["editions"]):
            rows.append(row)
    return rows


def rank_change(values) -> dict | None:
    """How an LSOA's overall IMD rank moved from 2015 to 2019 (rank 1 is most deprived)."""
    then, now = values.get((2015, Domain.IMD)), values.get((2019, Domain.IMD))
    if not then or not now:
        return None
    moved = now[0] - then[0]
    if moved < 0:
        words = "relatively more deprived in 2019 than in 2015"
    elif moved > 0:
        words = "relatively less deprived in 2019 than in 2015"
    else:
        words = "the same rank in both editions"
    return {
        "rank_2015": then[0],
        "rank_2019": now[0],
        "decile_2015": then[1],
        "decile_2019": now[1],
        "places": abs(moved),
        "words": words,
    }


# --- outputs targeting an area --------------------------------------------------------------


def targeting_outputs(*, ward_ids=(), neighbourhood_ids=(), quarter=None) -> list:
    """Outputs aimed at any of these wards or priority neighbourhoods, with their status in
    `quarter` (derived; None when no quarter exists yet)."""
    from actionplans.models import Output

    ward_ids, neighbourhood_ids = list(ward_ids), list(neighbourhood_ids)
    if not ward_ids and not neighbourhood_ids:
        return []
    by_ward = Ward.targeted_outputs.through.objects.filter(ward_id__in=ward_ids)
    by_neighbourhood = PriorityNeighbourhood.targeted_outputs.through.objects.filter(
        priorityneighbourhood_id__in=neighbourhood_ids
    )
    outputs = Output.objects.filter(
        Q(pk__in=by_ward.values("output_id")) | Q(pk__in=by_neighbourhood.values("output_id"))
    ).select_related("plan", "lead_agency")
    if quarter is not None:
        outputs = outputs.counted_in(quarter).with_status(quarter)
    outputs = list(outputs.order_by("plan__name", "ref"))
    for output in outputs:
        output.href = _url_or_none(output)
        output.plan_href = _url_or_none(output.plan)
    return outputs


def _url_or_none(obj) -> str | None:
    """Action plan pages may not be mounted yet; the profile then names the output unlinked."""
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:
        return None


# --- indicators -----------------------------------------------------------------------------


@dataclass
class IndicatorTable:
    indicator: object
    columns: list[str]
    rows: list[dict]


def indicator_tables(area_key, comparators) -> list[IndicatorTable]:
    """For each indicator measured for the area: one row per period, with the value for the
    area and for each comparator ((label, key) pairs such as its ward and the city)."""
    keys = [area_key] + [key for _, key in comparators]
    condition = Q(pk__in=[])
    for area_type, area_code in keys:
        condition |= Q(area_type=area_type, area_code=area_code)
    values: dict = {}
    indicators = {}
    for value in IndicatorValue.objects.filter(condition).select_related("indicator"):
        indicators[value.indicator_id] = value.indicator
        values[(value.indicator_id, value.period, (value.area_type, value.area_code))] = value.value
    tables = []
    for indicator_id, indicator in sorted(indicators.items(), key=lambda i: i[1].name):
        periods = sorted({p for (i, p, k) in values if i == indicator_id and k == area_key})
        if not periods:
            continue
        rows = [
            {
                "period": period,
                "values": [values.get((indicator_id, period, key)) for key in keys],
            }
            for period in periods
        ]
        tables.append(
            IndicatorTable(indicator, ["This area"] + [label for label, _ in comparators], rows)
        )
    return tables


__all__ = ["CITY_KEY", "AreaSummary", "CityData", "indicator_tables", "targeting_outputs"]

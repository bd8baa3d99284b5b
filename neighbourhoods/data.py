"""Import the Leeds reference data (fixtures/neighbourhoods/) idempotently.

Running the import twice changes nothing: rows are matched on their natural keys, created when
missing, updated only when a value differs.
"""

import csv
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import models, transaction
from django.utils.text import slugify

from neighbourhoods.geometry import Frame, svg_path
from neighbourhoods.models import (
    CommunityCommittee,
    Deprivation,
    Domain,
    ImdEdition,
    Lsoa,
    PriorityNeighbourhood,
    Ward,
)

ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0. "
    "Source: MHCLG English Indices of Deprivation 2015/2019; Office for National Statistics "
    "(contains OS data © Crown copyright and database right). Composite scores: mySociety "
    "(CC BY 4.0)."
)

FILES = {
    "wards": "leeds_lsoa11_to_ward2019_lookup.csv",
    "committees": "leeds_community_committees_wards.csv",
    "imd2019": "leeds_imd2019_domains_ranks_deciles.csv",
    "population": "leeds_imd2019_population_denominators.csv",
    "imd2015": "leeds_imd2015_score_rank_decile.csv",
    "scores2019": "leeds_imd2019_scores_partial_mysociety_uk_imd_e.csv",
    "lsoa_boundaries": "leeds_lsoa11_boundaries_bsc.geojson",
    "ward_boundaries": "leeds_wards_dec2020_boundaries_bsc.geojson",
}

# Column stems of MHCLG File 2, one per domain.
_FILE2_DOMAINS = {
    Domain.IMD: "Index of Multiple Deprivation (IMD)",
    Domain.INCOME: "Income",
    Domain.EMPLOYMENT: "Employment",
    Domain.EDUCATION: "Education, Skills and Training",
    Domain.HEALTH: "Health Deprivation and Disability",
    Domain.CRIME: "Crime",
    Domain.BARRIERS: "Barriers to Housing and Services",
    Domain.LIVING_ENVIRONMENT: "Living Environment",
}

EDITIONS = {
    2015: {
        "name": "English Indices of Deprivation 2015",
        "national_lsoa_count": 32844,
        "source": "MHCLG/DCLG English Indices of Deprivation 2015, File 1 and File 5 (overall "
        "IMD score, rank and decile only).",
        "licence": "Open Government Licence v3.0",
    },
    2019: {
        "name": "English Indices of Deprivation 2019",
        "national_lsoa_count": 32844,
        "source": "MHCLG English Indices of Deprivation 2019, File 2 (ranks and deciles, all "
        "domains); IMD, income and employment scores via mySociety's Composite UK IMD.",
        "licence": "Open Government Licence v3.0; scores via mySociety under CC BY 4.0",
    },
}


def default_directory() -> Path:
    return Path(settings.BASE_DIR) / "fixtures" / "neighbourhoods"


@dataclass
class ImportCounts:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, created: int, updated: int) -> None:
        self.created[what] = self.created.get(what, 0) + created
        self.updated[what] = self.updated.get(what, 0) + updated

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())


def _rows(directory: Path, key: str) -> list[dict]:
    with (directory / FILES[key]).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _features(directory: Path, key: str) -> dict[str, dict]:
    data = json.loads((directory / FILES[key]).read_text(encoding="utf-8"))
    code_field = "lsoa11_code" if key == "lsoa_boundaries" else "ward_code"
    return {f["properties"][code_field]: f["geometry"] for f in data["features"]}


def _outline(geometry, frame: Frame) -> str:
    return svg_path(geometry, frame) if geometry else ""


def _int(text: str) -> int:
    return int(text.replace(",", "").strip())


def _plain(values: dict) -> dict:
    """Foreign keys as `<name>_id` so comparing never loads related rows."""
    return {
        (f"{k}_id" if isinstance(v, models.Model) else k): (
            v.pk if isinstance(v, models.Model) else v
        )
        for k, v in values.items()
    }


def _sync(model, key_fields, wanted: list[dict], counts: ImportCounts, label: str):
    """Create missing rows and update differing ones; return {key: instance}."""
    wanted = [_plain(values) for values in wanted]
    keys = [k if k in wanted[0] else f"{k}_id" for k in key_fields] if wanted else key_fields
    existing = {tuple(getattr(o, k) for k in keys): o for o in model.objects.all()}
    to_create, to_update, fields = [], [], set()
    for values in wanted:
        obj = existing.get(tuple(values[k] for k in keys))
        if obj is None:
            to_create.append(model(**values))
            continue
        changed = [f for f, v in values.items() if getattr(obj, f) != v]
        if changed:
            for f in changed:
                setattr(obj, f, values[f])
            fields.update(changed)
            to_update.append(obj)
    model.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        model.objects.bulk_update(to_update, sorted(fields), batch_size=500)
    counts.add(label, len(to_create), len(to_update))
    return {tuple(getattr(o, k) for k in keys): o for o in model.objects.all()}


@transaction.atomic
def import_neighbourhood_data(directory: Path | None = None) -> ImportCounts:
    directory = Path(directory or default_directory())
    counts = ImportCounts()

    committee_rows = _rows(directory, "committees")
    committees = _sync(
        CommunityCommittee,
        ["name"],
        [
            {
                "name": name,
                "slug": slugify(name),
                "source_url": rows[0]["source_url"],
                "source_note": rows[0]["source_note"],
            }
            for name, rows in _group(committee_rows, "community_committee").items()
        ],
        counts,
        "community committees",
    )
    committee_of_ward = {
        r["ward_code_wd19"]: committees[(r["community_committee"],)] for r in committee_rows
    }

    lookup = _rows(directory, "wards")
    ward_shapes = _features(directory, "ward_boundaries")
    lsoa_shapes = _features(directory, "lsoa_boundaries")
    frame = Frame.around(list(lsoa_shapes.values()) + list(ward_shapes.values()))
    ward_names = {r["ward_code"]: r["ward_name"] for r in lookup}
    wards = _sync(
        Ward,
        ["code"],
        [
            {
                "code": code,
                "name": name,
                "slug": slugify(name),
                "committee": committee_of_ward.get(code),
                "boundary": ward_shapes.get(code),
                "outline": _outline(ward_shapes.get(code), frame),
            }
            for code, name in sorted(ward_names.items())
        ],
        counts,
        "wards",
    )

    population = {r["LSOA code (2011)"]: r for r in _rows(directory, "population")}
    pop_columns = {
        "population": "Total population: mid 2015 (excluding prisoners)",
        "children": "Dependent Children aged 0-15: mid 2015 (excluding prisoners)",
        "aged_16_59": "Population aged 16-59: mid 2015 (excluding prisoners)",
        "aged_60_plus": "Older population aged 60 and over: mid 2015 (excluding prisoners)",
        "working_age": "Working age population 18-59/64: for use with Employment Deprivation "
        "Domain (excluding prisoners)",
    }
    lsoas = _sync(
        Lsoa,
        ["code"],
        [
            {
                "code": r["lsoa_code"],
                "name": r["lsoa_name"],
                "ward": wards[(r["ward_code"],)],
                "boundary": lsoa_shapes.get(r["lsoa_code"]),
                "outline": _outline(lsoa_shapes.get(r["lsoa_code"]), frame),
                **{f: _int(population[r["lsoa_code"]][c]) for f, c in pop_columns.items()},
            }
            for r in sorted(lookup, key=lambda r: r["lsoa_code"])
        ],
        counts,
        "LSOAs",
    )

    editions = _sync(
        ImdEdition,
        ["year"],
        [{"year": year, "lsoa_vintage": 2011, **spec} for year, spec in EDITIONS.items()],
        counts,
        "IMD editions",
    )

    scores_2019 = {r["lsoa"]: r for r in _rows(directory, "scores2019")}
    score_columns = {
        Domain.IMD: "overall_local_score",
        Domain.INCOME: "income_score",
        Domain.EMPLOYMENT: "employment_score",
    }
    wanted = []
    for r in _rows(directory, "imd2019"):
        lsoa = lsoas[(r["LSOA code (2011)"],)]
        for domain, stem in _FILE2_DOMAINS.items():
            score = None
            if domain in score_columns:
                raw = scores_2019[lsoa.code][score_columns[domain]]
                # mySociety's income and employment rates carry float noise: 3 places is exact.
                score = Decimal(raw).quantize(Decimal("0.001"))
            wanted.append(
                {
                    "edition": editions[(2019,)],
                    "lsoa": lsoa,
                    "domain": domain.value,
                    "rank": _int(r[f"{stem} Rank (where 1 is most deprived)"]),
                    "decile": _int(r[f"{stem} Decile (where 1 is most deprived 10% of LSOAs)"]),
                    "score": score,
                }
            )
    for r in _rows(directory, "imd2015"):
        wanted.append(
            {
                "edition": editions[(2015,)],
                "lsoa": lsoas[(r["lsoa11_code"],)],
                "domain": Domain.IMD.value,
                "rank": _int(r["IMD_rank"]),
                "decile": _int(r["IMD_decile"]),
                "score": Decimal(r["IMD_score"]).quantize(Decimal("0.001")),
            }
        )
    _sync(Deprivation, ["edition", "lsoa", "domain"], wanted, counts, "deprivation values")
    return counts


def _group(rows: list[dict], column: str) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row[column], []).append(row)
    return grouped


# The six initial priority neighbourhoods named in seed 002 (section 2.4), and Boggart Hill, which
# the same report mentions. Their LSOA sets are not public: governance support chooses them.
NAMED_PRIORITY_NEIGHBOURHOODS = [
    ("The Holdsforths", "The pilot area for the approach (seed 002, 2.4.2)."),
    ("The Recreations", "Built on the earlier Local Neighbourhood Approach (seed 002, 2.4.2)."),
    ("Lincoln Green", "Public Health work on wellbeing (seed 002, 2.4.4)."),
    ("The Nowells", "Public Health work on social isolation (seed 002, 2.4.4)."),
    ("The Beverleys", "'Playbox' engagement about the future of Trentham Park (seed 002, 2.4.4)."),
    ("New Wortley", "Collaborative case management with children and young people (seed 002)."),
]
BOUNDARY_NOT_DEFINED = "Boundary not yet defined: the LSOAs of this neighbourhood are not public."


@transaction.atomic
def seed_priority_neighbourhoods() -> dict[str, int]:
    """The national 1% sets computed from the data, and the named neighbourhoods of seed 002."""
    for edition in ImdEdition.objects.filter(year__in=[2015, 2019]):
        name = f"Leeds LSOAs in the most deprived 1% nationally (IMD {edition.year})"
        neighbourhood, _ = PriorityNeighbourhood.objects.update_or_create(
            slug=slugify(name),
            defaults={
                "name": name,
                "tier": PriorityNeighbourhood.Tier.NATIONAL_1PCT,
                "edition": edition,
                "description": f"Every Leeds LSOA ranked {edition.one_percent_rank} or better of "
                f"{edition.national_lsoa_count:,} in England on the overall IMD {edition.year}, "
                "computed from the data. Not an official priority-neighbourhood boundary.",
                "source": f"Computed from {edition.name}",
            },
        )
        lsoa_ids = Deprivation.objects.filter(
            edition=edition, domain=Domain.IMD, rank__lte=edition.one_percent_rank
        ).values_list("lsoa_id", flat=True)
        neighbourhood.lsoas.set(lsoa_ids)
        neighbourhood.wards.set(Ward.objects.filter(lsoas__in=lsoa_ids).distinct())
    edition_2015 = ImdEdition.objects.filter(year=2015).first()
    for name, note in NAMED_PRIORITY_NEIGHBOURHOODS:
        PriorityNeighbourhood.objects.get_or_create(
            slug=slugify(name),
            defaults={
                "name": name,
                "tier": PriorityNeighbourhood.Tier.INITIAL_PRIORITY,
                "edition": edition_2015,
                "description": f"{note} {BOUNDARY_NOT_DEFINED}",
                "source": "Seed 002: Locality Working, Environment, Housing and Communities "
                "Scrutiny Board, 12 March 2018",
            },
        )
    PriorityNeighbourhood.objects.get_or_create(
        slug="boggart-hill",
        defaults={
            "name": "Boggart Hill",
            "tier": PriorityNeighbourhood.Tier.PRIORITY,
            "edition": edition_2015,
            "description": "Named in seed 002 (2.4.5): Housing reviewed the issues discussed at "
            f"the annual tenancy visit. {BOUNDARY_NOT_DEFINED}",
            "source": "Seed 002",
        },
    )
    return {
        "priority neighbourhoods": PriorityNeighbourhood.objects.count(),
    }

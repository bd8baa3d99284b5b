from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Min, Prefetch
from django.db.models.functions import Concat
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from actionplans.quarters import reading_quarter
from leeds_communities.access import allow_only
from leeds_communities.roles import is_governance_support
from leeds_communities.tables import FilteredTableView
from neighbourhoods import profiles
from neighbourhoods.areas import CITY_KEY, area_key, area_names
from neighbourhoods.filters import LsoaFilter
from neighbourhoods.forms import PriorityLsoasForm
from neighbourhoods.maps import build_map
from neighbourhoods.models import (
    AreaType,
    CommunityCommittee,
    Domain,
    Indicator,
    Lsoa,
    PriorityNeighbourhood,
    Ward,
)
from neighbourhoods.services import set_priority_lsoas
from neighbourhoods.tables import LsoaTable, with_deprivation


@require_safe
def index(request):
    data = profiles.CityData()
    committees = CommunityCommittee.objects.prefetch_related(
        Prefetch("wards", queryset=Ward.objects.order_by("name"))
    )
    # An aggregate query ignores Meta.ordering, so the order is given here.
    neighbourhoods = (
        PriorityNeighbourhood.objects.select_related("edition")
        .annotate(lsoa_count=Count("lsoas"))
        .order_by("tier", "name")
    )
    return render(
        request,
        "neighbourhoods/index.html",
        {
            "city": data.city(),
            "years": sorted(data.editions),
            "neighbourhoods": neighbourhoods,
            "committees": committees,
            "wards": Ward.objects.select_related("committee"),
        },
    )


class LsoaListView(FilteredTableView):
    table_class = LsoaTable
    filterset_class = LsoaFilter
    template_name = "neighbourhoods/lsoa_list.html"
    results_template_name = "neighbourhoods/_lsoa_results.html"
    export_name = "leeds-lsoas"
    http_method_names = ["get", "head"]

    def get_queryset(self):
        return Lsoa.objects.select_related("ward__committee").defer(
            "boundary", "outline", "ward__boundary", "ward__outline"
        )

    def get_table_data(self):
        return with_deprivation(super().get_table_data(), self.filterset.year)

    def get_table_kwargs(self):
        return {"year": self.filterset.year}


lsoa_list = LsoaListView.as_view()


def _chosen_map(request, data):
    """The domain and edition asked for with ?domain= and ?edition=, else IMD, latest."""
    domain = request.GET.get("domain", Domain.IMD)
    if domain not in Domain.values:
        domain = Domain.IMD
    year = request.GET.get("edition", "")
    year = (
        int(year)
        if year.isascii() and year.isdigit() and int(year) in data.editions
        else max(data.editions, default=None)
    )
    if (year, domain) not in data.present:
        domain = Domain.IMD
    return year, domain


@require_safe
def city_map(request):
    data = profiles.CityData()
    year, domain = _chosen_map(request, data)
    return render(
        request,
        "neighbourhoods/map.html",
        {
            "map": build_map(data, year=year, domain=domain),
            "year": year,
            "domain": domain,
            "domain_choices": [(d.value, d.label) for d in Domain],
            "edition_choices": sorted(data.editions, reverse=True),
        },
    )


def _comparison_rows(data, *rows):
    return [r for r in rows if r is not None] + [data.city(), data.england()]


def _profile(request, template, context):
    context["decile_numbers"] = range(1, 11)
    context["domain_labels"] = [d.label for d in profiles.DOMAINS_2019]
    return render(request, template, context)


@require_safe
def lsoa_detail(request, code):
    lsoa = get_object_or_404(Lsoa.objects.select_related("ward__committee"), code=code)
    data = profiles.CityData()
    ward, committee = lsoa.ward, lsoa.ward.committee
    neighbourhoods = list(lsoa.priority_neighbourhoods.all())
    values = data.lsoa_values(lsoa.pk)
    years = sorted(data.editions, reverse=True)
    latest = years[0] if years else None
    comparisons = _comparison_rows(
        data,
        data.summarise([lsoa.pk], f"{lsoa.name} (this LSOA)"),
        data.summarise(data.ids_in_ward(ward.pk), f"{ward.name} ward", ward.get_absolute_url()),
        data.summarise(
            data.ids_in_committee(committee.pk), str(committee), committee.get_absolute_url()
        )
        if committee
        else None,
    )
    quarter = reading_quarter(request.user)
    return _profile(
        request,
        "neighbourhoods/lsoa_detail.html",
        {
            "lsoa": lsoa,
            "area_name": f"{lsoa.name} ({lsoa.code})",
            "ward": ward,
            "committee": committee,
            "neighbourhoods": neighbourhoods,
            "years": years,
            "domain_rows": profiles.lsoa_domain_rows(values, years),
            "change": profiles.rank_change(values),
            "comparisons": comparisons,
            "map": build_map(
                data,
                year=latest,
                highlight_ids=[lsoa.pk],
                highlight_label=lsoa.name,
                zoom=True,
                title=f"{lsoa.name} and its neighbours by IMD {latest} decile",
            ),
            "quarter": quarter,
            "outputs": profiles.targeting_outputs(
                ward_ids=[ward.pk],
                neighbourhood_ids=[n.pk for n in neighbourhoods],
                quarter=quarter,
            ),
            "indicators": profiles.indicator_tables(
                area_key(lsoa), [(f"{ward.name} ward", area_key(ward)), ("Leeds", CITY_KEY)]
            ),
        },
    )


def _area_context(data, *, user, lsoa_ids, label, comparisons, area, comparators, targets):
    years = sorted(data.editions, reverse=True)
    latest, earliest = (years[0], years[-1]) if years else (None, None)
    summary = data.summarise(lsoa_ids, f"{label} (this area)")
    quarter = reading_quarter(user)
    return {
        "summary": summary,
        "years": years,
        "decile_rows": profiles.decile_rows(summary, years),
        "comparisons": _comparison_rows(data, summary, *comparisons),
        "map": build_map(
            data,
            year=latest,
            highlight_ids=lsoa_ids,
            highlight_label=label,
            zoom=True,
            title=f"{label}: LSOAs by IMD {latest} decile",
        )
        if lsoa_ids
        else None,
        "lsoas": sorted(
            (
                {
                    "code": data.lsoas[i]["code"],
                    "name": data.lsoas[i]["name"],
                    "population": data.lsoas[i]["population"],
                    "imd": data.lsoa_values(i).get((latest, Domain.IMD)),
                    "imd_before": data.lsoa_values(i).get((earliest, Domain.IMD)),
                }
                for i in lsoa_ids
            ),
            key=lambda r: (r["imd"][0] if r["imd"] else 0, r["code"]),
        ),
        "quarter": quarter,
        "outputs": profiles.targeting_outputs(quarter=quarter, **targets),
        "indicators": profiles.indicator_tables(area_key(area), comparators),
    }


@require_safe
def ward_detail(request, slug):
    ward = get_object_or_404(Ward.objects.select_related("committee"), slug=slug)
    data = profiles.CityData()
    committee = ward.committee
    context = _area_context(
        data,
        user=request.user,
        lsoa_ids=data.ids_in_ward(ward.pk),
        label=f"{ward.name} ward",
        comparisons=[
            data.summarise(
                data.ids_in_committee(committee.pk), str(committee), committee.get_absolute_url()
            )
            if committee
            else None
        ],
        area=ward,
        comparators=([(str(committee), area_key(committee))] if committee else [])
        + [("Leeds", CITY_KEY)],
        targets={"ward_ids": [ward.pk]},
    )
    context |= {
        "ward": ward,
        "area_name": f"{ward.name} ward",
        "committee": committee,
        "neighbourhoods": list(ward.priority_neighbourhoods.all()),
    }
    return _profile(request, "neighbourhoods/ward_detail.html", context)


@require_safe
def committee_detail(request, slug):
    committee = get_object_or_404(CommunityCommittee, slug=slug)
    data = profiles.CityData()
    wards = list(committee.wards.order_by("name"))
    context = _area_context(
        data,
        user=request.user,
        lsoa_ids=data.ids_in_committee(committee.pk),
        label=f"{committee.name} area",
        comparisons=[
            data.summarise(data.ids_in_ward(w.pk), f"{w.name} ward", w.get_absolute_url())
            for w in wards
        ],
        area=committee,
        comparators=[("Leeds", CITY_KEY)],
        targets={"ward_ids": [w.pk for w in wards]},
    )
    context |= {"committee": committee, "area_name": str(committee), "wards": wards}
    return _profile(request, "neighbourhoods/committee_detail.html", context)


@require_safe
def priority_detail(request, slug):
    neighbourhood = get_object_or_404(
        PriorityNeighbourhood.objects.select_related("edition"), slug=slug
    )
    data = profiles.CityData()
    lsoa_ids = list(neighbourhood.lsoas.values_list("pk", flat=True))
    wards = list(neighbourhood.wards.select_related("committee").order_by("name"))
    committees = {w.committee_id: w.committee for w in wards if w.committee}
    context = _area_context(
        data,
        user=request.user,
        lsoa_ids=lsoa_ids,
        label=neighbourhood.name,
        comparisons=[
            data.summarise(data.ids_in_ward(w.pk), f"{w.name} ward", w.get_absolute_url())
            for w in wards
        ]
        + [
            data.summarise(data.ids_in_committee(c.pk), str(c), c.get_absolute_url())
            for c in committees.values()
        ],
        area=neighbourhood,
        comparators=[(f"{w.name} ward", area_key(w)) for w in wards] + [("Leeds", CITY_KEY)],
        targets={"neighbourhood_ids": [neighbourhood.pk], "ward_ids": []},
    )
    context |= {
        "neighbourhood": neighbourhood,
        "area_name": neighbourhood.name,
        "wards": wards,
        "boundary_defined": bool(lsoa_ids),
        "can_choose_lsoas": is_governance_support(request.user) and not neighbourhood.is_computed,
    }
    return _profile(request, "neighbourhoods/priority_detail.html", context)


@require_safe
def indicator_list(request):
    indicators = Indicator.objects.annotate(
        value_count=Count("values"),
        area_count=Count(Concat("values__area_type", "values__area_code"), distinct=True),
        first_period=Min("values__period"),
        last_period=Max("values__period"),
    ).order_by("name")
    return render(request, "neighbourhoods/indicator_list.html", {"indicators": indicators})


@require_safe
def indicator_detail(request, slug):
    """Every value of an indicator: one row per area, one column per period."""
    indicator = get_object_or_404(Indicator, slug=slug)
    values = list(indicator.values.all())
    periods = sorted({v.period for v in values})
    by_area: dict[tuple[str, str], dict[str, object]] = {}
    for value in values:
        by_area.setdefault((value.area_type, value.area_code), {})[value.period] = value.value
    names = area_names(by_area)
    order = {t: i for i, t in enumerate(reversed(AreaType.values))}
    rows = [
        {
            "type": AreaType(key[0]).label,
            "name": names.get(key, (key[1], None))[0],
            "href": names.get(key, (key[1], None))[1],
            "values": [cells.get(p) for p in periods],
        }
        for key, cells in sorted(
            by_area.items(), key=lambda item: (order[item[0][0]], names.get(item[0], ("",))[0])
        )
    ]
    return render(
        request,
        "neighbourhoods/indicator_detail.html",
        {"indicator": indicator, "periods": periods, "rows": rows},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@allow_only(is_governance_support, "Only governance support may choose a neighbourhood's LSOAs.")
def priority_lsoas(request, slug):
    neighbourhood = get_object_or_404(
        PriorityNeighbourhood.objects.exclude(tier=PriorityNeighbourhood.Tier.NATIONAL_1PCT),
        slug=slug,
    )
    if request.method == "POST":
        form = PriorityLsoasForm(request.POST)
        if form.is_valid():
            try:
                set_priority_lsoas(
                    neighbourhood=neighbourhood,
                    lsoas=form.cleaned_data["lsoas"],
                    acting_user=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                count = len(form.cleaned_data["lsoas"])
                messages.success(
                    request,
                    f"{neighbourhood.name} now has {count} LSOA{'s' if count != 1 else ''}.",
                )
                return redirect(neighbourhood)
    else:
        form = PriorityLsoasForm(
            initial={"lsoas": list(neighbourhood.lsoas.values_list("code", flat=True))}
        )
    return render(
        request,
        "neighbourhoods/priority_lsoas.html",
        {"neighbourhood": neighbourhood, "form": form, "groups": form.groups()},
    )

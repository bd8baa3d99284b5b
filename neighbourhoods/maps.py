"""The choropleth map of Leeds LSOAs, drawn on the server from the stored outlines."""

from dataclasses import dataclass

from django.urls import reverse

from neighbourhoods import geometry
from neighbourhoods.models import Domain, Lsoa, Ward

# Viridis in ten steps: dark (decile 1, most deprived) to light; readable in greyscale print
# and distinguishable with the common colour-vision deficiencies. The decile is always also
# given in words (link names, legend, table).
DECILE_FILLS = [
    "#440154",
    "#482878",
    "#3e4989",
    "#31688e",
    "#26828e",
    "#1f9e89",
    "#35b779",
    "#6ece58",
    "#b5de2b",
    "#fde725",
]
NO_DATA_FILL = "#b1b4b6"
ZOOM_PADDING = 0.15
MIN_ZOOM_SPAN = 160  # map units: about 5 km


@dataclass
class MapArea:
    code: str
    name: str
    href: str
    d: str
    fill: str
    decile: int | None
    ward: str
    label: str
    highlighted: bool


def _zoomed_view(box):
    """The area with a margin, at least MIN_ZOOM_SPAN wide and never taller than wide, so one
    small LSOA is shown among its neighbours rather than filling the page."""
    x0, y0, x1, y1 = box
    pad = max(x1 - x0, y1 - y0) * ZOOM_PADDING
    width = max(x1 - x0 + 2 * pad, MIN_ZOOM_SPAN)
    height = max(y1 - y0 + 2 * pad, MIN_ZOOM_SPAN * 0.6)
    width = max(width, height)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return (
        round(cx - width / 2),
        round(cy - height / 2),
        round(cx + width / 2),
        round(cy + height / 2),
    )


def legend():
    return [
        {"decile": n, "fill": fill, "text": _decile_words(n)}
        for n, fill in enumerate(DECILE_FILLS, start=1)
    ]


def _decile_words(decile: int | None) -> str:
    if decile is None:
        return "no data"
    if decile == 1:
        return "decile 1 (most deprived 10%)"
    if decile == 10:
        return "decile 10 (least deprived 10%)"
    return f"decile {decile}"


def build_map(
    data,
    *,
    year: int,
    domain: str = Domain.IMD,
    highlight_ids=(),
    highlight_label: str = "",
    zoom: bool = False,
    title: str = "",
) -> dict:
    """The map's context: LSOA shapes with fills and names, ward outlines, and its view box.

    `data` is a `profiles.CityData` (the deciles); with `zoom`, the view fits the highlighted
    LSOAs and only the LSOAs in view are drawn (so no link is focusable off the map)."""
    highlight_ids = set(highlight_ids)
    rows = list(
        Lsoa.objects.order_by("code").values_list("id", "code", "name", "outline", "ward__name")
    )
    wards = list(Ward.objects.order_by("name").values_list("name", "outline"))
    outlines = tuple(r[3] for r in rows)
    boxes = geometry.bboxes(outlines)
    drawn = [(r, b) for r, b in zip(rows, boxes, strict=True) if r[3]]
    if not drawn:
        return {"empty": True}
    view = geometry.union(b for _, b in drawn)
    if zoom and highlight_ids:
        chosen = [b for r, b in drawn if r[0] in highlight_ids]
        if chosen:
            view = _zoomed_view(geometry.union(chosen))
            drawn = [(r, b) for r, b in drawn if geometry.overlaps(b, view)]
    else:
        zoom = False
    x0, y0, x1, y1 = view
    width, height = x1 - x0, y1 - y0
    stroke = round(max(width, height) / 1000, 2)
    domain_label = Domain(domain).label
    areas = []
    for (lsoa_id, code, name, outline, ward_name), _box in drawn:
        value = data.lsoa_values(lsoa_id).get((year, domain))
        decile = value[1] if value else None
        fill = DECILE_FILLS[decile - 1] if decile else NO_DATA_FILL
        label = f"{name} ({code}), {ward_name}: {_decile_words(decile)}"
        areas.append(
            MapArea(
                code=code,
                name=name,
                href=reverse("neighbourhoods:lsoa_detail", kwargs={"code": code}),
                d=outline,
                fill=fill,
                decile=decile,
                ward=ward_name,
                label=label,
                highlighted=lsoa_id in highlight_ids,
            )
        )
    return {
        "empty": False,
        "title": title or f"Leeds LSOAs by {domain_label} {year} decile",
        "description": (
            f"A map of {len(areas)} Leeds LSOAs shaded by their national {domain_label} "
            f"decile in {year}, from dark (decile 1, the most deprived 10% in England) to light "
            "(decile 10, the least deprived), with ward boundaries in white"
            + (f"; {highlight_label} is outlined in black" if highlight_label else "")
            + ". Each area links to its profile; the same figures are in the table below."
        ),
        "view_box": f"{x0:g} {y0:g} {width:g} {height:g}",
        "aspect": round(height / width * 100, 2) if width else 100,
        "areas": areas,
        "highlighted": [a for a in areas if a.highlighted],
        "highlight_label": highlight_label,
        "wards": [{"name": n, "d": d} for n, d in wards if d],
        "ward_stroke": round(stroke * 1.2, 2),
        "lsoa_stroke": round(stroke * 0.3, 2),
        "highlight_stroke": round(stroke * 3, 2),
        "legend": legend(),
        "domain_label": domain_label,
        "year": year,
        "zoomed": zoom,
    }

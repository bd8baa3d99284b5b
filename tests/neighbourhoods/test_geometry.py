"""Projecting GeoJSON to the map's SVG paths."""

import pytest

from neighbourhoods.geometry import Frame, bbox, overlaps, svg_path, union

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[-1.6, 53.8], [-1.5, 53.8], [-1.5, 53.9], [-1.6, 53.9], [-1.6, 53.8]]],
}


def test_it_scales_longitude_by_the_cosine_of_latitude():
    frame = Frame.around([SQUARE])
    x0, y0, x1, y1 = bbox(svg_path(SQUARE, frame))
    # 0.1° of longitude at 53.85°N is about 0.59 of 0.1° of latitude.
    assert (x1 - x0) / (y1 - y0) == pytest.approx(0.59, abs=0.01)
    assert (x0, y0) == (4, 4)


def test_it_writes_integers_and_drops_repeated_and_tiny_rings():
    frame = Frame.around([SQUARE])
    tiny = {
        "type": "MultiPolygon",
        "coordinates": [
            SQUARE["coordinates"],
            [[[-1.55, 53.85], [-1.55001, 53.85001], [-1.55, 53.85]]],
        ],
    }
    path = svg_path(tiny, frame)
    assert path.count("M") == 1
    assert "." not in path
    assert path.endswith("Z")


def test_boxes_union_and_overlap():
    assert union([(0, 0, 2, 2), (1, 1, 5, 3)]) == (0, 0, 5, 3)
    assert overlaps((0, 0, 2, 2), (2, 2, 4, 4))
    assert not overlaps((0, 0, 2, 2), (3, 3, 4, 4))

"""GeoJSON (EPSG:4326) to small SVG paths, for the server-rendered map.

An equirectangular projection scaled by cos(latitude) at the middle of Leeds is accurate enough
for one city (the error across 30 km is far below a pixel at the map's size). The import projects
every boundary once and stores the path; pages only read the stored strings.
"""

import math
import re
from dataclasses import dataclass
from functools import lru_cache

WIDTH = 1000  # the map's viewBox width; one unit is about 30 m in Leeds
MARGIN = 4


@dataclass(frozen=True)
class Frame:
    lon_min: float
    lat_max: float
    scale: float
    x_factor: float

    @classmethod
    def around(cls, geometries) -> "Frame":
        lons, lats = [], []
        for geometry in geometries:
            for lon, lat in _points(geometry):
                lons.append(lon)
                lats.append(lat)
        x_factor = math.cos(math.radians((min(lats) + max(lats)) / 2))
        scale = (WIDTH - 2 * MARGIN) / ((max(lons) - min(lons)) * x_factor)
        return cls(min(lons), max(lats), scale, x_factor)

    def project(self, lon: float, lat: float) -> tuple[int, int]:
        x = MARGIN + (lon - self.lon_min) * self.x_factor * self.scale
        y = MARGIN + (self.lat_max - lat) * self.scale
        return round(x), round(y)


def _polygons(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    raise ValueError(f"Cannot draw a {geometry['type']}")


def _points(geometry):
    for polygon in _polygons(geometry):
        for ring in polygon:
            yield from ring


def svg_path(geometry, frame: Frame) -> str:
    """Integer coordinates, repeated points dropped, one closed subpath a ring."""
    parts = []
    for polygon in _polygons(geometry):
        for ring in polygon:
            points = []
            for lon, lat in ring:
                point = frame.project(lon, lat)
                if not points or points[-1] != point:
                    points.append(point)
            if len(points) > 1 and points[0] == points[-1]:
                points.pop()
            if len(points) < 3:
                continue  # a ring smaller than the map's resolution
            coords = " ".join(f"{x} {y}" for x, y in points)
            parts.append(f"M{coords}Z")
    return "".join(parts)


_NUMBER = re.compile(r"-?\d+")


def bbox(path: str) -> tuple[int, int, int, int]:
    """(x_min, y_min, x_max, y_max) of a stored path."""
    numbers = [int(n) for n in _NUMBER.findall(path)]
    xs, ys = numbers[0::2], numbers[1::2]
    return min(xs), min(ys), max(xs), max(ys)


@lru_cache(maxsize=8)
def bboxes(paths: tuple[str, ...]) -> tuple[tuple[int, int, int, int], ...]:
    """The boxes of many paths, remembered for the life of the process."""
    return tuple(bbox(p) if p else (0, 0, 0, 0) for p in paths)


def union(boxes) -> tuple[int, int, int, int]:
    boxes = list(boxes)
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def overlaps(a, b) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]

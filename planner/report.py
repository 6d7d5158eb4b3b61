"""A council-ready PDF report of the current inputs: totals, map, tables, assumptions and sources.

Built with fpdf2 from model results; returns bytes, writes no file. User text
(site names, titles) is only ever placed as plain text, never interpreted as
markup. The map is drawn as vector polygons, so the PDF needs no image or
network. The core PDF fonts cover Latin-1; other characters are replaced.
"""

from __future__ import annotations

from datetime import UTC, datetime

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from . import __version__
from .display import range_table, region_display
from .formatting import fmt
from .i18n import t
from .impact import LEVELS, totals

PAGE_WIDTH = 180.0  # usable width in mm (A4 with 15 mm margins)
RAMP = [(255, 255, 178), (254, 204, 92), (253, 141, 60), (240, 59, 32), (189, 0, 38)]


def latin1(text: object) -> str:
    """Text the core fonts can show: characters outside Latin-1 become '?' (dashes and quotes kept readable).

    >>> latin1("laag – hoog “x” Fryslân")
    'laag - hoog "x" Fryslân'
    """
    value = "" if text is None or (isinstance(text, float) and np.isnan(text)) else str(text)
    for old, new in (("–", "-"), ("—", "-"), ("“", '"'), ("”", '"'), ("‘", "'"), ("’", "'"), ("…", "...")):
        value = value.replace(old, new)
    return value.encode("latin-1", "replace").decode("latin-1")


class _Report(FPDF):
    def __init__(self, title: str, footer: str):
        super().__init__(format="A4")
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, 15)
        self._title, self._footer = latin1(title), latin1(footer)

    def footer(self):
        self.set_y(-12)
        self.set_font("Helvetica", size=7)
        self.set_text_color(110)
        self.cell(0, 5, f"{self._footer} - {self.page_no()}", align="C")
        self.set_text_color(0)

    def heading(self, text: str, size: int = 13) -> None:
        self.ln(3)
        self.set_font("Helvetica", "B", size)
        self.multi_cell(0, 7, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font("Helvetica", size=9)

    def paragraph(self, text: str, size: int = 9) -> None:
        self.set_font("Helvetica", size=size)
        self.multi_cell(0, 4.6, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def grid(self, frame: pd.DataFrame, widths: list[float] | None = None, size: int = 8) -> None:
        self.set_font("Helvetica", size=size)
        self.set_fill_color(255, 255, 255)
        self.set_draw_color(0)
        self.set_line_width(0.2)
        columns = [latin1(c) for c in frame.columns]
        widths = widths or [PAGE_WIDTH / len(columns)] * len(columns)
        with self.table(col_widths=tuple(widths), text_align="LEFT", line_height=4.2, first_row_as_headings=True,
                        width=sum(widths), align="LEFT") as table:
            table.row(columns)
            for values in frame.itertuples(index=False):
                table.row([latin1(v) for v in values])
        self.ln(2)


def _draw_map(pdf: _Report, frame: gpd.GeoDataFrame, value: str, sites: gpd.GeoDataFrame | None,
              height: float = 120.0) -> None:
    """Polygons coloured by ``value`` on five equal steps of the maximum, with site markers."""
    data = frame[~shapely.is_missing(frame.geometry.to_numpy())].to_crs("EPSG:28992")
    data = data.assign(geometry=data.geometry.simplify(300, preserve_topology=True))
    xmin, ymin, xmax, ymax = data.total_bounds
    scale = min(PAGE_WIDTH / (xmax - xmin), height / (ymax - ymin))
    left, top = pdf.l_margin + (PAGE_WIDTH - (xmax - xmin) * scale) / 2, pdf.get_y() + 2

    def to_page(coords: np.ndarray) -> list[tuple[float, float]]:
        return [(left + (x - xmin) * scale, top + (ymax - y) * scale) for x, y in coords]

    values = pd.to_numeric(data[value], errors="coerce").fillna(0.0).to_numpy()
    peak = values.max() if len(values) else 0.0
    pdf.set_draw_color(120)
    pdf.set_line_width(0.05)
    for geometry, amount in zip(data.geometry, values, strict=True):
        if amount > 0 and peak > 0:
            pdf.set_fill_color(*RAMP[min(int(np.ceil(amount / peak * len(RAMP))) - 1, len(RAMP) - 1)])
        else:
            pdf.set_fill_color(228, 230, 232)
        for polygon in getattr(geometry, "geoms", [geometry]):
            if isinstance(polygon, shapely.Polygon) and not polygon.is_empty:
                pdf.polygon(to_page(np.asarray(polygon.exterior.coords)), style="DF")
    if sites is not None and len(sites):
        points = sites.geometry.to_crs("EPSG:28992").representative_point()
        pdf.set_fill_color(30, 70, 160)
        for x, y in zip(points.x, points.y, strict=True):
            (px, py), = to_page(np.array([[x, y]]))
            pdf.ellipse(px - 0.9, py - 0.9, 1.8, 1.8, style="F")
    pdf.set_y(top + (ymax - ymin) * scale + 3)
    # Legend
    pdf.set_font("Helvetica", size=7)
    for step, colour in enumerate(RAMP):
        pdf.set_fill_color(*colour)
        pdf.rect(pdf.l_margin + step * 28, pdf.get_y(), 4, 3, style="F")
        pdf.set_xy(pdf.l_margin + step * 28 + 5, pdf.get_y() - 0.5)
        pdf.cell(22, 4, latin1(f"<= {fmt(peak * (step + 1) / len(RAMP))}"))
        pdf.set_x(pdf.l_margin)
    pdf.ln(6)


def build_report(assessed: pd.DataFrame, library, housing_totals: pd.Series | None, regional, lang: str = "nl",
                 title: str | None = None, inputs: dict[str, str] | None = None) -> bytes:
    """The PDF report as bytes.

    ``regional`` is a :class:`planner.regional.RegionalResult` (or ``None``),
    ``housing_totals`` the totals of the housing check (or ``None``).
    """
    created = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    title = title or t("report_default_title", lang)
    pdf = _Report(title, f"planner {__version__} - {created}")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 17)
    pdf.multi_cell(0, 8, latin1(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", size=9)
    pdf.paragraph(f"{created} - planner {__version__} - {t('library_hash', lang, hash=library.content_hash[:12])}")
    if regional is not None:
        pdf.paragraph(f"{t('borders', lang)}: {regional.layer.label(lang)}")
    for key, value in (inputs or {}).items():
        pdf.paragraph(f"{key}: {value}")

    # 1. Impact
    pdf.heading(t("totals", lang, n=len(assessed)))
    total = totals(assessed)
    rows = [[t(q, lang), *(fmt(total.loc[q, lvl], lang) for lvl in LEVELS)]
            for q in ("workers", "workers_net", "migrants", "migrants_peak", "beds_needed", "beds_to_find",
                      "beds_short_stay", "beds_mid_stay", "beds_long_stay")]
    pdf.grid(pd.DataFrame(rows, columns=["", *(t(lvl, lang) for lvl in LEVELS)]), [90, 30, 30, 30])
    pdf.paragraph(t("range_caption", lang), size=8)
    for note in sorted({n for n in assessed["objects_note"] if n}):
        pdf.paragraph(t("no_objects", lang, note=note), size=8)
    pdf.heading(t("per_site", lang), 11)
    sites_table = range_table(assessed, lang)
    middle = len(sites_table.columns) - 4  # the quantities between site/sector and the declaration columns
    pdf.grid(sites_table, [34, 24, *([100 / middle] * middle), 12, 10], size=6)

    # 2. Housing stock
    if housing_totals is not None:
        pdf.heading(t("page_housing", lang))
        names = ("locations", "capacity", "occupants", "spare_capacity", "persons_over_capacity",
                 "overcrowded_locations", "capacity_lost", "unusable_rows")
        rows = [[t(n, lang), fmt(housing_totals[n], lang)] for n in names if n in housing_totals]
        pdf.grid(pd.DataFrame(rows, columns=["", ""]), [100, 40])

    # 3. Regional shortfall
    if regional is not None:
        pdf.add_page()
        pdf.heading(t("page_shortfall", lang))
        regional_totals = regional.totals()
        rows = [[t(q, lang), *(fmt(regional_totals[f"{q}_{lvl}"], lang) for lvl in LEVELS)]
                for q in ("demand", "abroad", "shortfall", "unmet")]
        rows.append([t("capacity_total", lang), fmt(regional_totals["capacity"], lang), "", ""])
        pdf.grid(pd.DataFrame(rows, columns=["", *(t(lvl, lang) for lvl in LEVELS)]), [90, 30, 30, 30])
        pdf.paragraph(t("shortfall_caption", lang), size=8)
        pdf.paragraph(f"{t('map', lang)}: {t('shortfall', lang)} (P50); "
                      f"{t('borders', lang)}: {regional.layer.label(lang)}", size=8)
        _draw_map(pdf, regional.map_layer(), "shortfall_p50", assessed)
        pdf.heading(t("per_region", lang), 11)
        pdf.grid(region_display(regional.table, lang).head(40), [50, 40, 40, 25, 25], size=7)
        pdf.heading(t("parameters", lang), 11)
        parameters = regional.allocation.parameters.table()[["parameter", "value", "status", "source"]]
        pdf.grid(parameters, [35, 25, 25, 95], size=7)
        about = regional.about()
        pdf.grid(pd.DataFrame(list(about.items()), columns=["", ""]), [45, 135], size=7)

    # 4. Sources
    pdf.add_page()
    pdf.heading(t("sources", lang))
    pdf.paragraph(t("assumptions", lang), size=8)
    from .tables import library_table

    sources = library_table(library, assessed)[["sector", "subtype", "ratio_p50", "ratio_unit", "ratio_status",
                                                "ratio_source"]]
    sources = sources.assign(ratio_p50=sources["ratio_p50"].map(lambda v: fmt(v, lang, 2)))
    pdf.grid(sources, [22, 22, 16, 22, 20, 78], size=6)
    objects = library.objects[["id", "name", "place", "year", "source"]].astype(str)
    pdf.grid(objects, [10, 50, 25, 12, 83], size=6)
    return bytes(pdf.output())


__all__ = ["build_report", "latin1"]

"""A council-ready PDF report of the current inputs: totals, map, tables, assumptions and sources.

Built with fpdf2 from model results; returns bytes, writes no file. User text
(site names, titles) is only ever placed as plain text, never interpreted as
markup. The map is drawn as vector polygons, so the PDF needs no image or
network. The core PDF fonts cover Latin-1; other characters are replaced.

Tables never break a word: each column is at least as wide as its longest
word (the font shrinks when the columns do not fit), and a word longer than a
whole column (a long web address) is shortened with "...". Every page but the
last is filled: a section starts on a new page only when it does not fit.
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
from .i18n import TEXTS, t
from .impact import LEVELS, phase, totals
from .library import RATIO_PER
from .mapclasses import sequential_classes

PAGE_WIDTH = 180.0  # usable width in mm (A4 with 15 mm margins)


def latin1(text: object) -> str:
    """Text the core fonts can show: characters outside Latin-1 become '?' (dashes and quotes kept readable).

    >>> latin1("laag – hoog “x” Fryslân")
    'laag - hoog "x" Fryslân'
    """
    value = "" if text is None or (isinstance(text, float) and np.isnan(text)) else str(text)
    for old, new in (("–", "-"), ("—", "-"), ("“", '"'), ("”", '"'), ("‘", "'"), ("’", "'"), ("…", "...")):
        value = value.replace(old, new)
    return value.encode("latin-1", "replace").decode("latin-1")


#: Smallest font size a table shrinks to before long words are shortened.
MIN_TABLE_FONT = 5.5
#: Horizontal padding of a table cell (both sides together), in mm.
CELL_PADDING = 2.2


class _Report(FPDF):
    def __init__(self, title: str, footer: str):
        super().__init__(format="A4")
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, 15)
        self._title, self._footer = latin1(title), latin1(footer)
        #: Every text placed on the pages, as written (tests compare the PDF's words with these).
        self.placed: list[str] = []

    def footer(self):
        self.set_y(-12)
        self.set_font("Helvetica", size=7)
        self.set_text_color(110)
        text = f"{self._footer} - {self.page_no()}"
        self.placed.append(text)
        self.cell(0, 5, text, align="C")
        self.set_text_color(0)

    def room(self) -> float:
        """Space left on the page (mm)."""
        return self.page_break_trigger - self.get_y()

    def ensure(self, height: float) -> None:
        """A new page unless ``height`` mm still fit on this one (so a heading never ends a page alone)."""
        if self.room() < height:
            self.add_page()

    def heading(self, text: str, size: int = 13, keep: float = 30.0) -> None:
        self.ensure(keep)
        self.ln(3)
        self.set_font("Helvetica", "B", size)
        self.placed.append(latin1(text))
        self.multi_cell(0, 7 if size > 11 else 6, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font("Helvetica", size=9)

    def paragraph(self, text: str, size: int = 9, style: str = "") -> None:
        self.set_font("Helvetica", style, size=size)
        self.placed.append(latin1(text))
        self.multi_cell(0, 4.6 if size >= 9 else 4.0, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font("Helvetica", size=9)

    def _word_width(self, text: str, bold: bool) -> float:
        self.set_font("Helvetica", "B" if bold else "", self.font_size_pt)
        width = max((self.get_string_width(word) for word in text.split()), default=0.0)
        self.set_font("Helvetica", "", self.font_size_pt)
        return width

    def _shorten(self, text: str, room: float) -> str:
        """Words wider than ``room`` mm cut to fit, ending in '...' (only web addresses and codes are so long)."""
        words = []
        for word in text.split(" "):
            if self.get_string_width(word) > room:
                while word and self.get_string_width(word + "...") > room:
                    word = word[:-1]
                word += "..."
            words.append(word)
        return " ".join(words)

    def grid(self, frame: pd.DataFrame, widths: list[float] | None = None, size: float = 8,
             header: bool = True) -> None:
        """A table; columns widened (and the font shrunk) so that no word is broken across lines."""
        columns = [latin1(c) for c in frame.columns]
        rows = [[latin1(v) for v in values] for values in frame.itertuples(index=False)]
        widths = list(widths or [PAGE_WIDTH / len(columns)] * len(columns))
        total = min(sum(widths), PAGE_WIDTH)
        size = float(size)
        while True:
            self.set_font("Helvetica", size=size)
            need = [max([self._word_width(columns[j], True) if header else 0.0,
                         *(self._word_width(row[j], False) for row in rows)]) + CELL_PADDING
                    for j in range(len(columns))]
            if sum(need) <= total or size <= MIN_TABLE_FONT:
                break
            size = max(size - 0.5, MIN_TABLE_FONT)
        if sum(need) > total:  # still too wide at the smallest font: the longest words are shortened
            share = [total * w / sum(widths) for w in widths]
            fits = [n <= s for n, s in zip(need, share, strict=True)]
            room = total - sum(n for n, f in zip(need, fits, strict=True) if f)
            over = sum(s for s, f in zip(share, fits, strict=True) if not f)
            need = [n if f else max(room * s / over, CELL_PADDING + 8)
                    for n, s, f in zip(need, share, fits, strict=True)]
            rows = [[self._shorten(cell, need[j] - CELL_PADDING) for j, cell in enumerate(row)] for row in rows]
            columns = [self._shorten(c, need[j] - CELL_PADDING) for j, c in enumerate(columns)]
        # Widen the columns that need it, taking the room from the columns with slack.
        widths = [w * total / sum(widths) for w in widths]
        short = sum(max(n - w, 0.0) for n, w in zip(need, widths, strict=True))
        slack = sum(max(w - n, 0.0) for n, w in zip(need, widths, strict=True))
        widths = [max(n, w - (w - n) * short / slack) if w > n and slack > 0 else max(n, w)
                  for n, w in zip(need, widths, strict=True)]
        self.placed.extend([*columns, *(cell for row in rows for cell in row)] if header else
                           [cell for row in rows for cell in row])
        self.set_font("Helvetica", size=size)
        self.set_fill_color(255, 255, 255)
        self.set_draw_color(0)
        self.set_line_width(0.2)
        with self.table(col_widths=tuple(widths), text_align="LEFT", line_height=size * 0.5 + 0.3,
                        first_row_as_headings=header, width=sum(widths), align="LEFT") as table:
            if header:
                table.row(columns)
            for values in rows:
                table.row(values)
        self.ln(2)


def _draw_map(pdf: _Report, frame: gpd.GeoDataFrame, value: str, sites: gpd.GeoDataFrame | None,
              height: float = 120.0, lang: str = "nl", title: str = "") -> None:
    """Polygons coloured by ``value`` with site markers and a legend, zoomed to the regions with a value and
    the sites. The classes (:func:`planner.mapclasses.sequential_classes`) are made once, for the fills and the
    legend, as on the app's map."""
    data = frame[~shapely.is_missing(frame.geometry.to_numpy())].to_crs("EPSG:28992")
    values = pd.to_numeric(data[value], errors="coerce").fillna(0.0)
    classes = sequential_classes(values.round())
    # The extent: the regions with a value and the sites, with a margin; the rest of the country is cut off.
    focus = data[values.round() > 0].geometry
    points = sites.geometry.to_crs("EPSG:28992").representative_point() if sites is not None and len(sites) else None
    parts = [g for g in (focus, points) if g is not None and len(g)]
    xmin, ymin, xmax, ymax = (pd.concat(parts).total_bounds if parts else data.total_bounds)
    margin = max(xmax - xmin, ymax - ymin) * 0.08 + 2000.0
    xmin, ymin, xmax, ymax = xmin - margin, ymin - margin, xmax + margin, ymax + margin
    box = shapely.box(xmin, ymin, xmax, ymax)
    inside = data.geometry.intersects(box)
    data, values = data[inside], values[inside]
    tolerance = max(xmax - xmin, ymax - ymin) / 1500.0
    geometries = data.geometry.intersection(box).simplify(tolerance, preserve_topology=True)
    scale = min(PAGE_WIDTH / (xmax - xmin), height / (ymax - ymin))
    left, top = pdf.l_margin + (PAGE_WIDTH - (xmax - xmin) * scale) / 2, pdf.get_y() + 2

    def to_page(coords: np.ndarray) -> list[tuple[float, float]]:
        return [(left + (x - xmin) * scale, top + (ymax - y) * scale) for x, y in coords]

    pdf.set_draw_color(120)
    pdf.set_line_width(0.05)
    for geometry, amount in zip(geometries, values.round(), strict=True):
        pdf.set_fill_color(*classes.colour(amount)[:3])
        for polygon in getattr(geometry, "geoms", [geometry]):
            if isinstance(polygon, shapely.Polygon) and not polygon.is_empty:
                pdf.polygon(to_page(np.asarray(polygon.exterior.coords)), style="DF")
    pdf.set_draw_color(60)
    pdf.set_line_width(0.2)
    pdf.rect(left, top, (xmax - xmin) * scale, (ymax - ymin) * scale)
    if points is not None:
        pdf.set_fill_color(30, 70, 160)
        for x, y in zip(points.x, points.y, strict=True):
            (px, py), = to_page(np.array([[x, y]]))
            pdf.ellipse(px - 0.9, py - 0.9, 1.8, 1.8, style="F")
    pdf.set_y(top + (ymax - ymin) * scale + 3)
    # Legend: the same classes as the fills, and the site marker.
    pdf.set_font("Helvetica", "B", 7)
    pdf.placed.append(latin1(title))
    pdf.cell(0, 4, latin1(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", size=7)
    entries = [*classes.rows(lang), ((30, 70, 160), t("legend_sites", lang))]
    for step, (colour, label) in enumerate(entries):
        x = pdf.l_margin + (step % 4) * 45
        if step and step % 4 == 0:
            pdf.ln(4.5)
        pdf.set_fill_color(*colour)
        pdf.set_draw_color(120)
        if step == len(entries) - 1:
            pdf.ellipse(x + 1, pdf.get_y() + 0.6, 2.2, 2.2, style="F")
        else:
            pdf.rect(x, pdf.get_y() + 0.4, 4, 3, style="DF")
        pdf.set_x(x + 5)
        pdf.placed.append(latin1(label))
        pdf.cell(39, 4, latin1(label))
    pdf.ln(7)


def status_of(source: object, status: object = None) -> str:
    """``assumption``, ``fallback`` or ``sourced``: from a ratio's status, else from how its source begins.

    >>> status_of("assumption (sector_parameters line 31)"), status_of("derived: https://x"), status_of("", "derived")
    ('assumption', 'sourced', 'sourced')
    """
    given = status is not None and status != "" and not (isinstance(status, float) and np.isnan(status))
    text = str(status if given else source or "").strip().lower()
    if text.startswith("assumption"):
        return "assumption"
    if "fallback" in text:
        return "fallback"
    return "sourced"


def source_text(source: object, lang: str) -> str:
    """A factor's source with the data file it is read from named in full."""
    import re

    text = latin1(source)
    return re.sub(r"sector_parameters line (\d+)",
                  lambda m: f"sector_ratios/sector_parameters.csv, {t('rep_line', lang)} {m.group(1)}", text)


def short_urls(text: str) -> str:
    """Web addresses cut to their site (the full address is in the sources at the end of the report).

    >>> short_urls("derived: https://www.ed.nl/economie/black-friday~a1/ ; x")
    'derived: ed.nl/... ; x'
    """
    import re

    return re.sub(r"https?://(?:www\.)?([^/\s]+)\S*", lambda m: f"{m.group(1)}/...", text)


def _year(value: object) -> str:
    """A year as an integer ('2019', never '2019.0'); empty when missing."""
    number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    return "" if pd.isna(number) else str(round(float(number)))


def site_steps(site: pd.Series, lang: str) -> tuple[pd.DataFrame, dict[str, float]]:
    """The step-by-step calculation of one site with the middle values of its factors.

    Returns the table (step, sum, result, source) and the chain's numbers:
    ``amount``, ``per``, ``ratio``, ``workers``, ``relocated``, ``workers_net``,
    ``migrant_share``, ``migrants``, ``peak_factor``, ``migrants_peak``,
    ``beds_per_migrant`` and ``beds``, each the product of the previous step
    and its factor as printed (rounded the same way).
    """
    jobs = pd.to_numeric(pd.Series([site.get("declared_jobs")]), errors="coerce").iloc[0]
    announced = bool(pd.notna(jobs))  # the company's announced jobs replace area x ratio
    floor = site["basis"] == "floor_area"
    per = 1 if announced else RATIO_PER[str(site["basis"])]
    amount = float(jobs) if announced else float(site["basis_amount"])
    ratio = round(float(site["realised_over_announced_p50" if announced else "ratio_p50"]), 2)
    share = round(float(site["migrant_share_p50"]), 2)
    peak = round(float(site["peak_factor_p50"]), 2)
    per_migrant = round(float(site["beds_per_migrant"]), 2)
    relocated = float(site.get("relocated_jobs", 0.0) or 0.0)
    workers = amount / per * ratio
    net = max(workers - relocated, 0.0)
    migrants = net * share
    at_peak = migrants * peak
    beds = at_peak * per_migrant
    unit = "m2" if floor else "ha"
    ratio_unit = t("rep_ratio_unit_floor" if floor else "rep_ratio_unit_plot", lang)
    objects = str(site.get("ratio_objects", "") or "")
    ratio_source = (t("rep_objects", lang, n=len([o for o in objects.split(",") if o.strip()]), ids=objects)
                    if objects else short_urls(source_text(site["ratio_source"], lang)))
    area_source = t("rep_input_geometry" if bool(site.get("plot_area_from_geometry", False)) else "rep_input", lang)

    def label(status: str) -> str:
        return t(f"rep_status_{status}", lang)

    area = f"{fmt(amount, lang, 0 if amount >= 100 else 1)} {unit}"
    if announced:
        share_source = str(site.get("realised_over_announced_source", "") or "")
        rows = [
            [t("rep_declared_jobs", lang), "", fmt(amount, lang), t("rep_input", lang)],
            [t("workers", lang), f"{fmt(amount, lang)} x {fmt(ratio, lang, 2)} ({t('rep_realised_share', lang)})",
             fmt(workers, lang), f"{short_urls(source_text(share_source, lang))} ({label(status_of(share_source))})"],
        ]
    elif bool(site.get("floor_area_from_plot", False)):
        # A floor-area site known by its plot: plot x floor area per m2 of plot, then the ratio.
        plot = float(site["plot_area_ha"])
        coverage = float(site["plot_to_bvo_p50"])
        coverage_source = str(site.get("plot_to_bvo_source", "") or "")
        rows = [
            [t("rep_plot_area", lang), "", f"{fmt(plot, lang, 1)} ha", area_source],
            [t("rep_floor_from_plot", lang),
             f"{fmt(plot, lang, 1)} ha x {fmt(10_000, lang)} x {fmt(coverage, lang, 2)} ({t('rep_plot_to_bvo', lang)})",
             area, f"{short_urls(source_text(coverage_source, lang))} ({label(status_of(coverage_source))})"],
            [t("workers", lang), f"{area} / {fmt(per, lang)} x {fmt(ratio, lang, 2)} ({ratio_unit})",
             fmt(workers, lang), f"{t('rep_ratio', lang)}: {ratio_source} "
                                 f"({label(status_of(site['ratio_source'], site['ratio_status']))})"],
        ]
    else:
        rows = [
            [t("rep_floor_area" if floor else "rep_plot_area", lang), "", area, area_source],
            [t("workers", lang),
             (f"{area} / {fmt(per, lang)} x {fmt(ratio, lang, 2)}" if per != 1 else f"{area} x {fmt(ratio, lang, 2)}")
             + f" ({ratio_unit})", fmt(workers, lang),
             f"{t('rep_ratio', lang)}: {ratio_source} "
             f"({label(status_of(site['ratio_source'], site['ratio_status']))})"],
        ]
    if relocated > 0:
        rows.append([t("workers_net", lang),
                     f"{fmt(workers, lang)} - {fmt(relocated, lang)} {t('rep_relocated', lang)}",
                     fmt(net, lang), t("rep_input", lang)])
    rows += [
        [t("migrants", lang), f"{fmt(net, lang)} x {fmt(share, lang, 2)} ({t('rep_migrant_share', lang)})",
         fmt(migrants, lang), f"{short_urls(source_text(site['migrant_share_source'], lang))} "
                              f"({label(status_of(site['migrant_share_source']))})"],
        [t("migrants_peak", lang), f"{fmt(migrants, lang)} x {fmt(peak, lang, 2)} ({t('rep_peak_factor', lang)})",
         fmt(at_peak, lang), f"{short_urls(source_text(site['peak_factor_source'], lang))} "
                             f"({label(status_of(site['peak_factor_source']))})"],
        [t("beds_needed", lang),
         f"{fmt(at_peak, lang)} x {fmt(per_migrant, lang, 2)} ({t('rep_beds_per_migrant', lang)})",
         fmt(beds, lang), f"{short_urls(source_text(site['beds_per_migrant_source'], lang))} "
                          f"({label(status_of(site['beds_per_migrant_source']))})"],
    ]
    table = pd.DataFrame(rows, columns=[t("rep_step", lang), t("rep_sum", lang), t("rep_result", lang),
                                        t("rep_source", lang)])
    chain = {"amount": amount, "per": per, "ratio": ratio, "workers": workers, "relocated": relocated,
             "workers_net": net, "migrant_share": share, "migrants": migrants, "peak_factor": peak,
             "migrants_peak": at_peak, "beds_per_migrant": per_migrant, "beds": beds}
    return table, chain


def beds_per_year(assessed: pd.DataFrame, lang: str) -> pd.DataFrame | None:
    """Beds needed per year (P50, with ramp-up), the sites starting each year and what each year adds.

    The added beds are the differences of the yearly figures rounded to whole
    beds, so they sum exactly to the last year's beds (the total). None when a
    site has no start year.
    """
    if assessed["start_year"].isna().any():
        return None
    yearly = phase(assessed, "beds_needed")["p50"].round()
    starting = assessed["start_year"].round().astype(int).value_counts()
    added = yearly.diff().fillna(yearly)
    table = pd.DataFrame({
        t("rep_year", lang): [str(int(year)) for year in yearly.index],
        t("rep_starting", lang): [str(int(starting.get(int(year), 0))) for year in yearly.index],
        t("rep_beds_in_year", lang): [fmt(v, lang) for v in yearly],
        t("rep_beds_added", lang): [fmt(v, lang) for v in added],
    })
    table.loc[len(table)] = [t("rep_total", lang), str(len(assessed)), "", fmt(added.sum(), lang)]
    return table


def capacity_steps(housing_summary: pd.DataFrame, regional, lang: str) -> tuple[pd.DataFrame, str]:
    """How the register's spare places become the regional capacity: what each number counts, what is left out."""
    counted = housing_summary.drop(index="(unknown)", errors="ignore")
    unknown = housing_summary.loc[housing_summary.index == "(unknown)"]
    all_spare = float(housing_summary["spare_capacity"].sum())
    left_out = float(unknown["spare_capacity"].sum())
    left_out_n = int(unknown["locations"].sum() + unknown["unusable_rows"].sum()) if len(unknown) else 0
    locations = int(housing_summary["locations"].sum())
    rows = [[t("rep_cap_register", lang, n=fmt(locations, lang)), fmt(all_spare, lang)],
            [t("rep_cap_left_out", lang, n=fmt(left_out_n, lang)), fmt(-left_out, lang) if left_out else "0"]]
    totals_ = regional.totals() if regional is not None else None
    in_municipalities = float(totals_["spare_capacity"]) if totals_ is not None else float(
        counted["spare_capacity"].clip(lower=0).sum())
    rest = all_spare - left_out - in_municipalities
    if abs(rest) >= 0.5:
        basis = regional.allocation.parameters.capacity_basis if regional is not None else "spare_capacity"
        rows.append([t("rep_cap_basis", lang, basis=basis), fmt(-rest, lang)])
    rows.append([t("rep_cap_counted", lang), fmt(in_municipalities, lang)])
    if totals_ is not None:
        rows.append([t("rep_cap_pipeline", lang), fmt(float(totals_["pipeline_beds"]), lang)])
        rows.append([t("rep_cap_regional", lang), fmt(float(totals_["capacity"]), lang)])
    note = t("rep_cap_note", lang, n=fmt(left_out_n, lang), places=fmt(left_out, lang))
    return pd.DataFrame(rows, columns=["", t("spare_capacity", lang)]), note


def assumptions_table(assessed: pd.DataFrame, library, lang: str) -> pd.DataFrame:
    """Every factor of the subtypes used, with its middle value, status (sourced / assumption) and source."""
    from .tables import library_table

    rows = []
    for _, row in library_table(library, assessed).iterrows():
        which = f"{row['sector']}/{row['subtype']}"
        objects = str(row.get("ratio_objects", "") or "")
        ratio_source = (t("rep_objects", lang, n=len([o for o in objects.split(",") if o.strip()]), ids=objects)
                        if objects else source_text(row["ratio_source"], lang))
        floor = row["basis"] == "floor_area"
        factors = [
            (t("rep_ratio", lang), f"{fmt(row['ratio_p50'], lang, 2)} "
                                   f"{t('rep_ratio_unit_floor' if floor else 'rep_ratio_unit_plot', lang)}",
             status_of(row["ratio_source"], row["ratio_status"]), ratio_source),
            (t("rep_migrant_share", lang), fmt(row["migrant_share_p50"], lang, 2),
             status_of(row["migrant_share_source"]), source_text(row["migrant_share_source"], lang)),
            (t("rep_peak_factor", lang), fmt(row["peak_factor_p50"], lang, 2),
             status_of(row["peak_factor_source"]), source_text(row["peak_factor_source"], lang)),
            (t("rep_beds_per_migrant", lang), fmt(row["beds_per_migrant"], lang, 2),
             status_of(row["beds_per_migrant_source"]), source_text(row["beds_per_migrant_source"], lang)),
            (t("rep_employer_share", lang), fmt(row["employer_housed_share_p50"], lang, 2),
             status_of(row["employer_housed_share_source"]), source_text(row["employer_housed_share_source"], lang)),
            (t("rep_stay_shares", lang), " / ".join(fmt(row[f"share_{s}_stay"], lang, 2)
                                                    for s in ("short", "mid", "long")),
             status_of(row["stay_source"]), source_text(row["stay_source"], lang)),
        ]
        rows += [[which, name, value, t(f"rep_status_{status}", lang), source]
                 for name, value, status, source in factors]
    return pd.DataFrame(rows, columns=[t("col_sector", lang), t("rep_factor", lang), t("rep_value", lang),
                                       t("rep_status", lang), t("rep_source", lang)])


def used_objects(assessed: pd.DataFrame, library) -> pd.DataFrame:
    """The reference objects behind the sites' subtypes: those their ratios rest on and those of the same subtype."""
    import re

    from .tables import library_table

    used = library_table(library, assessed)
    cited = {name.strip() for text in used["ratio_objects"].fillna("") for name in str(text).split(",") if name.strip()}
    cited |= {name for column in ("migrant_share_source", "peak_factor_source") for text in used[column].fillna("")
              for name in re.findall(r"\b[A-Z]{1,2}X?\d+\b", str(text))}
    keys = set(zip(used["sector"], used["subtype"], strict=True))
    objects = library.objects
    same = pd.Series([(a, b) in keys for a, b in zip(objects["sector"], objects["subtype"], strict=True)],
                     index=objects.index)
    return objects[objects["id"].isin(cited) | same][["id", "name", "place", "year", "source"]]


def report_document(assessed: pd.DataFrame, library, housing_totals: pd.Series | None, regional,
                    lang: str = "nl", title: str | None = None, inputs: dict[str, str] | None = None,
                    housing_summary: pd.DataFrame | None = None) -> _Report:
    """The report as an fpdf2 document (see :func:`build_report`); ``.placed`` lists every text on it."""
    created = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    title = title or t("report_default_title", lang)
    pdf = _Report(title, f"planner {__version__} - {created}")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 17)
    pdf.placed.append(latin1(title))
    pdf.multi_cell(0, 8, latin1(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", size=9)
    pdf.paragraph(f"{created} - planner {__version__} - {t('library_hash', lang, hash=library.content_hash[:12])}")
    if regional is not None:
        pdf.paragraph(f"{t('borders', lang)}: {regional.layer.label(lang)}")
    for key, value in (inputs or {}).items():
        name = t(f"rep_in_{key}", lang) if f"rep_in_{key}" in TEXTS else key
        pdf.paragraph(f"{name}: {value}")

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
    pdf.grid(sites_table, [30, 24, *([104 / middle] * middle), 11, 11], size=6.5)

    # Beds per year
    pdf.heading(t("rep_beds_per_year", lang), 11)
    yearly = beds_per_year(assessed, lang)
    if yearly is None:
        pdf.paragraph(t("rep_no_years", lang), size=8)
    else:
        beds_total = float(total.to_numpy()[list(total.index).index("beds_needed"), list(total.columns).index("p50")])
        pdf.grid(yearly, [25, 35, 50, 50])
        pdf.paragraph(t("rep_beds_per_year_note", lang, total=fmt(round(beds_total), lang)), size=8)

    # Step by step per site
    pdf.heading(t("rep_steps", lang))
    pdf.paragraph(t("rep_steps_intro", lang), size=8)
    names = (assessed["name"] if "name" in assessed.columns else pd.Series(assessed.index.astype(str)))
    for position, (_, site) in enumerate(assessed.iterrows()):
        name = str(names.iloc[position])
        facts = library.ratios.loc[(site["sector"], site["subtype"])]  # sources the assessment does not carry
        table, chain = site_steps(pd.concat([site, facts[facts.index.difference(site.index)]]), lang)
        sector = f"{site['sector']}/{site['subtype']}"
        year = _year(site.get("start_year"))
        label = (t("rep_site_of", lang, name=name, sector=sector, year=year) if year else
                 t("rep_site_no_year", lang, name=name, sector=sector))
        pdf.heading(label, 10, keep=45)
        pdf.grid(table, [30, 62, 16, 72], size=7)
        pdf.paragraph(t("rep_simulated", lang, beds=fmt(site["beds_needed_p50"], lang),
                        low=fmt(site["beds_needed_p10"], lang), high=fmt(site["beds_needed_p90"], lang),
                        chain=fmt(chain["beds"], lang)), size=8)

    # 2. Housing stock
    if housing_totals is not None:
        pdf.heading(t("page_housing", lang))
        names_ = ("locations", "capacity", "occupants", "spare_capacity", "persons_over_capacity",
                  "overcrowded_locations", "capacity_lost", "unusable_rows")
        rows = [[t(n, lang), fmt(housing_totals[n], lang)] for n in names_ if n in housing_totals]
        pdf.grid(pd.DataFrame(rows, columns=["", ""]), [100, 40], header=False)
        if housing_summary is not None:
            pdf.heading(t("rep_capacity_check", lang), 11)
            steps, note = capacity_steps(housing_summary, regional, lang)
            pdf.grid(steps, [140, 40])
            pdf.paragraph(note, size=8)

    # 3. Regional shortfall
    if regional is not None:
        pdf.heading(t("page_shortfall", lang), keep=60)
        regional_totals = regional.totals()
        rows = [[t(q, lang), *(fmt(regional_totals[f"{q}_{lvl}"], lang) for lvl in LEVELS)]
                for q in ("demand", "abroad", "shortfall", "unmet")]
        rows.append([t("capacity_total", lang), fmt(regional_totals["capacity"], lang), "", ""])
        pdf.grid(pd.DataFrame(rows, columns=["", *(t(lvl, lang) for lvl in LEVELS)]), [90, 30, 30, 30])
        pdf.paragraph(t("shortfall_caption", lang), size=8)
        pdf.ensure(145)
        pdf.paragraph(f"{t('map', lang)}: {t('shortfall', lang)} (P50); "
                      f"{t('borders', lang)}: {regional.layer.label(lang)}", size=8)
        _draw_map(pdf, regional.map_layer(), "shortfall_p50", assessed, lang=lang,
                  title=t("legend_shortfall", lang))
        pdf.heading(t("per_region", lang), 11)
        pdf.grid(region_display(regional.table, lang).head(40), [50, 40, 40, 25, 25], size=7)
        pdf.heading(t("parameters", lang), 11)
        parameters = regional.allocation.parameters.table()[["parameter", "value", "status", "source"]]
        parameters = parameters.assign(status=parameters["status"].map(
            lambda v: t(f"rep_status_{status_of(v)}", lang)))
        parameters.columns = [t("rep_parameter", lang), t("rep_value", lang), t("rep_status", lang),
                              t("rep_source", lang)]
        pdf.grid(parameters, [35, 25, 25, 95], size=7)
        pdf.heading(t("rep_provenance", lang), 11)
        about = [[t(f"rep_about_{key}", lang) if f"rep_about_{key}" in TEXTS else key, value]
                 for key, value in regional.about().items()]
        pdf.grid(pd.DataFrame(about, columns=["", ""]), [45, 135], size=7, header=False)

    # 4. Assumptions and sources
    pdf.heading(t("rep_assumptions", lang))
    pdf.paragraph(t("assumptions", lang), size=8)
    pdf.grid(assumptions_table(assessed, library, lang), [24, 30, 22, 18, 86], size=6.5)
    pdf.heading(t("rep_objects_table", lang), 11)
    objects = used_objects(assessed, library)
    pdf.paragraph(t("rep_objects_note", lang, n=len(objects), total=len(library.objects)), size=8)
    objects = pd.DataFrame({t("rep_id", lang): objects["id"].astype(str),
                            t("rep_name", lang): objects["name"].astype(str),
                            t("rep_place", lang): objects["place"].astype(str),
                            t("rep_year", lang): objects["year"].map(_year),
                            t("rep_source", lang): objects["source"].astype(str)})
    pdf.grid(objects, [10, 50, 25, 12, 83], size=6)
    return pdf


def build_report(assessed: pd.DataFrame, library, housing_totals: pd.Series | None, regional, lang: str = "nl",
                 title: str | None = None, inputs: dict[str, str] | None = None,
                 housing_summary: pd.DataFrame | None = None) -> bytes:
    """The PDF report as bytes.

    ``regional`` is a :class:`planner.regional.RegionalResult` (or ``None``),
    ``housing_totals`` the totals of the housing check (or ``None``) and
    ``housing_summary`` its summary per municipality (from
    :func:`planner.regional.capacity_by_gemeente`), which lets the report
    explain how the spare places become the regional capacity and how many
    locations lie in no municipality.
    """
    return bytes(report_document(assessed, library, housing_totals, regional, lang, title, inputs,
                                 housing_summary).output())


__all__ = ["build_report", "latin1", "report_document"]

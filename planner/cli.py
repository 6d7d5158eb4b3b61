"""The ``planner`` command line.

Every command reads files, calls the pure model and writes files; errors in
the input are printed with file, row and column and end the command with exit
status 2.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import click
import pandas as pd

from . import __version__
from .boundaries import DEFAULT_BOUNDARY_YEAR
from .errors import InputError, PlannerWarning, Problem
from .housing import check_housing, housing_totals, load_housing_parameters, load_norm_sets, summarise_housing
from .impact import assess as assess_sites
from .io import OUTPUT_SUFFIXES, read_housing, read_sites, reading_of, write_results
from .library import LEVELS, load_library
from .scenarios import NOTE_LIMIT, printable
from .tables import assessment_layers, housing_layers, library_table
from .usable import RowsUsed, require_usable, rows_used


def _paths_in(value) -> list[Path]:
    if isinstance(value, Path):
        return [value]
    if isinstance(value, (tuple, list)):
        return [item for item in value if isinstance(item, Path)]
    return []


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False


class _Command(click.Command):
    """Refuses an output file that is one of the command's input files (it would be overwritten)."""

    def invoke(self, ctx: click.Context):
        output = ctx.params.get("output") or ctx.params.get("target")
        if isinstance(output, Path):
            for name, value in ctx.params.items():
                if name in ("output", "target"):
                    continue
                for given in _paths_in(value):
                    if _same_file(given, output) or given.resolve() == output.resolve():
                        raise InputError(Problem(
                            f"the output file {output} is also an input (--{name.replace('_file', '')}); "
                            "writing it would overwrite your input",
                            fix="give the output another name"), source=str(output))
        return super().invoke(ctx)


class _Group(click.Group):
    """Turns input errors into a clear message and exit status 2."""

    command_class = _Command
    group_class = type

    def invoke(self, ctx: click.Context):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("always", PlannerWarning)
                warnings.showwarning = _show_warning
                return super().invoke(ctx)
        except InputError as exc:
            click.echo(f"Error: {_redacted(str(exc))}", err=True)
            ctx.exit(2)


def _redacted(text: str) -> str:
    """``text`` without any password, whatever form the store's connection string has."""
    import os

    from .redaction import redact

    return redact(text, os.environ.get("PLANNER_STORE", ""))


def _show_warning(message, category, filename, lineno, file=None, line=None):
    click.echo(f"Warning: {message}", err=True)


def _parse_mapping(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    mapping = {}
    for value in values:
        header, sep, target = value.partition("=")
        if not sep or not header.strip() or not target.strip():
            raise click.BadParameter(f"'{value}' is not HEADER=COLUMN, e.g. \"Aantal pers.=occupants\"")
        mapping[header.strip()] = target.strip()
    return mapping


def _map_option(func):
    return click.option("--map", "mapping", multiple=True, callback=_parse_mapping, metavar="HEADER=COLUMN",
                        help="map a header of your file (the housing register, where a command takes several "
                             "files) onto one of planner's columns, coordinates included (x, y, lon, lat), e.g. "
                             "--map \"Aantal pers.=occupants\" --map \"X-coördinaat (RD)=x\"; may be given more "
                             "than once")(func)


def _synthetic_notice(frame: pd.DataFrame) -> None:
    if "synthetic" in frame.columns:
        click.echo("Synthetic data (synthetisch): no row describes a real address.")


def _show_reading(frame: pd.DataFrame, used: RowsUsed | None = None) -> None:
    """How planner read a file (header -> meaning, confidence, notes) and how many rows it used."""
    reading = reading_of(frame)
    if reading is None:
        return
    if used is not None:
        reading = reading.with_rows(used.rows, used.used)
    for line in reading.lines():
        click.echo(line)
    click.echo("")


def _allow_option(func):
    return click.option("--allow-unusable", "allow_unusable", is_flag=True,
                        help="go on when fewer than half the rows of the housing register are usable "
                             "(the unusable rows are listed and left out)")(func)


def _checked_register(housing_file: Path, norm: str, compare: str | None, mapping: dict[str, str] | None,
                      allow_unusable: bool, **kwargs) -> pd.DataFrame:
    """Read and check a housing register; show how it was read; stop when fewer than half its rows are usable."""
    register = read_housing(housing_file, mapping)
    _synthetic_notice(register)
    checked = check_housing(register, norm, compare, **kwargs)
    used = rows_used(checked, "housing register", str(housing_file), reading_of(register))
    _show_reading(register, used)
    require_usable(checked, reading_of(register), used, allow_unusable)
    if used.too_few:
        click.echo(f"Warning: only {used.used:,} of {used.rows - used.left_out:,} rows of {housing_file} are usable; "
                   "the others add no capacity (--allow-unusable)", err=True)
    return checked


def _output_option(func):
    return click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                        help=f"write the results to this file ({', '.join(OUTPUT_SUFFIXES)})")(func)


def _crs_option(func):
    return click.option("--crs", "crs", type=click.Choice(["rd", "wgs84"]), default=None,
                        help="coordinate system of the output file: rd (RD New, EPSG:28992) or wgs84 (EPSG:4326); "
                             "default: GeoPackage as computed, GeoJSON in wgs84, CSV/Excel as RD x/y")(func)


def _objects_option(func):
    return click.option("--objects", "objects", multiple=True,
                        type=click.Path(exists=True, dir_okay=False, path_type=Path),
                        help="your own reference-object CSV (same columns as sector_ratios/reference_objects.csv);"
                             " may be given more than once")(func)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="planner")
def main() -> None:
    """Plan housing for labour migrants before new business sites are permitted."""


def _range(frame: pd.DataFrame, quantity: str) -> pd.Series:
    return (frame[f"{quantity}_p10"].round().astype(int).astype(str) + " / "
            + frame[f"{quantity}_p50"].round().astype(int).astype(str) + " / "
            + frame[f"{quantity}_p90"].round().astype(int).astype(str))


@main.command()
@click.argument("sites_file", type=click.Path(dir_okay=False, path_type=Path))
@_output_option
@_crs_option
@_objects_option
@_map_option
def assess(sites_file: Path, output: Path | None, objects: tuple[Path, ...], mapping: dict[str, str],
           crs: str | None = None) -> None:
    """Estimate workers, labour migrants and beds for the sites in SITES_FILE.

    SITES_FILE is a GeoPackage, GeoJSON, zipped Shapefile, CSV (with x/y or
    lon/lat columns) or Excel file with at least the columns sector and
    floor_area_m2 or plot_area_ha. Figures are P10 / P50 / P90.
    """
    library = load_library(objects)
    sites = read_sites(sites_file, mapping)
    _show_reading(sites)
    try:
        result = assess_sites(sites, library)
    except InputError as exc:
        raise exc.with_source(str(sites_file)) from None
    names = result["name"] if "name" in result.columns else pd.Series(result.index.astype(str), index=result.index)
    table = pd.DataFrame({
        "site": names.astype(str).str.slice(0, 48),
        "sector/subtype": result["sector"] + "/" + result["subtype"],
        "workers": _range(result, "workers"),
        "labour migrants": _range(result, "migrants"),
        "beds needed (peak)": _range(result, "beds_needed"),
        "declared": result["declared_check"],
    })
    click.echo(table.to_string(index=False))
    click.echo("P50 is the middle estimate; 8 in 10 comparable sites lie between P10 and P90 (ratio, migrant share, "
               "peak and employer housing simulated together).")
    for note in sorted({n for n in result["objects_note"] if n}):
        click.echo(f"Note: {note}")
    layers = assessment_layers(result, library, str(sites_file))
    undated = _phase_dated_sites(result, layers)
    total = layers["totals"].set_index("quantity")
    click.echo(f"\nTotals over {len(result)} site(s), P10 / P50 / P90 of the sum (not the sum of the P90s):")
    for quantity, row in total.iterrows():
        click.echo(f"  {quantity:<16} " + " / ".join(f"{row[level]:,.0f}" for level in LEVELS))
    if "phasing" in layers:
        left_out = ", without the sites that have no start year" if undated is not None else ""
        click.echo(f"\nBeds needed per year (P50{left_out}): " + ", ".join(
            f"{int(r.year)}: {r.beds_needed_p50:,.0f}" for r in layers["phasing"].itertuples()))
    if undated is not None:
        click.echo(f"Note: {undated}")
    click.echo(f"\nReference library {library.content_hash[:12]}; sources: planner ratios, or the sources sheet.")
    if output is not None:
        write_results(output, layers, crs=crs)
        click.echo(f"Wrote {output}")


def _phase_dated_sites(result: pd.DataFrame, layers: dict) -> Problem | None:
    """When some sites have no start year: phase the others into ``layers`` and return the note that says so."""
    from .allocation import phase_dated, undated_problem

    beds = result.loc[result["start_year"].isna(), "beds_needed_p50"].sum()
    undated = undated_problem(result, float(beds), "beds needed")
    if undated is None:
        return None
    if "phasing" not in layers and result["start_year"].notna().any():
        frames = [phase_dated(result, quantity).add_prefix(f"{quantity}_")
                  for quantity in ("migrants", "beds_needed", "beds_to_find")]
        layers["phasing"] = pd.concat(frames, axis=1).reset_index()
    layers["notes"] = pd.DataFrame({"note": [str(undated)]})
    return undated


@main.command()
@_output_option
@_objects_option
def ratios(output: Path | None, objects: tuple[Path, ...]) -> None:
    """Show the ratios derived from the reference objects, with their sources."""
    library = load_library(objects)
    table = library_table(library)
    with pd.option_context("display.max_colwidth", 80, "display.width", 200):
        click.echo(table[["sector", "subtype", "ratio_unit", "ratio_p10", "ratio_p50", "ratio_p90",
                          "n_objects", "ratio_status"]].round(2).to_string(index=False))
    click.echo("\nSources:")
    for row in table.itertuples():
        click.echo(f"  {row.sector}/{row.subtype}: {row.ratio_source}")
    for row in table.itertuples():
        if row.objects_note:
            click.echo(f"Note: {row.objects_note}")
    if output is not None:
        write_results(output, {"ratios": table, "objects": library.objects})
        click.echo(f"Wrote {output}")


@main.command("check-national")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--norm", default="roemer", show_default=True, help="norm set to check against")
@click.option("--compare", default=None, help="a second norm set: reports the capacity lost between the two")
@click.option("--level", type=click.Choice(["gemeente", "corop", "provincie"]), default="provincie",
              show_default=True, help="region level to print (the output file holds all of them)")
@click.option("--year", "boundary_year", type=int, default=DEFAULT_BOUNDARY_YEAR, show_default=True,
              help="boundary year")
@click.option("--dask", "use_dask", is_flag=True,
              help="run on a Dask cluster: the one at --scheduler, or a LocalCluster started for this run")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="address of a running Dask scheduler (tcp://host:8786); implies --dask")
@click.option("--workers", type=click.IntRange(1), default=2, show_default=True,
              help="workers of the LocalCluster (without --scheduler)")
@click.option("--memory-limit", default="2GiB", show_default=True, help="memory per LocalCluster worker")
@_output_option
@_crs_option
@_map_option
def check_national_command(source: Path, norm: str, compare: str | None, level: str, boundary_year: int,
                           use_dask: bool, scheduler: str | None, workers: int, memory_limit: str,
                           output: Path | None, mapping: dict[str, str], crs: str | None = None) -> None:
    """Check a national housing register (GeoParquet file or folder of files) against a norm set.

    Built for millions of locations (BAG scale): it reads in batches, shows a
    progress bar, and reports per municipality, COROP region and province,
    with the reasons rows could not be used. Each location gets its
    municipality from its point.
    """
    from .geodata import load_boundaries
    from .national import check_national, check_national_dask, national_layers
    from .plan import default_regions

    layer = load_boundaries(boundary_year)
    table = default_regions(layer)
    regions = table if "provincie_code" in table.columns else None
    click.echo(f"Borders: {layer.label('en')}")
    if use_dask or scheduler:
        result = check_national_dask(source, layer, norm, compare, scheduler=scheduler, regions=regions,
                                     mapping=mapping, n_workers=workers, memory_limit=memory_limit, progress=True)
    else:
        from tqdm import tqdm

        with tqdm(total=None, unit=" rows", unit_scale=True, desc="checking", file=sys.stderr,
                  disable=None) as bar:
            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            result = check_national(source, layer, norm, compare, regions=regions, mapping=mapping,
                                    progress=progress)
    click.echo(f"Norm: {result.norm}" + (f", compared with {result.compare}" if result.compare else "")
               + f"; {result.rows:,} rows; engine: {result.engine}")
    shown = ["locations", "capacity", "occupants", "spare_capacity", "persons_over_capacity", "net_spare_capacity",
             "overcrowded_locations", "to_check", "unusable_rows"]
    if compare:
        shown += ["capacity_compare", "capacity_lost"]
    table = result.per_region(level) if level != "gemeente" or regions is None else result.per_gemeente
    names = [c for c in ("provincie", "corop_naam", "gemeentenaam") if c in table.columns][:1]
    with pd.option_context("display.width", 250, "display.max_rows", 400):
        click.echo(pd.concat([table[names], table[shown].astype(int)], axis=1).to_string())
    total = result.totals()
    click.echo("\nTotals:")
    for name in [*shown, "outside_boundaries"]:
        click.echo(f"  {name:<22} {int(total[name]):>12,}")
    if len(result.problems):
        click.echo(f"\n{int(result.problems['rows'].sum()):,} row(s) could not be used and are left out of the totals:")
        for row in result.problems.head(20).itertuples():
            click.echo(f"  {row.rows:>10,} x {row.problem} (e.g. row {row.examples})")
    if output is not None:
        write_results(output, national_layers(result, layer), crs=crs)
        click.echo(f"Wrote {output}")


@main.command("check-housing")
@click.argument("housing_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--norm", default="roemer", show_default=True, help="norm set to check against")
@click.option("--compare", default=None, help="a second norm set: reports the capacity lost between the two")
@click.option("--norms", "norm_files", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="your own norm-set CSV (same columns as norms/norm_sets.csv)")
@click.option("--by", default="gemeentecode", show_default=True, help="column to summarise by")
@click.option("--year", "boundary_year", type=int, default=DEFAULT_BOUNDARY_YEAR, show_default=True,
              help="boundary year: locations with coordinates count in the municipality of that year's layer")
@_output_option
@_crs_option
@_map_option
@_allow_option
def check_housing_command(housing_file: Path, norm: str, compare: str | None, norm_files: tuple[Path, ...],
                          by: str, boundary_year: int, output: Path | None, mapping: dict[str, str],
                          allow_unusable: bool, crs: str | None = None) -> None:
    """Check the housing register HOUSING_FILE against a norm set.

    Reports capacity, overcrowding and spare capacity per location and per
    municipality; rows that cannot be used are listed by line and left out of
    the totals, never dropped silently. Locations are counted in the
    municipality the shortfall counts them in: the one of the boundary layer
    their point lies in, else the one of their code.
    """
    from .geodata import load_boundaries
    from .plan import place_locations

    layer = load_boundaries(boundary_year)
    norms = load_norm_sets(norm_files)
    params = load_housing_parameters()
    checked = _checked_register(housing_file, norm, compare, mapping, allow_unusable, norms=norms, params=params)
    if by not in checked.columns:
        raise InputError(Problem(f"no column '{by}' to summarise by", fix="use gemeentecode or another column"),
                         source=str(housing_file))
    checked["gemeentecode"], checked["placed_by"], notes, problems = place_locations(checked, layer)
    summary = summarise_housing(checked, by)
    click.echo(f"Boundaries: {layer.label('en')}")
    _print_housing_check(summary, norms, norm, compare, params)
    _print_left_out(checked, notes, problems, layer)
    if output is not None:
        write_results(output, housing_layers(checked, summary, norms, str(housing_file),
                                             m2_per_estimated_bedroom=params.m2_per_estimated_bedroom,
                                             signal_persons_per_address=params.signal_persons_per_address),
                      crs=crs)
        click.echo(f"Wrote {output}")


@main.group()
def geodata() -> None:
    """Municipal boundaries: which layer is used, download exact CBS borders, import your own."""


def _year_option(func):
    return click.option("--year", type=int, default=DEFAULT_BOUNDARY_YEAR, show_default=True,
              help="boundary year")(func)


@geodata.command("status")
@_year_option
def geodata_status(year: int) -> None:
    """Say which boundary layer planner uses for YEAR."""
    from .geodata import cached_years, load_boundaries

    layer = load_boundaries(year)
    click.echo(f"{len(layer.boundaries)} municipalities; {layer.label('en')}")
    stored = cached_years()
    click.echo("Stored exact layers: " + (", ".join(map(str, stored)) if stored else "none"))


@geodata.command("download")
@_year_option
@click.option("--url", help="WFS GetFeature URL (default: the CBS wijken en buurten service on PDOK for YEAR)")
@click.option("--page-size", type=click.IntRange(1, 10000), default=1000, show_default=True,
              help="features per request")
@click.option("--timeout", type=click.FloatRange(0.1), default=60.0, show_default=True,
              help="connect and read time-out in seconds")
@click.option("--time-limit", type=click.FloatRange(1), default=600.0, show_default=True,
              help="seconds for the whole download")
@click.option("--max-mb", type=click.FloatRange(0.001), default=256.0, show_default=True,
              help="megabytes for the whole download")
def geodata_download(year: int, url: str | None, page_size: int, timeout: float, time_limit: float,
                     max_mb: float) -> None:
    """Download the exact CBS municipal boundaries of YEAR and use them from now on.

    The download is bounded in time and size and checked in full (every
    municipality of YEAR with a geometry, a known CRS) before it replaces the
    stored layer; a failed download leaves the stored layer as it was.
    """
    from tqdm import tqdm

    from .fetch import FetchLimits
    from .geodata import download_boundaries

    limits = FetchLimits(connect_timeout=timeout, read_timeout=timeout, total_timeout=time_limit,
                         max_bytes=int(max_mb * 1024 * 1024))
    with tqdm(total=None, unit=" features", desc="downloading", file=sys.stderr, disable=None) as bar:
        def progress(done: int, total: int | None) -> None:
            bar.total = total
            bar.update(done - bar.n)

        layer = download_boundaries(year, url=url, page_size=page_size, progress=progress, limits=limits)
    click.echo(f"Stored {len(layer.boundaries)} municipalities; {layer.label('en')}")


@geodata.command("import")
@click.argument("boundary_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--year", type=int, default=None,
              help="boundary year of the file (default: recognised from its municipal codes)")
def geodata_import(boundary_file: Path, year: int | None) -> None:
    """Use the municipal boundaries in BOUNDARY_FILE (GeoPackage, GeoJSON, zipped Shapefile).

    The layer is stored under its own boundary year, recognised from its
    codes (a 2022 layer as 2022); with --year the codes must fit that year.
    """
    from .geodata import import_boundaries

    layer = import_boundaries(boundary_file, year)
    click.echo(f"Stored {len(layer.boundaries)} municipalities; {layer.label('en')}")


@geodata.command("forget")
@_year_option
def geodata_forget(year: int) -> None:
    """Stop using the downloaded or imported layer of YEAR (back to the bundled schematic layer)."""
    from .geodata import forget_boundaries

    click.echo("Removed." if forget_boundaries(year) else f"There was no downloaded or imported layer for {year}.")


def _read_regions(path: Path, layer, mapping: dict[str, str] | None = None):
    """A custom region file: CSV/Excel (gemeentecode, region) or polygons."""
    from .io import read_table
    from .regional import custom_regions

    frame, _ = read_table(path, {"gemeentecode": ("gemeentecode", "gm_code", "gemeente_code", "cbs_code")},
                          mapping, strict=False)
    return custom_regions(frame, layer, source=str(path))


@main.command("shortfall")
@click.option("--sites", "sites_file", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="planned business sites (as for planner assess)")
@click.option("--housing", "housing_file", type=click.Path(dir_okay=False, path_type=Path),
              help="housing register (as for planner check-housing); without it there is no spare capacity")
@click.option("--pipeline", "pipeline_file", type=click.Path(dir_okay=False, path_type=Path),
              help="planned housing projects: beds, year, and a location or gemeentecode")
@click.option("--mode", type=click.Choice(["decay", "capacity"]), default="decay", show_default=True,
              help="decay: spread by distance and population; capacity: fill spare places at least person-km")
@click.option("--level", default="gemeente", show_default=True,
              help="gemeente, corop, provincie, or a file with your own regions (CSV gemeentecode,region or polygons)")
@click.option("--norm", default="roemer", show_default=True, help="norm set for the spare capacity")
@click.option("--year", "boundary_year", type=int, default=DEFAULT_BOUNDARY_YEAR, show_default=True,
              help="boundary year")
@click.option("--mean-distance", type=float, help="mean home-work distance in km (default from parameters/)")
@click.option("--max-distance", type=float, help="maximum home-work distance in km (default from parameters/)")
@click.option("--attractor", type=click.Choice(["population", "spare_capacity"]), help="decay mode: what draws demand")
@click.option("--abroad-share", type=click.FloatRange(0, 1), default=None,
              help="share of the demand placed abroad ('buitenland', cross-border living near DE/BE); default 0")
@_output_option
@_crs_option
@_objects_option
@_map_option
@_allow_option
def shortfall_command(sites_file: Path, housing_file: Path | None, pipeline_file: Path | None, mode: str, level: str,
                      norm: str, boundary_year: int, mean_distance: float | None, max_distance: float | None,
                      attractor: str | None, abroad_share: float | None, output: Path | None,
                      objects: tuple[Path, ...], mapping: dict[str, str], allow_unusable: bool,
                      crs: str | None = None) -> None:
    """Spread the beds the sites need over the municipalities around them and show the shortfall.

    Figures are beds: demand placed in each municipality, its capacity (spare
    places under the norm plus pipeline projects) and the shortfall, per
    municipality or rolled up to COROP, province or your own regions.
    """
    from .allocation import load_allocation_parameters
    from .geodata import load_boundaries
    from .plan import STANDARD_LEVELS, Plan, default_regions
    from .tables import shortfall_layers

    layer = load_boundaries(boundary_year)
    click.echo(f"Boundaries: {layer.label('en')}")
    parameters = load_allocation_parameters().with_values(mean_distance_km=mean_distance,
                                                          max_distance_km=max_distance, attractor=attractor,
                                                          abroad_share=abroad_share)
    library = load_library(objects)
    sites = read_sites(sites_file)
    _show_reading(sites)
    checked = (_checked_register(housing_file, norm, None, mapping, allow_unusable)
               if housing_file is not None else None)
    pipeline = _read_pipeline(pipeline_file, layer) if pipeline_file is not None else None
    regions = default_regions(layer)
    chosen = level
    if level not in STANDARD_LEVELS:
        path = Path(level)
        if not path.exists():
            raise InputError(Problem(f"unknown level '{level}'",
                                     fix="use gemeente, corop, provincie or the path of a region file"))
        custom, column = _read_regions(path, layer)
        regions = regions.merge(custom, on="gemeentecode", how="left") if "corop_code" in regions else custom
        chosen = column
    plan = Plan(sites, checked_housing=checked, pipeline=pipeline, boundaries=layer, regions=regions,
                library=library, parameters=parameters, norm=norm, mode=mode, boundary_year=boundary_year)
    try:
        plan.impact()
    except InputError as exc:
        raise exc.with_source(str(sites_file)) from None
    result = plan.shortfall(chosen)
    table = result.table
    name_column = next((c for c in ("gemeentenaam", "corop_naam", "provincie") if c in table.columns), None)
    shown = table[table["demand_p50"] >= 0.5].sort_values("shortfall_p50", ascending=False)
    out = pd.DataFrame({
        "region": shown[name_column] if name_column else shown.index,
        "demand (beds)": _range(shown, "demand"),
        "capacity": shown["capacity"].round().astype(int),
        "shortfall": _range(shown, "shortfall"),
    })
    click.echo(f"\nMode: {mode}; " + "; ".join(f"{k}: {v}" for k, v in result.allocation.about().items()
                                             if k != "allocation_mode"))
    click.echo(f"Beds to place per {chosen}, P10 / P50 / P90 ({len(shown)} of {len(table)} with demand):")
    with pd.option_context("display.width", 200, "display.max_rows", 40):
        click.echo(out.head(25).to_string(index=False))
    total = result.totals()
    click.echo("\nTotals, P10 / P50 / P90:")
    for quantity in ("demand", "abroad", "unmet", "shortfall"):
        click.echo(f"  {quantity:<10} " + " / ".join(f"{total[f'{quantity}_{lv}']:,.0f}" for lv in LEVELS))
    click.echo(f"  capacity   {total['capacity']:,.0f} (spare places {total['spare_capacity']:,.0f}, pipeline "
               f"{total['pipeline_beds']:,.0f}); existing overcrowding {total['persons_over_capacity']:,.0f} persons")
    if result.year_totals is not None:
        left_out = "; without the sites that have no start year, see the note" if result.years_note else ""
        click.echo(f"\nPer year (P50 of the sum{left_out}), demand / capacity / shortfall: " + ", ".join(
            f"{year}: {row.demand_p50:,.0f} / {row.capacity:,.0f} / {row.shortfall_p50:,.0f}"
            for year, row in result.year_totals.iterrows()))
    for problem in result.problems:
        click.echo(f"Note: {problem}")
    if output is not None:
        sources = {"sites": str(sites_file), "housing": str(housing_file or "(none: no spare capacity)"),
                   "pipeline": str(pipeline_file or "(none)")}
        write_results(output, shortfall_layers(result, library, sources), crs=crs)
        click.echo(f"Wrote {output}")


# -- scenarios -------------------------------------------------------------------------------------

def _store_option(func):
    return click.option("--store", "store_location", envvar="PLANNER_STORE",
                        help="scenario store: a SQLite file or a postgresql:// URL (default: $PLANNER_STORE, else "
                             "scenarios.sqlite in the data directory); passwords via the URL, PGPASSWORD or "
                             ".pgpass, never shown")(func)


def _acting_option(func):
    return click.option("--organisation", "acting", envvar="PLANNER_ORGANISATION",
                        help="the organisation you act for: names are looked up among its scenarios (default "
                             "$PLANNER_ORGANISATION; in the shared store your database role decides)")(func)


def _login() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # pragma: no cover - no user name on this system
        return "unknown"


def _open_store(store_location: str | None, organisation: str | None = None):
    from .store import open_store

    return open_store(store_location, organisation=organisation)


def _print_housing_check(summary: pd.DataFrame, norms: dict, norm: str, compare: str | None, params) -> None:
    """The norm used, the summary per municipality and the totals, as check-housing prints them."""
    total = housing_totals(summary)
    chosen = norms[norm]
    click.echo(f"Norm: {chosen.name} (version {chosen.version_date or 'undated'}) - {chosen.label_en} "
               f"({chosen.source})")
    if compare:
        click.echo(f"Compared with: {norms[compare].name} (version {norms[compare].version_date or 'undated'}) - "
                   f"{norms[compare].label_en}")
    shown = ["locations", "capacity", "occupants", "spare_capacity", "persons_over_capacity",
             "net_spare_capacity", "overcrowded_locations", "signals", "bedrooms_estimated", "to_check",
             "unusable_rows"]
    if compare:
        shown += ["capacity_compare", "capacity_lost"]
    shown += [c for c in ("snf_certified_locations", "capacity_snf_certified") if c in summary.columns]
    with pd.option_context("display.width", 200, "display.max_rows", 60):
        click.echo(summary[shown].astype(int).to_string())
    click.echo("\nTotals:")
    for name in shown:
        click.echo(f"  {name:<22} {int(total[name]):>8,}")
    if total["bedrooms_estimated"]:
        click.echo(f"\nBedrooms estimated (one per {params.m2_per_estimated_bedroom:g} m2, an assumption) "
                   f"for {int(total['bedrooms_estimated'])} location(s).")


def _print_rows(header: str, lines: list[str], in_output: bool = True) -> None:
    """A header and at most 20 lines under it."""
    if not lines:
        return
    click.echo(f"\n{header}")
    for line in lines[:20]:
        click.echo(f"  {line}")
    if len(lines) > 20:
        click.echo(f"  ... and {len(lines) - 20} more" + (" (all listed in the output file)" if in_output else ""))


def _print_left_out(checked: pd.DataFrame, notes: list[Problem], problems: list[Problem], layer) -> None:
    """Rows left out of the totals, rows to check, and how municipal codes were read against the layer."""
    label = checked.index.name or "row"
    bad = checked.loc[~checked["valid"].astype(bool), "problem"]
    _print_rows(f"{len(bad)} row(s) could not be used and are left out of the totals:",
                [f"{label} {index}: {reason}" for index, reason in bad.items()])
    odd = checked.loc[checked["to_check"].astype(str).ne(""), "to_check"]
    _print_rows(f"{len(odd)} row(s) to check: values that do not fit together; counted as they are:",
                [f"{label} {index}: {reason}" for index, reason in odd.items()])
    def lines(found: list[Problem]) -> list[str]:
        return [str(problem).removeprefix("housing ") for problem in found]

    carried = [note for note in notes if note.column == "gemeentecode"]
    _print_rows(f"{len(carried)} row(s) have the code of a municipality merged since; counted under its "
                f"municipality of {layer.year}:", lines(carried), in_output=False)
    other = [note for note in notes if note.column != "gemeentecode"]
    hint = (" (schematic borders are approximate: planner geodata download gives the exact ones)"
            if layer.kind == "schematic" else "")
    _print_rows(f"{len(other)} row(s) have a point in another municipality than their code; counted where the "
                f"point lies{hint}:", lines(other), in_output=False)
    _print_rows(f"{len(problems)} row(s) have a code that is no municipality of {layer.year}; counted under "
                "(unknown):", lines(problems), in_output=False)


@main.group()
def scenario() -> None:
    """Save, list, show, compare, export and import scenarios."""


def _read_pipeline(pipeline_file: Path, layer) -> pd.DataFrame:
    """Pipeline projects, with how the file was read (every row is used, or the file is refused)."""
    from .io import read_table
    from .regional import PIPELINE_ALIASES, prepare_pipeline

    frame, _ = read_table(pipeline_file, PIPELINE_ALIASES, strict=False, kind="pipeline")
    pipeline = prepare_pipeline(frame, layer, source=str(pipeline_file))
    _show_reading(frame, rows_used(pipeline, "pipeline", str(pipeline_file)))
    return pipeline


def _inputs(sites_file, housing_file, pipeline_file, norm, layer, parameters_basis, mapping=None,
            allow_unusable=False):
    from .regional import capacity_by_gemeente

    sites = read_sites(sites_file) if sites_file else None
    if sites is not None:
        _show_reading(sites)
    summary = None
    if housing_file:
        checked = _checked_register(housing_file, norm, None, mapping, allow_unusable)
        summary, _ = capacity_by_gemeente(checked, layer, parameters_basis)
    pipeline = _read_pipeline(pipeline_file, layer) if pipeline_file else None
    return sites, summary, pipeline


@scenario.command("save")
@click.option("--name", help="scenario name (new scenarios)")
@click.option("--organisation", envvar="PLANNER_ORGANISATION",
              help="municipality or region that owns it (new scenarios; in the shared store: your role's)")
@click.option("--author", help="your name, shown beside the login that saved the version (default: the login)")
@click.option("--from", "from_ref", help="save a new version of this stored scenario (ID or ID:VERSION)")
@click.option("--sites", "sites_file", type=click.Path(dir_okay=False, path_type=Path), help="site file")
@click.option("--housing", "housing_file", type=click.Path(dir_okay=False, path_type=Path), help="housing register")
@click.option("--pipeline", "pipeline_file", type=click.Path(dir_okay=False, path_type=Path),
              help="pipeline projects")
@click.option("--norm", default=None, help="norm set (default roemer, or the stored scenario's)")
@click.option("--mode", type=click.Choice(["decay", "capacity"]), default=None, help="allocation mode")
@click.option("--level", default=None, help="gemeente, corop or provincie")
@click.option("--note", default="", help="what changed")
@_store_option
@_map_option
@_allow_option
def scenario_save(name, organisation, author, from_ref, sites_file, housing_file, pipeline_file, norm, mode, level,
                  note, store_location, mapping, allow_unusable) -> None:
    """Save a new scenario, or a new version of a stored one (--from)."""
    from .geodata import load_boundaries
    from .scenarios import capacity_table, make_scenario

    store = _open_store(store_location, organisation)
    who = store.identity()
    if who is not None and who.verified:
        if who.organisation is None:
            raise InputError(Problem(f"database role '{who.login}' is not a member of the shared store",
                                     fix=f"ask the administrator: planner store add-member {who.login} "
                                         "\"YOUR ORGANISATION\""), source=store.location)
        organisation = organisation or who.organisation
    author = author or (who.login if who is not None else None) or _login()
    layer = load_boundaries()
    if from_ref:
        scenario_id, version = store.find(from_ref)
        base = store.open(scenario_id, version)
        sites, summary, pipeline = _inputs(sites_file, housing_file, pipeline_file, norm or base.norm or "roemer",
                                           layer, "spare_capacity", mapping, allow_unusable)
        changes = {"note": note or base.note}
        if sites is not None:
            from .scenarios import Scenario

            changes["sites"] = Scenario(name="x", organisation="x", author="x", sites=sites).sites
        if summary is not None:
            changes["capacity"] = capacity_table(summary)
        if pipeline is not None:
            changes["pipeline"] = pipeline
        for key, value in (("norm", norm), ("mode", mode), ("level", level)):
            if value:
                changes[key] = value
        new = base.edited(author=author, **changes)
    else:
        missing = [o for o, v in (("--name", name), ("--organisation", organisation), ("--sites", sites_file)) if not v]
        if missing:
            raise click.UsageError(f"a new scenario needs {', '.join(missing)} (or --from ID for a new version)")
        sites, summary, pipeline = _inputs(sites_file, housing_file, pipeline_file, norm or "roemer", layer,
                                           "spare_capacity", mapping, allow_unusable)
        new = make_scenario(name, organisation, author, sites, housing_summary=summary, pipeline=pipeline,
                            norm=norm or "roemer", mode=mode or "decay", level=level or "gemeente", layer=layer,
                            note=note)
    saved = store.save(new)
    click.echo(f"Saved '{printable(saved.name)}' version {saved.version} ({saved.id}) for "
               f"{printable(saved.organisation)} by {printable(saved.author)} in {store.location}")


@scenario.command("list")
@click.option("--organisation", help="only this organisation's scenarios")
@_store_option
def scenario_list(organisation, store_location) -> None:
    """List the stored scenarios (latest version of each)."""
    store = _open_store(store_location)
    table = store.list(organisation)
    if table.empty:
        click.echo(f"No scenarios in {store.location}.")
        return
    with pd.option_context("display.width", 200, "display.max_colwidth", 50):
        click.echo(table[["id", "version", "name", "organisation", "author", "saved_by", "created"]]
                   .to_string(index=False))


@scenario.command("show")
@click.argument("reference")
@_acting_option
@_store_option
def scenario_show(reference, acting, store_location) -> None:
    """Show a scenario version (ID, ID:VERSION or name), its history and its totals."""
    from .scenarios import evaluate

    store = _open_store(store_location, acting)
    scenario_id, version = store.find(reference, acting)
    chosen = store.open(scenario_id, version)
    for key, value in chosen.meta().items():  # names and notes of other organisations: shown, never run
        click.echo(f"{key:<15} {printable(value, limit=NOTE_LIMIT)}")
    click.echo("\nHistory:")
    click.echo(store.history(scenario_id)[["version", "author", "saved_by", "created", "note"]]
               .to_string(index=False))
    totals = evaluate(chosen).totals()
    click.echo("\nTotals (P50):")
    for key in ("workers_p50", "migrants_p50", "beds_needed_p50", "demand_p50", "capacity",
                "shortfall_p50"):
        click.echo(f"  {key:<20} {totals[key]:>10,.0f}")


@scenario.command("compare")
@click.argument("references", nargs=-1, required=True)
@_output_option
@_acting_option
@_store_option
def scenario_compare(references, output, acting, store_location) -> None:
    """Compare two or more scenario versions; differences are against the first."""
    from .scenarios import compare, evaluate

    store = _open_store(store_location, acting)
    results = [evaluate(store.open(*store.find(reference, acting))) for reference in references]
    comparison = compare(results)
    shown = ["workers_p50", "migrants_p50", "beds_needed_p50", "demand_p50", "capacity",
             "shortfall_p50", "shortfall_p10", "shortfall_p90"]
    with pd.option_context("display.width", 220, "display.max_columns", 20):
        click.echo(comparison.totals.loc[shown].round(0).to_string())
    if output is not None:
        write_results(output, {"totals": comparison.totals.rename_axis("figure").reset_index(),
                               "per_gemeente": comparison.per_gemeente.reset_index(),
                               "difference_map": comparison.difference_map})
        click.echo(f"Wrote {output}")


@scenario.command("export")
@click.argument("reference")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@_acting_option
@_store_option
def scenario_export(reference, target, acting, store_location) -> None:
    """Write a scenario version to a GeoPackage to send to another municipality."""
    from .exchange import write_scenario
    from .scenarios import evaluate

    store = _open_store(store_location, acting)
    chosen = store.open(*store.find(reference, acting))
    write_scenario(chosen, target, evaluate(chosen))
    click.echo(f"Wrote '{printable(chosen.name)}' version {chosen.version} to {target}")


@scenario.command("import")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--author", help="who imports it (default: the file's author)")
@click.option("--organisation", envvar="PLANNER_ORGANISATION",
              help="store it for this organisation (default: the file's; in the shared store: your role's)")
@_store_option
def scenario_import(source, author, organisation, store_location) -> None:
    """Read a scenario GeoPackage (checked) and store it as a new scenario."""
    import uuid

    from .exchange import read_scenario

    store = _open_store(store_location, organisation)
    received = read_scenario(source)
    who = store.identity()
    owner = (who.organisation if who is not None and who.verified else None) or organisation or received.organisation
    fresh = received.edited(author=author or received.author, id=str(uuid.uuid4()), version=0, organisation=owner,
                            note=(f"imported from {source.name}, was {received.id} v{received.version}; "
                                  + received.note).strip("; "))
    saved = store.save(fresh)
    click.echo(f"Imported '{printable(saved.name)}' as {saved.id} version {saved.version} in {store.location}")


@scenario.command("delete")
@click.argument("reference")
@_acting_option
@_store_option
def scenario_delete(reference, acting, store_location) -> None:
    """Delete a scenario with all its versions (your organisation's only)."""
    store = _open_store(store_location, acting)
    scenario_id, _ = store.find(reference, acting)
    store.delete(scenario_id)
    click.echo(f"Deleted {scenario_id}")


# -- the shared store's administration --------------------------------------------------------------

@main.group("store")
def store_group() -> None:
    """Set up and inspect a scenario store (the shared store's administrator)."""


@store_group.command("status")
@_acting_option
@_store_option
def store_status(acting, store_location) -> None:
    """Where the store is, its schema version and who you are in it."""
    store = _open_store(store_location, acting)
    who = store.identity()
    click.echo(f"Store:          {store.location}")
    click.echo(f"Schema version: {store.schema_version()}")
    if who is None:
        click.echo("You act for:    (not stated; give --organisation or set PLANNER_ORGANISATION)")
    else:
        how = "database role" if who.verified else "stated"
        click.echo(f"You act for:    {who.organisation or '(no organisation: not a member)'} "
                   f"(login {who.login}, {how})")
    _hardening_warnings(store)


def _hardening_warnings(store) -> None:
    """Print what keeps one member from taking the whole shared server and is not in place."""
    from .store import PostgresStore

    if isinstance(store, PostgresStore):
        for warning in store.hardening_warnings():
            click.echo(f"Warning: {warning}", err=True)


@store_group.command("setup")
@_store_option
def store_setup(store_location) -> None:
    """Create or upgrade the shared store's tables, rights and row-level security (as the database owner)."""
    from .store import POSTGRES_MIGRATIONS, PostgresStore

    store = _open_store(store_location)
    applied = store.migrate()
    if not applied:
        click.echo(f"{store.location} is up to date (schema version {store.schema_version()}).")
    for number in applied:
        described = POSTGRES_MIGRATIONS[number][0] if isinstance(store, PostgresStore) else ""
        click.echo(f"Applied migration {number}" + (f": {described}" if described else ""))
    _hardening_warnings(store)


@store_group.command("add-member")
@click.argument("role")
@click.argument("organisation")
@_store_option
def store_add_member(role, organisation, store_location) -> None:
    """Let database ROLE read every scenario and change those of ORGANISATION (shared store only)."""
    from .store import PostgresStore

    store = _open_store(store_location)
    if not isinstance(store, PostgresStore):
        raise click.UsageError("members exist only in the shared PostgreSQL store (--store postgresql://...)")
    warned = store.add_member(role, organisation)
    click.echo(f"Role {role} now saves for {organisation} in {store.location}")
    for warning in warned:
        click.echo(f"Warning: {warning}", err=True)


@store_group.command("members")
@_store_option
def store_members(store_location) -> None:
    """The member roles of the shared store and their organisations."""
    from .store import PostgresStore

    store = _open_store(store_location)
    if not isinstance(store, PostgresStore):
        raise click.UsageError("members exist only in the shared PostgreSQL store (--store postgresql://...)")
    click.echo(store.members().to_string(index=False))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

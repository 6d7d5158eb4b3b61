"""planner's benchmark: ``make bench``.

Measures, on generated inputs of stated sizes, on this machine:

* the national housing check end to end (load borders, read GeoParquet,
  assign each location to its municipality by its point, check it against a
  norm set, sum per municipality and per province) at 0.1M, 1M and 10M
  locations: wall-clock time and peak memory of a fresh process;
* the same assignment, check and aggregation in PostGIS on the same rows,
  timed in the same run (loading the rows into the database is reported but
  not counted), and the ratio of the two; the per-municipality answers of
  both are compared;
* the impact assessment of 100,000 sites and the allocation of 1,000 sites
  over the municipalities in both modes.

It writes the figures into ``docs/benchmarks.md`` (between the markers) and
prints them. Generated inputs are kept in ``.bench-data/``; delete it to
generate them again. Options: ``--sizes 100000,1000000`` to run fewer sizes,
``--no-postgis`` to skip the database.
"""

from __future__ import annotations

import argparse
import binascii
import json
import os
import platform
import resource
import subprocess
import sys
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".bench-data"
SHARED = ROOT.parent / "shared" / "geodata" / "cbs_gemeenten_2024.geojson"
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
NORM = "roemer"


def boundaries():
    """Real CBS 2024 borders when ../shared/geodata has them, else the bundled schematic layer.

    The real file is imported once into a cache under .bench-data, as
    ``planner geodata import`` does for a user, and loaded from there.
    """
    from planner.geodata import import_boundaries, load_boundaries

    if SHARED.is_file():
        cache = DATA / "geodata"
        layer = load_boundaries(2024, directory=cache)
        if layer.kind != "exact":
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                layer = import_boundaries(SHARED, 2024, directory=cache)
        return layer
    return load_boundaries(2024)


def register_file(n: int, layer) -> Path:
    from planner.national import write_geoparquet
    from planner.synthetic import national_register

    DATA.mkdir(exist_ok=True)
    path = DATA / f"register-{n}-{layer.kind}.parquet"
    if not path.exists():
        started = time.perf_counter()
        write_geoparquet(path, national_register(n, layer.boundaries, seed=n))
        print(f"  generated {n:,} locations in {time.perf_counter() - started:.1f} s -> {path.name}", flush=True)
    return path


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


# -- measurements, each in a fresh process ---------------------------------------------------------

def measure_planner(path: str) -> dict:
    started = time.perf_counter()
    import pyogrio  # noqa: F401  (libraries planner loads on first use: counted as imports, not as work)
    import pyproj  # noqa: F401
    import scipy.ndimage  # noqa: F401

    from planner.geodata import region_table
    from planner.national import check_national

    imported = time.perf_counter()
    layer = boundaries()
    result = check_national(path, layer, NORM, regions=region_table(2024))
    provinces = result.per_region("provincie")
    done = time.perf_counter()
    return {"seconds": done - started, "work_seconds": done - imported, "peak_mb": peak_mb(), "rows": result.rows,
            "capacity": float(result.totals()["capacity"]), "provinces": len(provinces),
            "per_gemeente": {k: [float(v["capacity"]), int(v["locations"])] for k, v in
                             result.per_gemeente.iterrows()}}


def measure_impact(n: int) -> dict:
    import numpy as np

    from planner.demo import load_demo_sites
    from planner.impact import assess
    from planner.library import load_library

    library = load_library()
    demo = load_demo_sites()
    rng = np.random.default_rng(1)
    sites = demo.iloc[rng.integers(0, len(demo), n)].reset_index(drop=True)
    for column in ("floor_area_m2", "plot_area_ha"):
        if column in sites:
            sites[column] = sites[column] * rng.uniform(0.5, 1.5, n)
    started = time.perf_counter()
    result = assess(sites, library)
    return {"seconds": time.perf_counter() - started, "sites": len(result), "peak_mb": peak_mb()}


def measure_allocation(n: int) -> dict:
    import geopandas as gpd
    import numpy as np
    import pandas as pd

    from planner.allocation import allocate
    from planner.demo import load_demo_sites
    from planner.impact import assess
    from planner.library import load_library
    from planner.regions import PointIndex
    from planner.synthetic import national_register

    layer = boundaries()
    demo = load_demo_sites()
    rng = np.random.default_rng(2)
    sites = demo.iloc[rng.integers(0, len(demo), n)].reset_index(drop=True)
    places = national_register(n, layer.boundaries, seed=3, bad_share=0)
    assessed = assess(sites, load_library())  # areas from the demo plots, then spread over the country
    assessed = assessed.set_geometry(gpd.GeoSeries.from_xy(places["x"], places["y"], crs="EPSG:28992").to_numpy())
    assessed = assessed.set_crs("EPSG:28992", allow_override=True)
    codes = layer.boundaries["gemeentecode"]
    capacity = pd.Series(rng.integers(0, 400, len(codes)).astype(float), index=codes.to_numpy())
    assert (PointIndex(layer.boundaries.geometry.to_numpy()).locate(places["x"], places["y"]) >= 0).all()
    out = {"sites": n, "municipalities": len(codes)}
    for mode in ("decay", "capacity"):
        started = time.perf_counter()
        allocation = allocate(assessed, layer.boundaries, capacity, mode=mode)
        out[mode] = time.perf_counter() - started
        out[f"{mode}_beds"] = float(allocation.per_gemeente.filter(like="p50").sum().iloc[0])
    out["peak_mb"] = peak_mb()
    return out


def in_fresh_process(kind: str, argument: str) -> dict:
    run = subprocess.run([sys.executable, __file__, "--measure", kind, argument], capture_output=True, text=True,
                         cwd=ROOT)
    if run.returncode != 0:
        raise RuntimeError(f"{kind} {argument} failed:\n{run.stderr[-3000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


# -- PostGIS ---------------------------------------------------------------------------------------

def _sql_capacity(norm) -> tuple[str, str]:
    """The norm check of planner.housing.capacity and prepare_locations, written in SQL."""
    import math

    def given(value: float) -> bool:
        return not math.isnan(value)

    m2 = (f"CASE WHEN type IN ('woning', 'kamerverhuur') THEN {norm.m2_per_person_regular_dwelling} "
          f"ELSE {norm.m2_per_person} END" if given(norm.m2_per_person_regular_dwelling) else str(norm.m2_per_person))
    bedrooms = "coalesce(bedrooms, greatest(1, floor(floor_area_m2 / 33.0 + 1e-9)))"
    limits = [f"floor(floor_area_m2 / ({m2}) + 1e-9)",
              f"{bedrooms} * {norm.max_persons_per_bedroom}" if given(norm.max_persons_per_bedroom) else None,
              (f"coalesce(floor(bedroom_area_m2 / {norm.min_bedroom_m2_per_person} + 1e-9), 'Infinity')"
               if given(norm.min_bedroom_m2_per_person) else None),
              (f"coalesce(least(toilets, showers) * {norm.persons_per_sanitary_unit}, 'Infinity')"
               if given(norm.persons_per_sanitary_unit) else None),
              "coalesce(licensed_beds, 'Infinity')"]
    capacity = "least(" + ", ".join(limit for limit in limits if limit) + ")"
    valid = ("floor_area_m2 > 0 AND floor_area_m2 <= 100000 AND coalesce(occupants, 0) >= 0 "
             "AND coalesce(occupants, 0) <= 5000 AND coalesce(occupants = floor(occupants), true) "
             "AND coalesce(bedrooms >= 1, true) AND coalesce(licensed_beds >= 0, true) AND NOT ST_IsEmpty(geom)")
    return capacity, valid


def postgis_load(cursor, path: Path, table: str, folder: Path) -> float:
    """Copy a GeoParquet register into a table (hex EWKB points with SRID 28992); returns seconds."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    started = time.perf_counter()
    data = pq.read_table(path)
    n = data.num_rows
    x = data.column("geometry").combine_chunks()
    raw = np.frombuffer(x.buffers()[2], dtype=np.uint8)[: n * 21].reshape(n, 21)
    ewkb = np.zeros((n, 25), dtype=np.uint8)
    ewkb[:, 0] = 1
    ewkb[:, 1:5] = np.frombuffer(np.uint32(0x20000001).tobytes(), dtype=np.uint8)
    ewkb[:, 5:9] = np.frombuffer(np.uint32(28992).tobytes(), dtype=np.uint8)
    ewkb[:, 9:25] = raw[:, 5:21]
    hexed = np.frombuffer(binascii.hexlify(ewkb.tobytes()), dtype="S50")
    table_data = pa.table({
        "location_id": data.column("location_id"), "type": data.column("type").cast(pa.string()),
        "floor_area_m2": data.column("floor_area_m2"), "bedrooms": data.column("bedrooms"),
        "occupants": data.column("occupants"), "licensed_beds": data.column("licensed_beds"),
        "geom": pa.array(hexed.astype(str)),
    })
    csv_path = folder / f"{table}.csv"
    pacsv.write_csv(table_data, csv_path, pacsv.WriteOptions(include_header=False))
    os.chmod(csv_path, 0o644)
    del data, table_data, hexed, ewkb
    cursor.execute(f"DROP TABLE IF EXISTS {table}")
    cursor.execute(f"CREATE TABLE {table} (location_id bigint, type text, floor_area_m2 double precision, "
                   "bedrooms double precision, occupants double precision, licensed_beds double precision, "
                   "bedroom_area_m2 double precision, toilets double precision, showers double precision, "
                   "geom geometry(Point, 28992))")
    cursor.execute(f"COPY {table} (location_id, type, floor_area_m2, bedrooms, occupants, licensed_beds, geom) "
                   f"FROM '{csv_path}' (FORMAT csv)")
    cursor.execute(f"VACUUM ANALYZE {table}")
    csv_path.unlink()
    return time.perf_counter() - started


def postgis_check(cursor, table: str, norm) -> tuple[float, dict]:
    """Borders into PostGIS (subdivided, indexed), then one query: assign, check, sum per gemeente and province."""
    capacity, valid = _sql_capacity(norm)
    started = time.perf_counter()
    cursor.execute("DROP TABLE IF EXISTS gem_sub")
    cursor.execute("CREATE TABLE gem_sub AS SELECT position, code, ST_Subdivide(geom, 128) AS geom "
                   "FROM gemeenten")
    cursor.execute("CREATE INDEX ON gem_sub USING gist (geom)")
    cursor.execute("ANALYZE gem_sub")
    cursor.execute(f"""
        SELECT grouping(s.code), grouping(r.provincie_code), coalesce(s.code, r.provincie_code, '(unknown)'),
               sum(cap) FILTER (WHERE ok), count(*) FILTER (WHERE ok), count(*) FILTER (WHERE NOT ok),
               sum(coalesce(occupants, 0)) FILTER (WHERE ok),
               sum(greatest(cap - coalesce(occupants, 0), 0)) FILTER (WHERE ok),
               sum(greatest(coalesce(occupants, 0) - cap, 0)) FILTER (WHERE ok)
        FROM (SELECT h.*, coalesce({valid}, false) AS ok, {capacity} AS cap FROM {table} h) h
        -- One municipality per location, the first in the layer where borders overlap (as planner does).
        LEFT JOIN LATERAL (SELECT code FROM gem_sub WHERE ST_Intersects(gem_sub.geom, h.geom)
                           ORDER BY position LIMIT 1) s ON true
        LEFT JOIN regio r ON r.gemeentecode = s.code
        GROUP BY GROUPING SETS ((s.code), (r.provincie_code))""")
    rows = cursor.fetchall()
    seconds = time.perf_counter() - started
    per_gemeente = {r[2]: [float(r[3] or 0), int(r[4])] for r in rows if r[0] == 0}
    provinces = [r for r in rows if r[1] == 0 and r[2] != "(unknown)"]
    return seconds, {"per_gemeente": per_gemeente, "provinces": len(provinces)}


def postgis_setup(cursor, layer) -> None:
    from planner.geodata import region_table

    cursor.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    cursor.execute("DROP TABLE IF EXISTS gemeenten")
    cursor.execute("CREATE TABLE gemeenten (position int, code text, geom geometry(MultiPolygon, 28992))")
    import shapely

    for position, (code, geometry) in enumerate(zip(layer.boundaries["gemeentecode"], layer.boundaries.geometry,
                                                    strict=True)):
        cursor.execute("INSERT INTO gemeenten VALUES (%s, %s, ST_Multi(ST_GeomFromWKB(%s, 28992)))",
                       (position, code, shapely.to_wkb(geometry)))
    regions = region_table(2024)
    cursor.execute("DROP TABLE IF EXISTS regio")
    cursor.execute("CREATE TABLE regio (gemeentecode text PRIMARY KEY, provincie_code text)")
    with cursor.copy("COPY regio FROM STDIN") as copy:
        for code, province in zip(regions["gemeentecode"], regions["provincie_code"], strict=True):
            copy.write_row((code, province))


def compare_answers(planner: dict, postgis: dict) -> str:
    """How far the per-municipality capacity and counts of the two engines are apart."""
    codes = set(planner) | set(postgis)
    worst = max((abs(planner.get(c, [0, 0])[1] - postgis.get(c, [0, 0])[1]) for c in codes), default=0)
    worst_capacity = max((abs(planner.get(c, [0, 0])[0] - postgis.get(c, [0, 0])[0]) for c in codes), default=0)
    if worst == 0 and worst_capacity == 0:
        return "identical per municipality"
    return f"differ: at most {worst} locations / {worst_capacity:g} places in one municipality"


# -- the run ---------------------------------------------------------------------------------------

def machine() -> dict:
    import numpy
    import pandas
    import pyarrow
    import shapely

    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    versions = {m.__name__: m.__version__ for m in (numpy, pandas, pyarrow, shapely)}
    return {"cpu": model, "cores": os.cpu_count(), "memory_gb": round(memory_gb, 1),
            "python": platform.python_version(), "system": f"{platform.system()} {platform.release()}",
            "libraries": versions}


def run(sizes: list[int], postgis: bool) -> dict:
    from planner.housing import load_norm_sets

    layer = boundaries()
    results = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(),
               "borders": layer.label("en"), "housing": [], "commit": _commit()}
    print(f"Borders: {results['borders']}", flush=True)
    cluster = cursor = None
    if postgis:
        import psycopg

        from planner.pgcluster import throwaway_cluster

        cluster = throwaway_cluster("bench", {"shared_buffers": "2GB", "work_mem": "256MB",
                                             "max_parallel_workers_per_gather": "2", "jit": "off"})
        info = cluster.__enter__()
        connection = psycopg.connect(info["admin"], autocommit=True)
        cursor = connection.cursor()
        postgis_setup(cursor, layer)
        version = cursor.execute("SELECT version(), postgis_lib_version()").fetchone()
        results["postgis_version"] = f"{version[0].split(',')[0]}, PostGIS {version[1]}"
    try:
        for n in sizes:
            path = register_file(n, layer)
            mine = in_fresh_process("planner", str(path))
            row = {"rows": n, "file_mb": round(path.stat().st_size / 2**20, 1), "seconds": round(mine["seconds"], 2),
                   "work_seconds": round(mine["work_seconds"], 2), "peak_mb": round(mine["peak_mb"])}
            print(f"  planner  {n:>11,} rows: {mine['seconds']:7.2f} s with imports, {mine['work_seconds']:.2f} s "
                  f"without; peak {mine['peak_mb']:,.0f} MB", flush=True)
            if cursor is not None:
                table = f"housing_{n}"
                load = postgis_load(cursor, path, table, info["folder"])
                seconds, answer = postgis_check(cursor, table, load_norm_sets()[NORM])
                cursor.execute(f"DROP TABLE {table}")
                row.update({"postgis_load_seconds": round(load, 1), "postgis_seconds": round(seconds, 2),
                            "ratio": round(seconds / mine["work_seconds"], 1),
                            "agreement": compare_answers(mine["per_gemeente"], answer["per_gemeente"])})
                print(f"  postgis  {n:>11,} rows: {seconds:7.2f} s (load {load:.0f} s not counted); "
                      f"planner {seconds / mine['work_seconds']:.1f}x faster; {row['agreement']}", flush=True)
            results["housing"].append(row)
    finally:
        if cluster is not None:
            cursor.connection.close()
            cluster.__exit__(None, None, None)
    impact = in_fresh_process("impact", "100000")
    print(f"  impact   100,000 sites: {impact['seconds']:.2f} s", flush=True)
    allocation = in_fresh_process("allocation", "1000")
    print(f"  allocation 1,000 sites x {allocation['municipalities']} municipalities: decay "
          f"{allocation['decay']:.2f} s, capacity {allocation['capacity']:.2f} s", flush=True)
    results["impact"] = {k: round(v, 3) if isinstance(v, float) else v for k, v in impact.items()}
    results["allocation"] = {k: round(v, 3) if isinstance(v, float) else v for k, v in allocation.items()}
    return results


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              cwd=ROOT).stdout.strip() or "?"
    except OSError:
        return "?"


def markdown(results: dict) -> str:
    m = results["machine"]
    lines = [f"Last run: {results['date']}, commit `{results['commit']}`.", "",
             f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB memory; {m['system']}; "
             f"Python {m['python']}; " + ", ".join(f"{k} {v}" for k, v in m["libraries"].items()) + ".",
             f"Borders: {results['borders']}.", ""]
    if "postgis_version" in results:
        lines += [f"Database: {results['postgis_version']} (throwaway cluster on 127.0.0.1, shared_buffers 2GB, "
                  "work_mem 256MB, 2 parallel workers per query).", ""]
    lines += ["### National housing check (norm set `roemer`)", "",
              "| locations | GeoParquet | planner, whole process | planner, work | planner peak memory | "
              "PostGIS, work | planner faster by | PostGIS load (not counted) | answers |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for row in results["housing"]:
        lines.append(f"| {row['rows']:,} | {row['file_mb']} MB | {row['seconds']:.2f} s | "
                     f"{row['work_seconds']:.2f} s | {row['peak_mb']:,} MB | "
                     + (f"{row['postgis_seconds']:.2f} s | {row['ratio']:.1f}x | {row['postgis_load_seconds']:.0f} s | "
                        f"{row['agreement']} |" if "postgis_seconds" in row else "not run | | | |"))
    impact, allocation = results["impact"], results["allocation"]
    lines += ["", "### Impact assessment and allocation", "",
              "| work | input | time | target |", "|---|---|---:|---:|",
              f"| impact assessment (`assess`) | {impact['sites']:,} sites | {impact['seconds']:.2f} s | < 1 s |",
              f"| allocation, distance decay | {allocation['sites']:,} sites x {allocation['municipalities']} "
              f"municipalities | {allocation['decay']:.2f} s | < 5 s |",
              f"| allocation, capacity (linear program, HiGHS) | {allocation['sites']:,} sites x "
              f"{allocation['municipalities']} municipalities | {allocation['capacity']:.2f} s | < 5 s |"]
    return "\n".join(lines)


def write_doc(results: dict) -> None:
    text = DOC.read_text(encoding="utf-8")
    start, stop = text.index(BEGIN) + len(BEGIN), text.index(END)
    DOC.write_text(text[:start] + "\n" + markdown(results) + "\n" + text[stop:], encoding="utf-8")
    (DATA / "results.json").write_text(json.dumps(results, indent=2))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000,10000000")
    parser.add_argument("--no-postgis", action="store_true")
    parser.add_argument("--no-doc", action="store_true", help="print only; leave docs/benchmarks.md alone")
    parser.add_argument("--measure", nargs=2, metavar=("KIND", "ARG"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        kind, argument = args.measure
        measured = {"planner": lambda: measure_planner(argument), "impact": lambda: measure_impact(int(argument)),
                    "allocation": lambda: measure_allocation(int(argument))}[kind]()
        print(json.dumps(measured))
        return 0
    results = run([int(s) for s in args.sizes.split(",")], not args.no_postgis)
    if not args.no_doc:
        write_doc(results)
        print(f"Wrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

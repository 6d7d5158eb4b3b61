"""planner's benchmark: ``make bench``.

Measures, on generated inputs of stated sizes, on this machine:

* the national housing check end to end (load borders, read GeoParquet,
  assign each location to its municipality by its point, check it against a
  norm set, sum per municipality) on a register distributed like real
  housing (``benchmarks/realistic.py``: households per municipality, towns,
  border zones, points abroad, null geometries, repeated ids), against
  DuckDB spatial and SedonaDB on the same file (``benchmarks/peers.py``),
  each in a fresh process, in interleaved rounds: wall time, CPU time (user
  + system of the process) and peak memory, min / median / max; and checks
  that all answers agree per municipality;
* the same in PostGIS on the same rows (subdivided, disjoint borders with a
  GiST index, ANALYZE, two parallel workers; loading is reported apart),
  wall time of the query;
* planner on the uniform register of earlier rounds, for comparison;
* the impact assessment of 100,000 sites and the allocation of 1,000 and
  10,000 sites over the municipalities in both modes.

It writes the figures into ``docs/benchmarks.md`` (between the markers) and
prints them. Generated inputs are kept in ``.bench-data/``; delete it to
generate them again. Options: ``--sizes 100000,1000000`` to run fewer sizes,
``--rounds 3``, ``--no-postgis`` to skip the database.
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
    """Peak resident memory of this process (VmHWM). Not ru_maxrss: on Linux a child started from a large
    parent inherits the parent's maximum, which would charge the benchmark runner's memory to the contender."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # pragma: no cover - not Linux


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


def disjoint_borders() -> Path:
    """The borders as the peers get them (disjoint, cut on a 5 km grid), made once into .bench-data."""
    import peers

    path = DATA / f"borders-disjoint-{'exact' if SHARED.is_file() else 'schematic'}.parquet"
    if not path.exists():
        peers.disjoint_pieces(boundaries().boundaries).to_parquet(path)
    return path


def peer_sql() -> tuple[str, str]:
    from planner.housing import load_norm_sets

    capacity, valid = _sql_capacity(load_norm_sets()[NORM])
    return capacity.replace("'Infinity'", "1e300"), valid.replace("NOT ST_IsEmpty(geom)", "geometry IS NOT NULL")


def measure_peer(kind: str, path: str) -> dict:
    import re

    import peers
    import pyarrow.parquet as pq

    borders = disjoint_borders()
    capacity, valid = peer_sql()
    present = set(pq.read_schema(path).names)
    for column in ("bedroom_area_m2", "toilets", "showers", "licensed_beds", "bedrooms", "occupants"):
        if column not in present:  # planner reads a missing column as empty: so does the SQL
            capacity = re.sub(rf"\b{column}\b", "CAST(NULL AS DOUBLE)", capacity)
            valid = re.sub(rf"\b{column}\b", "CAST(NULL AS DOUBLE)", valid)
    started = time.perf_counter()
    answer = (peers.run_duckdb if kind == "duckdb" else peers.run_sedonadb)(Path(path), borders, capacity, valid)
    return {"seconds": time.perf_counter() - started, "work_seconds": time.perf_counter() - started,
            "peak_mb": peak_mb(), "per_gemeente": answer}


def realistic_file(n: int) -> Path:
    import geopandas as gpd
    from realistic import realistic_register, write_register

    DATA.mkdir(exist_ok=True)
    path = DATA / f"realistic-{n}.parquet"
    if not path.exists():
        started = time.perf_counter()
        write_register(path, realistic_register(n, gpd.read_file(SHARED), seed=n))
        print(f"  generated {n:,} realistic locations in {time.perf_counter() - started:.1f} s -> {path.name}",
              flush=True)
    return path


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
        out[f"{mode}_beds"] = float(allocation.per_gemeente["demand_p50"].sum())
    out["peak_mb"] = peak_mb()
    return out


def _tree_pss_mb(pid: int) -> float:
    """Proportional set size of a process and all its descendants, in MB (pages shared after a fork count
    once in all, split between the processes that share them)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(child) for child in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue  # the process ended between two reads
    return total / 1024


def in_fresh_process(kind: str, argument: str) -> dict:
    """Run one measurement in a new Python process; adds its CPU time (user + system, its children's
    included) as ``cpu_seconds``, and as ``peak_mb`` the larger of the process's own peak resident set and
    the peak total PSS of it and its children (sampled every 50 ms: planner forks a copy for half the rows)."""
    import threading

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, __file__, "--measure", kind, argument], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, cwd=ROOT)
    sampled = [0.0]
    finished = threading.Event()

    def sample() -> None:
        while not finished.wait(0.05):
            sampled[0] = max(sampled[0], _tree_pss_mb(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    finished.set()
    sampler.join()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        raise RuntimeError(f"{kind} {argument} failed:\n{err[-3000:]}")
    measured = json.loads(out.strip().splitlines()[-1])
    measured["cpu_seconds"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    measured["process_seconds"] = wall
    measured["own_peak_mb"] = measured.get("peak_mb", 0.0)
    measured["tree_pss_mb"] = sampled[0]
    measured["peak_mb"] = max(measured["own_peak_mb"], sampled[0])
    return measured


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
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    started = time.perf_counter()
    data = pq.read_table(path)
    n = data.num_rows
    x = data.column("geometry").combine_chunks()
    present = x.is_valid().to_numpy(zero_copy_only=False)
    m = int(present.sum())
    raw = np.frombuffer(x.buffers()[2], dtype=np.uint8)[: m * 21].reshape(m, 21)  # null rows take no bytes
    ewkb = np.zeros((m, 25), dtype=np.uint8)
    ewkb[:, 0] = 1
    ewkb[:, 1:5] = np.frombuffer(np.uint32(0x20000001).tobytes(), dtype=np.uint8)
    ewkb[:, 5:9] = np.frombuffer(np.uint32(28992).tobytes(), dtype=np.uint8)
    ewkb[:, 9:25] = raw[:, 5:21]
    hexed = np.full(n, "", dtype=object)
    hexed[present] = np.frombuffer(binascii.hexlify(ewkb.tobytes()), dtype="S50").astype(str)
    table_data = pa.table({
        "location_id": data.column("location_id"), "type": data.column("type").cast(pa.string()),
        "floor_area_m2": data.column("floor_area_m2"), "bedrooms": data.column("bedrooms"),
        "occupants": data.column("occupants"), "licensed_beds": data.column("licensed_beds"),
        "geom": pa.array(hexed, type=pa.string()).cast(pa.string()),
    })
    csv_path = folder / f"{table}.csv"
    table_data = table_data.set_column(6, "geom", pc.if_else(pc.equal(table_data["geom"], ""), None,
                                                            table_data["geom"]))
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
    # A repeated id counts once; marked at load (an analyst would clean the table once, not in every query).
    cursor.execute(f"ALTER TABLE {table} ADD COLUMN repeated boolean NOT NULL DEFAULT false")
    cursor.execute(f"UPDATE {table} h SET repeated = true FROM (SELECT ctid, row_number() OVER "
                   f"(PARTITION BY location_id) AS k FROM {table}) d WHERE d.ctid = h.ctid AND d.k > 1")
    cursor.execute(f"CREATE INDEX ON {table} USING gist (geom)")
    cursor.execute(f"VACUUM ANALYZE {table}")
    csv_path.unlink()
    return time.perf_counter() - started


def postgis_check(cursor, table: str, norm) -> tuple[float, dict]:
    """The borders the peers get (disjoint, 5 km pieces, GiST, analysed), then one parallel join and sum."""
    capacity, valid = _sql_capacity(norm)
    valid = valid.replace("NOT ST_IsEmpty(geom)", "geom IS NOT NULL")
    started = time.perf_counter()
    cursor.execute(f"""
        SELECT coalesce(p.code, '(unknown)'), sum(cap) FILTER (WHERE ok), count(*) FILTER (WHERE ok)
        FROM (SELECT h.geom, (coalesce({valid}, false) AND NOT h.repeated) AS ok, {capacity} AS cap
              FROM {table} h) h
        LEFT JOIN pieces p ON ST_Covers(p.geom, h.geom)
        GROUP BY 1""")
    rows = cursor.fetchall()
    seconds = time.perf_counter() - started
    return seconds, {"per_gemeente": {r[0]: [float(r[1] or 0), int(r[2])] for r in rows}}


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
    import geopandas as gpd

    pieces = gpd.read_parquet(disjoint_borders())
    cursor.execute("DROP TABLE IF EXISTS pieces")
    cursor.execute("CREATE TABLE pieces (code text, geom geometry(Geometry, 28992))")
    with cursor.copy("COPY pieces FROM STDIN") as copy:
        for code, geometry in zip(pieces["code"], pieces.geometry, strict=True):
            copy.write_row((code, shapely.to_wkb(geometry, hex=True, include_srid=False)))
    cursor.execute("UPDATE pieces SET geom = ST_SetSRID(geom, 28992)")
    cursor.execute("CREATE INDEX ON pieces USING gist (geom)")
    cursor.execute("ANALYZE pieces")
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


CONTENDERS = ("planner", "duckdb", "sedonadb")


def _spread(values: list[float]) -> dict:
    ordered = sorted(values)
    return {"min": ordered[0], "median": ordered[len(ordered) // 2], "max": ordered[-1]}


def run(sizes: list[int], postgis: bool, rounds: int = 3) -> dict:
    from planner.housing import load_norm_sets

    layer = boundaries()
    results = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(),
               "borders": layer.label("en"), "housing": [], "uniform": [], "commit": _commit(), "rounds": rounds}
    print(f"Borders: {results['borders']}", flush=True)
    disjoint_borders()
    for n in sizes:
        path = realistic_file(n)
        measured: dict[str, list[dict]] = {kind: [] for kind in CONTENDERS}
        for round_ in range(rounds):  # interleaved: a busy moment of the machine hits every contender alike
            for kind in CONTENDERS:
                one = in_fresh_process(kind, str(path))
                measured[kind].append(one)
                print(f"  round {round_ + 1} {kind:<9} {n:>11,} rows: wall {one['work_seconds']:6.2f} s, "
                      f"process {one['process_seconds']:6.2f} s, CPU {one['cpu_seconds']:6.2f} s, "
                      f"peak {one['peak_mb']:,.0f} MB", flush=True)
        reference = measured["planner"][0]["per_gemeente"]
        row = {"rows": n, "file_mb": round(path.stat().st_size / 2**20, 1)}
        for kind in CONTENDERS:
            row[kind] = {"wall": _spread([m["work_seconds"] for m in measured[kind]]),
                         "process": _spread([m["process_seconds"] for m in measured[kind]]),
                         "cpu": _spread([m["cpu_seconds"] for m in measured[kind]]),
                         "peak_mb": _spread([m["peak_mb"] for m in measured[kind]])}
            if kind != "planner":
                row[kind]["agreement"] = compare_answers(reference, measured[kind][0]["per_gemeente"])
        results["housing"].append(row)
        uniform = in_fresh_process("planner", str(register_file(n, layer)))
        results["uniform"].append({"rows": n, "wall": uniform["work_seconds"], "cpu": uniform["cpu_seconds"],
                                   "peak_mb": uniform["peak_mb"]})
    if postgis:
        results["postgis"] = run_postgis(sizes, layer, load_norm_sets()[NORM], results)
    impact = in_fresh_process("impact", "100000")
    print(f"  impact   100,000 sites: {impact['seconds']:.2f} s", flush=True)
    results["impact"] = {k: round(v, 3) if isinstance(v, float) else v for k, v in impact.items()}
    results["allocation"] = []
    for sites in (1000, 10000):
        allocation = in_fresh_process("allocation", str(sites))
        print(f"  allocation {sites:,} sites x {allocation['municipalities']} municipalities: decay "
              f"{allocation['decay']:.2f} s, capacity {allocation['capacity']:.2f} s", flush=True)
        results["allocation"].append({k: round(v, 3) if isinstance(v, float) else v for k, v in allocation.items()})
    return results


def run_postgis(sizes: list[int], layer, norm, results: dict) -> list[dict]:
    import psycopg

    sys.path.insert(0, str(ROOT / "tests"))
    from pgcluster import throwaway_cluster

    rows = []
    with throwaway_cluster("bench", {"shared_buffers": "2GB", "work_mem": "256MB",
                                     "max_parallel_workers_per_gather": "2", "jit": "off"}) as info, \
            psycopg.connect(info["admin"], autocommit=True) as connection:
        cursor = connection.cursor()
        postgis_setup(cursor, layer)
        version = cursor.execute("SELECT version(), postgis_lib_version()").fetchone()
        results["postgis_version"] = f"{version[0].split(',')[0]}, PostGIS {version[1]}"
        for n, housing in zip(sizes, results["housing"], strict=True):
            table = f"housing_{n}"
            load = postgis_load(cursor, realistic_file(n), table, info["folder"])
            reference = in_fresh_process("planner", str(realistic_file(n)))["per_gemeente"]
            seconds, answer = postgis_check(cursor, table, norm)
            cursor.execute(f"DROP TABLE {table}")
            row = {"rows": n, "load": round(load, 1), "seconds": round(seconds, 2),
                   "agreement": compare_answers(reference, answer["per_gemeente"])}
            housing["postgis"] = row
            rows.append(row)
            print(f"  postgis  {n:>11,} rows: {seconds:7.2f} s (load {load:.0f} s apart); {row['agreement']}",
                  flush=True)
    return rows


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              cwd=ROOT).stdout.strip() or "?"
    except OSError:
        return "?"


def _cell(spread: dict, unit: str = "s") -> str:
    if unit == "MB":
        return f"{spread['median']:,.0f} MB"
    return f"{spread['median']:.2f} s ({spread['min']:.2f}-{spread['max']:.2f})"


def markdown(results: dict) -> str:
    m = results["machine"]
    lines = [f"Last run: {results['date']}, commit `{results['commit']}`.", "",
             f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB memory; {m['system']}; "
             f"Python {m['python']}; " + ", ".join(f"{k} {v}" for k, v in m["libraries"].items()) + ".",
             f"Borders: {results['borders']}.", ""]
    lines += ["### National housing check on a realistic register (norm set `roemer`)", "",
              f"Median (min-max) of {results['rounds']} interleaved rounds, each contender in a fresh process. "
              "Wall: from the start of the work to the answer (imports and interpreter start not counted); "
              "CPU: user + system time of the whole process and its children; memory: the larger of the "
              "process's peak resident size and the peak total PSS of it and its children (sampled every 50 ms; "
              "planner forks a copy of itself for half the rows, and pages they share count once).", "",
              "| locations | contender | wall | CPU (whole process) | peak memory | answers |",
              "|---:|---|---:|---:|---:|---|"]
    for row in results["housing"]:
        for kind in CONTENDERS:
            data = row[kind]
            lines.append(f"| {row['rows']:,} | {kind} | {_cell(data['wall'])} | {_cell(data['cpu'])} | "
                         f"{_cell(data['peak_mb'], 'MB')} | {data.get('agreement', 'reference')} |")
        if "postgis" in row:
            pg = row["postgis"]
            lines.append(f"| {row['rows']:,} | PostGIS (query only; load {pg['load']:.0f} s apart) | "
                         f"{pg['seconds']:.2f} s | server, not measured | | {pg['agreement']} |")
    if "postgis_version" in results:
        lines += ["", f"Database: {results['postgis_version']} (throwaway cluster on 127.0.0.1, shared_buffers 2GB, "
                  "work_mem 256MB, 2 parallel workers per query, JIT off; the peers' disjoint 5 km border pieces with "
                  "a GiST index, points with a GiST index, ANALYZE)."]
    lines += ["", "Planner on the uniform register of earlier rounds (points spread evenly over the land):", "",
              "| locations | wall | CPU | peak memory |", "|---:|---:|---:|---:|"]
    for row in results["uniform"]:
        lines.append(f"| {row['rows']:,} | {row['wall']:.2f} s | {row['cpu']:.2f} s | {row['peak_mb']:,.0f} MB |")
    impact = results["impact"]
    lines += ["", "### Impact assessment and allocation", "",
              "| work | input | time | target |", "|---|---|---:|---:|",
              f"| impact assessment (`assess`) | {impact['sites']:,} sites | {impact['seconds']:.2f} s | < 1 s |"]
    for allocation in results["allocation"]:
        lines += [f"| allocation, distance decay | {allocation['sites']:,} sites x {allocation['municipalities']} "
                  f"municipalities | {allocation['decay']:.2f} s | < 10 s |",
                  f"| allocation, capacity (column generation, HiGHS dual simplex) | {allocation['sites']:,} sites x "
                  f"{allocation['municipalities']} municipalities | {allocation['capacity']:.2f} s | < 10 s |"]
    return "\n".join(lines)


def write_doc(results: dict) -> None:
    text = DOC.read_text(encoding="utf-8")
    start, stop = text.index(BEGIN) + len(BEGIN), text.index(END)
    DOC.write_text(text[:start] + "\n" + markdown(results) + "\n" + text[stop:], encoding="utf-8")
    (DATA / "results.json").write_text(json.dumps(results, indent=2))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000000,10000000")
    parser.add_argument("--no-postgis", action="store_true")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-doc", action="store_true", help="print only; leave docs/benchmarks.md alone")
    parser.add_argument("--measure", nargs=2, metavar=("KIND", "ARG"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        kind, argument = args.measure
        measured = {"planner": lambda: measure_planner(argument), "impact": lambda: measure_impact(int(argument)),
                    "allocation": lambda: measure_allocation(int(argument)),
                    "duckdb": lambda: measure_peer("duckdb", argument),
                    "sedonadb": lambda: measure_peer("sedonadb", argument)}[kind]()
        print(json.dumps(measured))
        return 0
    results = run([int(s) for s in args.sizes.split(",")], not args.no_postgis, args.rounds)
    if not args.no_doc:
        write_doc(results)
        print(f"Wrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The app never shows a traceback and never loses the user's work (issue 18, part A).

Real files written to disk: empty, header-only, a letter saved as .csv, a truncated Excel workbook and a
GeoJSON cut off half-way. Each must give a message that names the user's file (never a server path) and says how
to fix it, in Dutch and in English, with no exception element on the page.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from planner.errors import InputError
from planner.formatting import fmt
from planner.i18n import t
from planner.impact import assess, totals
from planner.ui.reading import UploadError, check_upload, error_text, read_uploaded

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """The bundled schematic layer, whatever a developer has downloaded."""
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path / "data"))
    return tmp_path


def _app(lang: str = "nl", page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90).run()
    if lang != "nl":
        at.selectbox(key="lang").set_value(lang).run()
    if page is not None:
        at.radio(key="page").set_value(page).run()
    return at


def _upload(at: AppTest, key: str, path: Path) -> AppTest:
    return at.file_uploader(key=key).set_value((path.name, path.read_bytes(), "application/octet-stream")).run()


def _no_traceback(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]
    shown = [e.value for e in at.error] + [w.value for w in at.warning]
    for text in shown:
        assert "/tmp" not in text and "Traceback" not in text and "pandas" not in text, text


def _workbook_bytes() -> bytes:
    buffer = io.BytesIO()
    pd.DataFrame({"adres": ["Markt 1"], "bewoners": [4]}).to_excel(buffer, index=False)
    return buffer.getvalue()


# The bad files of the finding, each written to disk as a planner would have it, with the message expected.
BAD_HOUSING = {
    "empty": ("leeg.csv", b"", "upload_empty", {}),
    "header_only": ("alleen_kop.csv", b"adres;bvo;bewoners\r\n", "upload_header_only",
                    {"header": "adres;bvo;bewoners"}),
    "text_as_csv": ("brief.csv", "Geachte heer Jansen\nHierbij de gegevens, met groet.\n".encode("latin-1"),
                    "upload_not_table", {"line": "Geachte heer Jansen"}),
    "corrupt_xlsx": ("register.xlsx", None, "upload_excel_broken", {}),
    "truncated_geojson": ("panden.geojson", None, "upload_json_truncated", {}),
}


def _bad_file(tmp_path: Path, case: str) -> tuple[Path, str, dict]:
    name, data, key, values = BAD_HOUSING[case]
    if case == "corrupt_xlsx":
        data = _workbook_bytes()[:400]  # an upload broken off: no central directory
    if case == "truncated_geojson":
        full = json.dumps({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"adres": "Markt 1", "bewoners": 4},
             "geometry": {"type": "Point", "coordinates": [6.17, 51.37]}}]}, indent=1)
        data = full[:len(full) // 2].encode()
        lines = data.decode().splitlines()
        values = {"line": len(lines), "column": len(lines[-1]) + 1}
    path = tmp_path / name
    path.write_bytes(data)
    return path, key, values


def _expected(key: str, lang: str, name: str, values: dict) -> str:
    return f"{t(key, lang, name=name, **values)} {t('upload_fix', lang)}: {t(key + '_fix', lang, name=name, **values)}"


@pytest.mark.parametrize("case", list(BAD_HOUSING))
def test_bad_housing_uploads_say_what_is_wrong_in_dutch(isolated, case):
    path, key, values = _bad_file(isolated, case)
    at = _upload(_app(page="page_housing"), "housing_file", path)
    _no_traceback(at)
    assert [e.value for e in at.error] == [_expected(key, "nl", path.name, values)]
    assert at.radio(key="page").value == "page_housing"
    assert not at.metric  # no figures from a file that could not be read


@pytest.mark.parametrize("case", ["header_only", "truncated_geojson", "corrupt_xlsx"])
def test_bad_housing_uploads_say_what_is_wrong_in_english(isolated, case):
    path, key, values = _bad_file(isolated, case)
    at = _upload(_app("en", "page_housing"), "housing_file", path)
    _no_traceback(at)
    assert [e.value for e in at.error] == [_expected(key, "en", path.name, values)]


def test_truncated_geojson_names_the_line_and_column_where_it_stops(isolated):
    path, _, values = _bad_file(isolated, "truncated_geojson")
    with pytest.raises(UploadError) as caught:
        check_upload(path.name, path.read_bytes())  # the cheap checks pass a JSON file ...
        read_uploaded((path.name, path.read_bytes()), lambda p: pd.read_json(p))  # ... the reader's failure is placed
    text = caught.value.text("nl")
    assert f"regel {values['line']}, kolom {values['column']}" in text and "panden.geojson" in text


def test_empty_reference_objects_file_is_refused_by_name(isolated):
    for lang in ("nl", "en"):
        path = isolated / "eigen_objecten.csv"
        path.write_bytes(b"")
        at = _upload(_app(lang, "page_library"), "objects_file", path)
        _no_traceback(at)
        assert [e.value for e in at.error] == [_expected("upload_empty", lang, path.name, {})]


def test_a_sites_file_without_coordinates_is_estimated_as_the_command_line_does(isolated, library):
    """The CLI assesses such a file; the app crashed ('Cannot transform naive geometries')."""
    from planner.io import read_sites

    path = isolated / "bedrijven.csv"
    path.write_text("naam;sector;subtype;bvo\nDC Noord;logistiek;ecommerce_dc;40000\n"
                    "DC Zuid;logistiek;ecommerce_dc;20000\n", encoding="utf-8")
    expected = totals(assess(read_sites(path), library))
    at = _upload(_app(), "sites_file", path)
    _no_traceback(at)
    shown = {m.label: m.value for m in at.metric}
    assert shown[t("workers", "nl")] == fmt(expected.loc["workers", "p50"], "nl")
    assert shown[t("beds_needed", "nl")] == fmt(expected.loc["beds_needed", "p50"], "nl")
    assert any("2 van de 2 locaties (DC Noord, DC Zuid) hebben geen coördinaten" in w.value for w in at.warning)
    # The regional shortfall needs places: it says so, and that it is the sites page's input, not a pipeline fault.
    at.radio(key="page").set_value("page_shortfall").run()
    _no_traceback(at)
    assert len(at.error) == 1
    assert at.error[0].value.startswith(t("input_failed_elsewhere", "nl", page=t("page_sites", "nl"), error="")
                                        .strip())
    assert "DC Noord" in at.error[0].value and "bedrijven.csv: " in at.error[0].value


def _order(at: AppTest) -> list[tuple[str, str]]:
    """The main area's elements in page order: (type, label or text)."""
    found: list[tuple[str, str]] = []

    def walk(node) -> None:
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                walk(child)
            return
        text = getattr(node, "value", None) if node.type in ("error", "alert") else getattr(node, "label", "")
        found.append((node.type, str(text)))

    walk(at.main)
    return found


def test_a_bad_sites_file_is_reported_under_the_sites_uploader(isolated):
    path = isolated / "plannen.csv"
    path.write_text("naam;sector;bvo\n", encoding="utf-8")
    for lang in ("nl", "en"):
        at = _upload(_app(lang), "sites_file", path)
        _no_traceback(at)
        assert [e.value for e in at.error] == [
            _expected("upload_header_only", lang, path.name, {"header": "naam;sector;bvo"})]
        order = _order(at)
        uploader = next(i for i, (kind, label) in enumerate(order) if label == t("sites_file", lang))
        error = next(i for i, (kind, _) in enumerate(order) if kind == "error")
        submit = next(i for i, (kind, label) in enumerate(order) if label == t("submit_site", lang))
        assert uploader < error < submit  # right under the uploader, above the form
        # On the shortfall page, the pipeline uploader has no error of its own: it is the sites page's input.
        at.radio(key="page").set_value("page_shortfall").run()
        _no_traceback(at)
        assert len(at.error) == 1
        message = at.error[0].value
        assert t("page_sites", lang) in message and path.name in message


def test_every_upload_error_names_the_users_file_never_the_server_path(tmp_path):
    """The shared reader: a reader's InputError gets its temporary path replaced; a library's exception becomes
    words; cheap checks refuse files that cannot be what their name says."""
    def failing(path: Path):
        raise InputError(f"cannot read {path}", source=str(path))

    with pytest.raises(InputError) as caught:
        read_uploaded(("C:\\Users\\anna\\woningen.csv", b"a;b\n1;2\n"), failing)
    assert str(caught.value) == "woningen.csv: cannot read woningen.csv"

    def crashing(path: Path):
        raise KeyError("internal column 'geometry_x'")

    with pytest.raises(UploadError) as caught:
        read_uploaded(("woningen.xlsx", _workbook_bytes()), crashing)
    assert error_text(caught.value, "nl") == _expected("upload_unreadable", "nl", "woningen.xlsx", {"kind": "XLSX"})
    for name, data, key in (("a.csv", b"   \n", "upload_empty"), ("a.csv", b"x;y\x00\x00;1\n2;3", "upload_not_text"),
                            ("a.zip", b"PK not really", "upload_zip_broken"),
                            ("a.gpkg", b"not sqlite", "upload_not_kind"),
                            ("a.xlsx", b"x;y\n1;2\n", "upload_excel_broken")):
        with pytest.raises(UploadError) as caught:
            check_upload(name, data)
        assert caught.value.key == key, name
    check_upload("ok.csv", b"adres;bewoners\nMarkt 1;4\n")  # a real table passes
    # After a reader failed: what is wrong, in words, instead of the library's message.
    def refuse(path: Path):
        raise OSError(f"{path}: sqlite3_prepare_v2 failed: file is not a database")

    damaged_gpkg = tmp_path / "lagen.gpkg"
    damaged_gpkg.write_bytes(b"SQLite format 3\x00" + bytes(200))
    for name, data, key in (("a.geojson", b'{"a": 1}', "upload_not_geojson"),
                            ("a.geojson", b'{"type": "FeatureCollection", "features": []}', "upload_no_features"),
                            ("a.geojson", b'{"type": "FeatureCollection"; "features": [{"type": "Feature", "id": 1}]}',
                             "upload_json_broken"),
                            ("a.parquet", b"PAR1 cut off", "upload_damaged"),
                            ("lagen.gpkg", damaged_gpkg.read_bytes(), "upload_damaged")):
        with pytest.raises(UploadError) as caught:
            read_uploaded((name, data), refuse)
        assert caught.value.key == key, (name, data)
        assert "sqlite3" not in caught.value.text("nl") and name in caught.value.text("en")
    check_upload("ok.xlsx", _workbook_bytes())


# -- switching language or page keeps the page and the column mapping -------------------------------------------

REGISTER = ("adres;opp;bewoners;gemeentecode\n"
            "Markt 1;120;4;GM0983\nKerkstraat 2;80;6;GM0983\nSteeg 3;200;5;GM0983\n")


def _capacity(path: Path, mapping: dict[str, str]) -> float:
    from planner.geodata import load_boundaries
    from planner.housing import check_housing, housing_totals
    from planner.io import read_housing
    from planner.regional import capacity_by_gemeente

    summary, _ = capacity_by_gemeente(check_housing(read_housing(path, mapping), "roemer", "bouwbesluit"),
                                      load_boundaries())
    return float(housing_totals(summary)["capacity"])


def _shown_capacity(at: AppTest, lang: str) -> str:
    return {m.label: m.value for m in at.metric}[t("capacity", lang)]


def test_language_switch_keeps_the_page_and_the_column_mapping(isolated):
    path = isolated / "register.csv"
    path.write_text(REGISTER, encoding="utf-8")
    at = _upload(_app(page="page_housing"), "housing_file", path)
    _no_traceback(at)
    at.selectbox(key="map_nl_opp").set_value("floor_area_m2").run()
    assert at.session_state["housing_mapping"] == {"opp": "floor_area_m2"}
    mapped, unmapped = _capacity(path, {"opp": "floor_area_m2"}), _capacity(path, {})
    assert mapped != unmapped  # the mapping matters for the figures
    assert _shown_capacity(at, "nl") == fmt(mapped, "nl")
    at.selectbox(key="lang").set_value("en").run()
    _no_traceback(at)
    assert at.radio(key="page").value == "page_housing"
    assert at.header[0].value == t("page_housing", "en")
    assert at.selectbox(key="map_en_opp").value == "floor_area_m2"
    assert _shown_capacity(at, "en") == fmt(mapped, "en")
    # Another page and back: the mapping is still chosen, and still used.
    at.radio(key="page").set_value("page_sites").run()
    at.radio(key="page").set_value("page_housing").run()
    _no_traceback(at)
    assert at.selectbox(key="map_en_opp").value == "floor_area_m2"
    assert at.session_state["housing_mapping"] == {"opp": "floor_area_m2"}
    assert _shown_capacity(at, "en") == fmt(mapped, "en")
    at.selectbox(key="lang").set_value("nl").run()
    assert at.radio(key="page").value == "page_housing"
    assert at.selectbox(key="map_nl_opp").value == "floor_area_m2"


def test_a_new_register_starts_unmapped_and_an_earlier_one_gets_its_mapping_back(isolated):
    path = isolated / "register.csv"
    path.write_text(REGISTER, encoding="utf-8")
    at = _upload(_app(page="page_housing"), "housing_file", path)
    at.selectbox(key="map_nl_opp").set_value("floor_area_m2").run()
    other = isolated / "register2.csv"
    other.write_text(REGISTER.replace("Markt 1", "Markt 9"), encoding="utf-8")
    at = _upload(at, "housing_file", other)
    _no_traceback(at)
    assert at.session_state["housing_mapping"] == {}
    assert at.selectbox(key="map_nl_opp").value == ""
    # The first file again (say, uploaded by mistake over it): its mapping comes back, and is used.
    at = _upload(at, "housing_file", path)
    _no_traceback(at)
    assert at.selectbox(key="map_nl_opp").value == "floor_area_m2"
    assert _shown_capacity(at, "nl") == fmt(_capacity(path, {"opp": "floor_area_m2"}), "nl")


# -- the questionnaire -------------------------------------------------------------------------------------------

def _add_company(at: AppTest, name: str, floor: float, declared: int | None, beds: int | None) -> AppTest:
    at.text_input(key="form_name").set_value(name)
    at.selectbox(key="form_subtype").set_value(("logistiek", "ecommerce_dc"))
    at.number_input(key="form_floor").set_value(floor)
    at.selectbox(key="form_gemeente").set_value("GM0983")
    at.number_input(key="form_declared").set_value(declared)
    at.number_input(key="form_beds").set_value(beds)
    return at.button[0].click().run()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_questionnaire_flags_and_resets_for_the_next_company(isolated, library, lang):
    import geopandas as gpd

    from planner.geodata import load_boundaries

    at = _add_company(_app(lang), "DC Eerste", 60_000.0, 5, 10_000)
    _no_traceback(at)
    point = load_boundaries().boundaries.set_index("gemeentecode").loc[["GM0983"]].representative_point()
    site = gpd.GeoDataFrame({"name": ["DC Eerste"], "sector": ["logistiek"], "subtype": ["ecommerce_dc"],
                             "floor_area_m2": [60_000.0], "start_year": [2028], "ramp_up_years": [2],
                             "declared_migrants": [5], "declared_beds": [10_000]},
                            geometry=point.to_crs(4326).to_numpy(), crs=4326)
    alone = assess(site, library).iloc[0]
    assert alone["declared_check"] == "below_range" and alone["beds_check"] == "beds_above_range"
    # Both flags said in words, without scrolling a table sideways.
    warnings = [w.value for w in at.warning]
    assert t("flag_below_range", lang, name="DC Eerste", declared=fmt(5, lang), low=fmt(alone["migrants_p10"], lang),
             high=fmt(alone["migrants_p90"], lang)) in warnings
    assert t("flag_beds_above_range", lang, name="DC Eerste", declared=fmt(10_000, lang),
             low=fmt(alone["beds_needed_p10"], lang), high=fmt(alone["beds_needed_p90"], lang)) in warnings
    # In the table the checks come right after the site's name.
    table = at.dataframe[0].value
    assert list(table.columns[:5]) == [t("col_site", lang), t("col_declared", lang), t("col_check", lang),
                                       t("col_declared_beds", lang), t("col_beds_check", lang)]
    assert table.iloc[0, 2] == t("below_range", lang) and table.iloc[0, 4] == t("beds_above_range", lang)
    # The next company starts from an empty questionnaire.
    assert at.number_input(key="form_declared").value is None
    assert at.number_input(key="form_beds").value is None
    assert at.number_input(key="form_floor").value == 40_000.0
    assert at.text_input(key="form_name").value == ("Nieuwe locatie" if lang == "nl" else "New site")
    # A second company with plausible answers: no flag for it, the first one's flag stays in the list.
    at = _add_company(at, "DC Tweede", 20_000.0, None, 0)
    _no_traceback(at)
    two = assess(pd.concat([site, site.assign(name="DC Tweede", floor_area_m2=20_000.0, declared_migrants=None,
                                              declared_beds=0)], ignore_index=True), library).iloc[1]
    assert two["declared_check"] == "" and two["beds_check"] == "beds_below_range"
    flag = t("flag_beds_below_range", lang, name="DC Tweede", declared=fmt(0, lang),
             low=fmt(two["beds_needed_p10"], lang), high=fmt(two["beds_needed_p90"], lang),
             to_find=fmt(two["beds_to_find_p50"], lang))
    assert flag in [w.value for w in at.warning]  # for the new site
    assert any(flag in w.value and "DC Eerste" in w.value for w in at.warning)  # and in the list of all sites


def test_new_company_button_clears_the_form(isolated):
    at = _app()
    at.text_input(key="form_name").set_value("Half ingevuld")
    at.number_input(key="form_declared").set_value(300)
    at.number_input(key="form_beds").set_value(120).run()
    at.button(key="new_company").click().run()
    _no_traceback(at)
    assert at.text_input(key="form_name").value == "Nieuwe locatie"
    assert at.number_input(key="form_declared").value is None and at.number_input(key="form_beds").value is None


def test_an_unexpected_fault_shows_words_not_a_traceback_and_keeps_the_inputs(isolated, monkeypatch, caplog):
    """The last guard in app.py: a fault planner did not foresee is logged for the developer; the user sees a
    sentence, and the session (uploads, entered sites, choices) is untouched."""
    import planner.ui.library_page as library_page

    at = _app()
    at.selectbox(key="lang").set_value("en").run()

    def broken(*args, **kwargs):
        raise RuntimeError("an internal fault")

    original = library_page.library_table
    monkeypatch.setattr(library_page, "library_table", broken)
    at.radio(key="page").set_value("page_library").run()
    assert not at.exception
    assert [e.value for e in at.error] == [t("unexpected_error", "en")]
    assert "an internal fault" in caplog.text  # in the server log
    monkeypatch.setattr(library_page, "library_table", original)
    at.radio(key="page").set_value("page_sites").run()
    assert not at.exception and at.selectbox(key="lang").value == "en"

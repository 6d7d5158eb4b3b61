"""Map colours and legends (planner.ui.maps): one set of class breaks for both, a diverging scale for differences."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from planner.ui import maps


def _legend_colour(classes: maps.Classes, value: float) -> tuple[int, int, int] | None:
    """The legend row whose printed range holds ``value`` (read from the legend's own bounds and labels)."""
    rows = classes.rows("nl")
    k = classes.index(value)
    return None if k is None else rows[k][0]


@pytest.mark.parametrize("values", [[0, 12, 177], [0.1, 0.4, 3.2], [5, 5, 5], [1, 999, 1000, 1001], [0, 0, 0]])
def test_sequential_classes_cover_zero_to_the_maximum_and_the_legend_has_each_colour(values):
    classes = maps.sequential_classes(pd.Series(values))
    assert classes.bounds[0] == 0
    assert classes.bounds[-1] >= max(values)
    assert list(classes.bounds) == sorted(classes.bounds)
    legend = classes.rows("nl")
    assert len(legend) == len(classes.colours) + 1  # every class and the no-data grey
    html = maps.legend_html(classes, "Tekort (P50), in bedden", "nl")
    for (r, g, b), label in legend:
        assert f"rgb({r},{g},{b})" in html
        assert label.replace(">", "&gt;") in html
    for value in values:
        rgba = classes.colour(value)
        if value > 0:
            # The colour on the map is the colour of the legend row whose range holds the value.
            assert tuple(rgba[:3]) == _legend_colour(classes, value)
            k = classes.index(value)
            assert classes.bounds[k] < value <= classes.bounds[k + 1]
        else:
            assert rgba[:3] == maps.NO_VALUE


def test_legend_labels_print_the_class_bounds_in_dutch_and_english():
    classes = maps.sequential_classes(pd.Series([0, 1200, 2450]))
    assert classes.bounds == (0.0, 500.0, 1000.0, 1500.0, 2000.0, 2500.0)
    nl = [label for _, label in classes.rows("nl")]
    en = [label for _, label in classes.rows("en")]
    assert nl[1] == "> 500 t/m 1.000" and nl[-1] == "0 of geen gegevens"
    assert en[1] == "> 500 to 1,000" and en[-1] == "0 or no data"
    # A value on a bound belongs to the class the label says ("t/m" includes the upper bound).
    assert classes.index(1000) == 1 and classes.index(1000.01) == 2


def test_a_decrease_is_blue_an_increase_red_and_no_change_neutral():
    values = pd.Series([-120.0, -3.0, 0.0, 0.2, 4.0, 40.0, np.nan])
    classes = maps.diverging_classes(values)
    rgba = maps.colours(values, classes)
    blue = lambda c: c[2] > c[0]  # noqa: E731
    red = lambda c: c[0] > c[2]  # noqa: E731
    assert blue(rgba[0]) and blue(rgba[1])
    assert rgba[2][:3] == rgba[3][:3] == [247, 247, 247]
    assert red(rgba[4]) and red(rgba[5])
    assert rgba[6][:3] == maps.NO_VALUE
    # A drop never has the colour of a rise of the same size.
    assert maps.colours(pd.Series([-40.0]), classes) != maps.colours(pd.Series([40.0]), classes)
    # The classes reach from the largest drop to the largest rise, symmetric about zero.
    assert classes.bounds[0] <= -120 and classes.bounds[-1] >= 120
    assert classes.bounds == tuple(-b for b in reversed(classes.bounds))


def test_diverging_legend_names_each_class_and_matches_the_colours():
    classes = maps.diverging_classes(pd.Series([-120, 0, 40]))
    labels = [label for _, label in classes.rows("nl")]
    assert labels == ["-100 of minder", "> -100 t/m -50", "> -50 en < 0", "geen verschil (0)", "> 0 t/m 50",
                      "> 50 t/m 100", "meer dan 100", "geen gegevens"]
    for value, label in ((-130, "-100 of minder"), (-100, "-100 of minder"), (-60, "> -100 t/m -50"),
                         (-1, "> -50 en < 0"), (0, "geen verschil (0)"), (1, "> 0 t/m 50"), (150, "meer dan 100")):
        colour, shown = classes.rows("nl")[classes.index(value)]
        assert shown == label
        assert tuple(classes.colour(value)[:3]) == colour
    html = maps.legend_html(classes, "Verschil", "en")
    assert "blue" not in html  # the title is the caller's; the legend itself is in the page's language
    assert "no difference (0)" in html and "more than 100" in html


def test_legend_escapes_text_and_shows_markers():
    html = maps.legend_html(None, "<b>x</b>", "nl", markers=((maps.SITE_COLOUR, "Bedrijf <script>"),))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "rgb(30,70,160)" in html
    assert "Bedrijfslocatie" in maps.sites_legend("nl") and "Klikpunt" in maps.sites_legend("nl", grid=True)
    assert "Business site" in maps.sites_legend("en")


def test_labels_sit_inside_their_polygons():
    import geopandas as gpd
    import shapely

    frame = gpd.GeoDataFrame({"name": ["Venlo", "Horst"], "value": [3, 0]},
                             geometry=[shapely.box(5.9, 51.3, 6.2, 51.5), shapely.box(5.9, 51.5, 6.1, 51.6)],
                             crs="EPSG:4326")
    layer = maps.label_layer(frame, "name")
    data = pd.DataFrame(layer.data)
    assert list(data["label"]) == ["Venlo", "Horst"]
    for row, geometry in zip(data.itertuples(), frame.geometry, strict=True):
        assert geometry.contains(shapely.Point(row.lon, row.lat))
    assert re.fullmatch(r"labels", layer.id) and not layer.pickable


def test_shortfall_and_sites_pages_show_a_legend_from_the_map_classes(tmp_path, monkeypatch):
    """The legend beside the map is built from the classes that colour it, in the page's language."""
    import json
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from planner.i18n import t

    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path))
    app = str(Path(__file__).resolve().parent.parent / "app.py")
    at = AppTest.from_file(app, default_timeout=120).run()
    assert not at.exception
    assert any(t("legend_municipality", "nl") in m.value and t("legend_sites", "nl") in m.value for m in at.markdown)
    at = at.radio(key="page").set_value("page_shortfall").run()
    assert not at.exception
    legend = next(m.value for m in at.markdown if "planner-legend" in m.value)
    assert t("legend_shortfall", "nl") in legend
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    layers = {layer["id"]: layer for layer in deck["layers"]}
    features = layers["regions"]["data"]["features"]
    fills = {tuple(f["properties"]["fill"][:3]) for f in features}
    # Every colour on the map is in the legend, and the labels are the classes' own.
    for colour in fills:
        assert f"rgb({colour[0]},{colour[1]},{colour[2]})" in legend
    shortfalls = pd.Series([float(f["properties"]["tekort"]) for f in features])
    classes = maps.sequential_classes(shortfalls)
    for _, label in classes.rows("nl"):
        assert label.replace(">", "&gt;") in legend
    assert classes.bounds[-1] >= shortfalls.max()
    # The shaded municipalities are labelled with their name and shortfall.
    labels = [row["label"] for row in layers["labels"]["data"]]
    assert len(labels) == int((shortfalls > 0).sum()) and all(label.split()[-1][0].isdigit() for label in labels)
    at.selectbox(key="lang").set_value("en").run()
    legend = next(m.value for m in at.markdown if "planner-legend" in m.value)
    assert t("legend_shortfall", "en") in legend and "0 or no data" in legend


def test_scenario_difference_map_is_diverging_with_its_legend(tmp_path, monkeypatch):
    """Two scenarios compared on the page: where the second has less shortfall the map is blue, more red."""
    import json
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from planner.demo import load_demo_sites
    from planner.scenarios import make_scenario
    from planner.store import open_store

    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("PLANNER_STORE", raising=False)
    store = open_store()
    sites = load_demo_sites()
    first = store.save(make_scenario("Alle locaties", "Gemeente Venlo", "Anna", sites))
    second = store.save(make_scenario("Zonder de DC's", "Gemeente Venlo", "Bob", sites.iloc[3:]))
    app = str(Path(__file__).resolve().parent.parent / "app.py")
    at = AppTest.from_file(app, default_timeout=120).run()
    at = at.radio(key="page").set_value("page_scenarios").run()
    at.multiselect(key="scenario_compare").set_value([first.id, second.id]).run()
    assert not at.exception
    legend = next(m.value for m in at.markdown if "planner-legend" in m.value)
    assert "geen verschil (0)" in legend and "blauw = minder tekort" in legend
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    features = next(layer for layer in deck["layers"] if layer["id"] == "regions")["data"]["features"]
    differences = [float(f["properties"]["verschil"]) for f in features]
    assert min(differences) < -0.5  # fewer sites: less shortfall somewhere
    for feature, difference in zip(features, differences, strict=True):
        red, _, blue = feature["properties"]["fill"][:3]
        if difference <= -0.5:
            assert blue > red, difference
        elif difference >= 0.5:
            assert red > blue, difference
        else:
            assert red == blue
        r, g, b = feature["properties"]["fill"][:3]
        assert f"rgb({r},{g},{b})" in legend

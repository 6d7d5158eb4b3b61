"""Every text a user reads is in the chosen language, with that language's number format.

Each page of the app is rendered with AppTest in Dutch and in English, on the
demo and with common bad input (a register planner cannot read, rows it
cannot use, a sites file with text in a number column); every visible text is
collected (headings, captions, markdown, messages, widget labels and options,
metrics, table headings and cells). The Dutch interface may hold no known
English word, the English interface no known Dutch word. Cells of columns that
hold the user's or a source's own words (names, places, addresses, sources,
quotes) are the data, not the interface, and are not checked.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, Dataframe, Element, Metric

from planner.display import display_table
from planner.errors import InputError, Problem
from planner.formatting import fmt
from planner.geodata import load_boundaries
from planner.messages import TERMS, error_text, message, problem_text, term

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = ("page_sites", "page_housing", "page_shortfall", "page_scenarios", "page_library", "page_report")

#: English words that must not appear in the Dutch interface ("_" counts as a space: floor_area_m2 is caught).
ENGLISH = ("workers", "beds", "unknown", "municipality", "municipalities", "floor area", "row", "rows", "column",
           "columns", "Fix", "occupants", "capacity", "shortfall", "housing", "invented", "synthetic", "calibrated",
           "assumption", "derived", "is not a number", "not in a region", "none", "entered", "missing", "region",
           "notation", "separated", "bedrooms", "licensed")
#: Dutch words that must not appear in the English interface.
DUTCH = ("gemeente", "gemeenten", "gemeentecode", "gemeentenaam", "bedden", "werknemers", "logistiek", "onbekend",
         "verzonnen", "tekort", "regel", "rij", "rijen", "kolom", "geen", "niet", "bewoners", "aanname", "afgeleid",
         "glastuinbouw", "voeding", "metaal")
#: Table headings whose cells are the data's own words (names, places, sources, quotes), in either language.
DATA_HEADINGS = {term(c, lang) for c in ("name", "place", "address", "location_id", "id", "notes", "quote",
                                         "provenance", "file", "ratio_source", "migrant_share_source",
                                         "peak_factor_source", "stay_source", "employer_housed_share_source",
                                         "beds_per_migrant_source", "source", "ratio_objects", "label_nl",
                                         "label_en", "organisation", "author", "col_header")
                 for lang in ("nl", "en")} | {"Locatie", "Site", "Naam", "Name", "Gemeente", "Municipality"}
#: Quotes in a message hold what the user wrote ("columns planner did not recognise: 'Kolom A'").
QUOTED = re.compile(r"'[^']*'")
#: A file's name is the user's: "rijen.csv" is not a Dutch word in the English interface.
FILE_NAME = re.compile(r"[\w./-]+\.(?:csv|xlsx|geojson|gpkg|json|zip|parquet|py|sqlite)\b")


def _pattern(words) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in words) + r")(?![\w-])", re.IGNORECASE)


WRONG = {"nl": _pattern(ENGLISH), "en": _pattern(DUTCH)}


def _table_texts(frame: pd.DataFrame) -> list[str]:
    texts = [str(c) for c in frame.columns] + [str(n) for n in frame.index.names if n is not None]
    if not isinstance(frame.index, pd.RangeIndex):
        texts += [str(v) for v in frame.index]
    for column in frame.columns:
        if str(column) not in DATA_HEADINGS:
            texts += [v for v in frame[column].head(300) if isinstance(v, str)]
    return texts


def _element_texts(node: Element) -> list[str]:
    if isinstance(node, Dataframe):
        return _table_texts(node.value)
    if isinstance(node, Metric):
        return [node.label, node.value, node.help]
    texts = []
    for field in ("label", "body", "placeholder", "help"):
        value = getattr(node.proto, field, None)
        if isinstance(value, str) and value:
            texts.append(value)
    options = getattr(node.proto, "options", None)
    if options is not None and not isinstance(options, str):
        texts += [str(o) for o in options]
    return texts


#: Markup in markdown (the maps' legends are HTML): its tags and style attributes are not read by a user.
TAG = re.compile(r"<[^>]*>")


def visible_texts(at) -> list[str]:
    """The text of every element and block label on the page, in order (markup tags taken out)."""
    out: list[str] = []

    def walk(node) -> None:
        if isinstance(node, Block):
            label = getattr(node, "label", None)
            if isinstance(label, str) and label:
                out.append(label)
            for child in node.children.values():
                walk(child)
        elif isinstance(node, Element):
            out.extend(TAG.sub(" ", text) for text in _element_texts(node) if text)

    walk(at._tree)
    return out


def wrong_words(texts, lang: str, data: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """(word, text) for each text holding a word of the other language.

    Exempt: the language switch, ``data`` (texts that are the user's own: municipality names, the headers of an
    uploaded file) and file names.
    """
    found = []
    for text in texts:
        if text in ("Taal / Language", "Nederlands", "English") or text in data:
            continue
        match = WRONG[lang].search(QUOTED.sub("", FILE_NAME.sub("", text)).replace("_", " "))
        if match:
            found.append((match.group(0), text[max(0, match.start() - 100):match.end() + 100]))
    return found


#: Numbers in the other language's format: a decimal point in Dutch (3.9506, 22.6), a decimal comma in English
#: (22,6), and in both a year with a decimal (2019.0).
WRONG_NUMBER = {"nl": re.compile(r"(?<![\w.,])\d+\.(?:\d{1,2}|\d{4,})(?![\w.,])|(?<![\w.,])(?:19|20)\d\d[.,]0(?![\d])"),
                "en": re.compile(r"(?<![\w.,])\d+,(?:\d{1,2}|\d{4,})(?![\w.,])|(?<![\w.,])(?:19|20)\d\d[.,]0(?![\d])")}


#: An article of a regulation ("Bouwbesluit art. 7.18") is a number of its own.
ARTICLE = re.compile(r"\bart\. ?\d+(?:\.\d+)*")


def wrong_numbers(texts, lang: str) -> list[str]:
    """Texts with a number written in the other language's format (file names and quoted user text aside)."""
    return [text[:160] for text in texts
            if WRONG_NUMBER[lang].search(ARTICLE.sub("", QUOTED.sub("", FILE_NAME.sub("", text))))]


def shown_numbers(at) -> list[tuple[str, str]]:
    """(label, text) of every number field as the browser shows it: the value in the field's printf format
    (Streamlit's default is %.2f for decimals, %d for whole numbers)."""
    shown = []
    for field in at.number_input:
        value = field.value
        if value is None:
            continue
        form = field.proto.format or ("%d" if float(value).is_integer() and isinstance(value, int) else "%.2f")
        shown.append((field.label, form % value))
    return shown


def dutch_misreads(shown: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Number fields a Dutch reader would misread: a decimal point in a number of a thousand or more
    ("40000.00" looks like 40 million), or three decimals after a point ("3.950" looks like 3,950)."""
    return [(label, text) for label, text in shown
            if re.fullmatch(r"-?\d{4,}\.\d+|-?\d{1,3}\.\d{3}", text)]


def _page(at, key):
    return at.radio(key="page").set_value(key).run()


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path))
    return tmp_path


ODD_REGISTER = ("Kolom A (RD);Kolom B (RD);Referentie;Gebruiksoppervlakte;Bewoners\n"
                "207100;379900;400000;96;6\n200400;385900;410000;120;5\n")
BAD_ROWS = ("location_id,floor_area_m2,occupants,bedrooms,gemeentecode,x,y\n"
            "A1,80,4,2,GM0983,,\nA2,veel,3,2,GM0983,,\nA3,60,-2,0,GM0983,,\nA4,70,3,2,,,\nA5,90,2,1,GM9999,,\n")
BAD_SITES = "naam;sector;bvo;x;y\nA;logistiek;veel;190000;375000\n"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_page_speaks_one_language(isolated, lang):
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.selectbox(key="lang").set_value(lang).run()
    seen: dict[str, list[str]] = {}
    misread = []
    for page in PAGES:
        at = _page(at, page)
        assert not at.exception, (page, [e.value for e in at.exception])
        seen[page] = visible_texts(at)
        misread += [(page, *field) for field in dutch_misreads(shown_numbers(at))]
    # Streamlit's number fields write a decimal point in every language: none may show a number a Dutch reader
    # takes for thousands (the floor area used to show as 40000.00).
    assert not misread, misread
    # Two scenarios saved and compared: the list, the totals side by side and the differences per municipality.
    at = _page(at, "page_scenarios")
    for name in ("Basis", "Variant"):
        at.text_input(key="scenario_name").set_value(name)
        at.text_input(key="scenario_organisation").set_value("Venlo")
        at.text_input(key="scenario_author").set_value("Anna")
        at.button[0].click().run()
    from planner.store import SQLiteStore

    ids = list(SQLiteStore(isolated / "scenarios.sqlite").list()["id"])
    assert len(ids) == 2
    at.multiselect(key="scenario_compare").set_value(ids).run()
    assert not at.exception and at.get("deck_gl_json_chart")  # the comparison (and its difference map) is shown
    seen["scenarios compared"] = visible_texts(at)
    # Common bad input: rows planner cannot use, a register it cannot read, a site with text for a number.
    at = _page(at, "page_housing")
    at.file_uploader(key="housing_file").set_value(("rijen.csv", BAD_ROWS.encode(), "text/csv")).run()
    seen["bad rows"] = visible_texts(at)
    at.file_uploader(key="housing_file").set_value(("odd.csv", ODD_REGISTER.encode(), "text/csv")).run()
    seen["odd register"] = visible_texts(at)
    at = _page(at, "page_sites")
    at.file_uploader(key="sites_file").set_value(("plannen.csv", BAD_SITES.encode(), "text/csv")).run()
    seen["bad sites"] = visible_texts(at)
    assert not at.exception
    assert any("plannen.csv" in e.value for e in at.error)  # the bad-sites path was really shown
    data = frozenset(load_boundaries().boundaries["gemeentenaam"]) | frozenset(ODD_REGISTER.split("\n")[0].split(";"))
    found = {page: wrong_words(texts, lang, data) for page, texts in seen.items()}
    found = {page: words for page, words in found.items() if words}
    numbers = {page: wrong_numbers(texts, lang) for page, texts in seen.items()}
    numbers = {page: texts for page, texts in numbers.items() if texts}
    assert not numbers, "\n".join(f"{page}: {text!r}" for page, texts in numbers.items() for text in texts[:15])
    assert not found, "\n".join(f"{page}: {word!r} in {text!r}" for page, words in found.items()
                                for word, text in words[:15])


def test_the_number_check_finds_numbers_in_the_other_format():
    assert wrong_numbers(["3,9506", "1.234", "P10 2.146 – P90 5.419", "2019", "Bouwbesluit art. 7.18"], "nl") == []
    assert wrong_numbers(["3.9506", "22.6 km", "2019.0"], "nl") == ["3.9506", "22.6 km", "2019.0"]
    assert wrong_numbers(["3.9506", "1,234", "2019"], "en") == []
    assert wrong_numbers(["22,6", "2019.0"], "en") == ["22,6", "2019.0"]


def test_the_word_check_finds_untranslated_text():
    assert wrong_words(["Onbruikbare rijen: 3", "rij 4: 'x' is geen getal"], "nl") == []
    assert wrong_words(["row 4, column 'floor_area_m2': missing"], "nl")[0][0] == "row"
    assert [w for w, _ in wrong_words(["floor_area_m2", "(unknown)", "Fix: do it"], "nl")] == [
        "floor area", "unknown", "Fix"]
    assert [w for w, _ in wrong_words(["logistiek/dc", "gemeentecode", "Beds"], "en")] == ["logistiek",
                                                                                         "gemeentecode"]


# -- the translation step itself ------------------------------------------------------------------------------

def test_a_problem_reads_in_dutch_with_place_column_and_fix():
    problem = Problem("'veel' is not a number", "line 2 ('A')", "floor_area_m2", "write a plain number")
    assert problem_text(problem, "nl") == ("regel 2 ('A'), kolom 'Gebruiksoppervlak (m²)': 'veel' is geen getal "
                                           "Oplossing: schrijf een gewoon getal")
    assert problem_text(problem, "en") == ("line 2 ('A'), column 'Usable floor area (m²)': 'veel' is not a number "
                                           "Fix: write a plain number")
    assert str(problem).startswith("line 2 ('A'), column 'floor_area_m2'")  # the command line keeps the model's text
    error = InputError([problem, Problem("unknown sector 'x'", 3, "sector")], source="plannen.csv")
    assert error_text(error, "nl").startswith("plannen.csv: 2 problemen:\n  - regel 2")
    assert "rij 3, kolom 'Sector': onbekende sector 'x'" in error_text(error, "nl")


def test_row_problems_and_codes_are_translated_part_by_part():
    text = "floor_area_m2: 'x' is not a number; negative number of occupants"
    assert message(text, "nl") == "Gebruiksoppervlak (m²): 'x' is geen getal; negatief aantal bewoners"
    assert message(text, "en") == text
    assert term("(unknown)", "nl") == "(onbekend)" and term("(not in a region)", "nl") == "(niet in een regio)"
    assert term("logistiek", "en") == "logistics" and term("gemeentecode", "en") == "Municipality code"
    assert message("a message planner does not know", "nl") == "a message planner does not know"


def test_every_term_has_both_languages():
    for name, texts in TERMS.items():
        assert set(texts) == {"nl", "en"} and all(texts.values()), name


def test_tables_show_numbers_in_the_languages_format_and_years_whole():
    frame = pd.DataFrame({"ratio_p50": [3.9506123, 0.35], "start_year": [2028.0, 2019.0],
                          "capacity": [15400.0, 1853.6], "sector": ["logistiek", "metaal"]})
    dutch, english = display_table(frame, "nl"), display_table(frame, "en")
    assert list(dutch.iloc[:, 0]) == ["3,9506", "0,35"] and list(english.iloc[:, 0]) == ["3.9506", "0.35"]
    assert list(dutch.iloc[:, 1]) == ["2028", "2019"] == list(english.iloc[:, 1])
    assert list(dutch.iloc[:, 2]) == ["15.400", fmt(1853.6, "nl")] == ["15.400", "1.854"]
    assert list(english.iloc[:, 2]) == ["15,400", "1,854"]
    assert list(english.iloc[:, 3]) == ["logistics", "metal"]
    assert list(dutch.columns) == ["Kental P50", "Startjaar", "Capaciteit (plaatsen)", "Sector"]


BAD_FILES = {
    "leeg.csv": "",
    "alleen_kop.csv": "location_id,floor_area_m2,occupants\n",
    "tekst.csv": "Dit is gewoon een tekst\nzonder kolommen\n",
    "plannen.csv": BAD_SITES,
    "sector.csv": "naam;sector;bvo;x;y\nA;kapsalon;5000;190000;375000\n",
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_errors_of_common_bad_files_read_wholly_in_dutch(tmp_path, name, library):
    """The model's error for a bad file, as the Dutch interface shows it: no English word left."""
    from planner.impact import assess
    from planner.io import read_housing, read_sites

    path = tmp_path / name
    path.write_text(BAD_FILES[name], encoding="utf-8")
    reader = read_housing if name == "alleen_kop.csv" else read_sites
    with pytest.raises(InputError) as caught:
        assess(reader(path), library)
    dutch = error_text(caught.value, "nl")
    assert wrong_words([dutch], "nl") == [], dutch
    assert caught.value.source is None or dutch.startswith(caught.value.source)  # the file is named
    assert wrong_words([error_text(caught.value, "en")], "en") == []


def test_unusable_rows_of_a_register_are_explained_in_dutch(tmp_path):
    from planner.housing import check_housing
    from planner.io import read_housing

    path = tmp_path / "rijen.csv"
    path.write_text(BAD_ROWS, encoding="utf-8")
    checked = check_housing(read_housing(path), "roemer")
    problems = [p for p in checked["problem"] if p]
    assert len(problems) >= 3
    assert wrong_words([message(p, "nl") for p in problems], "nl") == []
    assert "'veel' is geen getal" in " ".join(message(p, "nl") for p in problems)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_library_page_names_kinds_of_business_and_rounds_derived_ratios(isolated, lang):
    """The library page showed the file's codes (ecommerce_dc, open_teelt/vollegrond) and ratios as 2.1187."""
    from planner.library import load_library

    library = load_library()
    codes = set(library.ratios.index.get_level_values("subtype"))
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.selectbox(key="lang").set_value(lang).run()
    at = _page(at, "page_library")
    objects, ratios = at.dataframe[0].value, at.dataframe[1].value
    kinds = objects[term("subtype", lang)]
    assert not set(kinds) & codes, set(kinds) & codes
    assert set(kinds) <= set(library.ratios[f"label_{lang}"])
    for warning in at.warning:
        assert not any(f"/{code}" in warning.value for code in codes), warning.value
    for column in [c for c in ratios.columns if c.startswith(term("ratio_p50", lang).split()[0])]:
        decimals = ratios[column].str.extract(r"[.,](\d+)$")[0].dropna().str.len()
        assert decimals.max() <= 2, (column, list(ratios[column]))


def test_a_sites_file_s_floor_area_reads_as_gross_floor_area(tmp_path):
    """A site's floor area is gross floor area (bvo, the basis of the ratios); a dwelling's is the usable floor
    area of the norms. The Dutch app called a sites file's 'BVO (m2)' column "Gebruiksoppervlak"."""
    from planner.io import read_housing, read_sites, reading_of
    from planner.ui.reading import reading_table

    (tmp_path / "plannen.csv").write_text("Naam;Sector;BVO (m2)\nDC Noord;logistiek;40000\n", encoding="utf-8")
    (tmp_path / "register.csv").write_text("Adres;Gebruiksoppervlakte;Bewoners;Gemeente\nA;96;6;Venlo\n",
                                           encoding="utf-8")
    for lang, gross, usable in (("nl", "Bruto vloeroppervlak (m²)", "Gebruiksoppervlak (m²)"),
                                ("en", "Gross floor area (m²)", "Usable floor area (m²)")):
        sites = reading_table(reading_of(read_sites(tmp_path / "plannen.csv")), lang)
        register = reading_table(reading_of(read_housing(tmp_path / "register.csv")), lang)
        assert gross in sites.iloc[:, 1].tolist() and usable not in sites.iloc[:, 1].tolist()
        assert usable in register.iloc[:, 1].tolist() and gross not in register.iloc[:, 1].tolist()
    # The notes too: a sites file's number notes name its gross floor area.
    from planner.messages import message
    from planner.ui.reading import note_for

    note = "floor_area_m2: Dutch notation (decimal comma, thousands dot) (decimal commas in the column)"
    assert message(note_for(note, "sites", "nl"), "nl").startswith("Bruto vloeroppervlak (m²): Nederlandse notatie")
    assert message(note_for(note, "housing", "nl"), "nl").startswith("Gebruiksoppervlak (m²): Nederlandse notatie")


def test_the_shared_store_s_errors_read_in_dutch():
    """What a member meets on the Scenarios page when the store cannot be reached or refuses: in Dutch, with the
    fix, and the reason as the database gave it."""
    from planner.store import PostgresStore, StoreUnavailableError

    store = PostgresStore("postgresql://org_a:geheim@127.0.0.1:1/planner", connect_timeout=2)
    with pytest.raises(StoreUnavailableError) as caught:
        store.list()
    text = error_text(caught.value, "nl")
    assert "de gedeelde opslag is niet bereikbaar (" in text and "controleer de verbindingsgegevens" in text, text
    assert "geheim" not in text
    assert message("'Plan A' belongs to Gemeente A; Gemeente B cannot add versions to it", "nl") == (
        "'Plan A' is van Gemeente A; Gemeente B kan er geen versies aan toevoegen")

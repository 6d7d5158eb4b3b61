"""Interface texts in Dutch (default) and English.

One catalogue: each key has a Dutch and an English text. ``t(key, lang)``
returns the text, formatted with keyword arguments; a missing key raises, so
a test can prove that every key exists in both languages.
"""

from __future__ import annotations

LANGUAGES = {"nl": "Nederlands", "en": "English"}
DEFAULT_LANGUAGE = "nl"

TEXTS: dict[str, dict[str, str]] = {
    "app_title": {"nl": "Planner huisvesting arbeidsmigranten", "en": "Labour migrant housing planner"},
    "app_intro": {
        "nl": "Effectrapportage bij nieuwe bedrijvigheid: hoeveel arbeidsmigranten brengt een nieuw "
              "bedrijf, en hoeveel bedden zijn er in de regio nodig? Cijfers als laag / typisch / hoog.",
        "en": "New-business impact assessment: how many labour migrants does a new business bring, and how "
              "many beds does the region need? Figures as low / typical / high.",
    },
    "language": {"nl": "Taal", "en": "Language"},
    "sites_file": {"nl": "Bestand met bedrijfslocaties", "en": "File with business sites"},
    "sites_file_help": {
        "nl": "GeoPackage, GeoJSON, gezipte Shapefile, CSV (met x/y of lon/lat) of Excel. "
              "Zonder bestand toont de app de ingebouwde voorbeelden.",
        "en": "GeoPackage, GeoJSON, zipped Shapefile, CSV (with x/y or lon/lat) or Excel. "
              "Without a file the app shows the built-in examples.",
    },
    "demo_notice": {
        "nl": "Voorbeelddata: de locaties zijn verzonnen voorbeelden op echte plaatsen, geen echte plannen.",
        "en": "Demo data: the sites are invented examples at real places, not real plans.",
    },
    "input_error": {"nl": "Het bestand kan niet worden gebruikt", "en": "The file cannot be used"},
    "totals": {"nl": "Totaal over {n} locaties", "en": "Total over {n} sites"},
    "workers": {"nl": "Werknemers", "en": "Workers"},
    "migrants": {"nl": "Arbeidsmigranten", "en": "Labour migrants"},
    "migrants_peak": {"nl": "Arbeidsmigranten in de piek", "en": "Labour migrants at the peak"},
    "beds_needed": {"nl": "Benodigde bedden (piek)", "en": "Beds needed (peak)"},
    "beds_employer": {"nl": "Bedden via werkgever/uitzendbureau (verwacht)",
                      "en": "Beds through employer/agency (expected)"},
    "beds_to_find": {"nl": "Nog te vinden bedden in de regio", "en": "Beds still to be found in the region"},
    "beds_short_stay": {"nl": "Bedden short stay", "en": "Beds short stay"},
    "beds_mid_stay": {"nl": "Bedden mid stay", "en": "Beds mid stay"},
    "beds_long_stay": {"nl": "Bedden long stay", "en": "Beds long stay"},
    "range_caption": {
        "nl": "Typisch, met daaronder de bandbreedte laag – hoog. Laag combineert de lage kant van elke "
              "factor, hoog de hoge kant.",
        "en": "Typical, with the range low – high below. Low combines the low end of every factor, high the "
              "high end.",
    },
    "low": {"nl": "laag", "en": "low"},
    "typical": {"nl": "typisch", "en": "typical"},
    "high": {"nl": "hoog", "en": "high"},
    "range": {"nl": "laag {low} – hoog {high}", "en": "low {low} – high {high}"},
    "per_site": {"nl": "Per locatie", "en": "Per site"},
    "per_year": {"nl": "Benodigde bedden per jaar (typisch, met ingroei)",
                 "en": "Beds needed per year (typical, with ramp-up)"},
    "sources": {"nl": "Kentallen en bronnen", "en": "Ratios and sources"},
    "assumptions": {
        "nl": "Aannames: waar geen openbaar referentieobject bestaat, is het kental een aanname met een "
              "brede bandbreedte (status 'assumption'). Vul de bibliotheek aan met eigen referentieobjecten.",
        "en": "Assumptions: where no public reference object exists, the ratio is an assumption with a wide "
              "range (status 'assumption'). Extend the library with your own reference objects.",
    },
    "download_excel": {"nl": "Download resultaten (Excel)", "en": "Download results (Excel)"},
    "download_gpkg": {"nl": "Download resultaten (GeoPackage)", "en": "Download results (GeoPackage)"},
    "col_site": {"nl": "Locatie", "en": "Site"},
    "col_sector": {"nl": "Sector", "en": "Sector"},
    "col_basis": {"nl": "Grondslag", "en": "Basis"},
    "col_declared": {"nl": "Opgave bedrijf", "en": "Company declaration"},
    "col_check": {"nl": "Toets opgave", "en": "Declaration check"},
    "below_range": {"nl": "onder bandbreedte", "en": "below range"},
    "within_range": {"nl": "binnen bandbreedte", "en": "within range"},
    "above_range": {"nl": "boven bandbreedte", "en": "above range"},
    "library_hash": {"nl": "Referentiebibliotheek {hash}", "en": "Reference library {hash}"},
}


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The text for ``key`` in ``lang`` ("nl" or "en"), formatted with ``values``."""
    if lang not in LANGUAGES:
        raise KeyError(f"unknown language '{lang}'; use one of {', '.join(LANGUAGES)}")
    text = TEXTS[key][lang]
    return text.format(**values) if values else text

"""Model messages, field names and codes in the user's language (no Streamlit here).

The model (``planner/*.py``) speaks English: its :class:`~planner.errors.Problem`
texts, row problems, notes and column names are what the command line shows.
The interface passes every such text through this module before a user reads
it. A message is matched against the English templates of :data:`MESSAGES`
(``{name}`` stands for any text) and rewritten with the Dutch template; the
values it carries are translated too when they are known names (a column such
as ``floor_area_m2`` becomes "Bruto vloeroppervlak (m²)"). English passes
through unchanged, so the model and the command line need no change, and a
message without a Dutch template is shown as it is rather than lost.

Add a template here when the model gets a new message a user may meet;
``tests/test_language.py`` renders every page and fails on English words in
the Dutch interface.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from .errors import InputError, Problem

#: Names of fields, columns and codes as the interface shows them. A name without an entry is looked up in
#: :data:`planner.i18n.TEXTS`, and shown as it is if it has none there either.
TERMS: dict[str, dict[str, str]] = {
    "beds needed": {"nl": "benodigde bedden", "en": "beds needed"},
    "to_check": {"nl": "Te controleren", "en": "To check"},
    "in_use": {"nl": "In gebruik (ja/nee)", "en": "In use (yes/no)"},
    "units": {"nl": "Aantal eenheden", "en": "Number of units"},
    "beds to place in the Netherlands": {"nl": "in Nederland te plaatsen bedden",
                                         "en": "beds to place in the Netherlands"},
    # housing register fields (mapping targets, columns of the checked register)
    "floor_area_m2": {"nl": "Gebruiksoppervlak (m²)", "en": "Usable floor area (m²)"},
    "occupants": {"nl": "Bewoners", "en": "Occupants"},
    "bedrooms": {"nl": "Slaapkamers", "en": "Bedrooms"},
    "bedroom_area_m2": {"nl": "Oppervlak slaapkamers (m²)", "en": "Bedroom area (m²)"},
    "licensed_beds": {"nl": "Vergunde bedden", "en": "Licensed beds"},
    "toilets": {"nl": "Toiletten", "en": "Toilets"},
    "showers": {"nl": "Douches", "en": "Showers"},
    "location_id": {"nl": "Locatie-id", "en": "Location id"},
    "address": {"nl": "Adres", "en": "Address"},
    "type": {"nl": "Soort", "en": "Type"},
    "gemeentecode": {"nl": "Gemeentecode", "en": "Municipality code"},
    "gemeentenaam": {"nl": "Gemeentenaam", "en": "Municipality name"},
    "woonplaats": {"nl": "Woonplaats", "en": "Place"},
    "x": {"nl": "x (RD)", "en": "x (RD)"},
    "y": {"nl": "y (RD)", "en": "y (RD)"},
    "lon": {"nl": "lengtegraad", "en": "longitude"},
    "lat": {"nl": "breedtegraad", "en": "latitude"},
    "wkt": {"nl": "geometrie (WKT)", "en": "geometry (WKT)"},
    "xy": {"nl": "coördinaten (één kolom)", "en": "coordinates (one column)"},
    "synthetic": {"nl": "synthetisch", "en": "synthetic"},
    "problem": {"nl": "Wat er mis is", "en": "What is wrong"},
    "line": {"nl": "Regel", "en": "Line"},
    "valid": {"nl": "Bruikbaar", "en": "Usable"},
    "placed_by": {"nl": "Geplaatst via", "en": "Placed by"},
    "input_problem": {"nl": "Probleem bij inlezen", "en": "Problem on reading"},
    "occupants_known": {"nl": "Bewoners bekend", "en": "Occupants known"},
    "binding_limit": {"nl": "Beperkende eis", "en": "Binding limit"},
    "bedrooms_used": {"nl": "Slaapkamers gebruikt", "en": "Bedrooms used"},
    "bedrooms_estimated": {"nl": "Slaapkamers geschat", "en": "Bedrooms estimated"},
    "limit_floor_area": {"nl": "Grens oppervlak", "en": "Limit by floor area"},
    "limit_bedrooms": {"nl": "Grens slaapkamers", "en": "Limit by bedrooms"},
    "limit_bedroom_area": {"nl": "Grens slaapkameroppervlak", "en": "Limit by bedroom area"},
    "limit_sanitary": {"nl": "Grens sanitair", "en": "Limit by sanitary"},
    "limit_licence": {"nl": "Grens vergunning", "en": "Limit by licence"},
    "norm_version_date": {"nl": "Versiedatum norm", "en": "Norm version date"},
    "compliant": {"nl": "Voldoet", "en": "Compliant"},
    "signal_many_persons": {"nl": "Signaal: veel personen", "en": "Signal: many persons"},
    "compare_norm": {"nl": "Vergelijkingsnorm", "en": "Compared norm"},
    "capacity_compare": {"nl": "Capaciteit (vergelijkingsnorm)", "en": "Capacity (compared norm)"},
    # sites and the library
    "name": {"nl": "Naam", "en": "Name"},
    "subtype": {"nl": "Type bedrijf", "en": "Kind of business"},
    "label_nl": {"nl": "Omschrijving", "en": "Description (Dutch)"},
    "label_en": {"nl": "Omschrijving (Engels)", "en": "Description"},
    "basis": {"nl": "Grondslag", "en": "Basis"},
    "ratio_unit": {"nl": "Eenheid kental", "en": "Unit of the ratio"},
    "ratio_p10": {"nl": "Kental P10", "en": "Ratio P10"},
    "ratio_p50": {"nl": "Kental P50", "en": "Ratio P50"},
    "ratio_p90": {"nl": "Kental P90", "en": "Ratio P90"},
    "ratio_status": {"nl": "Status kental", "en": "Status of the ratio"},
    "ratio_objects": {"nl": "Objecten", "en": "Objects"},
    "n_objects": {"nl": "Aantal objecten", "en": "Number of objects"},
    "objects_note": {"nl": "Opmerking objecten", "en": "Note on the objects"},
    "ratio_source": {"nl": "Bron kental", "en": "Source of the ratio"},
    "migrant_share_p10": {"nl": "Aandeel arbeidsmigranten P10", "en": "Migrant share P10"},
    "migrant_share_p50": {"nl": "Aandeel arbeidsmigranten P50", "en": "Migrant share P50"},
    "migrant_share_p90": {"nl": "Aandeel arbeidsmigranten P90", "en": "Migrant share P90"},
    "migrant_share_source": {"nl": "Bron aandeel arbeidsmigranten", "en": "Source of the migrant share"},
    "peak_factor_p10": {"nl": "Piekfactor P10", "en": "Peak factor P10"},
    "peak_factor_p50": {"nl": "Piekfactor P50", "en": "Peak factor P50"},
    "peak_factor_p90": {"nl": "Piekfactor P90", "en": "Peak factor P90"},
    "peak_factor_source": {"nl": "Bron piekfactor", "en": "Source of the peak factor"},
    "share_short_stay": {"nl": "Aandeel short stay", "en": "Share short stay"},
    "share_mid_stay": {"nl": "Aandeel mid stay", "en": "Share mid stay"},
    "share_long_stay": {"nl": "Aandeel long stay", "en": "Share long stay"},
    "stay_source": {"nl": "Bron verblijfsduur", "en": "Source of the length of stay"},
    "employer_housed_share_p50": {"nl": "Aandeel gehuisvest via werkgever P50",
                                  "en": "Share housed by the employer P50"},
    "employer_housed_share_source": {"nl": "Bron huisvesting via werkgever", "en": "Source of employer housing"},
    "beds_per_migrant": {"nl": "Bedden per arbeidsmigrant", "en": "Beds per migrant"},
    "beds_per_migrant_source": {"nl": "Bron bedden per arbeidsmigrant", "en": "Source of beds per migrant"},
    "declared_jobs": {"nl": "Banen (opgave bedrijf)", "en": "Jobs (company's figure)"},
    "workers_basis": {"nl": "Werknemers berekend uit", "en": "Workers computed from"},
    "plot_to_floor_area": {"nl": "kavel x vloeroppervlak per m² kavel", "en": "plot x floor area per m² of plot"},
    "floor_area_from_plot": {"nl": "Vloeroppervlak uit de kavel", "en": "Floor area from the plot"},
    "realised_over_announced_p10": {"nl": "Gerealiseerd deel aangekondigde banen P10",
                                    "en": "Realised share of announced jobs P10"},
    "realised_over_announced_p50": {"nl": "Gerealiseerd deel aangekondigde banen P50",
                                    "en": "Realised share of announced jobs P50"},
    "realised_over_announced_p90": {"nl": "Gerealiseerd deel aangekondigde banen P90",
                                    "en": "Realised share of announced jobs P90"},
    "realised_over_announced_source": {"nl": "Bron gerealiseerd deel aangekondigde banen",
                                       "en": "Source of the realised share of announced jobs"},
    # reference objects
    "id": {"nl": "Id", "en": "Id"},
    "place": {"nl": "Plaats", "en": "Place"},
    "country": {"nl": "Land", "en": "Country"},
    "year": {"nl": "Jaar", "en": "Year"},
    "area_kind": {"nl": "Soort oppervlak", "en": "Kind of area"},
    "levels": {"nl": "Bouwlagen", "en": "Levels"},
    "amount": {"nl": "Hoeveelheid", "en": "Amount"},
    "unit": {"nl": "Eenheid", "en": "Unit"},
    "counted": {"nl": "Geteld", "en": "Counted"},
    "timing": {"nl": "Moment", "en": "Timing"},
    "workers_low": {"nl": "Werknemers (laag)", "en": "Workers (low)"},
    "workers_high": {"nl": "Werknemers (hoog)", "en": "Workers (high)"},
    "peak_factor": {"nl": "Piekfactor", "en": "Peak factor"},
    "migrant_share": {"nl": "Aandeel arbeidsmigranten", "en": "Migrant share"},
    "confidence": {"nl": "Betrouwbaarheid", "en": "Confidence"},
    "scope": {"nl": "Reikwijdte", "en": "Scope"},
    "notes": {"nl": "Aantekeningen", "en": "Notes"},
    "quote": {"nl": "Citaat", "en": "Quote"},
    "provenance": {"nl": "Herkomst", "en": "Provenance"},
    "file": {"nl": "Bestand", "en": "File"},
    # allocation parameters
    "parameter": {"nl": "Parameter", "en": "Parameter"},
    "value": {"nl": "Waarde", "en": "Value"},
    "status": {"nl": "Status", "en": "Status"},
    "source": {"nl": "Bron", "en": "Source"},
    "note": {"nl": "Toelichting", "en": "Explanation"},
    "mean_distance_km": {"nl": "Gemiddelde woon-werkafstand (km)", "en": "Mean home-work distance (km)"},
    "max_distance_km": {"nl": "Maximale woon-werkafstand (km)", "en": "Maximum home-work distance (km)"},
    "attractor": {"nl": "Aantrekkingskracht gemeente", "en": "Attraction of a municipality"},
    "capacity_basis": {"nl": "Grondslag capaciteit", "en": "Basis of the capacity"},
    "abroad_share": {"nl": "Aandeel over de grens", "en": "Share across the border"},
    "population": {"nl": "inwoners", "en": "population"},
    # scenario tables
    "organisation": {"nl": "Organisatie", "en": "Organisation"},
    "author": {"nl": "Auteur", "en": "Author"},
    "version": {"nl": "Versie", "en": "Version"},
    "created": {"nl": "Gemaakt", "en": "Created"},
    "saved_at": {"nl": "Opgeslagen", "en": "Saved"},
    "saved_by": {"nl": "Opgeslagen door", "en": "Saved by"},
    "sites": {"nl": "Locaties", "en": "Sites"},
    "housing": {"nl": "Woningvoorraad", "en": "Housing stock"},
    "pipeline": {"nl": "Pijplijn", "en": "Pipeline"},
    "workers_p50": {"nl": "Werknemers (P50)", "en": "Workers (P50)"},
    "migrants_p50": {"nl": "Arbeidsmigranten (P50)", "en": "Labour migrants (P50)"},
    "beds_needed_p50": {"nl": "Benodigde bedden (P50)", "en": "Beds needed (P50)"},
    "demand_p50": {"nl": "Toe te delen bedden (P50)", "en": "Beds to place (P50)"},
    "shortfall_p50": {"nl": "Tekort (P50)", "en": "Shortfall (P50)"},
    "shortfall_difference": {"nl": "Verschil in tekort", "en": "Difference in shortfall"},
    "rows": {"nl": "Rijen", "en": "Rows"},
    "reason": {"nl": "Reden", "en": "Reason"},
    # codes shown as values
    "(unknown)": {"nl": "(onbekend)", "en": "(unknown)"},
    "(not in a region)": {"nl": "(niet in een regio)", "en": "(not in a region)"},
    "sourced": {"nl": "met bron", "en": "sourced"},
    "derived": {"nl": "afgeleid", "en": "derived"},
    "assumption": {"nl": "aanname", "en": "assumption"},
    "sector fallback": {"nl": "sectorgemiddelde", "en": "sector fallback"},
    "floor_area": {"nl": "vloeroppervlak", "en": "floor area"},
    "floor_area_m2 or plot_area_ha": {"nl": "bruto vloeroppervlak of kaveloppervlak",
                                      "en": "gross floor area or plot area"},
    "plot_area": {"nl": "kaveloppervlak", "en": "plot area"},
    "coordinates": {"nl": "coördinaten", "en": "coordinates"},
    "heads per 1,000 m2 gross floor area (bvo)": {"nl": "werkenden per 1.000 m² bruto vloeroppervlak (bvo)",
                                                  "en": "heads per 1,000 m² gross floor area (bvo)"},
    "heads per ha of glass": {"nl": "werkenden per ha glas", "en": "heads per ha of glass"},
    "calibrated": {"nl": "gekalibreerd", "en": "calibrated"},
    "set by user": {"nl": "door gebruiker ingesteld", "en": "set by user"},
    "km": {"nl": "km", "en": "km"},
    "True": {"nl": "ja", "en": "yes"},
    "False": {"nl": "nee", "en": "no"},
    # sectors (the codes are Dutch words)
    "logistiek": {"nl": "logistiek", "en": "logistics"},
    "glastuinbouw": {"nl": "glastuinbouw", "en": "greenhouse horticulture"},
    "open_teelt": {"nl": "open teelt", "en": "open-field farming"},
    "voeding": {"nl": "voeding", "en": "food processing"},
    "metaal": {"nl": "metaal", "en": "metal"},
    # housing types (codes are Dutch)
    "woning": {"nl": "woning", "en": "dwelling"},
    "agrarisch": {"nl": "agrarisch", "en": "on a farm"},
    "recreatie": {"nl": "recreatie", "en": "holiday park"},
    "kamerverhuur": {"nl": "kamerverhuur", "en": "rooms to let"},
    "logies": {"nl": "logies", "en": "lodging"},
    "overig": {"nl": "overig", "en": "other"},
    "short_stay": {"nl": "short stay", "en": "short stay"},
    "synthetisch / synthetic": {"nl": "synthetisch", "en": "synthetic"},
    # what a table file holds (planner.io.workbook_kind)
    "an Excel workbook (.xlsx)": {"nl": "een Excel-werkmap (.xlsx)", "en": "an Excel workbook (.xlsx)"},
    "an Excel 97-2003 workbook (.xls)": {"nl": "een Excel 97-2003-werkmap (.xls)",
                                         "en": "an Excel 97-2003 workbook (.xls)"},
    "an Excel binary workbook (.xlsb)": {"nl": "een binaire Excel-werkmap (.xlsb)",
                                         "en": "an Excel binary workbook (.xlsb)"},
    "an OpenDocument spreadsheet (.ods)": {"nl": "een OpenDocument-rekenblad (.ods)",
                                           "en": "an OpenDocument spreadsheet (.ods)"},
    "text": {"nl": "tekst", "en": "text"},
    # what a scenario file's metadata value should be (planner.exchange)
    "a whole number": {"nl": "een geheel getal", "en": "a whole number"},
    "a set of named values": {"nl": "een reeks benoemde waarden", "en": "a set of named values"},
    "text or empty": {"nl": "tekst of leeg", "en": "text or empty"},
}

#: English message templates and their Dutch text. ``{name}`` matches any text; the value is put into the Dutch
#: text translated by :func:`term` when it is a known name. The first template that matches the whole message wins.
MESSAGES: dict[str, str] = {
    # housing register, one text per unusable row (several joined by "; ")
    "{column}: '{value}' is not a number": "{column}: '{value}' is geen getal",
    "'{value}' is not a number": "'{value}' is geen getal",
    "columns '{a}' and '{b}' look swapped: latitude is in '{c}'":
        "kolommen '{a}' en '{b}' lijken verwisseld: de breedtegraad staat in '{c}'",
    "swap the columns, so that '{a}' holds longitude (3-7.4) and '{b}' latitude (50.6-53.7)":
        "verwissel de kolommen, zodat '{a}' de lengtegraad (3-7,4) bevat en '{b}' de breedtegraad (50,6-53,7)",
    "columns '{a}' and '{b}' look swapped: the RD New y (north, 300,000-625,000) is in '{c}'":
        "kolommen '{a}' en '{b}' lijken verwisseld: de RD-y (noord, 300.000-625.000) staat in '{c}'",
    "swap the columns, so that '{a}' holds the RD x (east, 0-300,000) and '{b}' the RD y":
        "verwissel de kolommen, zodat '{a}' de RD-x (oost, 0-300.000) bevat en '{b}' de RD-y",
    "coordinates in '{a}'/'{b}' are neither RD New nor longitude/latitude in the Netherlands (first outliers: "
    "{codes}); they look like {value}": "coördinaten in '{a}'/'{b}' zijn geen RD New en geen lengte-/breedtegraad in "
    "Nederland (eerste afwijkers: {codes}); ze lijken {value}",
    "coordinates in '{a}'/'{b}' are neither RD New nor longitude/latitude in the Netherlands (first outliers: "
    "{codes})": "coördinaten in '{a}'/'{b}' zijn geen RD New en geen lengte-/breedtegraad in Nederland (eerste "
    "afwijkers: {codes})",
    "coordinates in '{a}'/'{b}' mix two systems: {codes} are in {value}, the others in {system}":
        "coördinaten in '{a}'/'{b}' mengen twee stelsels: {codes} staan in {value}, de andere in {system}",
    "coordinates in '{a}'/'{b}' mix two systems: {codes} is in {value}, the others in {system}":
        "coördinaten in '{a}'/'{b}' mengen twee stelsels: {codes} staat in {value}, de andere in {system}",
    "give RD New x/y in metres or WGS84 lon/lat in degrees, one system for the whole file":
        "geef RD New x/y in meters of WGS84 lengte/breedte in graden, één stelsel voor het hele bestand",
    "{column}: '{value}' is a range, not one number (give one number)":
        "{column}: '{value}' is een bereik, geen getal (geef één getal)",
    "{column}: '{value}' is a date, not a number (a range such as 4-6 that the spreadsheet made into a date? give "
    "one number)": "{column}: '{value}' is een datum, geen getal (een bereik zoals 4-6 dat het rekenblad in een "
                   "datum veranderde? geef één getal)",
    "usable floor area missing (the norms are per m2: fill in floor_area_m2)":
        "gebruiksoppervlak ontbreekt (de normen gaan per m²: vul het gebruiksoppervlak in)",
    "usable floor area is zero or negative": "gebruiksoppervlak is nul of negatief",
    "usable floor area above {n} m2 (check the unit)": "gebruiksoppervlak boven {n} m² (controleer de eenheid)",
    "negative number of occupants": "negatief aantal bewoners",
    "more than {n} occupants at one address": "meer dan {n} bewoners op één adres",
    "occupants is not a whole number": "het aantal bewoners is geen geheel getal",
    "bedrooms below 1 (leave the cell empty when unknown)":
        "minder dan 1 slaapkamer (laat de cel leeg als het aantal niet bekend is)",
    "{column} is negative": "{column} is negatief",
    "no coordinates and no gemeentecode, so the location cannot be placed":
        "geen coördinaten en geen gemeentecode: de locatie kan niet worden geplaatst",
    # problems of a whole file
    "{n} housing location(s) lie in no municipality of the layer and have no valid gemeentecode; their places are "
    "not counted": "{n} huisvestingslocatie(s) liggen in geen enkele gemeente van de kaartlaag en hebben geen geldige "
                   "gemeentecode; hun plaatsen tellen niet mee",
    "give coordinates or a gemeentecode": "geef coördinaten of een gemeentecode",
    "write a plain number": "schrijf een gewoon getal",
    "fill in a number": "vul een getal in",
    "fill it in": "vul het in",
    "value missing": "waarde ontbreekt",
    "empty": "leeg",
    "must be above zero": "moet boven nul liggen",
    "{n} cells but the header has {width}": "{n} cellen, maar de kopregel heeft er {width}",
    "missing column(s) {columns}": "kolom(men) {columns} ontbreken",
    "no column for {what}": "geen kolom voor {what}",
    "no column '{column}'": "geen kolom '{column}'",
    "the file has no column '{column}'": "het bestand heeft geen kolom '{column}'",
    "unsupported file type '{suffix}'": "bestandstype '{suffix}' wordt niet ondersteund",
    "a plan's GML (IMRO) holds the plan's zoning, not the sites' sector and area: open it in QGIS, select the business "
    "plots, add the columns sector and floor_area_m2 (or plot_area_ha), and save them as a GeoPackage (.gpkg)":
        "de GML van een plan (IMRO) bevat de bestemmingen, niet de sector en het oppervlak van de locaties: open het "
        "in QGIS, selecteer de bedrijfskavels, voeg de kolommen sector en floor_area_m2 (of plot_area_ha) toe en sla "
        "ze op als GeoPackage (.gpkg)",
    "a CAD drawing: open it in QGIS, turn the closed lines into polygons (Vector > Geometry Tools > Lines to "
    "Polygons), set RD New (EPSG:28992), add sector and an area column, and save as a GeoPackage (.gpkg)":
        "een CAD-tekening: open die in QGIS, maak van de gesloten lijnen polygonen (Vector > Geometrie "
        "gereedschappen > Lijnen naar polygonen), kies RD New (EPSG:28992), voeg sector en een oppervlaktekolom toe "
        "en sla op als GeoPackage (.gpkg)",
    "a CAD drawing: save it as DXF in the CAD program, then as a GeoPackage in QGIS (with sector and an area column)":
        "een CAD-tekening: sla die in het CAD-programma op als DXF en daarna in QGIS als GeoPackage (met sector en "
        "een oppervlaktekolom)",
    "a Shapefile's table alone: zip the .shp, .shx, .dbf and .prj together and give the .zip":
        "alleen de tabel van een Shapefile: zip .shp, .shx, .dbf en .prj samen en geef de .zip",
    "a Shapefile part alone: zip the .shp, .shx, .dbf and .prj together and give the .zip":
        "alleen een deel van een Shapefile: zip .shp, .shx, .dbf en .prj samen en geef de .zip",
    "a PDF is a picture of a table: export the table from its source as Excel or CSV":
        "een PDF is een afbeelding van een tabel: exporteer de tabel uit de bron als Excel of CSV",
    "a Word document: copy the table into Excel and save it as .xlsx":
        "een Word-document: kopieer de tabel naar Excel en sla die op als .xlsx",
    "cannot read the file ({why})": "het bestand kan niet worden gelezen ({why})",
    "cannot read as Excel ({why})": "kan niet als Excel worden gelezen ({why})",
    "save it again as .xlsx": "sla het opnieuw op als .xlsx",
    "the file unpacks to {size} GB, more than planner reads ({limit} GB)":
        "het bestand pakt uit tot {size} GB, meer dan planner leest ({limit} GB)",
    "check where the file comes from; split a real file this large":
        "ga na waar het bestand vandaan komt; splits een echt bestand van deze omvang",
    "cannot reach the shared store ({why})": "de gedeelde opslag is niet bereikbaar ({why})",
    "check the connection settings (PLANNER_STORE) and the network; nothing was saved":
        "controleer de verbindingsgegevens (PLANNER_STORE) en het netwerk; er is niets opgeslagen",
    "the connection to the shared store was lost ({why})": "de verbinding met de gedeelde opslag is verbroken ({why})",
    "try again; the transaction was rolled back, nothing half-written":
        "probeer het opnieuw; de transactie is teruggedraaid, er is niets half geschreven",
    "your database role may not use the shared store (it is not a member)":
        "uw databaserol mag de gedeelde opslag niet gebruiken (ze is geen lid)",
    "database role '{role}' is not a member of this shared store": "databaserol '{role}' is geen lid van deze "
                                                                   "gedeelde opslag",
    "'{name}' belongs to {owner}; {who} cannot add versions to it":
        "'{name}' is van {owner}; {who} kan er geen versies aan toevoegen",
    "save it under a new name for your own organisation": "sla het op onder een nieuwe naam voor uw eigen organisatie",
    "scenario {id} belongs to {owner}; {who} cannot delete it": "scenario {id} is van {owner}; {who} kan het niet "
                                                                "verwijderen",
    "only the owning organisation deletes its scenarios": "alleen de eigenaar verwijdert zijn scenario's",
    "scenario {id} was not deleted": "scenario {id} is niet verwijderd",
    "it does not exist, or it belongs to another organisation":
        "het bestaat niet, of het is van een andere organisatie",
    "the shared store is locked by another session ({holders}) for longer than {seconds} s":
        "de gedeelde opslag is langer dan {seconds} s vergrendeld door een andere sessie ({holders})",
    "try again later; nothing was changed. If it stays locked, the store's administrator can end that session "
    "(SELECT pg_terminate_backend(pid))": "probeer het later opnieuw; er is niets gewijzigd. Blijft de opslag "
    "vergrendeld, dan kan de beheerder van de opslag die sessie beëindigen (SELECT pg_terminate_backend(pid))",
    "metadata '{key}' is {value}, not {expected}": "metagegeven '{key}' is {value}; verwacht: {expected}",
    "metadata '{key}' is {value}": "metagegeven '{key}' is {value}",
    "export the scenario again with planner": "exporteer het scenario opnieuw met planner",
    "give a number, e.g. 22.6": "geef een getal, bijvoorbeeld 22,6",
    "cannot read as a workbook ({why})": "kan niet als werkmap worden gelezen ({why})",
    "open it in Excel or LibreOffice and save it again as .xlsx":
        "open het in Excel of LibreOffice en sla het opnieuw op als .xlsx",
    "the file is named {suffix} but holds a web page (HTML), as some systems export tables":
        "het bestand heet {suffix} maar bevat een webpagina (HTML), zoals sommige systemen tabellen exporteren",
    "the file is named {suffix} but holds an Excel 2003 XML spreadsheet, as some systems export tables":
        "het bestand heet {suffix} maar bevat een Excel 2003 XML-rekenblad, zoals sommige systemen tabellen "
        "exporteren",
    "open it in Excel or LibreOffice and save it as .xlsx or .csv":
        "open het in Excel of LibreOffice en sla het op als .xlsx of .csv",
    "the file is named {suffix} but holds {what}: read as that":
        "het bestand heet {suffix} maar bevat {what}: zo gelezen",
    "the file is larger than {n} MB": "het bestand is groter dan {n} MB",
    "split it, or use the command line (planner ...), which has no limit":
        "splits het, of gebruik de opdrachtregel (planner ...), die geen grens heeft",
    "the file is empty": "het bestand is leeg",
    "the file holds no rows": "het bestand bevat geen rijen",
    "the register holds no rows": "het register bevat geen rijen",
    "no column for {one} and {other}": "geen kolom voor {one} en {other}",
    "columns planner does not recognise: {headers}": "kolommen die de app niet herkent: {headers}",
    "rename the header (e.g. bvo, vloeroppervlak, kavel_ha, sector) or map it: {example}":
        "geef de kolom een naam die de app herkent (bijv. bvo, vloeroppervlak, kavel_ha, sector)",
    # sites
    "unknown sector '{sector}'": "onbekende sector '{sector}'",
    "use one of {codes}": "gebruik een van deze: {codes}",
    "unknown subtype '{subtype}' for sector '{sector}'": "onbekend type '{subtype}' bij sector '{sector}'",
    "sector '{sector}' has several subtypes": "sector '{sector}' heeft meerdere typen",
    "no column 'sector'": "geen kolom 'sector'",
    "plot area needed but not given": "kaveloppervlak nodig maar niet opgegeven",
    "{value} is negative": "{value} is negatief",
    "start year {year} is not a year between {first} and {last}":
        "startjaar {year} ligt niet tussen {first} en {last}",
    "no public reference object for {what} or its sector: the ratio is an assumption":
        "geen openbaar referentie-object voor {what} of de sector: het kental is een aanname",
    "no public reference object for {what}: the ratio rests on the other objects of the sector":
        "geen openbaar referentie-object voor {what}: het kental rust op de andere objecten van de sector",
    "{code} is not a municipality in {year}": "{code} is geen gemeente in {year}",
    "{code} is not a municipality code": "{code} is geen gemeentecode",
    "write the CBS code: GM and four digits (GM0983), or 983":
        "schrijf de CBS-code: GM en vier cijfers (GM0983), of 983",
    "it may have merged into another municipality: use its {year} code, or choose the boundary year your data come "
    "from": "mogelijk is ze opgegaan in een andere gemeente: gebruik de code van {year}, of kies het grensjaar waar "
            "uw gegevens uit komen",
    # scenarios
    "a scenario needs a {field}": "een scenario heeft een {field} nodig",
    "a scenario needs an {field}": "een scenario heeft een {field} nodig",
    "give a {field}": "vul {field} in",
    "give an {field}": "vul {field} in",
    # pipeline
    "{n} beds": "{n} bedden",
    "give a positive number of beds": "geef een positief aantal bedden",
    "year {year}": "jaar {year}",
    "give a year between 1990 and 2100": "geef een jaar tussen 1990 en 2100",
    "no location and no gemeentecode": "geen locatie en geen gemeentecode",
    "add a gemeentecode": "voeg een gemeentecode toe",
    # how a file was read
    "comma-separated (','), {encoding}": "gescheiden door komma's (','), {encoding}",
    "semicolon-separated (';'), {encoding}": "gescheiden door puntkomma's (';'), {encoding}",
    "tab-separated, {encoding}": "gescheiden door tabs, {encoding}",
    "decimal points in the column": "decimaalpunten in de kolom",
    "decimal commas in the column": "decimaalkomma's in de kolom",
    "Dutch notation (decimal comma, thousands dot)": "Nederlandse notatie (decimaalkomma, duizendtallen met punt)",
    "English notation (decimal point, thousands comma)": "Engelse notatie (decimaalpunt, duizendtallen met komma)",
    "plain numbers": "gewone getallen",
    "Dutch and English notation mixed": "Nederlandse en Engelse notatie door elkaar",
    "found from the values (RD New range)": "herkend aan de waarden (bereik van RD New)",
    "found from the values (degrees in the Netherlands)": "herkend aan de waarden (graden in Nederland)",
    "{column}: English notation (decimal point, thousands comma) ({basis})":
        "{column}: Engelse notatie (decimaalpunt, duizendtallen met komma) ({basis})",
    "{column}: Dutch notation (decimal comma, thousands dot) ({basis})":
        "{column}: Nederlandse notatie (decimaalkomma, duizendtallen met punt) ({basis})",
    "{column}: plain numbers ({basis})": "{column}: gewone getallen ({basis})",
    "{column}: Dutch and English notation mixed ({basis})":
        "{column}: Nederlandse en Engelse notatie door elkaar ({basis})",
    "{n} row(s) without a point placed in their municipality by {column} (woonplaatsen on the 2024 municipal "
    "division, from woningwaardering)": "{n} rij(en) zonder punt in hun gemeente geplaatst via {column} "
                                       "(woonplaatsen op de gemeentelijke indeling van 2024, uit woningwaardering)",
    "{n} row(s) without a point placed in their municipality by the place at the end of their address (woonplaatsen "
    "on the 2024 municipal division, from woningwaardering)": "{n} rij(en) zonder punt in hun gemeente geplaatst via "
    "de plaats aan het eind van hun adres (woonplaatsen op de gemeentelijke indeling van 2024, uit woningwaardering)",
    "'{header}' is gross floor area (BVO); the norms count usable floor area (GBO), so capacity may be overstated: "
    "give gebruiksoppervlakte where you have it": "'{header}' is bruto vloeroppervlak (BVO); de normen tellen het "
    "gebruiksoppervlak (GBO), dus de capaciteit kan te hoog zijn: geef de gebruiksoppervlakte waar u die hebt",
    "{n} of {rows} data row(s) end with an extra '{value}' (trailing delimiter): ignored, no column shifts":
        "{n} van {rows} gegevensrij(en) eindigen met een extra '{value}' (scheidingsteken aan het eind): genegeerd, "
        "geen kolom verschuift",
    "{n} empty column(s) at the end of the header: ignored":
        "{n} lege kolom(men) aan het eind van de kolomkoppen: genegeerd",
    "woonplaats '{value}' lies in {n} municipalities ({codes}); add a gemeentecode or write the place as in the BAG "
    "(e.g. 'Bergen L')": "woonplaats '{value}' ligt in {n} gemeenten ({codes}); voeg een gemeentecode toe of schrijf "
    "de plaats zoals in de BAG (bijv. 'Bergen L')",
    "'{header}' is a figure per unit: without a column with the number of units (Aantal units) it is not used as the "
    "location's {column}": "'{header}' is een getal per eenheid: zonder kolom met het aantal eenheden (Aantal units) "
    "wordt het niet gebruikt als {column} van de locatie",
    "'{header}' times '{other}' read as the location's {column}":
        "'{header}' maal '{other}' gelezen als {column} van de locatie",
    "'{header}' gives more than one unit on {n} row(s): their floor area, bedrooms and occupants are read as the whole "
    "location's; if they are per unit, give them per unit (Oppervlakte per unit) or one row per unit":
        "'{header}' geeft meer dan één eenheid op {n} rij(en): hun oppervlak, slaapkamers en bewoners worden gelezen "
        "als die van de hele locatie; gelden ze per eenheid, geef ze dan per eenheid (Oppervlakte per unit) of één "
        "rij per eenheid",
    "lines {codes}: less than {n} m2 per unit of '{header}', so the floor area looks like that of one unit":
        "regels {codes}: minder dan {n} m2 per eenheid van '{header}', dus het oppervlak lijkt dat van één eenheid",
    "rows {codes}: less than {n} m2 per unit of '{header}', so the floor area looks like that of one unit":
        "rijen {codes}: minder dan {n} m2 per eenheid van '{header}', dus het oppervlak lijkt dat van één eenheid",
    "columns {headers} differ only in capitals and no row fills more than one: read as one column '{header}'":
        "kolommen {headers} verschillen alleen in hoofdletters en geen rij vult er meer dan één: gelezen als één "
        "kolom '{header}'",
    "{headers}: parts of one count without a column of the total, summed per row as '{header}'":
        "{headers}: delen van één aantal zonder kolom met het totaal, per rij opgeteld als '{header}'",
    "header cells on Excel row {line} read with the heading above them: {headers}":
        "kolomkoppen op Excel-rij {line} gelezen met de kop erboven: {headers}",
    "header cells on line {line} read with the heading above them: {headers}":
        "kolomkoppen op regel {line} gelezen met de kop erboven: {headers}",
    "{headers}: one {column} per phase in columns": "{headers}: één {column} per fase in kolommen",
    'give each phase its own row (with its own start year), or map the one column to use: --map "{example}"':
        'geef elke fase een eigen rij (met een eigen startjaar), of koppel de ene kolom die telt: --map "{example}"',
    "0 announced jobs read as not given: the workers are estimated from the site's area":
        "0 opgegeven banen gelezen als niet opgegeven: de werknemers zijn geschat uit het oppervlak van de locatie",
    "{n} announced jobs, against P10 {used} workers from the site's floor area: the announced jobs are used; check "
    "them": "{n} opgegeven banen, tegenover P10 {used} werknemers uit het vloeroppervlak van de locatie: de opgegeven "
    "banen worden gebruikt; controleer ze",
    "{n} announced jobs, against P10 {used} workers from the site's plot area: the announced jobs are used; check "
    "them": "{n} opgegeven banen, tegenover P10 {used} werknemers uit het kaveloppervlak van de locatie: de opgegeven "
    "banen worden gebruikt; controleer ze",
    "{n} site(s) left out, their status says withdrawn or refused ({codes}); clear the status to count them":
        "{n} locatie(s) weggelaten, de status zegt ingetrokken of geweigerd ({codes}); maak de status leeg om ze mee "
        "te tellen",
    "{n} site(s) left out, their status says built already: its workers are housed today ({codes}); clear the status "
    "to count them": "{n} locatie(s) weggelaten, de status zegt al gerealiseerd: de werknemers zijn nu al gehuisvest "
    "({codes}); maak de status leeg om ze mee te tellen",
    "every site's status says it brings no new jobs (withdrawn, refused or built)":
        "de status van elke locatie zegt dat ze geen nieuwe banen brengt (ingetrokken, geweigerd of gerealiseerd)",
    "clear the status of the sites to assess": "maak de status leeg van de locaties die u wilt beoordelen",
    "{n} site name(s) on several rows with other figures: {codes}: each row is counted; if one is an older version of "
    "the plan, delete it": "{n} locatienaam/-namen op meer rijen met andere getallen: {codes}: elke rij telt mee; is "
    "er een oudere versie van het plan, verwijder die dan",
    "{n} ha of plot gives about {used} m2 of floor area, beyond the plausible maximum of {rows} m2":
        "{n} ha kavel geeft ongeveer {used} m2 vloeroppervlak, boven het aannemelijke maximum van {rows} m2",
    "a plan area rather than one plot? give the site's floor area (bvo), or split it into its plots":
        "een plangebied in plaats van één kavel? geef het vloeroppervlak (bvo) van de locatie, of splits het in "
        "kavels",
    "{n} Excel sheets of plans with the same columns ({headers}): all read, rows named sheet!row":
        "{n} Excel-bladen met plannen met dezelfde kolommen ({headers}): alle gelezen, rijen genoemd als blad!rij",
    "Excel sheet '{value}' holds only rows of the other sheets (a copy or a summary): not read":
        "Excel-blad '{value}' bevat alleen rijen van de andere bladen (een kopie of een overzicht): niet gelezen",
    "{n} row(s) below the table hold a remark, not a location: not read ({values})":
        "{n} rij(en) onder de tabel bevatten een opmerking, geen locatie: niet gelezen ({values})",
    "'{header}' holds {n} dates and {used} location(s) appear at more than one: each is read at its latest date; "
    "{rows} earlier row(s) not read ({codes})": "'{header}' bevat {n} data en {used} locatie(s) staan er bij meer "
    "dan één: elke locatie is gelezen op haar laatste datum; {rows} eerdere rij(en) niet gelezen ({codes})",
    "location ids start again on each sheet or layer ({values} name other locations on different ones): each id "
    "is read with its sheet or layer (sheet!id)": "locatie-id's beginnen op elk blad of elke laag opnieuw "
    "({values} zijn op verschillende bladen andere locaties): elke id is gelezen met zijn blad of laag (blad!id)",
    "capacity of {code} differs between scenarios: the figure of '{owner}', the municipality itself, is used":
        "capaciteit van {code} verschilt tussen scenario's: het cijfer van '{owner}', de gemeente zelf, telt",
    "capacity of {code} differs between scenarios: the newest figure, of '{owner}', is used":
        "capaciteit van {code} verschilt tussen scenario's: het nieuwste cijfer, van '{owner}', telt",
    "capacity differs for {n} more municipality(ies)": "capaciteit verschilt voor nog {n} gemeente(n)",
    "{n} location(s) whose status says a licence was applied for have occupants ({codes}): counted as in use (an "
    "existing location awaiting its licence)": "{n} locatie(s) met een status vergunning aangevraagd hebben "
    "bewoners ({codes}): geteld als in gebruik (een bestaande locatie die op haar vergunning wacht)",
    "{n} location(s) whose status says closed still have occupants ({codes}): left out of the capacity and of the "
    "occupants; check them": "{n} locatie(s) met een status gesloten hebben nog bewoners ({codes}): niet geteld in "
    "de capaciteit en de bewoners; controleer ze",
    "{n} site(s) drawn twice, as a polygon and as a pin on it with the same name or cells ({codes}): counted once, "
    "by the polygon": "{n} locatie(s) twee keer getekend, als vlak en als speld erop met dezelfde naam of cellen "
    "({codes}): één keer geteld, via het vlak",
    "column(s) hidden in Excel, whose meaning a visible column gives, not read: {names}":
        "kolom(men) verborgen in Excel, waarvan een zichtbare kolom de betekenis geeft, niet gelezen: {names}",
    "column(s) hidden in Excel read all the same: {names}; delete them if they should not count":
        "kolom(men) verborgen in Excel toch gelezen: {names}; verwijder ze als ze niet mogen meetellen",
    "the file's content is not {value}, as its name says (it is a GDAL virtual file, which reads other files: "
    "refused)": "de inhoud van het bestand is geen {value}, zoals de naam zegt (het is een virtueel GDAL-bestand, "
    "dat andere bestanden leest: geweigerd)",
    "the file's content is not {value}, as its name says": "de inhoud van het bestand is geen {value}, zoals de naam "
    "zegt",
    "export the data again from the program that made it, as GeoPackage, GeoJSON or a zipped Shapefile; planner "
    "reads only files that are what their name says": "exporteer de gegevens opnieuw uit het programma dat ze "
    "maakte, als GeoPackage, GeoJSON of gezipte Shapefile; planner leest alleen bestanden die zijn wat hun naam zegt",
    "the file names its coordinate system by a link to another file or address, which planner does not follow":
        "het bestand noemt zijn coördinatenstelsel met een link naar een ander bestand of adres, die planner niet "
        "volgt",
    "export it again with the coordinate system written out (EPSG:28992 or EPSG:4326), or without one (GeoJSON is "
    "longitude/latitude)": "exporteer het opnieuw met het coördinatenstelsel uitgeschreven (EPSG:28992 of "
    "EPSG:4326), of zonder (GeoJSON is lengte-/breedtegraad)",
    "the {value} file is damaged, encrypted or not readable as a zip ({reason})":
        "het {value}-bestand is beschadigd, versleuteld of niet als zip te lezen ({reason})",
    "make the zip again (without a password) from the original files":
        "maak de zip opnieuw (zonder wachtwoord) van de oorspronkelijke bestanden",
    "{n} row(s) hold text only in columns planner does not use (a legend or remarks beside the table): not read as "
    "locations ({codes})": "{n} rij(en) hebben alleen tekst in kolommen die planner niet gebruikt (een legenda of "
    "opmerkingen naast de tabel): niet gelezen als locaties ({codes})",
    "{n} row(s) hold only a name, as a heading above the sites: not read as sites ({codes})":
        "{n} rij(en) bevatten alleen een naam, als kopje boven de locaties: niet gelezen als locaties ({codes})",
    "x/y and lon/lat disagree on {n} row(s) ({codes}): x/y is used; check which is right and delete the other":
        "x/y en lon/lat verschillen op {n} rij(en) ({codes}): x/y is gebruikt; kijk na welke klopt en verwijder de "
        "andere",
    "{n} row(s) struck through in Excel (crossed out): not read ({codes})":
        "{n} rij(en) doorgestreept in Excel: niet gelezen ({codes})",
    "{n} location(s) whose woonplaats lies in another municipality than their gemeentecode ({codes}): counted by "
    "the code; check which is right": "{n} locatie(s) waarvan de woonplaats in een andere gemeente ligt dan de "
    "gemeentecode zegt ({codes}): geteld volgens de code; kijk na welke klopt",
    "attributes read from each feature's description (a table or lines of field and value) ({names})":
        "kenmerken gelezen uit de beschrijving van elk object (een tabel of regels met veld en waarde) ({names})",
    "a second table beside the first, after the empty Excel column {n} ({names}): not read":
        "een tweede tabel naast de eerste, na de lege Excel-kolom {n} ({names}): niet gelezen",
    "a second table beside the first, after the empty column {n} ({names}): not read":
        "een tweede tabel naast de eerste, na de lege kolom {n} ({names}): niet gelezen",
    "{n} location(s) are missing from the newest date ({value}) and were read at an earlier one ({codes}): if that "
    "export is complete, they have closed since; delete them": "{n} locatie(s) ontbreken op de nieuwste datum "
    "({value}) en zijn gelezen op een eerdere ({codes}): is die export volledig, dan zijn ze sindsdien gesloten; "
    "verwijder ze",
    "the latest row of {n} location(s) leaves a lasting feature empty ({values}): taken from the location's latest "
    "earlier row that gives it; occupants are never taken from an earlier date":
        "de laatste rij van {n} locatie(s) laat een blijvend kenmerk leeg ({values}): overgenomen uit de laatste "
        "eerdere rij van die locatie die het geeft; bewoners worden nooit van een eerdere datum overgenomen",
    "{n} address(es) on several rows without a location id ({codes}): each row is counted as a location; if the rows "
    "are rooms or persons of one location, give one row per location (or a location_id)":
        "{n} adres(sen) op meer rijen zonder locatie-id ({codes}): elke rij telt als een locatie; zijn de rijen "
        "kamers of personen van één locatie, geef dan één rij per locatie (of een locatie-id)",
    "{n} row(s) hidden in Excel (by a filter, or by hand) were read all the same (Excel rows {codes}): delete them if "
    "they should not count": "{n} in Excel verborgen rij(en) (door een filter of met de hand) zijn toch gelezen "
    "(Excel-rijen {codes}): verwijder ze als ze niet mogen meetellen",
    "its polygon overlaps that of {value} by {n}% of the smaller one: the same ground may be counted twice (a phase "
    "drawn over the whole plan?)": "de polygoon overlapt die van {value} voor {n}% van de kleinste: dezelfde grond "
    "telt mogelijk twee keer (een fase over het hele plan getekend?)",
    "floor area of {n} site(s) from the plot times '{header}' ({codes}): a maximum the plan allows, so the floor area "
    "may be smaller in the end": "vloeroppervlak van {n} locatie(s) uit de kavel maal '{header}' ({codes}): een "
    "maximum dat het plan toestaat, dus het vloeroppervlak kan uiteindelijk kleiner zijn",
    "the geometry cannot be read ({why})": "de geometrie kan niet worden gelezen ({why})",
    "a geometry in the file cannot be read ({why})": "een geometrie in het bestand kan niet worden gelezen ({why})",
    "draw the shape again, or repair it (QGIS: Vector > Geometry Tools > Fix Geometries); a polygon's ring must end "
    "where it starts": "teken de vorm opnieuw of herstel hem (QGIS: Vector > Geometrie gereedschappen > Geometrieën "
    "repareren); de rand van een polygoon moet eindigen waar hij begint",
    "Excel sheet(s) {headers} named as dropped, archived or a draft: not read":
        "Excel-blad(en) {headers} met een naam als vervallen, archief of concept: niet gelezen",
    "Excel sheets {headers} list the same plans: versions of one list, so only '{value}' was read":
        "Excel-bladen {headers} noemen dezelfde plannen: versies van één lijst, dus alleen '{value}' is gelezen",
    "also fits: {headers} (not used)": "past ook: {headers} (niet gebruikt)",
    "occupants: {n} cell(s) saying nobody lives there ({values}) read as 0 occupants":
        "bewoners: {n} cel(len) die zeggen dat er niemand woont ({values}) gelezen als 0 bewoners",
    "{column}: {n} cell(s) read as empty, as a blank cell would be ({values})":
        "{column}: {n} cel(len) als leeg gelezen, zoals een lege cel ({values})",
    "{column}: {n} cell(s) written with a word, a remark or as an approximation, read as their number ({values})":
        "{column}: {n} cel(len) met een woord, een opmerking of als benadering geschreven, gelezen als het getal "
        "({values})",
    "'{header}' is in are (100 m2): divided by 100 to hectares":
        "'{header}' is in are (100 m2): gedeeld door 100 tot hectare",
    "'{header}' is in are (100 m2): multiplied by 100 to m2":
        "'{header}' is in are (100 m2): vermenigvuldigd met 100 tot m2",
    "'{header}' gives thousands: multiplied by 1,000": "'{header}' geeft duizendtallen: vermenigvuldigd met 1.000",
    "'{header}' is in m2: divided by 10,000 to hectares": "'{header}' is in m2: gedeeld door 10.000 tot hectare",
    "'{header}' is in ha: multiplied by 10,000 to m2": "'{header}' is in ha: vermenigvuldigd met 10.000 tot m2",
    "units on line {line} under the header ({units}) read into the column names":
        "eenheden op regel {line} onder de kolomkoppen ({units}) in de kolomnamen opgenomen",
    "units on Excel row {line} under the header ({units}) read into the column names":
        "eenheden op Excel-rij {line} onder de kolomkoppen ({units}) in de kolomnamen opgenomen",
    "'{header}' counts full-time equivalents (FTE), not people: not read as announced jobs, which are heads; give "
    "the number of people, or map it by hand if it is one": "'{header}' telt voltijdbanen (fte), geen mensen: niet "
    "gelezen als opgegeven banen, die mensen tellen; geef het aantal mensen, of koppel de kolom zelf als het dat is",
    "coordinates in one column, read as {order} ({n} row(s))":
        "coördinaten in één kolom, gelezen als {order} ({n} rij(en))",
    "coordinates: '{value}' is not a pair of numbers": "coördinaten: '{value}' is geen paar getallen",
    "'{value}' is not a pair of coordinates": "'{value}' is geen paar coördinaten",
    "write two numbers, e.g. 51.3992, 6.1386 (latitude, longitude) or 207100 379900 (RD x y)":
        "schrijf twee getallen, bijvoorbeeld 51.3992, 6.1386 (breedtegraad, lengtegraad) of 207100 379900 (RD x y)",
    "Excel (first sheet)": "Excel (eerste blad)",
    "Excel sheet '{name}'": "Excel-blad '{name}'",
    "Excel sheet '{name}' of {n} with rows ({names}): the one whose headers planner recognises best":
        "Excel-blad '{name}' van de {n} met rijen ({names}): het blad waarvan de kolomkoppen het best herkend worden",
    "{n} cell(s) under merged cells that span several rows ({names}): each row takes the merged value, as the "
    "spreadsheet shows it": "{n} cel(len) onder samengevoegde cellen over meerdere rijen ({names}): elke rij krijgt "
                            "de samengevoegde waarde, zoals het rekenblad die toont",
    "{n} number(s) merged over several rows ({names}): counted once, in the first row of each":
        "{n} getal(len) samengevoegd over meerdere rijen ({names}): één keer geteld, in de eerste rij",
    "header on Excel row {line}: the {n} row(s) above it were taken as a title and skipped ('{text}')":
        "kolomkoppen op Excel-rij {line}: de {n} rij(en) erboven zijn als titel overgeslagen ('{text}')",
    "header on line {line}: the {n} row(s) above it were taken as a title and skipped ('{text}')":
        "kolomkoppen op regel {line}: de {n} regel(s) erboven zijn als titel overgeslagen ('{text}')",
    "layer '{name}' of {n} ({names}): the one whose columns planner recognises best; the others were not read":
        "laag '{name}' van de {n} ({names}): de laag waarvan de kolommen het best herkend worden; de andere zijn "
        "niet gelezen",
    "a name cut to 10 characters (as the Shapefile format does), read by its start":
        "een naam die op 10 tekens is afgekapt (zoals het Shapefile-formaat doet), gelezen aan het begin",
    "{n} totals row(s) (Totaal, Subtotaal, ...) left out of the capacity":
        "{n} totaalrij(en) (Totaal, Subtotaal, ...) niet meegeteld in de capaciteit",
    "a totals row ({what}), not a location: left out so its numbers are not counted twice":
        "een totaalrij ({what}), geen locatie: niet meegeteld, zodat de getallen niet dubbel tellen",
    "a totals row ({what})": "een totaalrij ({what})",
    "a row without a name whose figures are the sum of the rows above (a subtotal?)":
        "een rij zonder naam waarvan de cijfers de som zijn van de rijen erboven (een subtotaal?)",
    "remove the row if it is a subtotal; if it is a site, give it a name":
        "verwijder de rij als het een subtotaal is; is het een locatie, geef haar dan een naam",
    "status '{value}': not a location in use, left out of the capacity (a planned location belongs in the pipeline)":
        "status '{value}': geen locatie in gebruik, niet meegeteld in de capaciteit (een geplande locatie hoort in "
        "de pijplijn)",
    "status '{value}': not a location in use, left out of the capacity":
        "status '{value}': geen locatie in gebruik, niet meegeteld in de capaciteit",
    "under the heading '{value}', left out of the capacity": "onder het kopje '{value}', niet meegeteld in de "
                                                             "capaciteit",
    "woonplaats '{value}' is not a place in the {year} list of woonplaatsen":
        "woonplaats '{value}' is geen plaats in de lijst van woonplaatsen van {year}",
    "under the heading '{value}', left out of the capacity (a planned location belongs in the pipeline)":
        "onder het kopje '{value}', niet meegeteld in de capaciteit (een geplande locatie hoort in de pijplijn)",
    "the header again (a second table starts here), not a location":
        "de kolomkoppen opnieuw (hier begint een tweede tabel), geen locatie",
    "a heading ('{value}'), not a location": "een kopje ('{value}'), geen locatie",
    "{n} location(s) not in use left out of the capacity ({names})":
        "{n} locatie(s) die niet in gebruik zijn, niet meegeteld in de capaciteit ({names})",
    "header cell(s) read with the group heading above them: {names}":
        "kolomkop(pen) gelezen samen met het groepskopje erboven: {names}",
    "the latest of {n} columns by year": "de laatste van {n} kolommen per jaar",
    "the GeoPackage {file} contains a view ({names})": "het GeoPackage {file} bevat een view ({names})",
    "the GeoPackage {file} lists layer(s) that are no table ({names})":
        "het GeoPackage {file} noemt laag/lagen die geen tabel zijn ({names})",
    "planner does not open such a file, as reading it could run its own queries without end":
        "planner opent zo'n bestand niet, omdat het bij het lezen eigen zoekopdrachten zonder einde kan uitvoeren",
    "the GeoPackage {file} {what}; planner does not open such a file, as reading it could run its own queries "
    "without end": "het GeoPackage {file} {what}; planner opent zo'n bestand niet, omdat het bij het lezen eigen "
    "zoekopdrachten zonder einde kan uitvoeren",
    "the GeoPackage {file} says its layer '{name}' holds {n} features, but it holds {used}: planner does not open "
    "such a file, as reading it would take memory for features that are not there": "het GeoPackage {file} zegt dat "
    "laag '{name}' {n} objecten bevat, maar het zijn er {used}: planner opent zo'n bestand niet, omdat het lezen "
    "geheugen zou vragen voor objecten die er niet zijn",
    "export the layers again with planner, QGIS or GDAL (ogr2ogr)":
        "exporteer de lagen opnieuw met planner, QGIS of GDAL (ogr2ogr)",
    "contains a view ({names})": "bevat een view ({names})",
    "lists layer(s) that are no table ({names})": "noemt laag/lagen die geen tabel zijn ({names})",
    "has computed (generated) column(s) in {table} ({names})":
        "heeft berekende (gegenereerde) kolom(men) in {table} ({names})",
    "contains a virtual table {name} ({module})": "bevat een virtuele tabel {name} ({module})",
    "cannot read the file as a GeoPackage ({why})": "kan het bestand niet als GeoPackage lezen ({why})",
    "the {field} contains a control character (such as a terminal escape or a text-direction mark)":
        "de {field} bevat een stuurteken (zoals een terminal-escape of een schrijfrichtingsteken)",
    "the note contains a control character (such as a terminal escape or a text-direction mark)":
        "de notitie bevat een stuurteken (zoals een terminal-escape of een schrijfrichtingsteken)",
    "type it again without them": "typ het opnieuw zonder die tekens",
    "the note is not text of at most {limit} characters": "de notitie is geen tekst van hoogstens {limit} tekens",
    "an organisation name has at most {limit} characters and no control characters":
        "een organisatienaam heeft hoogstens {limit} tekens en geen stuurtekens",
    "version {version} of scenario {id} ({owner}) carries the identity of another scenario in its data ({other_id}, "
    "{other}); it is shown as the store records it": "versie {version} van scenario {id} ({owner}) draagt in zijn "
    "gegevens de identiteit van een ander scenario ({other_id}, {other}); het wordt getoond zoals de opslag het "
    "vastlegt",
    "'{name}' takes {size} MB stored; a store keeps versions of at most {limit} MB":
        "'{name}' neemt opgeslagen {size} MB in; een opslag bewaart versies van hoogstens {limit} MB",
    "leave out sites or own reference objects": "laat locaties of eigen referentieobjecten weg",
    "the store refused '{name}': {why}": "de opslag weigerde '{name}': {why}",
    "nothing was saved; see the store's limits in the README":
        "er is niets opgeslagen; zie de grenzen van de opslag in de README",
    "{organisation} already has 1000 scenarios, the most the shared store keeps per organisation":
        "{organisation} heeft al 1000 scenario's, het maximum dat de gedeelde opslag per organisatie bewaart",
    "the scenario already has 1000 versions, the most the shared store keeps":
        "het scenario heeft al 1000 versies, het maximum dat de gedeelde opslag bewaart",
    "cannot reach the shared store: its connection string does not read cleanly, so it is not shown":
        "de gedeelde opslag is niet bereikbaar: de verbindingsgegevens zijn niet eenduidig te lezen en worden "
        "daarom niet getoond",
    "write a character such as @, #, / or a space in a URL's password percent-encoded (%40, %23, %2F, %20), or "
    "put the password in PGPASSWORD or a .pgpass file": "schrijf een teken als @, #, / of een spatie in het "
    "wachtwoord van een URL gecodeerd (%40, %23, %2F, %20), of zet het wachtwoord in PGPASSWORD of een "
    ".pgpass-bestand",
    "(connection string not shown)": "(verbindingsgegevens niet getoond)",
    "(message not shown: it may hold part of a password)":
        "(melding niet getoond: ze kan een deel van een wachtwoord bevatten)",
    "members may take advisory locks or make large objects in this database; a superuser runs 'planner store "
    "setup' to revoke them": "leden kunnen in deze database advisory locks nemen of large objects maken; een "
    "superuser voert 'planner store setup' uit om dat in te trekken",
    "members may connect to other databases of this server ({names}), where advisory locks fill the server's "
    "shared lock table; the administrator runs REVOKE CONNECT ON DATABASE ... FROM PUBLIC for each (or grants "
    "CONNECT to named roles only)": "leden kunnen verbinden met andere databases van deze server ({names}), waar "
    "advisory locks de gedeelde locktabel van de server vullen; de beheerder voert voor elk REVOKE CONNECT ON "
    "DATABASE ... FROM PUBLIC uit (of geeft CONNECT alleen aan genoemde rollen)",
    "member role(s) without a connection limit: {roles}; a superuser runs 'planner store add-member ROLE "
    "ORGANISATION' again for each": "lidrol(len) zonder verbindingslimiet: {roles}; een superuser voert voor elk "
    "opnieuw 'planner store add-member ROL ORGANISATIE' uit",
    "could not set {setting} for role {role} (needs a superuser); run 'planner store add-member' as a superuser "
    "to limit what it may take": "kon {setting} voor rol {role} niet instellen (vraagt een superuser); voer "
    "'planner store add-member' uit als superuser om te begrenzen wat de rol mag gebruiken",
    "more than one occupant per {n} m2 of floor area": "meer dan één bewoner per {n} m² gebruiksoppervlak",
    "floor area below {n} m2 for a whole location (check the unit)":
        "gebruiksoppervlak onder {n} m² voor een hele locatie (controleer de eenheid)",
    "more than one bedroom per {n} m2 of floor area": "meer dan één slaapkamer per {n} m² gebruiksoppervlak",
    "bedroom area larger than the floor area": "slaapkameroppervlak groter dan het gebruiksoppervlak",
    "licence for 0 beds on an occupied location, so its capacity is 0 (0 often means no licence is needed: leave "
    "the cell empty then)": "vergunning voor 0 bedden op een bewoonde locatie, dus capaciteit 0 (0 betekent vaak "
                            "dat er geen vergunning nodig is: laat de cel dan leeg)",
    "values in these rows do not fit together; they are counted as they are":
        "de waarden in deze rijen passen niet bij elkaar; ze tellen mee zoals ze zijn",
    "the site has no location (no coordinates, or an empty geometry), so its demand cannot be spread over "
    "municipalities": "de locatie heeft geen plaats (geen coördinaten, of een lege geometrie), dus de vraag kan niet "
                      "over gemeenten worden verdeeld",
    "give its coordinates (x/y or latitude/longitude columns) or draw it":
        "geef de coördinaten (x/y- of breedte-/lengtegraadkolommen) of teken de locatie",
    "give its coordinates (x/y or latitude/longitude columns), draw it, or give its gemeentecode or woonplaats (then "
    "it is placed at its municipality's middle)": "geef de coördinaten (x/y- of breedte-/lengtegraadkolommen), teken "
    "de locatie, of geef de gemeentecode of woonplaats (dan staat ze in het midden van haar gemeente)",
    "no coordinates: placed at the middle of {code} {value} (its distances to the municipalities around it count "
    "from there)": "geen coördinaten: in het midden van {code} {value} geplaatst (de afstanden tot de gemeenten "
    "eromheen tellen vanaf daar)",
    "no start year for {n} of {total} site(s): {sites}; the per-year figures leave them out: they count only in "
    "the totals, at full staffing ({beds} {what}, P50, not in any year)":
        "geen startjaar voor {n} van {total} locatie(s): {sites}; de cijfers per jaar laten ze weg: ze tellen "
        "alleen mee in de totalen, bij volledige bezetting ({beds} {what}, P50, in geen enkel jaar)",
    "no start year for {n} of {total} site(s): {sites}; there are no per-year figures; the totals count every "
    "site at full staffing ({beds} {what}, P50)":
        "geen startjaar voor {n} van {total} locatie(s): {sites}; er zijn geen cijfers per jaar; de totalen "
        "tellen elke locatie bij volledige bezetting ({beds} {what}, P50)",
    "give every site a start year (startjaar) to phase its beds":
        "geef elke locatie een startjaar om haar bedden over de jaren te verdelen",
    "no site has a start year, so there is no shortfall per year":
        "geen enkele locatie heeft een startjaar, dus er is geen tekort per jaar",
    "no site has a start year, so there is no phasing":
        "geen enkele locatie heeft een startjaar, dus er is geen verdeling over de jaren",
    "plot_area_ha {a} ha, but its polygon measures {b} ha: the given {c} ha is used":
        "kaveloppervlak {a} ha, maar de getekende kavel meet {b} ha: de opgegeven {c} ha is gebruikt",
    "floor area {a} m2 is {b} times its plot of {c} ha: check both (a unit?)":
        "vloeroppervlak {a} m2 is {b} keer de kavel van {c} ha: controleer beide (een eenheid?)",
    "relocated_jobs {a} exceed the announced {b} jobs: no new jobs remain":
        "verplaatste banen {a} zijn meer dan de {b} aangekondigde banen: er blijven geen nieuwe banen over",
    "relocated_jobs {a} exceed the site's workers (P90 {b}): no new jobs remain":
        "verplaatste banen {a} zijn meer dan de werknemers van de locatie (P90 {b}): er blijven geen nieuwe banen "
        "over",
    "floor_area_m2: every number has three decimals ('{value}'); read as thousands the typical location would have "
    "{width} m2, so the dots are decimal points":
        "Gebruiksoppervlak: elk getal heeft drie decimalen ('{value}'); als duizendtallen gelezen zou de gewone "
        "locatie {width} m2 hebben, dus de punten zijn decimaaltekens",
    "{n} Excel sheets named after places with the same columns ({names}): all read, rows named sheet!row":
        "{n} Excel-bladen met plaatsnamen en dezelfde kolommen ({names}): alle gelezen, rijen genoemd als blad!rij",
    "layers per period with the same columns ({names}): the latest, '{name}', read; the others are earlier "
    "versions and were not read": "lagen per periode met dezelfde kolommen ({names}): de laatste, '{name}', "
                                  "gelezen; de andere zijn eerdere versies en zijn niet gelezen",
    "layer(s) {headers} named as history, an archive or a draft: not read":
        "laag/lagen {headers} met een naam als historie, archief of concept: niet gelezen",
    "Excel sheets per period with the same columns ({names}): the latest, '{name}', read; the others are earlier "
    "versions and were not read": "Excel-bladen per periode met dezelfde kolommen ({names}): het laatste, '{name}', "
                                  "gelezen; de andere zijn eerdere versies en zijn niet gelezen",
    "Excel sheet '{name}' read; sheet(s) {names} have the same columns and were NOT read (a copy, or another part "
    "of the register? Put every location on one sheet, or name the sheets after their places, to count them all)":
        "Excel-blad '{name}' gelezen; blad(en) {names} hebben dezelfde kolommen en zijn NIET gelezen (een kopie, of "
        "een ander deel van het register? Zet alle locaties op één blad, of noem de bladen naar hun plaats, om ze "
        "allemaal te tellen)",
    "hidden sheet(s) not read: {names}": "verborgen blad(en) niet gelezen: {names}",
    "'{header}' is read as the site's announced jobs, from which the relocated jobs ('{other}') are subtracted; if "
    "it counts only the new jobs, give the site's total jobs instead":
        "'{header}' is gelezen als de aangekondigde banen van de locatie, waarvan de verplaatste banen ('{other}') "
        "worden afgetrokken; telt die kolom alleen de nieuwe banen, geef dan het totaal aantal banen op de locatie",
    "{n} layers of the same kind ({names}): all read, features named layer!feature":
        "{n} lagen van dezelfde soort ({names}): alle gelezen, objecten genoemd als laag!object",
    "{column}: {n} cell(s) in ha, as the cell says ({values}): converted":
        "{column}: {n} cel(len) in ha, zoals de cel zegt ({values}): omgerekend",
    "{column}: {n} cell(s) in m2, as the cell says ({values}): converted":
        "{column}: {n} cel(len) in m2, zoals de cel zegt ({values}): omgerekend",
    "abroad_share: {n} percentage(s) read as shares (10% = 0.1)":
        "abroad_share: {n} percentage(s) gelezen als aandeel (10% = 0,1)",
    "{n} site(s) repeat an earlier row in every column (lines {pairs}): each is counted; if one is a copy, delete it":
        "{n} locatie(s) herhalen een eerdere rij in elke kolom (regels {pairs}): elke rij telt mee; is er één een "
        "kopie, haal die dan weg",
    "{n} site(s) repeat an earlier row in every column (rows {pairs}): each is counted; if one is a copy, delete it":
        "{n} locatie(s) herhalen een eerdere rij in elke kolom (rijen {pairs}): elke rij telt mee; is er één een "
        "kopie, haal die dan weg",
    "WKT in longitude/latitude (WGS84), by its values": "WKT in lengte-/breedtegraad (WGS84), afgeleid uit de waarden",
    "a table without geometry: places from its columns": "een tabel zonder geometrie: plaatsen uit de kolommen",
    "'{value}' is not a share between 0 and 1": "'{value}' is geen aandeel tussen 0 en 1",
    "give a share between 0 and 1 (0.1) or a percentage (10%)":
        "geef een aandeel tussen 0 en 1 (0,1) of een percentage (10%)",
    "{n} formula cell(s) without a stored value in column(s) planner does not use ({names}): not needed":
        "{n} formulecel(len) zonder opgeslagen waarde in kolom(men) die planner niet gebruikt ({names}): niet nodig",
    "location_id: {n} id(s) in scientific notation ('{value}'), as a spreadsheet shows long numbers: their last "
    "digits are lost, so they are not used to find repeated locations; save the column as text to keep them":
        "location_id: {n} id('s) in wetenschappelijke notatie ('{value}'), zoals een rekenblad lange getallen "
        "toont: de laatste cijfers zijn weg, dus ze worden niet gebruikt om herhaalde locaties te vinden; sla de "
        "kolom als tekst op om ze te behouden",
    "type: {n} cell(s) of a kind planner does not know ({names}): counted as other (overig), under the norm's "
    "general floor area per person":
        "type: {n} cel(len) van een soort die planner niet kent ({names}): geteld als overig, met de algemene "
        "oppervlaktenorm per persoon",
    "no column of current occupants: every location is counted as empty, so its whole capacity counts as spare and "
    "no overcrowding is found (map the column by hand if the file has one)":
        "geen kolom met huidige bewoners: elke locatie telt als leeg, dus haar hele capaciteit telt als vrij en er "
        "wordt geen overbewoning gevonden (koppel de kolom met de hand als het bestand er een heeft)",
    "{n} row(s) repeat an earlier row in every column (lines {pairs}): each is counted; if one is a copy, delete it, "
    "or give every location an id (location_id) so that a repeat counts once":
        "{n} rij(en) herhalen een eerdere rij in elke kolom (regels {pairs}): elke rij telt mee; is er één een kopie, "
        "haal die dan weg, of geef elke locatie een id (location_id), zodat een herhaling één keer telt",
    "{n} row(s) repeat an earlier row in every column (rows {pairs}): each is counted; if one is a copy, delete it, "
    "or give every location an id (location_id) so that a repeat counts once":
        "{n} rij(en) herhalen een eerdere rij in elke kolom (rijen {pairs}): elke rij telt mee; is er één een kopie, "
        "haal die dan weg, of geef elke locatie een id (location_id), zodat een herhaling één keer telt",
    "'{value}' in column {column}": "'{value}' in kolom {column}",
    "remove the row: its area would be counted a second time (if it is a real site, give it another name)":
        "haal de rij weg: het oppervlak zou anders dubbel tellen (is het een echte locatie, geef haar dan een "
        "andere naam)",
    "sector '{given}' read as {key} ({n} row(s))": "sector '{given}' gelezen als {key} ({n} rij(en))",
    "sector '{given}' read as {key} ({note}) ({n} row(s))":
        "sector '{given}' gelezen als {key} ({note}) ({n} rij(en))",
    "subtype '{given}' read as {key} ({n} row(s))": "subtype '{given}' gelezen als {key} ({n} rij(en))",
    "subtype '{given}' read as {key} ({note}) ({n} row(s))":
        "subtype '{given}' gelezen als {key} ({note}) ({n} rij(en))",
    "subtype '{given}' (no sector) read as {key} ({n} row(s))":
        "subtype '{given}' (zonder sector) gelezen als {key} ({n} rij(en))",
    "subtype '{given}' (no sector) read as {key} ({note}) ({n} row(s))":
        "subtype '{given}' (zonder sector) gelezen als {key} ({note}) ({n} rij(en))",
    "start_year: {n} cell(s) with a date or words read as their first year, or the year a plan moved to "
    "({examples})": "startjaar: {n} cel(len) met een datum of woorden gelezen als het eerste jaar daarin, of het "
    "jaar waarnaar een plan verschoof ({examples})",
    "plot area needed but not given, and the site has no polygon to measure":
        "kaveloppervlak nodig maar niet opgegeven, en de locatie heeft geen vlak om te meten",
    # the likely cause of too few usable rows
    "only {used} of {rows} rows are usable (fewer than half)": "maar {used} van {rows} rijen zijn bruikbaar "
                                                                 "(minder dan de helft)",
    "no column for floor_area_m2 (usable floor area)": "geen kolom voor het gebruiksoppervlak",
    "no column with coordinates (x/y, lon/lat), gemeentecode or woonplaats":
        "geen kolom met coördinaten (x/y, lon/lat), gemeentecode of woonplaats",
    "columns planner did not recognise: {headers}": "kolommen die de app niet herkent: {headers}",
    "most common reasons: {reasons}": "meest voorkomende redenen: {reasons}",
    "{reason} ({n} rows)": "{reason} ({n} rijen)",
    "{reason} ({n} rows: {codes})": "{reason} ({n} rijen: {codes})",
    # which inputs the results come from
    "{file} (invented)": "{file} (verzonnen)",
    "{file} (synthetic)": "{file} (synthetisch)",
    "(none)": "(geen)",
    "{file} + {n} entered": "{file} + {n} ingevoerd",
    "{n} entered": "{n} ingevoerd",
    # borders
    "planner geodata/{file} (built from woningwaardering and GeoNames place points; see planner/schematic.py)":
        "planner geodata/{file} (gemaakt uit woningwaardering en GeoNames-plaatspunten; zie planner/schematic.py)",
}

#: The notes of the bundled allocation parameters (parameters/allocation_parameters.csv) in Dutch, by their
#: English text: a note changed in the file is shown as it is until its Dutch text is added here.
PARAMETER_NOTES: dict[str, str] = {
    'For ALL employees, measured as ROAD distance between municipality centres, and CBS counts agency'
    " workers at the agency's address, not the workplace: it does not describe labour migrants, and a"
    ' straight-line distance (which the allocation uses) is shorter than the road distance. Evidence '
    'on migrants points both ways: in Westland about 4,500 of 12,000 labour migrants (37.5%) live in '
    'the municipality where they work, close to the 38% of all workers (gemeentewestland.nl); in '
    'Lansingerland a housing provider says at least half come from 30 km or further (trouw.nl, low '
    'confidence). No better average exists, so the CBS figure is kept as the default; set your own '
    'with --mean-distance. The distance-decay allocation is calibrated so that the demand-weighted '
    'mean straight-line distance from site to the municipalities where its workers live equals this '
    'value.':
        'Voor ALLE werknemers, gemeten als afstand over de WEG tussen gemeentecentra, en het CBS telt'
        ' uitzendkrachten op het adres van het uitzendbureau, niet op de werkplek: het beschrijft '
        'geen arbeidsmigranten, en een hemelsbrede afstand (waarmee de toedeling rekent) is korter '
        'dan de afstand over de weg. Gegevens over arbeidsmigranten wijzen twee kanten op: in '
        'Westland woont ongeveer 4.500 van de 12.000 arbeidsmigranten (37,5%) in de gemeente waar ze '
        'werken, dicht bij de 38% van alle werkenden (gemeentewestland.nl); in Lansingerland zegt een'
        ' huisvester dat minstens de helft van 30 km of verder komt (trouw.nl, weinig zeker). Een '
        'beter gemiddelde bestaat niet, dus het CBS-cijfer blijft de standaard; kies een eigen waarde'
        ' met --mean-distance. De toedeling met afstandsverval is zo gekalibreerd dat de naar vraag '
        'gewogen gemiddelde hemelsbrede afstand van locatie naar de woongemeenten van haar werknemers'
        ' gelijk is aan deze waarde.',
    'No municipality farther than this (centre to site) receives demand from a site; in capacity mode'
    ' demand that finds no place within it is unmet. Chosen as about twice the mean commute.':
        'Geen gemeente verder dan dit (centrum tot locatie) krijgt vraag van een locatie; bij vrije '
        'capaciteit is vraag die binnen deze afstand geen plaats vindt niet plaatsbaar. Gekozen als '
        'ongeveer twee keer de gemiddelde woon-werkafstand.',
    'In distance-decay mode a municipality draws demand in proportion to its population (CBS '
    'inhabitants with exact boundaries, GeoNames place populations with the schematic layer). '
    "'spare_capacity' draws in proportion to free beds instead.":
        'Bij afstandsverval trekt een gemeente vraag naar verhouding van haar inwoners (CBS-inwoners '
        'met exacte grenzen, inwoners van GeoNames-plaatsen met de schematische laag). Met '
        "'spare_capacity' trekt ze naar verhouding van haar vrije bedden.",
    "The beds to place are the site's peak beds minus the beds the company declares it arranges "
    'itself (impact assessment, beds_to_find).':
        'De toe te delen bedden zijn de bedden van de locatie in de piek min de bedden die het '
        'bedrijf volgens eigen opgave zelf regelt (effectrapportage, nog te vinden bedden).',
    'Capacity for new workers is the sum of free places at locations that meet the norm '
    '(spare_capacity). Existing overcrowding is shown beside it (persons_over_capacity) and not '
    'subtracted; choose net_spare_capacity to subtract it.':
        'Capaciteit voor nieuwe werknemers is de som van de vrije plaatsen op locaties die aan de '
        'norm voldoen (vrije plaatsen). Bestaande overbewoning staat ernaast (personen boven '
        "capaciteit) en wordt niet afgetrokken; kies 'net_spare_capacity' om haar af te trekken.",
    "Share of each site's demand placed outside the Netherlands, in the region 'buitenland' (abroad),"
    ' instead of in Dutch municipalities. Dutch agencies house workers in German border towns (Kreis '
    'Kleve, Viersen) and bus them to Dutch workplaces; in Noord-Limburg more than 3% of ALL employees'
    ' came from Germany in 2016, many of them Polish. No count of labour migrants housed across the '
    "border was found ('nobody knows', ikz-online.de), so the default is 0: set a share for sites "
    'near the German or Belgian border (the site column abroad_share overrides it per site). The '
    'total is kept: sites = municipalities + abroad.':
        'Aandeel van de vraag van elke locatie dat buiten Nederland terechtkomt, in de regio '
        "'buitenland', in plaats van in Nederlandse gemeenten. Nederlandse uitzendbureaus huisvesten "
        'werknemers in Duitse grensplaatsen (Kreis Kleve, Viersen) en brengen ze met bussen naar '
        'Nederlandse werkplekken; in Noord-Limburg kwam in 2016 meer dan 3% van ALLE werknemers uit '
        'Duitsland, velen van hen Pools. Een telling van arbeidsmigranten die over de grens wonen is '
        "niet gevonden ('niemand weet het', ikz-online.de), dus de standaard is 0: kies een aandeel "
        'voor locaties dicht bij de Duitse of Belgische grens (de kolom abroad_share van een locatie '
        'gaat daar per locatie boven). Het totaal blijft gelijk: locaties = gemeenten + buitenland.',
}

#: Placeholders whose value is the user's own text (a cell, a file name, an error of a library): never translated.
VERBATIM = frozenset({"value", "file", "why", "encoding", "suffix", "headers", "example", "codes", "values"})
#: Placeholders that hold cells as the file wrote them, which may hold any text ("'ca. 40.000', 'max. 4'").
ANY_TEXT = frozenset({"values"})

#: Placeholders that hold a number.
NUMBERS = frozenset({"n", "used", "rows", "width", "year", "first", "last"})
#: Placeholders that hold a list joined by "; ".
LISTS = frozenset({"reasons"})

#: Where a problem is: "row 4", "line 4 ('DC Venlo')", "housing line 6" (which file, then where in it).
_PLACE = re.compile(r"^(?:(housing|pipeline|sites|regions) )?(row|line|rows|lines|feature|features) (.*)$")
_PLACE_NL = {"row": "rij", "line": "regel", "rows": "rijen", "lines": "regels", "feature": "object",
             "features": "objecten", "housing": "woningvoorraad",
             "pipeline": "pijplijn", "sites": "locaties", "regions": "regio's"}
#: The words around a problem in each language.
_FRAME = {"nl": {"row": "rij", "column": "kolom", "fix": "Oplossing", "problems": "problemen"},
          "en": {"row": "row", "column": "column", "fix": "Fix", "problems": "problems"}}
#: Dutch field names in the model's English that the English interface names in English (outside quotes,
#: which hold what the user wrote).
ENGLISH_WORDS = {"gemeentecode": "municipality code", "gemeentenaam": "municipality name"}
_ENGLISH_WORDS = re.compile(r"'[^']*'|\b(" + "|".join(ENGLISH_WORDS) + r")\b")
#: The separators of a compound message: parts of a row's problem text, sentences of a likely cause.
_PARTS = (". ", "; ")


#: Fields whose name means something else in a sites file than in a housing register: a site's floor area is
#: its gross floor area (bvo, the basis of the reference ratios), a dwelling's the usable floor area of the norms.
SITE_TERMS: dict[str, dict[str, str]] = {
    "floor_area_m2": {"nl": "Bruto vloeroppervlak (m²)", "en": "Gross floor area (m²)"},
}


def term(name: object, lang: str, kind: str | None = None) -> str:
    """A field, column or code as the interface shows it (``floor_area_m2`` -> "Gebruiksoppervlak (m²)"; in a
    sites file, ``kind="sites"``, "Bruto vloeroppervlak (m²)")."""
    from .i18n import TEXTS

    text = str(name)
    if kind == "sites" and text in SITE_TERMS:
        return SITE_TERMS[text][lang]
    if text in TERMS:
        return TERMS[text][lang]
    if text in TEXTS and lang in TEXTS[text] and "{" not in TEXTS[text][lang]:
        return TEXTS[text][lang]
    return text


def terms(values: Iterable[object], lang: str) -> list[str]:
    return [term(v, lang) for v in values]


def _slot(name: str) -> str:
    """The pattern of a placeholder: any text within one part of a compound message (a list may hold "; ")."""
    if name in NUMBERS:
        return f"(?P<{name}>-?[\\d.,]+)"
    if name in LISTS:
        return f"(?P<{name}>(?:(?!\\. ).)+?)"
    if name in ANY_TEXT:
        return f"(?P<{name}>.+?)"
    return f"(?P<{name}>(?:(?!; |\\. ).)+?)"


@lru_cache(maxsize=1)
def _compiled() -> list[tuple[re.Pattern[str], str, frozenset[str]]]:
    """Each template as a pattern, its Dutch text, and its placeholders kept as they are: those in
    :data:`VERBATIM` and those in quotes ('{sector}' is what the user wrote, not a name to translate)."""
    out = []
    templates = {**MESSAGES, **PARAMETER_NOTES, **_vocabulary_notes()}
    for english, dutch in sorted(templates.items(), key=lambda item: -len(re.sub(r"\{\w+\}", "", item[0]))):
        pattern = "".join(_slot(part[1:-1]) if part.startswith("{") and part.endswith("}") else re.escape(part)
                          for part in re.split(r"(\{\w+\})", english) if part)
        quoted = frozenset(re.findall(r"'\{(\w+)\}'", english))
        out.append((re.compile(pattern, re.DOTALL), dutch, VERBATIM | quoted))
    return out  # the most specific first: "no column for floor_area_m2 (usable floor area)" before "no column for .."


def _vocabulary_notes() -> dict[str, str]:
    """The notes of the sector-name vocabulary (sector_ratios/sector_names.csv) with their Dutch text."""
    from .sectornames import bundled_sector_names

    try:
        return dict(bundled_sector_names().dutch_notes)
    except Exception:  # a damaged vocabulary is reported where sites are read, not while translating
        return {}


def _value(value: str, lang: str) -> str:
    """A value carried by a message: a known name, a list of names, or a message of its own."""
    if value in TERMS:
        return term(value, lang)
    if ", " in value and all(part.strip("'") in TERMS for part in value.split(", ")):
        return ", ".join(term(part.strip("'"), lang) for part in value.split(", "))
    return message(value, lang)


def message(text: str, lang: str, values: bool = True) -> str:
    """A model message in ``lang``: English unchanged, Dutch from :data:`MESSAGES` (as it is if none matches)."""
    text = str(text)
    if not text:
        return text
    if lang == "en":
        return _english(text)
    return _message(text, lang, values)


_USE_ONE_OF = re.compile(r"use one of (.+)")


def _english(text: str) -> str:
    """The model's English for the English interface: Dutch field names in English, and Dutch codes a user must
    write (sector codes) quoted with their meaning: "use one of 'logistiek' (logistics), ..."."""
    match = _USE_ONE_OF.fullmatch(text)
    if match:
        codes = match.group(1).split(", ")
        if all(code in TERMS and TERMS[code]["en"] != code for code in codes):
            return "use one of " + ", ".join(f"'{code}' ({TERMS[code]['en']})" for code in codes)
    return _ENGLISH_WORDS.sub(lambda m: ENGLISH_WORDS[m.group(1)] if m.group(1) else m.group(0), text)


#: "lines 2, 3" / "rows 4" inside a Dutch text (where a template carries the place verbatim): in Dutch.
_PLACE_WORDS = re.compile(r"(?<![\w'])(lines|rows|line|row|Excel rows|Excel row|features|feature)(?= \d)")
_PLACE_WORDS_NL = {"lines": "regels", "rows": "rijen", "line": "regel", "row": "rij", "Excel rows": "Excel-rijen",
                   "Excel row": "Excel-rij", "features": "objecten", "feature": "object"}


def _dutch_places(text: str) -> str:
    return _PLACE_WORDS.sub(lambda m: _PLACE_WORDS_NL[m.group(1)], text)


@lru_cache(maxsize=20_000)
def _message(text: str, lang: str, values: bool) -> str:
    if text in TERMS:
        return TERMS[text][lang]
    for pattern, dutch, verbatim in _compiled():
        match = pattern.fullmatch(text)
        if match:
            found = match.groupdict()
            return _dutch_places(dutch.format(**{k: v if k in verbatim else _value(v, lang) if values
                                                 else term(v, lang) for k, v in found.items()}))
    for separator in _PARTS:
        if separator in text:
            parts = text.split(separator)
            translated = [message(part, lang, values) for part in parts]
            if translated != parts:
                return separator.join(translated)
    return text


def layer_label(layer, lang: str) -> str:
    """A boundary layer's label (kind, year, source) wholly in ``lang``."""
    from .boundaries import KIND_LABELS

    return f"{KIND_LABELS[layer.kind][lang]}, {layer.year}: {message(layer.source, lang)}"


def place(row: object, lang: str) -> str:
    """Where a problem is, in ``lang``: "row 4" -> "rij 4", "housing line 2 ('A')" -> "woningvoorraad regel 2 ('A')"."""
    if isinstance(row, str):
        match = _PLACE.match(row)
        if match and lang == "nl":
            prefix = f"{_PLACE_NL[match.group(1)]} " if match.group(1) else ""
            return f"{prefix}{_PLACE_NL[match.group(2)]} {match.group(3)}"
        return row
    return f"{_FRAME[lang]['row']} {row}"


def problem_text(problem: Problem, lang: str) -> str:
    """One problem in ``lang``: where (file row, column), what is wrong and the fix."""
    words = _FRAME[lang]
    where = []
    if problem.row is not None:
        where.append(place(problem.row, lang))
    if problem.column is not None:
        where.append(f"{words['column']} '{term(problem.column, lang)}'")
    text = (", ".join(where) + ": " if where else "") + message(problem.message, lang)
    if problem.fix:
        text += f" {words['fix']}: {message(problem.fix, lang)}"
    return text


def error_text(error: InputError, lang: str) -> str:
    """An :class:`InputError` in ``lang``: the file it came from and every problem found."""
    head = f"{error.source}: " if error.source else ""
    if len(error.problems) == 1:
        return head + problem_text(error.problems[0], lang)
    lines = "\n".join(f"  - {problem_text(p, lang)}" for p in error.problems)
    return f"{head}{len(error.problems)} {_FRAME[lang]['problems']}:\n{lines}"


__all__ = ["MESSAGES", "PARAMETER_NOTES", "TERMS", "error_text", "layer_label", "message", "place", "problem_text",
           "term", "terms"]

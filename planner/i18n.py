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
              "bedrijf, en hoeveel bedden zijn er in de regio nodig? Cijfers als P10 / P50 / P90.",
        "en": "New-business impact assessment: how many labour migrants does a new business bring, and how "
              "many beds does the region need? Figures as P10 / P50 / P90.",
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
    # Uploads that cannot be read at all (planner/ui/reading.py); each "<key>_fix" says what to do.
    "upload_fix": {"nl": "Oplossing", "en": "Fix"},
    "upload_empty": {"nl": "Het bestand '{name}' is leeg.", "en": "The file '{name}' is empty."},
    "upload_empty_fix": {
        "nl": "kies het juiste bestand, of sla het opnieuw op vanuit Excel of uw GIS-programma en upload het opnieuw.",
        "en": "choose the right file, or save it again from Excel or your GIS program and upload it again.",
    },
    "upload_header_only": {
        "nl": "Het bestand '{name}' bevat alleen een kopregel ({header}) en geen gegevens.",
        "en": "The file '{name}' holds only a header line ({header}) and no data.",
    },
    "upload_header_only_fix": {
        "nl": "zet onder de kopregel één regel per locatie, of kies het bestand met de gegevens.",
        "en": "put one line per location below the header, or choose the file with the data.",
    },
    "upload_not_text": {
        "nl": "Het bestand '{name}' is geen tekstbestand (CSV) maar bevat binaire gegevens.",
        "en": "The file '{name}' is not a text (CSV) file but holds binary data.",
    },
    "upload_not_text_fix": {
        "nl": "sla het in Excel op als 'CSV (gescheiden door lijstscheidingsteken)', of upload het als .xlsx.",
        "en": "save it from Excel as 'CSV (comma delimited)', or upload it as .xlsx.",
    },
    "upload_not_table": {
        "nl": "Het bestand '{name}' lijkt geen tabel: regel 1 ('{line}') bevat geen scheidingsteken (; of ,).",
        "en": "The file '{name}' does not look like a table: line 1 ('{line}') holds no separator (; or ,).",
    },
    "upload_not_table_fix": {
        "nl": "upload een CSV met een kopregel en één regel per locatie, kolommen gescheiden door ; of , "
              "(in Excel: Opslaan als > CSV).",
        "en": "upload a CSV with a header line and one line per location, columns separated by ; or , "
              "(in Excel: Save as > CSV).",
    },
    "upload_excel_broken": {
        "nl": "Het bestand '{name}' is geen leesbaar Excel-bestand (.xlsx): het is beschadigd of onvolledig.",
        "en": "The file '{name}' is not a readable Excel file (.xlsx): it is damaged or incomplete.",
    },
    "upload_excel_broken_fix": {
        "nl": "open het in Excel en sla het opnieuw op als 'Excel-werkmap (.xlsx)', of sla het op als CSV.",
        "en": "open it in Excel and save it again as 'Excel Workbook (.xlsx)', or save it as CSV.",
    },
    "upload_zip_broken": {
        "nl": "Het bestand '{name}' is geen leesbaar zip-bestand: het is beschadigd of onvolledig.",
        "en": "The file '{name}' is not a readable zip file: it is damaged or incomplete.",
    },
    "upload_zip_broken_fix": {
        "nl": "pak de Shapefile (.shp, .shx, .dbf, .prj) opnieuw in, of upload een GeoPackage.",
        "en": "zip the Shapefile (.shp, .shx, .dbf, .prj) again, or upload a GeoPackage.",
    },
    "upload_json_truncated": {
        "nl": "Het bestand '{name}' houdt halverwege op (regel {line}, kolom {column}): de GeoJSON is onvolledig.",
        "en": "The file '{name}' stops half-way (line {line}, column {column}): the GeoJSON is incomplete.",
    },
    "upload_json_truncated_fix": {
        "nl": "exporteer het bestand opnieuw uit uw GIS-programma en upload het volledige bestand.",
        "en": "export the file again from your GIS program and upload the complete file.",
    },
    "upload_json_broken": {
        "nl": "Het bestand '{name}' is geen geldige GeoJSON: fout bij regel {line}, kolom {column}.",
        "en": "The file '{name}' is not valid GeoJSON: error at line {line}, column {column}.",
    },
    "upload_json_broken_fix": {
        "nl": "exporteer het opnieuw als GeoJSON uit uw GIS-programma, of herstel de tekst op die plek.",
        "en": "export it again as GeoJSON from your GIS program, or repair the text at that place.",
    },
    "upload_not_geojson": {
        "nl": "Het bestand '{name}' is wel JSON, maar geen GeoJSON: er staat geen \"type\": \"FeatureCollection\" in.",
        "en": "The file '{name}' is JSON, but not GeoJSON: it has no \"type\": \"FeatureCollection\".",
    },
    "upload_not_geojson_fix": {
        "nl": "exporteer de laag als GeoJSON uit uw GIS-programma (QGIS: Exporteren > Objecten opslaan als).",
        "en": "export the layer as GeoJSON from your GIS program (QGIS: Export > Save Features As).",
    },
    "upload_no_features": {
        "nl": "Het bestand '{name}' bevat geen objecten: de FeatureCollection is leeg.",
        "en": "The file '{name}' holds no features: the FeatureCollection is empty.",
    },
    "upload_no_features_fix": {
        "nl": "kies de laag met de gegevens, of exporteer opnieuw zonder filter of selectie.",
        "en": "choose the layer with the data, or export again without a filter or selection.",
    },
    "upload_damaged": {
        "nl": "Het bestand '{name}' is een beschadigd of onvolledig {kind}-bestand.",
        "en": "The file '{name}' is a damaged or incomplete {kind} file.",
    },
    "upload_damaged_fix": {
        "nl": "exporteer het opnieuw als {kind} en upload het volledige bestand.",
        "en": "export it again as {kind} and upload the complete file.",
    },
    "upload_not_kind": {
        "nl": "Het bestand '{name}' is geen {kind}-bestand, al heeft het die naam.",
        "en": "The file '{name}' is not a {kind} file, although it is named so.",
    },
    "upload_not_kind_fix": {
        "nl": "exporteer het opnieuw als {kind} uit uw GIS-programma, of kies het juiste bestand.",
        "en": "export it again as {kind} from your GIS program, or choose the right file.",
    },
    "upload_unreadable": {
        "nl": "Het bestand '{name}' kan niet worden gelezen als {kind}-bestand.",
        "en": "The file '{name}' cannot be read as a {kind} file.",
    },
    "upload_unreadable_fix": {
        "nl": "open het in het programma waarmee het gemaakt is en sla het opnieuw op (CSV, Excel .xlsx, "
              "GeoPackage of GeoJSON).",
        "en": "open it in the program that made it and save it again (CSV, Excel .xlsx, GeoPackage or GeoJSON).",
    },
    "input_failed_elsewhere": {
        "nl": "Invoer van de pagina '{page}' kan niet worden gebruikt; herstel die daar. {error}",
        "en": "Input from the page '{page}' cannot be used; repair it there. {error}",
    },
    "sites_without_place": {
        "nl": "{n} van de {total} locaties ({names}) hebben geen coördinaten. Ze tellen mee in de schatting, maar "
              "staan niet op de kaart en kunnen niet over de regio verdeeld worden. Oplossing: voeg kolommen x en y "
              "(RD New) of lon en lat toe aan het bestand, of voer de locatie in met het formulier.",
        "en": "{n} of the {total} sites ({names}) have no coordinates. They count in the estimate, but are not on "
              "the map and cannot be spread over the region. Fix: add columns x and y (RD New) or lon and lat to "
              "the file, or enter the site with the form.",
    },
    "unexpected_error": {
        "nl": "Er ging iets mis bij het tonen van deze pagina. Uw invoer is bewaard; probeer het opnieuw of meld "
              "het probleem (de details staan in het serverlog).",
        "en": "Something went wrong showing this page. Your input is kept; try again or report the problem (the "
              "details are in the server log).",
    },
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
        "nl": "P50 is de middelste schatting; 8 van de 10 vergelijkbare locaties liggen tussen P10 en P90 "
              "(kental, aandeel arbeidsmigranten, piek en huisvesting via werkgever samen gesimuleerd; een "
              "totaal is de P10–P90 van de som, niet de som van de P90's).",
        "en": "P50 is the middle estimate; 8 in 10 comparable sites lie between P10 and P90 (ratio, migrant "
              "share, peak and employer housing simulated together; a total is the P10–P90 of the sum, not the "
              "sum of the P90s).",
    },
    "p10": {"nl": "P10 (laag)", "en": "P10 (low)"},
    "p50": {"nl": "P50 (midden)", "en": "P50 (median)"},
    "p90": {"nl": "P90 (hoog)", "en": "P90 (high)"},
    "workers_net": {"nl": "Nieuwe werknemers (zonder verplaatste banen)", "en": "New workers (net of relocated jobs)"},
    "relocated_jobs": {"nl": "Banen die verhuizen van elders", "en": "Jobs moving in from elsewhere"},
    "abroad": {"nl": "Geplaatst in het buitenland", "en": "Placed abroad"},
    "no_objects": {"nl": "Let op: {note}", "en": "Note: {note}"},
    "low": {"nl": "laag", "en": "low"},
    "typical": {"nl": "typisch", "en": "typical"},
    "high": {"nl": "hoog", "en": "high"},
    "range": {"nl": "P10 {low} – P90 {high}", "en": "P10 {low} – P90 {high}"},
    "per_site": {"nl": "Per locatie", "en": "Per site"},
    "per_year": {"nl": "Benodigde bedden per jaar (P50, met ingroei)",
                 "en": "Beds needed per year (P50, with ramp-up)"},
    "sources": {"nl": "Kentallen en bronnen", "en": "Ratios and sources"},
    "assumptions": {
        "nl": "Aannames: waar een subtype geen openbaar referentieobject heeft, rust het kental op de andere "
              "objecten van de sector (status 'sectorgemiddelde') of op een aanname (status 'aanname'). Vul "
              "de bibliotheek aan met eigen referentieobjecten.",
        "en": "Assumptions: where a subtype has no public reference object, its ratio rests on the other objects "
              "of the sector (status 'sector fallback') or on an assumption (status 'assumption'). Extend the "
              "library with your own reference objects.",
    },
    "download_excel": {"nl": "Download resultaten (Excel)", "en": "Download results (Excel)"},
    "download_gpkg": {"nl": "Download resultaten (GeoPackage)", "en": "Download results (GeoPackage)"},
    "col_site": {"nl": "Locatie", "en": "Site"},
    "col_sector": {"nl": "Sector", "en": "Sector"},
    "col_basis": {"nl": "Grondslag", "en": "Basis"},
    "col_declared": {"nl": "Opgave bedrijf", "en": "Company declaration"},
    "col_declared_jobs": {"nl": "Banen (opgave bedrijf)", "en": "Jobs (company's figure)"},
    "col_check": {"nl": "Toets opgave", "en": "Declaration check"},
    "below_range": {"nl": "onder P10", "en": "below P10"},
    "within_range": {"nl": "tussen P10 en P90", "en": "between P10 and P90"},
    "above_range": {"nl": "boven P90", "en": "above P90"},
    "col_declared_beds": {"nl": "Opgave bedden", "en": "Declared beds"},
    "col_beds_check": {"nl": "Toets bedden", "en": "Beds check"},
    "beds_below_range": {"nl": "onder P10", "en": "below P10"},
    "beds_within_range": {"nl": "tussen P10 en P90", "en": "between P10 and P90"},
    "beds_above_range": {"nl": "boven P90", "en": "above P90"},
    "flag_below_range": {
        "nl": "{name}: het bedrijf verwacht {declared} arbeidsmigranten, minder dan de schatting ({low}–{high}, "
              "P10–P90). Vraag het bedrijf waarop de opgave rust.",
        "en": "{name}: the company expects {declared} labour migrants, fewer than the estimate ({low}–{high}, "
              "P10–P90). Ask the company what the declaration rests on.",
    },
    "flag_above_range": {
        "nl": "{name}: het bedrijf verwacht {declared} arbeidsmigranten, meer dan de schatting ({low}–{high}, "
              "P10–P90). Vraag het bedrijf waarop de opgave rust.",
        "en": "{name}: the company expects {declared} labour migrants, more than the estimate ({low}–{high}, "
              "P10–P90). Ask the company what the declaration rests on.",
    },
    "flag_beds_below_range": {
        "nl": "{name}: het bedrijf regelt zelf {declared} bedden, minder dan de geschatte behoefte ({low}–{high} "
              "bedden in de piek, P10–P90); naar schatting {to_find} bedden moeten elders in de regio gevonden worden.",
        "en": "{name}: the company arranges {declared} beds itself, fewer than the estimated need ({low}–{high} beds "
              "at the peak, P10–P90); an estimated {to_find} beds must be found elsewhere in the region.",
    },
    "flag_beds_above_range": {
        "nl": "{name}: het bedrijf regelt zelf {declared} bedden, meer dan de geschatte behoefte ({low}–{high} "
              "bedden in de piek, P10–P90). Controleer de opgave.",
        "en": "{name}: the company arranges {declared} beds itself, more than the estimated need ({low}–{high} beds "
              "at the peak, P10–P90). Check the declaration.",
    },
    "new_company": {"nl": "Nieuw bedrijf (formulier leegmaken)", "en": "New company (clear the form)"},
    "library_hash": {"nl": "Referentiebibliotheek {hash}", "en": "Reference library {hash}"},
    # -- navigation --
    "page_sites": {"nl": "Bedrijvigheid", "en": "Business sites"},
    "page_housing": {"nl": "Woningvoorraad", "en": "Housing stock"},
    "page_shortfall": {"nl": "Regionaal tekort", "en": "Regional shortfall"},
    "page_scenarios": {"nl": "Scenario's", "en": "Scenarios"},
    "page_library": {"nl": "Referentie-objecten", "en": "Reference objects"},
    "page_report": {"nl": "Rapport", "en": "Report"},
    "navigation": {"nl": "Onderdeel", "en": "Section"},
    "file_in_use": {"nl": "In gebruik: {name}", "en": "In use: {name}"},
    "remove_file": {"nl": "Verwijderen", "en": "Remove"},
    # -- sites page --
    "include_demo": {"nl": "Voorbeeldlocaties meenemen", "en": "Include the example sites"},
    "add_site": {"nl": "Locatie toevoegen", "en": "Add a site"},
    "add_site_help": {
        "nl": "Voer een geplande locatie in. Plaats haar met coördinaten (RD of lengte/breedte) of kies de "
              "gemeente; dan komt ze op een punt binnen die gemeente.",
        "en": "Enter a planned site. Place it by coordinates (RD or longitude/latitude) or choose the "
              "municipality; it is then put at a point inside that municipality.",
    },
    "site_name": {"nl": "Naam", "en": "Name"},
    "sector": {"nl": "Sector", "en": "Sector"},
    "subtype": {"nl": "Type bedrijf", "en": "Kind of business"},
    "floor_area_m2": {"nl": "Bruto vloeroppervlak (m²)", "en": "Gross floor area (m²)"},
    "plot_area_ha": {"nl": "Kaveloppervlak (ha)", "en": "Plot area (ha)"},
    "start_year": {"nl": "Startjaar", "en": "Start year"},
    "ramp_up_years": {"nl": "Ingroei (jaren tot volledige bezetting)", "en": "Ramp-up (years to full staffing)"},
    "place_by": {"nl": "Plaatsing", "en": "Placement"},
    "place_gemeente": {"nl": "in een gemeente", "en": "in a municipality"},
    "place_lonlat": {"nl": "lengte-/breedtegraad (WGS84)", "en": "longitude/latitude (WGS84)"},
    "place_rd": {"nl": "RD-coördinaten (x/y)", "en": "RD coordinates (x/y)"},
    "gemeente": {"nl": "Gemeente", "en": "Municipality"},
    "questionnaire": {"nl": "Vragenlijst bedrijf (VNG deel 2)", "en": "Company questionnaire (VNG part 2)"},
    "questionnaire_help": {
        "nl": "Wat het bedrijf zelf opgeeft. De app zet de opgave naast de schatting en markeert een opgave "
              "buiten P10–P90.",
        "en": "What the company declares itself. The app shows the declaration next to the estimate and flags "
              "one outside P10–P90.",
    },
    "declared_jobs": {"nl": "Banen bij volledige bezetting (opgave; vervangt oppervlak x kental)",
                      "en": "Jobs at full staffing (declared; replaces area x ratio)"},
    "declared_migrants": {"nl": "Verwacht aantal arbeidsmigranten (opgave)",
                          "en": "Expected labour migrants (declared)"},
    "declared_beds": {"nl": "Bedden die het bedrijf zelf regelt (opgave)",
                      "en": "Beds the company arranges itself (declared)"},
    "submit_site": {"nl": "Toevoegen en schatten", "en": "Add and estimate"},
    "site_added": {"nl": "Toegevoegd: {name}", "en": "Added: {name}"},
    "new_site_estimate": {"nl": "Schatting voor {name}", "en": "Estimate for {name}"},
    "remove_manual": {"nl": "Ingevoerde locaties wissen", "en": "Remove entered sites"},
    "no_sites": {"nl": "Geen locaties: voeg er een toe of upload een bestand.",
                 "en": "No sites: add one or upload a file."},
    "map": {"nl": "Kaart", "en": "Map"},
    # Map legends and labels (issue 18, part C).
    "legend_range": {"nl": "> {low} t/m {high}", "en": "> {low} to {high}"},
    "legend_up_to": {"nl": "{high} of minder", "en": "{high} or less"},
    "legend_above": {"nl": "meer dan {low}", "en": "more than {low}"},
    "legend_below_zero": {"nl": "> {low} en < 0", "en": "> {low} and < 0"},
    "legend_no_change": {"nl": "geen verschil (0)", "en": "no difference (0)"},
    "legend_no_data": {"nl": "0 of geen gegevens", "en": "0 or no data"},
    "legend_no_data_diverging": {"nl": "geen gegevens", "en": "no data"},
    "legend_sites": {"nl": "Bedrijfslocatie", "en": "Business site"},
    "legend_grid": {"nl": "Klikpunt (1 km) om een locatie te kiezen", "en": "Click point (1 km) to choose a place"},
    "legend_municipality": {"nl": "Gemeente (klik om te kiezen)", "en": "Municipality (click to choose)"},
    "legend_sites_map": {"nl": "Legenda", "en": "Legend"},
    "legend_shortfall": {"nl": "Tekort (P50), in bedden", "en": "Shortfall (P50), in beds"},
    # The council report (issue 18, part C).
    "rep_steps": {"nl": "Berekening per locatie", "en": "Calculation per site"},
    "rep_steps_intro": {
        "nl": "Per locatie de rekensom met de middelste waarde (P50) van elke factor, en de bron van die factor. "
              "De uitkomst van de simulatie (P50, met P10 - P90) staat eronder: de simulatie trekt kental, aandeel "
              "en piekfactor uit hun spreiding, en de mediaan van een product van scheve verdelingen ligt niet "
              "precies op het product van de medianen.",
        "en": "Per site the sum with the middle value (P50) of each factor, and the source of that factor. The "
              "simulation's result (P50, with P10 - P90) follows: the simulation draws ratio, share and peak "
              "factor from their spread, and the median of a product of skewed distributions is not exactly the "
              "product of the medians.",
    },
    "rep_step": {"nl": "Stap", "en": "Step"},
    "rep_sum": {"nl": "Rekensom", "en": "Sum"},
    "rep_result": {"nl": "Uitkomst", "en": "Result"},
    "rep_source": {"nl": "Bron", "en": "Source"},
    "rep_status": {"nl": "Status", "en": "Status"},
    "rep_value": {"nl": "Waarde", "en": "Value"},
    "rep_factor": {"nl": "Factor", "en": "Factor"},
    "rep_floor_area": {"nl": "Vloeroppervlak (bvo)", "en": "Gross floor area"},
    "rep_plot_area": {"nl": "Kavel- of kasoppervlak", "en": "Plot or glass area"},
    "rep_input": {"nl": "invoer", "en": "input"},
    "rep_input_geometry": {"nl": "berekend uit de getekende kavel", "en": "computed from the drawn plot"},
    "rep_ratio": {"nl": "kental", "en": "ratio"},
    "rep_ratio_unit_floor": {"nl": "werknemers per 1.000 m2 bvo", "en": "workers per 1,000 m2 floor area"},
    "rep_ratio_unit_plot": {"nl": "werknemers per ha", "en": "workers per ha"},
    "rep_relocated": {"nl": "verplaatste banen", "en": "relocated jobs"},
    "rep_declared_jobs": {"nl": "Banen volgens het bedrijf (opgave)", "en": "Jobs the company announces"},
    "rep_plot_to_bvo": {"nl": "vloeroppervlak per m² kavel", "en": "floor area per m² of plot"},
    "rep_floor_from_plot": {"nl": "Vloeroppervlak (bvo), uit de kavel", "en": "Gross floor area, from the plot"},
    "rep_realised_share": {"nl": "gerealiseerd deel van aangekondigde banen", "en": "realised share of announced jobs"},
    "rep_migrant_share": {"nl": "aandeel arbeidsmigranten", "en": "migrant share"},
    "rep_peak_factor": {"nl": "piekfactor", "en": "peak factor"},
    "rep_beds_per_migrant": {"nl": "bedden per arbeidsmigrant", "en": "beds per labour migrant"},
    "rep_employer_share": {"nl": "aandeel gehuisvest via werkgever", "en": "share housed by the employer"},
    "rep_stay_shares": {"nl": "verdeling kort / middellang / lang verblijf",
                        "en": "split short / mid / long stay"},
    "rep_objects": {"nl": "sector_ratios/reference_objects.csv: {n} referentieobject(en): {ids}",
                    "en": "sector_ratios/reference_objects.csv: {n} reference object(s): {ids}"},
    "rep_simulated": {
        "nl": "Simulatie: {beds} benodigde bedden (P50; P10 - P90: {low} - {high}). De rekensom hierboven geeft "
              "{chain}.",
        "en": "Simulation: {beds} beds needed (P50; P10 - P90: {low} - {high}). The sum above gives {chain}.",
    },
    "rep_site_of": {"nl": "{name} ({sector}), vanaf {year}", "en": "{name} ({sector}), from {year}"},
    "rep_site_no_year": {"nl": "{name} ({sector}), geen startjaar", "en": "{name} ({sector}), no start year"},
    "rep_beds_per_year": {"nl": "Benodigde bedden per jaar", "en": "Beds needed per year"},
    "rep_year": {"nl": "Jaar", "en": "Year"},
    "rep_starting": {"nl": "Locaties die starten", "en": "Sites starting"},
    "rep_beds_in_year": {"nl": "Bedden nodig in het jaar (P50)", "en": "Beds needed in the year (P50)"},
    "rep_beds_added": {"nl": "Erbij t.o.v. vorig jaar (P50)", "en": "Added since the year before (P50)"},
    "rep_total": {"nl": "Totaal", "en": "Total"},
    "rep_beds_per_year_note": {
        "nl": "Met ingroei: een locatie bereikt haar volle bezetting na het aantal ingroeijaren. De kolom 'erbij' "
              "telt op tot de bedden in het laatste jaar, {total}: het totaal aan benodigde bedden (P50) bovenaan.",
        "en": "With ramp-up: a site reaches full staffing after its ramp-up years. The column 'added' sums to the "
              "beds of the last year, {total}: the total of beds needed (P50) at the top.",
    },
    "rep_no_years": {"nl": "Niet alle locaties hebben een startjaar: geen tabel per jaar.",
                     "en": "Not every site has a start year: no table per year."},
    "rep_capacity_check": {"nl": "Van vrije plaatsen naar regionale capaciteit",
                           "en": "From spare places to regional capacity"},
    "rep_cap_register": {"nl": "Vrije plaatsen in het register (alle {n} bruikbare locaties)",
                         "en": "Spare places in the register (all {n} usable locations)"},
    "rep_cap_left_out": {"nl": "min: in {n} locaties die in geen gemeente liggen (weggelaten)",
                         "en": "minus: in {n} locations that lie in no municipality (left out)"},
    "rep_cap_basis": {"nl": "min: verschil door de grondslag ({basis}; een gemeente telt minstens 0)",
                      "en": "minus: difference from the basis ({basis}; a municipality counts at least 0)"},
    "rep_cap_counted": {"nl": "Vrije plaatsen meegeteld in gemeenten", "en": "Spare places counted in municipalities"},
    "rep_cap_pipeline": {"nl": "plus: bedden in pijplijnprojecten", "en": "plus: beds in pipeline projects"},
    "rep_cap_regional": {"nl": "Capaciteit in de regionale berekening", "en": "Capacity in the regional calculation"},
    "rep_cap_note": {
        "nl": "'Vrije plaatsen' telt de plaatsen die in het register onder de norm vrij zijn. De regionale "
              "capaciteit telt alleen plaatsen in een gemeente van de grenslaag, plus de pijplijnprojecten. "
              "{n} locatie(s) liggen in geen gemeente en hebben geen geldige gemeentecode; hun {places} vrije "
              "plaatsen zijn weggelaten. Geef ze coordinaten of een gemeentecode om ze mee te tellen.",
        "en": "'Spare places' counts the places the register has free under the norm. The regional capacity "
              "counts only places in a municipality of the boundary layer, plus the pipeline projects. {n} "
              "location(s) lie in no municipality and have no valid municipal code; their {places} spare places "
              "are left out. Give them coordinates or a municipal code to count them.",
    },
    "rep_assumptions": {"nl": "Aannames en bronnen per factor", "en": "Assumptions and sources per factor"},
    "rep_status_sourced": {"nl": "onderbouwd", "en": "sourced"},
    "rep_status_assumption": {"nl": "aanname", "en": "assumption"},
    "rep_status_fallback": {"nl": "sectorgemiddelde", "en": "sector fallback"},
    "rep_objects_table": {"nl": "Referentieobjecten", "en": "Reference objects"},
    "rep_id": {"nl": "Id", "en": "Id"},
    "rep_name": {"nl": "Naam", "en": "Name"},
    "rep_place": {"nl": "Plaats", "en": "Place"},
    "rep_line": {"nl": "regel", "en": "line"},
    "rep_parameter": {"nl": "Parameter", "en": "Parameter"},
    "rep_in_sites": {"nl": "Locaties", "en": "Sites"},
    "rep_in_housing": {"nl": "Woningvoorraad", "en": "Housing stock"},
    "rep_in_pipeline": {"nl": "Pijplijn", "en": "Pipeline"},
    "rep_in_norm": {"nl": "Normenset", "en": "Norm set"},
    "rep_objects_note": {"nl": "De {n} objecten waarop de kentallen van deze locaties rusten; alle {total} staan in "
                                "sector_ratios/reference_objects.csv.",
                         "en": "The {n} objects the ratios of these sites rest on; all {total} are in "
                               "sector_ratios/reference_objects.csv."},
    "rep_provenance": {"nl": "Herkomst van de cijfers", "en": "Where the figures come from"},
    "rep_about_boundaries": {"nl": "Grenzen", "en": "Boundaries"},
    "rep_about_boundary_year": {"nl": "Grensjaar", "en": "Boundary year"},
    "rep_about_boundary_kind": {"nl": "Soort grenzen", "en": "Kind of boundaries"},
    "rep_about_allocation_mode": {"nl": "Toedeling", "en": "Allocation"},
    "rep_about_beta_per_km": {"nl": "Afstandsverval (beta per km)", "en": "Distance decay (beta per km)"},
    "rep_about_mean_distance_km": {"nl": "Gemiddelde afstand (km)", "en": "Mean distance (km)"},
    "rep_about_distances": {"nl": "Afstanden", "en": "Distances"},
    "rep_about_abroad_share": {"nl": "Aandeel over de grens", "en": "Share abroad"},
    "rep_about_percentiles": {"nl": "Percentielen", "en": "Percentiles"},
    "rep_about_region_level": {"nl": "Regioniveau", "en": "Region level"},
    "rep_about_capacity": {"nl": "Capaciteit", "en": "Capacity"},
    "rep_about_shortfall": {"nl": "Tekort", "en": "Shortfall"},
    "rep_about_norm": {"nl": "Normenset", "en": "Norm set"},
    "legend_difference": {"nl": "Verschil in tekort (P50), in bedden: blauw = minder tekort, rood = meer tekort",
                          "en": "Difference in shortfall (P50), in beds: blue = less shortfall, red = more shortfall"},
    "pdok_basemap": {"nl": "PDOK-achtergrondkaart (alleen met internet)", "en": "PDOK base map (internet only)"},
    "borders": {"nl": "Grenzen", "en": "Borders"},
    "borders_section": {"nl": "Gemeentegrenzen", "en": "Municipal borders"},
    "borders_in_use": {"nl": "In gebruik: {label} ({n} gemeenten).", "en": "In use: {label} ({n} municipalities)."},
    "borders_schematic_note": {
        "nl": "Schematische grenzen liggen er op plaatsen kilometers naast. Importeer of download de exacte "
              "CBS-grenzen voor kaarten en toedeling per gemeente.",
        "en": "Schematic borders are kilometres off in places. Import or download the exact CBS borders for maps "
              "and the assignment to municipalities.",
    },
    "borders_year": {"nl": "Grensjaar", "en": "Boundary year"},
    "borders_year_help": {
        "nl": "De gemeentelijke indeling waarin de app rekent. Codes uit andere jaren (na herindelingen) worden "
              "omgezet naar dit jaar, met een melding per regel.",
        "en": "The municipal division the app counts in. Codes of other years (after mergers) are converted to "
              "this year, with a note for each row.",
    },
    "borders_import": {"nl": "Eigen grenzenbestand importeren", "en": "Import a boundary file"},
    "borders_import_help": {
        "nl": "GeoPackage, GeoJSON of gezipte Shapefile met gemeentecode (GM0014) en gemeentenaam. Het jaar wordt "
              "herkend aan de codes.",
        "en": "GeoPackage, GeoJSON or zipped Shapefile with the municipality code (GM0014) and name. The year is "
              "recognised from the codes.",
    },
    "borders_import_button": {"nl": "Importeren en gebruiken", "en": "Import and use"},
    "borders_download_year": {"nl": "Jaar om te downloaden", "en": "Year to download"},
    "borders_download_help": {
        "nl": "Exacte grenzen van CBS via PDOK (internet nodig, een paar MB). Een mislukte download laat de "
              "opgeslagen grenzen ongemoeid.",
        "en": "Exact borders from CBS via PDOK (needs internet, a few MB). A failed download leaves the stored "
              "borders as they were.",
    },
    "borders_download_button": {"nl": "Download grenzen {year} van PDOK",
                                "en": "Download the {year} borders from PDOK"},
    "borders_downloading": {"nl": "Downloaden ...", "en": "Downloading ..."},
    "borders_stored": {"nl": "Opgeslagen en meteen in gebruik: {label}", "en": "Stored and in use at once: {label}"},
    "borders_failed": {"nl": "Niet gelukt", "en": "Did not work"},
    "borders_forget": {"nl": "Exacte grenzen {year} verwijderen", "en": "Remove the exact {year} borders"},
    "map_pick_help": {
        "nl": "Klik op een gemeente om de nieuwe locatie daar te plaatsen; klik daarna op een van de punten "
              "(om de kilometer) om haar preciezer te plaatsen. Het formulier 'Locatie toevoegen' neemt de plek over.",
        "en": "Click a municipality to place the new site there; then click one of the points (one per "
              "kilometre) to place it more precisely. The form 'Add a site' takes over the place.",
    },
    "picked": {"nl": "Plaats gekozen: {place}", "en": "Place chosen: {place}"},
    # -- sites page: edit or remove one site, draw a site as a polygon (issue 18) --
    "edit_sites": {"nl": "Ingevoerde locatie wijzigen of verwijderen", "en": "Change or remove an entered site"},
    "edit_which": {"nl": "Locatie", "en": "Site"},
    "edit_save": {"nl": "Wijzigingen opslaan", "en": "Save the changes"},
    "edit_remove": {"nl": "Deze locatie verwijderen", "en": "Remove this site"},
    "site_updated": {"nl": "Gewijzigd: {name}", "en": "Changed: {name}"},
    "site_removed": {"nl": "Verwijderd: {name}", "en": "Removed: {name}"},
    "draw_mode": {"nl": "Locatie tekenen als veelhoek", "en": "Draw a site as a polygon"},
    "draw_help": {
        "nl": "Klik op een gemeente en daarna op de punten (om de kilometer) in de volgorde van de omtrek; "
              "'Veelhoek sluiten' maakt er een locatie van met het type, de grootte en de jaren uit het formulier "
              "'Locatie toevoegen'. Het kaveloppervlak wordt uit de veelhoek berekend (in RD).",
        "en": "Click a municipality, then the points (one per kilometre) in the order of the outline; 'Close the "
              "polygon' makes it a site with the kind, size and years of the form 'Add a site'. The plot area is "
              "computed from the polygon (in RD).",
    },
    "draw_choose_gemeente": {"nl": "Klik eerst op een gemeente op de kaart: dan verschijnen de punten.",
                             "en": "First click a municipality on the map: the points then appear."},
    "draw_default_name": {"nl": "Getekende locatie", "en": "Drawn site"},
    "draw_uses": {
        "nl": "De getekende locatie krijgt uit het formulier 'Locatie toevoegen': {kind}, {floor} m² vloeroppervlak, "
              "startjaar {start}. Daarna te wijzigen onder 'Ingevoerde locatie wijzigen of verwijderen'.",
        "en": "The drawn site takes from the form 'Add a site': {kind}, {floor} m² floor area, start year {start}. "
              "It can be changed afterwards under 'Change or remove an entered site'.",
    },
    "draw_count": {"nl": "Hoekpunten gekozen: {n}", "en": "Corners chosen: {n}"},
    "draw_close": {"nl": "Veelhoek sluiten", "en": "Close the polygon"},
    "draw_undo": {"nl": "Laatste punt ongedaan maken", "en": "Undo the last point"},
    "draw_cancel": {"nl": "Tekenen annuleren", "en": "Cancel drawing"},
    "draw_too_few": {"nl": "Een veelhoek heeft minstens 3 verschillende hoekpunten: klik meer punten aan op de "
                             "kaart.",
                     "en": "A polygon needs at least 3 different corners: click more points on the map."},
    "draw_self_intersecting": {
        "nl": "De zijden van de veelhoek kruisen elkaar: klik de hoekpunten in de volgorde van de omtrek aan "
              "(maak het laatste punt ongedaan of begin opnieuw).",
        "en": "The sides of the polygon cross each other: click the corners in the order of the outline (undo the "
              "last point or start again).",
    },
    "draw_added": {"nl": "Getekende locatie toegevoegd: {name}, kaveloppervlak {area} ha",
                   "en": "Drawn site added: {name}, plot area {area} ha"},
    # -- housing page --
    "national_title": {"nl": "Landelijke registratie (GeoParquet)", "en": "National register (GeoParquet)"},
    "national_help": {
        "nl": "Een GeoParquet-bestand wordt in blokken gecontroleerd; u ziet de uitkomst per gemeente, "
              "COROP-regio en provincie. Voor bestanden boven de uploadgrens: planner check-national.",
        "en": "A GeoParquet file is checked in batches; you see the result per municipality, COROP region "
              "and province. For files above the upload limit: planner check-national.",
    },
    "national_progress": {"nl": "Controleren: {done} van {total} locaties", "en": "Checking: {done} of {total} "
                          "locations"},
    "national_problems": {"nl": "Onbruikbare rijen per reden", "en": "Unusable rows by reason"},
    "per_provincie": {"nl": "Per provincie", "en": "Per province"},
    "housing_file": {"nl": "Register huisvestingslocaties", "en": "Register of housing locations"},
    "housing_file_help": {
        "nl": "CSV, Excel, GeoPackage, GeoJSON of gezipte Shapefile; één rij per locatie. Zonder bestand "
              "gebruikt de app een synthetische voorraad.",
        "en": "CSV, Excel, GeoPackage, GeoJSON or zipped Shapefile; one row per location. Without a file the "
              "app uses a synthetic stock.",
    },
    "synthetic_notice": {
        "nl": "Synthetische woningvoorraad: gegenereerde rijen, geen echt adres.",
        "en": "Synthetic housing stock: generated rows, no real address.",
    },
    "column_mapping": {"nl": "Kolommen koppelen", "en": "Map columns"},
    "column_mapping_help": {
        "nl": "Kolommen die de app niet herkent. Koppel ze aan een gegeven van de app, of laat ze leeg.",
        "en": "Columns the app does not recognise. Map them onto one of the app's fields, or leave them.",
    },
    "not_used": {"nl": "(niet gebruiken)", "en": "(do not use)"},
    "norm": {"nl": "Normenset", "en": "Norm set"},
    "compare_norm": {"nl": "Vergelijken met", "en": "Compare with"},
    "no_compare": {"nl": "(geen)", "en": "(none)"},
    "capacity": {"nl": "Capaciteit (plaatsen)", "en": "Capacity (places)"},
    "occupants": {"nl": "Bewoners", "en": "Occupants"},
    "spare_capacity": {"nl": "Vrije plaatsen", "en": "Spare places"},
    "persons_over_capacity": {"nl": "Personen boven capaciteit", "en": "Persons over capacity"},
    "overcrowded_locations": {"nl": "Overbewoonde locaties", "en": "Overcrowded locations"},
    "capacity_lost": {"nl": "Capaciteit verloren door strengere norm", "en": "Capacity lost to the stricter norm"},
    "locations": {"nl": "Locaties", "en": "Locations"},
    "unusable_rows": {"nl": "Onbruikbare rijen", "en": "Unusable rows"},
    "unusable_caption": {
        "nl": "Deze rijen tellen niet mee in de totalen; per rij staat wat er mis is.",
        "en": "These rows are left out of the totals; each says what is wrong.",
    },
    "per_gemeente": {"nl": "Per gemeente", "en": "Per municipality"},
    "per_location": {"nl": "Per locatie", "en": "Per location"},
    # -- shortfall page --
    "level": {"nl": "Regioniveau", "en": "Region level"},
    "level_gemeente": {"nl": "gemeente", "en": "municipality"},
    "level_corop": {"nl": "COROP-regio", "en": "COROP region"},
    "level_provincie": {"nl": "provincie", "en": "province"},
    "level_custom": {"nl": "eigen regio's (bestand)", "en": "own regions (file)"},
    "regions_file": {"nl": "Bestand met eigen regio's", "en": "File with own regions"},
    "regions_file_help": {
        "nl": "CSV of Excel met gemeentecode en regionaam, of een vlakkenbestand met een naamkolom.",
        "en": "CSV or Excel with the municipality code and region name, or a polygon file with a name column.",
    },
    "mode": {"nl": "Verdeling", "en": "Allocation"},
    "mode_decay": {"nl": "afstandsverval (afstand en inwoners)", "en": "distance decay (distance and population)"},
    "mode_capacity": {"nl": "vrije capaciteit (minste reiskilometers)", "en": "spare capacity (least person-km)"},
    "mean_distance": {"nl": "Gemiddelde woon-werkafstand (km)", "en": "Mean home-work distance (km)"},
    "max_distance": {"nl": "Maximale woon-werkafstand (km)", "en": "Maximum home-work distance (km)"},
    "pipeline_file": {"nl": "Woningbouwprojecten in de pijplijn", "en": "Housing projects in the pipeline"},
    "pipeline_file_help": {
        "nl": "CSV of Excel met bedden, opleverjaar en gemeentecode of coördinaten. Zonder bestand: de "
              "verzonnen voorbeeldprojecten.",
        "en": "CSV or Excel with beds, year ready and municipality code or coordinates. Without a file: the invented "
              "example projects.",
    },
    "demand": {"nl": "Toe te delen bedden", "en": "Beds to place"},
    "shortfall": {"nl": "Tekort", "en": "Shortfall"},
    "unmet": {"nl": "Niet plaatsbaar binnen maximale afstand", "en": "Not placeable within maximum distance"},
    "capacity_total": {"nl": "Capaciteit (vrij + pijplijn)", "en": "Capacity (spare + pipeline)"},
    "shortfall_caption": {
        "nl": "Tekort per regio is de som van de tekorten van haar gemeenten; 'netto' telt alsof de regio haar "
              "plaatsen deelt. P50, met P10 – P90 (bij afstandsverval uit de som van de trekkingen).",
        "en": "A region's shortfall is the sum of its municipalities' shortfalls; 'net' counts as if the region "
              "pooled its places. P50, with P10 – P90 (in distance decay from the sum of the draws).",
    },
    "per_region": {"nl": "Per regio", "en": "Per region"},
    "shortfall_per_year": {"nl": "Tekort per jaar (P50)", "en": "Shortfall per year (P50)"},
    "parameters": {"nl": "Parameters en bronnen", "en": "Parameters and sources"},
    "calibration": {"nl": "Afstandsverval: beta {beta} per km, gemiddelde afstand {km} km ({note})",
                    "en": "Distance decay: beta {beta} per km, mean distance {km} km ({note})"},
    "notes": {"nl": "Opmerkingen", "en": "Notes"},
    "computing": {"nl": "Bezig met berekenen…", "en": "Computing…"},
    # -- scenarios page --
    "scenarios_intro": {
        "nl": "Een scenario bewaart alle invoer en keuzes, zodat de uitkomst altijd opnieuw te berekenen is. "
              "Opslaan maakt een nieuwe versie; niets wordt overschreven.",
        "en": "A scenario keeps every input and choice, so its result can always be computed again. Saving makes a "
              "new version; nothing is overwritten.",
    },
    "current_inputs": {"nl": "Huidige invoer", "en": "Current inputs"},
    "scenario_store": {"nl": "Scenario-opslag: {where}", "en": "Scenario store: {where}"},
    "save_scenario": {"nl": "Huidige invoer opslaan als scenario", "en": "Save the current inputs as a scenario"},
    "scenario_name": {"nl": "Naam van het scenario", "en": "Scenario name"},
    "organisation": {"nl": "Organisatie (gemeente of regio)", "en": "Organisation (municipality or region)"},
    "author": {"nl": "Auteur", "en": "Author"},
    "note": {"nl": "Toelichting (wat is er veranderd?)", "en": "Note (what changed?)"},
    "new_version_of": {"nl": "Als nieuwe versie van", "en": "As a new version of"},
    "new_scenario": {"nl": "(nieuw scenario)", "en": "(new scenario)"},
    "save": {"nl": "Opslaan", "en": "Save"},
    "saved": {"nl": "Opgeslagen: '{name}' versie {version}", "en": "Saved: '{name}' version {version}"},
    "stored_scenarios": {"nl": "Opgeslagen scenario's", "en": "Stored scenarios"},
    "no_scenarios": {"nl": "Nog geen scenario's opgeslagen.", "en": "No scenarios saved yet."},
    "compare_scenarios": {"nl": "Vergelijken (de eerste is de basis)", "en": "Compare (the first is the baseline)"},
    "difference_map": {"nl": "Verschil in tekort (laatste min basis)",
                       "en": "Difference in shortfall (last minus baseline)"},
    "export_scenario": {"nl": "Download scenario (GeoPackage, om te delen)",
                        "en": "Download scenario (GeoPackage, to share)"},
    "import_scenario": {"nl": "Scenario-bestand van een andere gemeente openen",
                        "en": "Open a scenario file from another municipality"},
    "imported": {"nl": "Geïmporteerd: '{name}'", "en": "Imported: '{name}'"},
    # -- scenarios page: versions compared, municipalities combined (issue 18) --
    "versions_header": {"nl": "Twee versies van een scenario vergelijken", "en": "Compare two versions of a scenario"},
    "versions_scenario": {"nl": "Scenario", "en": "Scenario"},
    "version_before": {"nl": "Versie (basis)", "en": "Version (baseline)"},
    "version_after": {"nl": "Versie (vergelijken met)", "en": "Version (compare with)"},
    "version_label": {"nl": "versie {version} ({author}, {created})", "en": "version {version} ({author}, {created})"},
    "versions_one": {"nl": "Dit scenario heeft nog maar één versie: sla een nieuwe versie op om te vergelijken.",
                     "en": "This scenario has only one version so far: save a new version to compare."},
    "versions_same": {"nl": "Kies twee verschillende versies.", "en": "Choose two different versions."},
    "versions_no_difference": {"nl": "Geen verschil per gemeente tussen deze versies.",
                               "en": "No difference per municipality between these versions."},
    "versions_caption": {
        "nl": "Per gemeente, P50, afgerond op hele bedden; het totaal is de som van de rijen. Verschil = "
              "versie {after} min versie {before}: positief is meer, negatief minder.",
        "en": "Per municipality, P50, rounded to whole beds; the total is the sum of the rows. Difference = version "
              "{after} minus version {before}: positive is more, negative is less.",
    },
    "fig_demand": {"nl": "Benodigde bedden", "en": "Beds needed"},
    "fig_capacity": {"nl": "Capaciteit", "en": "Capacity"},
    "fig_shortfall": {"nl": "Tekort", "en": "Shortfall"},
    "col_difference": {"nl": "verschil", "en": "difference"},
    "total_row": {"nl": "Totaal", "en": "Total"},
    "combine_header": {"nl": "Scenario's van gemeenten samenvoegen tot een regio",
                       "en": "Combine municipalities' scenarios into a region"},
    "combine_choose": {"nl": "Scenario's om samen te voegen (de nieuwste versie van elk)",
                       "en": "Scenarios to combine (the newest version of each)"},
    "combine_need_two": {"nl": "Kies twee of meer scenario's.", "en": "Choose two or more scenarios."},
    "combine_name": {"nl": "Regionaal beeld", "en": "Regional view"},
    "combine_regional": {"nl": "Regionaal beeld per gemeente", "en": "Regional view per municipality"},
    "combine_regional_caption": {
        "nl": "P50 per gemeente, afgerond op hele bedden; het totaal is de som van de rijen. Een locatie die in meer "
              "scenario's staat telt één keer; capaciteit per gemeente komt uit het nieuwste scenario dat haar geeft.",
        "en": "P50 per municipality, rounded to whole beds; the total is the sum of the rows. A site in more than one "
              "scenario counts once; capacity per municipality comes from the newest scenario that gives it.",
    },
    "combine_contributions": {"nl": "Wat elk scenario bijdraagt", "en": "What each scenario contributes"},
    "combine_contributions_caption": {
        "nl": "Benodigde bedden: de som van de P50 van de locaties (afgerond). Capaciteit: vrije plaatsen van de "
              "gemeenten waarvan dit scenario de cijfers levert, plus de pijplijnprojecten die meetellen. Het totaal "
              "is de som van de rijen.",
        "en": "Beds needed: the sum of the sites' P50 (rounded). Capacity: spare places of the municipalities whose "
              "figures come from this scenario, plus the pipeline projects that count. The total is the sum of the "
              "rows.",
    },
    "rollup_note_sites": {"nl": "{n} locatie(s) staan in meer dan één scenario en tellen één keer: {names}",
                          "en": "{n} site(s) appear in more than one scenario and count once: {names}"},
    "rollup_note_pipeline": {"nl": "{n} pijplijnproject(en) staan er twee keer in en tellen één keer.",
                             "en": "{n} pipeline project(s) appear twice and count once."},
    "combine_differ": {
        "nl": "Deze scenario's zijn niet samen te voegen: ze verschillen in '{what}'. Sla ze op met dezelfde keuze "
              "(norm, verdeling, parameters, grenzenjaar) en voeg ze dan samen.",
        "en": "These scenarios cannot be combined: they differ in '{what}'. Save them with the same choice (norm, "
              "allocation, parameters, boundary year), then combine them.",
    },
    "col_scenario": {"nl": "Scenario", "en": "Scenario"},
    "col_sites": {"nl": "Locaties (meegeteld)", "en": "Sites (counted)"},
    "col_sites_elsewhere": {"nl": "Locaties al in ander scenario", "en": "Sites already in another scenario"},
    "col_spare": {"nl": "Vrije plaatsen", "en": "Spare places"},
    "col_pipeline_beds": {"nl": "Pijplijn (bedden)", "en": "Pipeline (beds)"},
    "col_gemeentecode": {"nl": "CBS-code", "en": "CBS code"},
    # -- library page --
    "objects_file": {"nl": "Eigen referentie-objecten (CSV)", "en": "Own reference objects (CSV)"},
    "objects_file_help": {
        "nl": "Dezelfde kolommen als sector_ratios/reference_objects.csv. Ze tellen mee in alle schattingen "
              "van deze sessie.",
        "en": "The same columns as sector_ratios/reference_objects.csv. They count in every estimate of this "
              "session.",
    },
    "objects_added": {"nl": "{n} eigen referentie-object(en) in gebruik", "en": "{n} own reference object(s) in use"},
    "reference_objects": {"nl": "Referentie-objecten", "en": "Reference objects"},
    "derived_ratios": {"nl": "Afgeleide kentallen", "en": "Derived ratios"},
    # -- report page --
    "report_intro": {
        "nl": "Een rapport voor de raad: totalen, kaart, tabellen, aannames en bronnen van de huidige invoer.",
        "en": "A report for the council: totals, map, tables, assumptions and sources of the current inputs.",
    },
    "report_title": {"nl": "Titel van het rapport", "en": "Report title"},
    "report_default_title": {"nl": "Effectrapportage huisvesting arbeidsmigranten",
                             "en": "Impact assessment, labour migrant housing"},
    "download_pdf": {"nl": "Download rapport (PDF)", "en": "Download report (PDF)"},
    "download_all_excel": {"nl": "Download alle resultaten (Excel)", "en": "Download all results (Excel)"},
    "download_all_gpkg": {"nl": "Download alle resultaten (GeoPackage)", "en": "Download all results (GeoPackage)"},
    # -- how a file was read, rows used, invented data --
    "how_read": {"nl": "Zo is {name} gelezen", "en": "How {name} was read"},
    "how_read_help": {
        "nl": "Per kolom: wat de app erin ziet, met zekerheid (100% = naam herkend en waarden kloppen). Klopt iets "
              "niet, koppel de kolom dan hieronder zelf.",
        "en": "Per column: what the app takes it to mean, with a confidence (100% = name recognised and values fit). "
              "If something is wrong, map the column yourself below.",
    },
    "col_header": {"nl": "Kolom in het bestand", "en": "Column in the file"},
    "col_meaning": {"nl": "Betekenis", "en": "Meaning"},
    "col_confidence": {"nl": "Zekerheid (%)", "en": "Confidence (%)"},
    "col_how": {"nl": "Herkend aan", "en": "Recognised by"},
    "col_note": {"nl": "Opmerking", "en": "Note"},
    "how_name": {"nl": "naam", "en": "name"},
    "how_name and values": {"nl": "naam en waarden", "en": "name and values"},
    "how_values": {"nl": "waarden", "en": "values"},
    "how_by hand": {"nl": "handmatig gekoppeld", "en": "mapped by hand"},
    "how_": {"nl": "(niet gebruikt)", "en": "(not used)"},
    "rows_used": {"nl": "{used} van {rows} rijen gebruikt ({name})", "en": "{used} of {rows} rows used ({name})"},
    "rows_left_out": {"nl": "; {left} bewust niet gelezen (zie hoe het bestand is gelezen)",
                      "en": "; {left} left out on purpose (see how the file was read)"},
    "too_few_usable": {
        "nl": "Minder dan de helft van de rijen van {name} is bruikbaar ({used} van {rows}). De cijfers hieronder "
              "tellen alleen die rijen: de rest telt als nul. Waarschijnlijke oorzaak: {cause}",
        "en": "Fewer than half of the rows of {name} are usable ({used} of {rows}). The figures below count only "
              "those rows: the rest count as zero. Likely cause: {cause}",
    },
    "invented_title": {"nl": "{title} (bevat verzonnen voorbeelddata: {what})",
                       "en": "{title} (contains invented example data: {what})"},
    "invented_sites": {"nl": "voorbeeldlocaties", "en": "example sites"},
    "invented_housing": {"nl": "synthetische woningvoorraad", "en": "synthetic housing stock"},
    "invented_pipeline": {"nl": "verzonnen pijplijnprojecten", "en": "invented pipeline projects"},
    "include_demo_pipeline": {"nl": "Verzonnen voorbeeldprojecten in de pijplijn meenemen",
                              "en": "Include the invented example pipeline projects"},
    "demo_pipeline_notice": {
        "nl": "De pijplijn bestaat uit vijf verzonnen voorbeeldprojecten; zet ze uit of upload uw eigen projecten.",
        "en": "The pipeline consists of five invented example projects; switch them off or upload your own projects.",
    },
    "no_pipeline": {"nl": "Geen pijplijnprojecten: de capaciteit is alleen de vrije plaatsen in de voorraad.",
                    "en": "No pipeline projects: capacity is only the spare places in the stock."},
    "too_few_fix": {
        "nl": "Oplossing: koppel de kolommen onder 'Kolommen koppelen', of verbeter de rijen die onder 'Onbruikbare "
              "rijen' staan.",
        "en": "Fix: map the columns under 'Map columns', or correct the rows listed under 'Unusable rows'.",
    },
    "demo_off_own_data": {
        "nl": "U gebruikt eigen gegevens: de verzonnen voorbeelden van dit soort staan uit (u kunt ze weer aanzetten).",
        "en": "You use your own data: the invented examples of this kind are off (you can switch them back on).",
    },
}


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The text for ``key`` in ``lang`` ("nl" or "en"), formatted with ``values``."""
    if lang not in LANGUAGES:
        raise KeyError(f"unknown language '{lang}'; use one of {', '.join(LANGUAGES)}")
    text = TEXTS[key][lang]
    return text.format(**values) if values else text

"""The text of ``data_raw/README.md`` written with the demo extracts."""

README_TEXT = """\
# data_raw/: SYNTHETIC demo extracts

**Every file here is synthetic.** Nothing in this folder is real data about real people,
places or practices. The files were written by

    ina demo-data            # = ina.demo.write_demo_data(<repo root>, seed={seed})

from one seeded random generator (`numpy.random.default_rng({seed})`); running it again
writes byte-identical files (the test suite checks this). The pipeline never writes here.

What is real and what is not:

- **Real**: the geography above small areas: the 12 districts of Norfolk and Suffolk and
  their ONS codes, the two counties, the sub-ICB locations 26A, 06L and 07K and NHS Norfolk
  and Suffolk ICB (E54000068, T6Y0W); the file layouts (headers, encodings, line endings,
  date styles) of the real published extracts.
- **Synthetic**: small areas `X01000001`... (real LSOAs are `E01...`), GP practices
  `Z90001`... (real ones are a letter and five digits), PCNs `UZ0001`..., their names
  ("NORWICH DEMO SURGERY 3"), postcodes (`NR6 9ZZ`-style), every count, every rank and
  score, every death and birth record, and England's figures.

The numbers are drawn to *resemble* the published scale (about 1.7 million residents,
about 25% aged 65+ against England's 19%, Core20 about 12-15%, about 160 practices in 40
PCNs, about 22,000 deaths and 15,000 births a year, a life expectancy gap of about 6 years
between the most and least deprived fifths, +26% aged 65+ by 2040). They are not
estimates and must never be quoted.

Small numbers on purpose, so that every build exercises disclosure control: King's Lynn
and West Norfolk (the West Norfolk place) has a **thin year**, only its last 5 death and 3
birth registrations of 2020 (as when a register office's returns for a year are missing).
Its 2020 counts and everything derived from them, and the cells that would give them back
by subtraction, are published as `[c]`.

Files (path under `data_raw/`: the real format it copies; what it holds):

- `lookups/LSOA21_SICBL24_LAD24_lookup.csv`: ONS Open Geography LSOA21 -> sub-ICB -> ICB
  -> LAD24 lookup (UTF-8 BOM); each demo small area's sub-ICB and district.
- `lookups/LTLA24_UTLA24_lookup.csv`: ONS lower tier -> upper tier local authority lookup
  (UTF-8 BOM); district -> county (Norfolk, Suffolk).
- `deprivation/File_7_IoD2025_All_Ranks_Scores_Deciles_Population_Denominators.csv`: MHCLG
  English Indices of Deprivation 2025, File 7 (56 columns); IMD and domain scores,
  national ranks (of 33,755) and deciles, population denominators.
- `population/sapelsoasyoa2022.csv`: ONS small area population estimates, mid-2022;
  residents by small area, sex and single year of age 0-90+.
- `population/MYE2_population_mid2022.xlsx`: ONS mid-year estimates MYE2 workbook (sheets
  `MYE2 - Males`, `MYE2 - Females`); England, East of England, Norfolk, Suffolk and the
  12 districts by single year of age.
- `population/SNPP2022_population_by_district.csv`: ONS subnational population
  projections layout; districts, counties and England by sex and age, 2022-2047.
- `gp_registrations/gp-reg-pat-prac-map.csv`: NHS Digital patients registered at a GP
  practice, practice map (CRLF); practice -> PCN -> sub-ICB -> ICB -> region.
- `gp_registrations/gp-reg-pat-prac-sing-age-female.csv` and `...-male.csv`: NHS Digital
  registered patients by single year of age (CRLF); by practice, sex and age 0-95+.
- `gp_registrations/gp-reg-pat-prac-lsoa-all.csv`: NHS Digital registered patients by
  practice and LSOA (CRLF); where each practice's patients live.
- `deaths/deaths_2020_2024.csv`: record-level death registrations as a local authority
  receives them; one row per death registered 2020-2024: dates, sex (1 male, 2 female),
  age, small area, ICD-10 underlying cause, age in days (deaths under one year) and place
  of death (home, care home, hospital, hospice, religious establishment, other).
- `births/births_2020_2024.csv`: record-level birth registrations; one row per birth
  registered 2020-2024: dates, sex, weight (g), gestation (weeks), mother's age, small
  area.
- `hospital_activity/activity_2022_2024.csv`: SUS/HES-style aggregate of hospital activity
  as an ICB analyst receives it; A&E attendances (`POD=AE`) and emergency admissions
  (`POD=NEL`) by financial year (2022/23, 2023/24), small area, five-year age band and
  sex, zero cells left out (about 0.27 attendances and 0.10 admissions per person a year,
  highest in the under-5s and the very old, higher in deprived areas).
- `hospital_admissions/apc_admissions_2020_2024.csv`: HES/SUS-style admitted patient care
  aggregate by financial year (2020/21-2024/25), small area, band, sex, admission method,
  primary diagnosis (3 and 4 characters) and external cause; emergency admissions (about
  0.10 per person a year) in clinical groups (self-harm, falls, hip fracture, stroke, MI,
  COPD, asthma, alcohol ...) and elective alcohol-specific admissions.
- `ae_attendances/ecds_attendances_2020_2024.csv`: ECDS-style A&E attendances by
  financial year, small area, band, sex and reason (fall, self-harm, mental health,
  alcohol/drugs, other injury, illness); about 0.27 per person a year.
- `births/stillbirths_2020_2024.csv`: record-level stillbirth registrations in the births
  layout (24 weeks or more); about 3.3 per 1,000 total births, more in deprived areas.
- `maternity/msds_smoking_at_delivery_2020_2024.csv`: maternities by financial year, small
  area and smoking status at delivery (smoker, non-smoker, unknown); about 11% of known
  statuses smoking in 2023/24, 9% in 2024/25, far more in deprived areas.
- `fingertips/fingertips_comparators.csv`: an OHID Fingertips "download data" export (27
  columns) for every catalogue indicator with a Fingertips id: the ICB and its sub-ICB
  locations with the values the indicator engine computes from these extracts, and England
  and the East of England region (from the MYE2 file where it gives them, otherwise
  published-scale values with denominators scaled by population).

The files agree with each other as real extracts do: deaths, births and hospital activity
happen to the population in the SAPE file, GP registrations are that population plus about
3% list inflation, the File 7 denominators and MYE2 district rows are its sums, and the
projections start from it. How each is drawn is documented in `src/ina/demo/`.

To use real data instead, replace these files (or point `sources` in `ina.yml` at the real
downloads) and set `data_status` in `ina.yml`.
"""

"""Exports: CSV/JSON tables, Croissant (validated with mlcroissant), BibTeX, schema.org JSON-LD, the CLI."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import bibtexparser
import mlcroissant
import pytest
from click.testing import CliRunner

from crawler import catalogue
from crawler import rubric as rubric_module
from crawler.cli.export import export
from crawler.db import Database
from crawler.exports import bibtex, croissant, export_bibtex, export_croissant, export_tables, jsonld, tables
from tests.exports import DOWNLOAD_URL, PROMOTED_VALUES, add_promoted_entry

BASELINE_ENTRIES = 127
BASELINE_DATASETS = 72

# Croissant 1.0 (https://docs.mlcommons.org/croissant/docs/croissant-spec.html) and its RAI extension:
# the Dataset properties our files use, with the JSON types the spec gives them.
# rdflib (under mlcroissant) warns about its own deprecated API on every parse.
RDFLIB_DEPRECATION = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
RAI_TEXT_PROPERTIES = {
    "rai:dataCollection", "rai:dataCollectionType", "rai:dataCollectionTimeframe", "rai:dataAnnotationProtocol",
    "rai:annotationsPerItem", "rai:dataUseCases", "rai:personalSensitiveInformation", "rai:dataLimitations",
    "rai:dataBiases",
}


@pytest.fixture(scope="module")
def rubric():
    return rubric_module.load()


@pytest.fixture
def promoted_db(catalogue_db: Path) -> Path:
    add_promoted_entry(catalogue_db)
    return catalogue_db


def _promoted(db: Database, rubric) -> dict:
    return catalogue.show_entry(db, PROMOTED_VALUES["name"], rubric, "dataset")


def check_croissant_spec(doc: dict) -> None:
    """The Croissant 1.0 Dataset requirements mlcroissant does not enforce itself."""
    assert doc["@context"] == croissant.CONTEXT
    assert doc["@type"] == "sc:Dataset"
    conforms = doc["conformsTo"] if isinstance(doc["conformsTo"], list) else [doc["conformsTo"]]
    assert croissant.CONFORMS_TO in conforms
    assert any(key.startswith("rai:") for key in doc) == (croissant.RAI_CONFORMS_TO in conforms)
    assert isinstance(doc["name"], str) and doc["name"]
    assert isinstance(doc["description"], str) and doc["description"]
    for key in ("url", "license", "identifier"):
        if key in doc:
            assert doc[key].startswith(("http://", "https://")), (key, doc[key])
    assert all(isinstance(url, str) and url.startswith("http") for url in doc.get("sameAs", []))
    assert all(isinstance(word, str) for word in doc["keywords"])
    assert isinstance(doc.get("isAccessibleForFree", True), bool)
    assert all(p["@type"] == "Person" and p["name"] for p in doc.get("creator", []))
    for file_object in doc.get("distribution", []):
        assert file_object["@type"] == "cr:FileObject"
        assert file_object["contentUrl"] and file_object["encodingFormat"] and file_object["sha256"]
    for key, value in doc.items():
        if key.startswith("rai:"):
            assert key in RAI_TEXT_PROPERTIES, key
            assert isinstance(value, str) or all(isinstance(v, str) and v for v in value), (key, value)
    assert None not in doc.values() and [] not in doc.values()


# -- tables ------------------------------------------------------------------------------------


def test_csv_reads_back_as_the_json_export(promoted_db: Path, tmp_path: Path) -> None:
    with Database.open(promoted_db) as db:
        export_tables(db, tmp_path / "csv", "csv")
        export_tables(db, tmp_path / "json", "json")
        stored = {(r["entry_id"], r["key"]): r["value"] for r in db.all_characteristics()}
    for name, columns in (("entries", tables.ENTRY_COLUMNS), ("characteristics", tables.CHARACTERISTIC_COLUMNS)):
        from_csv = tables.read_csv((tmp_path / "csv" / f"{name}.csv").read_text(encoding="utf-8"), columns)
        from_json = json.loads((tmp_path / "json" / f"{name}.json").read_text(encoding="utf-8"))
        assert from_csv == from_json, name
    entries = json.loads((tmp_path / "json" / "entries.json").read_text(encoding="utf-8"))
    characteristics = json.loads((tmp_path / "json" / "characteristics.json").read_text(encoding="utf-8"))
    assert len(entries) == BASELINE_ENTRIES + 1
    assert list(entries[0]) == list(tables.ENTRY_COLUMNS)
    # Every value keeps its stored type (docs/fields.md) through both formats.
    assert {(r["entry_id"], r["key"]): r["value"] for r in characteristics} == stored


def test_table_rows_are_typed_and_ordered(promoted_db: Path, tmp_path: Path) -> None:
    with Database.open(promoted_db) as db:
        export_tables(db, tmp_path, "json")
    entries = json.loads((tmp_path / "entries.json").read_text(encoding="utf-8"))
    characteristics = json.loads((tmp_path / "characteristics.json").read_text(encoding="utf-8"))
    assert [e["id"] for e in entries] == sorted(e["id"] for e in entries)
    order = [(c["entry_id"], c["key"]) for c in characteristics]
    assert order == sorted(order)

    fetal = next(e for e in entries if e["name"] == "FETAL PLANES DB")
    assert fetal["kind"] == "dataset" and fetal["total_size"] == 12400 and fetal["access"] == "OA"
    assert fetal["tier"] == fetal["published_tier"] == "gold"
    assert fetal["provenance"] == "paper-2025-09" and fetal["paper_refs"] == "38"
    assert isinstance(fetal["anatomy"], list) and "fetus" in fetal["anatomy"]
    assert fetal["unverifiable"] is False and fetal["reviewed_at"] is None

    model = next(e for e in entries if e["kind"] == "model" and e["name"] == "USFM")
    assert model["task"] == "Pre-training / Foundation Model" and model["published_sonomqs"] == 0.81

    promoted = next(e for e in entries if e["provenance"] == "review")
    assert promoted["licence"] == "CC-BY-4.0" and promoted["doi"] == "10.5281/zenodo.1234567"
    assert promoted["link"] == PROMOTED_VALUES["link"] and promoted["reviewed_at"] == "2025-10-15T12:00:00Z"
    assert promoted["task"] == "Segmentation, Classification"
    assert promoted["tier"] == promoted["computed_tier"] and promoted["rubric"].startswith("SonoDQS@")

    by_key = {c["key"]: c for c in characteristics if c["entry_id"] == promoted["id"]}
    assert by_key["total_size"]["type"] == "int" and by_key["total_size"]["value"] == 3120
    assert by_key["doppler"]["type"] == "bool" and by_key["doppler"]["value"] is True
    assert by_key["geography"]["type"] == "list" and by_key["geography"]["value"] == ["Spain"]
    assert by_key["access"]["type"] == "enum" and by_key["access"]["value"] == "OA"
    assert by_key["devices"]["evidence"] == "record text for devices"
    assert by_key["devices"]["evidence_source"] == "zenodo:1234567"
    assert by_key["devices"]["entered_by"] == "alice + bob"


def test_table_exports_are_byte_identical_when_repeated(catalogue_db: Path, tmp_path: Path) -> None:
    with Database.open(catalogue_db) as db:
        for fmt in ("csv", "json"):
            first = [p.read_bytes() for p in export_tables(db, tmp_path / "a", fmt)]
            second = [p.read_bytes() for p in export_tables(db, tmp_path / "b", fmt)]
            assert first == second


def test_csv_cells_spell_each_type_once() -> None:
    for value, kind in ((["a", "b c"], "list"), ([], "list"), (True, "bool"), (False, "bool"), (12, "int"),
                        (0.1 + 0.2, "float"), ("x, y", "text"), (None, "text")):
        assert tables.decode_cell(tables.encode_cell(value), kind) == value


# -- BibTeX -------------------------------------------------------------------------------------


def test_bibtex_has_one_parsable_entry_per_baseline_entry(catalogue_db: Path, tmp_path: Path) -> None:
    with Database.open(catalogue_db) as db:
        path = export_bibtex(db, tmp_path / "catalogue.bib")
    parsed = bibtexparser.loads(path.read_text(encoding="utf-8"))
    assert len(parsed.entries) == BASELINE_ENTRIES
    keys = [e["ID"] for e in parsed.entries]
    assert len(set(keys)) == len(keys)
    assert {"kfgnet", "kfgnet-model"} <= set(keys)  # the dataset and the model of the same name
    assert all(e.get("title") for e in parsed.entries)
    by_key = {e["ID"]: e for e in parsed.entries}
    resect = by_key["resect"]
    assert resect["ENTRYTYPE"] == "article"
    assert resect["author"].startswith("Xiao, Y. and Fortin, M. and Unsgård, G.")
    assert resect["journal"] == "Medical physics"
    assert (resect["volume"], resect["number"], resect["pages"], resect["year"]) == ("44", "7", "3875--3882", "2017")
    assert "Retrospective evaluation of cerebral tumors" in resect["note"]  # the raw reference is kept
    assert by_key["fetal-planes-db"]["title"] == r"Fetal\_planes\_db: common maternal-fetal ultrasound images"
    entries_with_reference = sum(1 for e in parsed.entries if "of the paper's catalogue" in e.get("note", ""))
    assert entries_with_reference >= BASELINE_ENTRIES - 5


def test_bibtex_cites_a_promoted_entry_by_its_resource(promoted_db: Path, tmp_path: Path) -> None:
    with Database.open(promoted_db) as db:
        path = export_bibtex(db, tmp_path / "catalogue.bib")
    parsed = bibtexparser.loads(path.read_text(encoding="utf-8"))
    assert len(parsed.entries) == BASELINE_ENTRIES + 1
    entry = next(e for e in parsed.entries if e["ID"] == "thyroid-us-doppler-2025")
    assert entry["ENTRYTYPE"] == "misc"
    assert entry["title"] == r"Thyroid US \& Doppler\_2025"
    assert entry["url"] == "https://zenodo.org/records/1234567"
    assert entry["doi"] == "10.5281/zenodo.1234567"
    assert entry["year"] == "2025"


def test_parse_reference_reads_the_papers_styles() -> None:
    article = bibtex.parse_reference(
        "Gómez-Flores, W., Gregorio-Calas, M.J., Albuquerque Pereira, W.: Bus-bra: a breast ultrasound dataset. "
        "Medical Physics **51**(4), 3110–3123 (2024) || Gómez-Flores, W.: BUS-BRA. <https://doi.org/10.5281/zenodo.8231412>"
    )
    assert article.entry_type == "article"
    assert article.authors == ["Gómez-Flores, W.", "Gregorio-Calas, M.J.", "Albuquerque Pereira, W."]
    assert (article.title, article.journal, article.volume, article.number, article.pages, article.year) == (
        "Bus-bra: a breast ultrasound dataset", "Medical Physics", "51", "4", "3110--3123", "2024"
    )
    proceedings = bibtex.parse_reference(
        "Singla, R., Ringstrom, C.: The open kidney ultrasound data set. In: *International Workshop on Advances "
        "in Simplifying Medical Ultrasound*, pp. 155–164 (2023). Springer"
    )
    assert proceedings.entry_type == "inproceedings"
    assert proceedings.booktitle == "International Workshop on Advances in Simplifying Medical Ultrasound"
    assert (proceedings.pages, proceedings.year, proceedings.publisher) == ("155--164", "2023", "Springer")
    record = bibtex.parse_reference(
        "Shao, W., Brisbane, W.: Micro-Ultrasound Prostate Segmentation Dataset [Dataset]. Zenodo (2024). "
        "<https://doi.org/10.5281/zenodo.10475293>"
    )
    assert (record.entry_type, record.publisher, record.doi) == ("misc", "Zenodo", "10.5281/zenodo.10475293")
    preprint = bibtex.parse_reference(
        "Jiao, J., Zhou, J., *et al.*: Usfm: a foundation model. *arXiv preprint arXiv:2304.03941* (2023)"
    )
    assert preprint.entry_type == "misc" and preprint.arxiv == "2304.03941"
    assert preprint.authors == ["Jiao, J.", "Zhou, J.", "others"]
    handles = bibtex.parse_reference("Montoya, A., kaggle446, Cukierski, W.: Nerve Segmentation. Kaggle (2016).")
    assert handles.authors == ["Montoya, A.", "kaggle446", "Cukierski, W."]
    assert bibtex.parse_reference("").title is None


def test_bibtex_escapes_latex_specials_but_not_urls() -> None:
    text = bibtex.format_entry(
        "misc", "x", {"title": "50% of R&D_#1 costs $5 {~^}\\", "url": "https://x.org/a_b?c=1&d=%20"}
    )
    assert r"50\% of R\&D\_\#1 costs \$5 \{\textasciitilde{}\textasciicircum{}\}\textbackslash{}" in text
    assert "url = {https://x.org/a_b?c=1&d=%20}" in text
    parsed = bibtexparser.loads(text)
    assert parsed.entries[0]["url"] == "https://x.org/a_b?c=1&d=%20"


# -- Croissant ----------------------------------------------------------------------------------


@RDFLIB_DEPRECATION
def test_every_croissant_file_validates(promoted_db: Path, tmp_path: Path, rubric, caplog) -> None:
    """mlcroissant (the reference implementation) loads each file without an error; and the spec check."""
    with Database.open(promoted_db) as db:
        paths = export_croissant(db, tmp_path, rubric)
    assert len(paths) == BASELINE_DATASETS + 1
    assert len({p.name for p in paths}) == len(paths)
    caplog.set_level(logging.ERROR)
    for path in paths:
        doc = json.loads(path.read_text(encoding="utf-8"))
        check_croissant_spec(doc)
        dataset = mlcroissant.Dataset(jsonld=path)  # raises ValidationError on any error
        assert not dataset.metadata.ctx.issues.errors, path.name
        assert dataset.metadata.name == doc["name"]


def test_croissant_maps_the_characteristics_to_core_and_rai(promoted_db: Path, rubric) -> None:
    with Database.open(promoted_db) as db:
        doc = croissant.croissant_jsonld(_promoted(db, rubric))
    assert doc["conformsTo"] == [croissant.CONFORMS_TO, croissant.RAI_CONFORMS_TO]
    assert doc["name"] == "Thyroid US & Doppler_2025"
    assert doc["description"].startswith("Thyroid ultrasound images")
    assert doc["url"] == "https://zenodo.org/records/1234567"
    assert doc["sameAs"] == [DOWNLOAD_URL, "https://doi.org/10.5281/zenodo.1234567"]
    assert doc["license"] == "https://spdx.org/licenses/CC-BY-4.0.html"
    assert doc["isAccessibleForFree"] is True and doc["version"] == "1.0.2"
    assert doc["keywords"] == ["ultrasound", "thyroid", "Segmentation", "Classification", "2D freehand", "2D+t"]
    assert "distribution" not in doc  # a download link without a known checksum is no FileObject
    assert doc["rai:dataCollection"].startswith("Transverse and longitudinal sweeps of each lobe. Devices: GE Logiq E9")
    assert "Operators: 3" in doc["rai:dataCollection"] and "Countries: Spain" in doc["rai:dataCollection"]
    assert doc["rai:dataCollectionType"] == ["2D freehand", "2D+t", "B-mode imaging", "Doppler imaging"]
    assert doc["rai:dataCollectionTimeframe"] == ["2019", "2021"]
    assert doc["rai:dataAnnotationProtocol"] == [
        "Method: Manual masks by two radiologists.", "Labels: Nodule masks and TI-RADS classes."
    ]
    assert doc["rai:annotationsPerItem"] == "Disagreements resolved by consensus of both annotators."
    assert doc["rai:dataUseCases"] == ["Benchmarking segmentation models; education."]
    assert doc["rai:personalSensitiveInformation"][0] == "Subjects: 412 adults aged 21-84, 71% women."
    assert doc["rai:dataLimitations"] == ["Data usage agreement: Research use only."]
    assert doc["rai:dataBiases"] == ["Acquired at a single centre.", "Acquired in one country (Spain)."]
    assert "rai:annotatorDemographics" not in doc


def test_croissant_of_a_baseline_dataset_has_only_what_the_paper_gives(catalogue_db: Path, rubric) -> None:
    with Database.open(catalogue_db) as db:
        doc = croissant.croissant_jsonld(catalogue.show_entry(db, "RESECT", rubric, "dataset"))
    assert doc["conformsTo"] == croissant.CONFORMS_TO  # no RAI property, no RAI conformance claimed
    assert not any(key.startswith("rai:") for key in doc)
    assert doc["citeAs"].startswith("Xiao, Y., Fortin, M.")
    assert doc["datePublished"] == "2017"
    assert doc["creator"][0] == {"@type": "Person", "name": "Y. Xiao", "givenName": "Y.", "familyName": "Xiao"}
    assert doc["isAccessibleForFree"] is True
    assert "license" not in doc and "version" not in doc


@RDFLIB_DEPRECATION
def test_a_download_link_with_a_known_checksum_is_a_file_object(promoted_db: Path, rubric, tmp_path: Path) -> None:
    with Database.open(promoted_db) as db:
        doc = croissant.croissant_jsonld(_promoted(db, rubric), checksums={DOWNLOAD_URL: "ab" * 32})
    assert doc["distribution"] == [
        {
            "@type": "cr:FileObject", "@id": "thyroid-us.zip", "name": "thyroid-us.zip", "contentUrl": DOWNLOAD_URL,
            "encodingFormat": "application/zip", "sha256": "ab" * 32,
        }
    ]
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    check_croissant_spec(doc)
    assert len(mlcroissant.Dataset(jsonld=path).metadata.distribution) == 1
    assert croissant.download_type("https://x.org/data/volumes.nii.gz") == "application/gzip"
    assert croissant.download_type("https://zenodo.org/records/1234567") is None


# -- schema.org JSON-LD ---------------------------------------------------------------------------


def test_dataset_jsonld_has_the_schema_org_properties(promoted_db: Path, rubric) -> None:
    with Database.open(promoted_db) as db:
        promoted = jsonld.dataset_jsonld(_promoted(db, rubric))
        baseline = jsonld.dataset_jsonld(catalogue.show_entry(db, "RESECT", rubric, "dataset"))
        no_link = catalogue.show_entry(db, "FETAL PLANES DB", rubric, "dataset")
    assert promoted["@context"] == "https://schema.org/" and promoted["@type"] == "Dataset"
    assert promoted["name"] == "Thyroid US & Doppler_2025"
    assert promoted["url"] == "https://zenodo.org/records/1234567"
    assert promoted["sameAs"] == [DOWNLOAD_URL, "https://doi.org/10.5281/zenodo.1234567"]
    assert promoted["identifier"] == "https://doi.org/10.5281/zenodo.1234567"
    assert promoted["license"] == "https://spdx.org/licenses/CC-BY-4.0.html"
    assert promoted["isAccessibleForFree"] is True
    assert promoted["temporalCoverage"] == "2019/2021"
    assert promoted["spatialCoverage"] == [{"@type": "Place", "name": "Spain"}]
    assert "creator" not in promoted  # no reference names the authors
    assert baseline["creator"][0]["name"] == "Y. Xiao" and len(baseline["creator"]) == 5
    assert baseline["description"].startswith("RESECT: a public ultrasound dataset of the brain (23 samples; open access)")
    assert "license" not in baseline and "identifier" not in baseline
    assert None not in promoted.values() and None not in baseline.values()
    assert "url" not in jsonld.dataset_jsonld(no_link)
    assert jsonld.dataset_jsonld(no_link, page_url="https://sonocat.example/d/1")["url"] == "https://sonocat.example/d/1"


def test_licence_url_keeps_a_licence_without_an_spdx_id() -> None:
    assert jsonld.licence_url("CC-BY-NC-SA-4.0") == "https://spdx.org/licenses/CC-BY-NC-SA-4.0.html"
    assert jsonld.licence_url("Custom research licence") == "Custom research licence"
    assert jsonld.licence_url(None) is None


# -- CLI ----------------------------------------------------------------------------------------


def _invoke(*args: str) -> object:
    return CliRunner().invoke(export, list(args), catch_exceptions=False)


def test_export_commands_write_their_files_and_refresh_the_public_table(catalogue_db: Path, tmp_path: Path) -> None:
    db = str(catalogue_db)
    assert _invoke("csv", str(tmp_path / "csv"), "--db", db).exit_code == 0
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == ["characteristics.csv", "entries.csv"]
    assert _invoke("json", str(tmp_path / "json"), "--db", db).exit_code == 0
    assert sorted(p.name for p in (tmp_path / "json").iterdir()) == ["characteristics.json", "entries.json"]
    result = _invoke("croissant", str(tmp_path / "croissant"), "--db", db)
    assert result.exit_code == 0 and len(list((tmp_path / "croissant").glob("*.json"))) == BASELINE_DATASETS
    result = _invoke("bibtex", str(tmp_path / "catalogue.bib"), "--db", db)
    assert result.exit_code == 0 and result.stdout.strip() == str(tmp_path / "catalogue.bib")
    assert "catalogue_public refreshed (127 rows)" in result.stderr
    result = _invoke("datasette", "--db", db)
    assert result.exit_code == 0 and "datasette" in result.stdout and "metadata.json" in result.stdout
    with Database.open(catalogue_db) as opened:
        assert len(opened.public_rows()) == BASELINE_ENTRIES


def test_export_errors_are_clean_messages(catalogue_db: Path, tmp_path: Path) -> None:
    occupied = tmp_path / "file.txt"
    occupied.write_text("x")
    result = _invoke("csv", str(occupied / "sub"), "--db", str(catalogue_db))
    assert result.exit_code == 1 and result.stderr.startswith("sonocat: error: ")
    result = _invoke("json", str(tmp_path / "out"), "--db", str(tmp_path / "missing.db"))
    assert result.exit_code == 1 and "run `sonocat init` first" in result.stderr


def test_every_export_command_has_help_text() -> None:
    assert export.help
    for name, command in export.commands.items():
        assert command.help and len(command.help) > 20, name
        assert _invoke(name, "--help").exit_code == 0

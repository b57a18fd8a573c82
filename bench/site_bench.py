"""Benchmark of ``sonocat export site`` on a 10,000-entry catalogue.

Run: ``python bench/site_bench.py [--entries 10000] [--db PATH] [--out DIR] [--keep]``.
Not a test: it prints the export's wall time in seconds (and its CPU time, the
steadier figure on a busy machine), its peak memory (maximum resident set size
of the export process) and the site's size.

The catalogue is the paper's (127 entries) grown through the public
``Database`` methods to ``--entries`` entries: 60% datasets, 40% models, each
with a random but realistic set of characteristics (evidence of 100-300
characters, links, anatomy, acquisition years on a third of the datasets,
training datasets naming catalogue datasets on half of the models) and its
score computed with the current rubric. Building the database is not timed.
The export runs as its own process (``sonocat export site`` when the export
group is registered, else the ``site`` command itself), so the figures are
what a user would see.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crawler import catalogue as service  # noqa: E402
from crawler import rubric as rubric_module  # noqa: E402
from crawler.db import Database  # noqa: E402
from crawler.vocab import ANATOMY  # noqa: E402

NOW = "2025-10-01T00:00:00Z"
WORDS = (
    "ultrasound images acquired with a convex probe at the radiology department annotated by two sonographers "
    "masks of the lesion boundaries were drawn manually and checked by a senior radiologist patients aged "
    "between 18 and 80 years consented the study was approved by the ethics committee frame rate depth gain"
).split()
TASKS = ("Classification", "Segmentation", "Detection", "Estimation", "Registration", "Generation")
MODES = ("2D freehand", "2D standard planes", "2D+t", "3D", "3D reconstructed from 2D")
COUNTRIES = ("China", "United States", "United Kingdom", "Spain", "Egypt", "Germany", "India", "Brazil")
LICENCES = ("CC-BY-4.0", "CC-BY-NC-4.0", "CC0-1.0", "MIT", "Apache-2.0")
TIERS = ("diamond", "platinum", "gold", "silver", "bronze", "steel")


def _text(rng: random.Random, low: int = 100, high: int = 300) -> str:
    words: list[str] = []
    while len(" ".join(words)) < rng.randint(low, high):
        words.append(rng.choice(WORDS))
    return " ".join(words)


def _dataset_values(rng: random.Random, i: int) -> dict:
    values = {
        "name": f"Bench dataset {i}",
        "link": [f"https://zenodo.org/records/{900000 + i}", f"https://github.com/bench/dataset-{i}"],
        "anatomy": rng.sample(sorted(ANATOMY), rng.randint(1, 2)),
        "access": rng.choice(("OA", "AR")),
        "total_size": rng.randint(50, 200000),
    }
    optional = {
        "scanning_mode": lambda: rng.sample(MODES, rng.randint(1, 2)),
        "multimodal_text_image": lambda: rng.random() < 0.3,
        "split_sizes": lambda: (
            f"train {rng.randint(100, 5000)} / val {rng.randint(10, 500)} / test {rng.randint(10, 500)}"
        ),
        "task_category": lambda: ", ".join(sorted(rng.sample(TASKS, rng.randint(1, 2)), key=TASKS.index)),
        "geography": lambda: rng.sample(COUNTRIES, rng.randint(1, 2)),
        "acquisition_years": lambda: f"{(y := rng.randint(2005, 2022))}-{y + rng.randint(0, 4)}",
        "machines": lambda: rng.choice(("single", "multiple")),
        "centres": lambda: rng.choice(("single", "multiple")),
        "devices": lambda: "GE Voluson E8, Philips EPIQ 7",
        "institution": lambda: f"University Hospital {i % 300}",
        "operator_count": lambda: rng.randint(1, 12),
        "doppler": lambda: rng.random() < 0.5,
        "b_mode": lambda: True,
        "licence": lambda: rng.choice(LICENCES),
        "doi": lambda: f"10.5281/zenodo.{900000 + i}",
        "description": lambda: _text(rng, 200, 500),
    }
    for key in ("acquisition_protocol", "annotation_method", "annotation_description", "ethics_statement",
                "subject_details", "context_information", "application_cases", "sample_definition"):
        optional[key] = lambda: _text(rng, 60, 200)
    for key, make in optional.items():
        if key == "acquisition_years" and i % 3:
            continue
        if rng.random() < 0.6:
            values[key] = make()
    return values


def _model_values(rng: random.Random, i: int, dataset_names: list[str]) -> dict:
    values = {
        "name": f"Bench model {i}",
        "link": [f"https://github.com/bench/model-{i}"],
        "task": rng.choice(TASKS),
        "anatomy": rng.sample(sorted(ANATOMY), 1),
        "framework": rng.choice(("PyTorch", "TensorFlow", "MONAI")),
    }
    for key in ("training_data_public", "weights_public", "code_shared", "training_details", "study_objective",
                "funding_statement", "ethics_statement", "competing_interests", "authorship", "author_contributions",
                "code_availability_statement", "software_citations"):
        if rng.random() < 0.7:
            values[key] = rng.random() < 0.6
    if i % 2 == 0:
        values["training_datasets"] = rng.sample(dataset_names, 2)
    return values


def build(path: Path, total: int, seed: int = 11) -> None:
    """The paper's catalogue grown to ``total`` entries at ``path`` (through ``Database`` methods only)."""
    rng = random.Random(seed)
    rubric = rubric_module.load()
    with Database.open(path, create=True) as db:
        service.init_catalogue(db, rubric, NOW)
        extra = total - db.count_entries()
        datasets = int(extra * 0.6)
        names = [e["name"] for e in db.entries("dataset")]
        with db.transaction():
            for i in range(extra):
                kind = "dataset" if i < datasets else "model"
                values = _dataset_values(rng, i) if kind == "dataset" else _model_values(rng, i, names)
                reviewed = rng.random() < 0.5
                entry_id = db.insert_entry(
                    {"kind": kind, "name": values["name"], "provenance": "review" if reviewed else "paper-2025-09",
                     "paper_refs": None if reviewed else str(200 + i % 50),
                     "reference_text": None if reviewed else _text(rng, 80, 160),
                     "paper_tier": None if reviewed or kind == "model" else rng.choice(TIERS),
                     "paper_sonomqs": round(rng.random(), 4) if kind == "model" and not reviewed else None,
                     "unverifiable": 0, "created_at": NOW, "updated_at": NOW,
                     "reviewed_at": NOW if reviewed else None}
                )
                who = "alice + bob" if reviewed else "paper"
                for key, value in values.items():
                    db.set_characteristic(
                        entry_id, key, value, evidence=_text(rng), evidence_source=values["link"][0],
                        entered_by=who, entered_at=NOW,
                    )
                db.add_score(entry_id, service.score_values(kind, values, rubric).as_dict(), NOW)
                if kind == "dataset":
                    names.append(values["name"])


def export_command(db: Path, out: Path) -> list[str]:
    from crawler.cli import cli

    export = cli.commands.get("export")
    if export is not None and "site" in getattr(export, "commands", {}):
        return [sys.executable, "-m", "crawler.cli", "--db", str(db), "export", "site", str(out)]
    return [sys.executable, "-c", "from crawler.cli.site import site_command; site_command.main()",
            "--db", str(db), str(out)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--db", type=Path, help="reuse (or create) this database instead of a temporary one")
    parser.add_argument(
        "--out", type=Path, help="write the site here: new, empty, or an earlier site (default: temporary)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary database and site")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sonocat-site-bench-"))
    db = args.db or work / "catalogue.db"
    out = args.out or work / "site"
    try:
        if not db.exists():
            started = time.perf_counter()
            build(db, args.entries)
            print(f"built a {args.entries}-entry catalogue in {time.perf_counter() - started:.1f} s (not timed)")
        command = export_command(db, out)
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        if done.returncode:
            sys.exit(f"export failed ({done.returncode}): {done.stderr.strip()}")
        child = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak_mb = child.ru_maxrss / 1024
        files = [p for p in out.rglob("*") if p.is_file()]
        size_mb = sum(p.stat().st_size for p in files) / 1e6
        print(done.stdout.strip())
        print(
            f"export: {seconds:.2f} s wall ({child.ru_utime:.1f} s user + {child.ru_stime:.1f} s system CPU), "
            f"peak memory {peak_mb:.0f} MB (max RSS), {len(files)} files, {size_mb:.1f} MB"
        )
    finally:
        # the work directory holds only the defaults (a given --db or --out lives elsewhere)
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

if __name__ == "__main__":
    main()

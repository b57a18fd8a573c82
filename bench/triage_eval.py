"""Evaluate triage on a labelled corpus, end to end, and print the figures.

    python bench/triage_eval.py [CORPUS_DIR] [--json]

CORPUS_DIR (default tests/triage_corpus) holds ``records/<source>.json`` (raw
payloads in each API's shape) and ``labels.json``. Every record is staged
exactly as its source would stage it (``sources.offline``) into a temporary
database holding the paper's catalogue, triaged, and compared with the labels:

* relevance precision / recall (a record is predicted relevant when its kind
  is dataset or model and its score is at or above the threshold);
* kind accuracy on the truly relevant records;
* per-field extraction accuracy, compared as docs/fields.md says, and the rate
  of invented values (a field filled where the truth is empty);
* merge precision / recall over pairs of records (same candidate vs same entity);
* known-match accuracy (the candidate's catalogue match vs the labelled entry);
* WSS@95 of the queue order (candidates by relevance).
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler import catalogue, config as config_module, relevance, rubric, triage  # noqa: E402
from crawler.db import Database  # noqa: E402
from crawler.links import normalise_url  # noqa: E402
from crawler.models import KINDS  # noqa: E402
from crawler.runs import stage_recording  # noqa: E402

TEXT_TYPES = {
    "split_sizes", "acquisition_years", "other_imaging_metadata", "devices", "acquisition_protocol", "institution",
    "acquirer_characteristics", "split_characteristics", "sample_definition", "annotation_method",
    "annotator_instructions", "annotation_description", "annotation_merging", "application_cases",
    "ethics_statement", "data_usage_agreement", "challenge", "imaging_modalities", "context_information",
    "subject_details", "description", "doi", "version",
}
NAME_TYPES = {"name"}
URL_TYPES = {"link"}
NAMES_TYPES = {"training_datasets"}
TERMS_TYPES = {"anatomy", "scanning_mode", "geography"}
TASK_TYPES = {"task", "task_category"}
SKIP = {"total_size_unit"}
# The resource's own summary is always there when it has any text; it is not a
# stated fact, so a corpus that does not label it does not count it as invented.
UNLABELLED_SUMMARIES = {"description"}


def squash(text: Any) -> str:
    return re.sub(r"[^a-z0-9]", "", str(text).lower())


def matches(key: str, predicted: Any, truth: Any, kind: str) -> bool:
    """Whether an extracted value is right, by the comparison rules of docs/fields.md."""
    if isinstance(truth, bool):
        return predicted is truth
    if key in NAME_TYPES:
        return squash(predicted) == squash(truth)
    if key in URL_TYPES:
        got = {normalise_url(u) for u in (predicted if isinstance(predicted, list) else [predicted])}
        want = truth if isinstance(truth, list) else [truth]
        return all(normalise_url(u) in got for u in want)
    if key in NAMES_TYPES:
        got = {squash(n) for n in (predicted if isinstance(predicted, list) else [predicted])}
        return all(squash(n) in got for n in (truth if isinstance(truth, list) else [truth]))
    if key in TERMS_TYPES:
        norm = lambda v: {str(x).strip().lower() for x in (v if isinstance(v, list) else [v])}  # noqa: E731
        return norm(predicted) == norm(truth)
    if key in TASK_TYPES:
        split = lambda v: {t.strip().lower() for t in str(v).split(",") if t.strip()}  # noqa: E731
        return split(predicted) == split(truth)
    if key in TEXT_TYPES and isinstance(truth, str):
        return truth.strip().lower() in str(predicted).lower()
    return predicted == truth or str(predicted).strip().lower() == str(truth).strip().lower()


def load_corpus(corpus: Path) -> dict[str, Any]:
    return json.loads((corpus / "labels.json").read_text(encoding="utf-8"))["records"]


def stage_and_triage(corpus: Path, db_path: Path) -> dict[str, Any]:
    """Stage every corpus record as its source would, triage, and read back what triage decided."""
    cfg = config_module.load(db=str(db_path), environ={}, config_file=None)
    with Database.open(db_path, create=True) as db:
        catalogue.init_catalogue(db, rubric.load(), "2025-09-30T00:00:00Z")
    started = time.perf_counter()
    result = stage_recording(cfg, corpus / "records")
    staged_seconds = time.perf_counter() - started
    with Database.open(db_path) as db:
        started = time.perf_counter()
        outcome = triage.run_triage(db, "2025-10-01T00:00:00Z")
        triaged = time.perf_counter() - started
        records = db.triaged_records()
        cands = {c["id"]: c for c in db.candidates()} | {c["id"]: c for c in db.candidates(status="merged")}
        entries = {e["id"]: e["name"] for e in db.entries()}
    return {
        "run": result, "outcome": outcome, "records": records, "candidates": cands, "entries": entries,
        "seconds": {"staging": round(staged_seconds, 2), "triage": round(triaged, 2)},
    }


def evaluate(labels: dict[str, Any], staged: dict[str, Any]) -> dict[str, Any]:
    records = {f"{r['source']}:{r['native_id']}": r for r in staged["records"]}
    missing = sorted(set(labels) - set(records))
    keys = [k for k in labels if k in records]

    # relevance and kind
    tp = fp = fn = 0
    kind_right = kind_total = 0
    for key in keys:
        truth, rec = labels[key], records[key]
        predicted = rec["kind"] in KINDS and rec["relevance"] >= relevance.THRESHOLD
        tp += predicted and truth["relevant"]
        fp += predicted and not truth["relevant"]
        fn += (not predicted) and truth["relevant"]
        if truth["relevant"]:
            kind_total += 1
            kind_right += rec["kind"] == truth["kind"]

    # fields
    per_field: dict[str, dict[str, int]] = defaultdict(lambda: {"support": 0, "correct": 0, "wrong": 0, "missed": 0, "invented": 0, "empty": 0})
    from crawler.rubric import load as load_rubric

    rb = load_rubric()
    errors: list[tuple] = []
    for key in keys:
        truth, rec = labels[key], records[key]
        if not truth["relevant"]:
            continue
        kind = truth["kind"]
        predicted_fields = rec["fields"] if rec["kind"] == kind else {}
        for field in rb.keys_for(kind):
            want = truth.get("fields", {}).get(field)
            got = predicted_fields.get(field, {}).get("value") if field in predicted_fields else None
            stats = per_field[field]
            if want is None or want == [] or want == "":
                if field in UNLABELLED_SUMMARIES and field not in truth.get("fields", {}):
                    continue  # a summary, not a stated fact: judged only where a corpus labels it
                stats["empty"] += 1
                if got not in (None, [], ""):
                    stats["invented"] += 1
                    errors.append((field, "invented", key, None, got, predicted_fields[field].get("evidence")))
                continue
            stats["support"] += 1
            if got in (None, [], ""):
                stats["missed"] += 1
                errors.append((field, "missed", key, want, None, None))
            elif matches(field, got, want, kind):
                stats["correct"] += 1
            else:
                stats["wrong"] += 1
                errors.append((field, "wrong", key, want, got, predicted_fields[field].get("evidence")))
    support = sum(s["support"] for s in per_field.values())
    correct = sum(s["correct"] for s in per_field.values())
    invented = sum(s["invented"] for s in per_field.values())
    empty = sum(s["empty"] for s in per_field.values())
    filled_wrong = sum(s["wrong"] for s in per_field.values())

    # merges: pairs of records in the same candidate vs the same entity
    truth_pairs, pred_pairs = set(), set()
    by_entity: dict[str, list[str]] = defaultdict(list)
    by_candidate: dict[int, list[str]] = defaultdict(list)
    final = _final_candidates(staged["candidates"])
    for key in keys:
        by_entity[labels[key]["entity"]].append(key)
        if records[key]["candidate_id"] is not None:
            by_candidate[final(records[key]["candidate_id"])].append(key)
    for group in by_entity.values():
        truth_pairs.update(itertools.combinations(sorted(group), 2))
    for group in by_candidate.values():
        pred_pairs.update(itertools.combinations(sorted(group), 2))
    merge_tp = len(truth_pairs & pred_pairs)

    # known matches
    known_right = known_total = 0
    for key in keys:
        truth = labels[key]
        if not truth["relevant"]:
            continue
        known_total += 1
        cand = staged["candidates"].get(final(records[key]["candidate_id"])) if records[key]["candidate_id"] else None
        got = staged["entries"].get(cand["catalogue_entry_id"]) if cand and cand["catalogue_entry_id"] else None
        known_right += (got or None) == (truth.get("catalogue") or None)

    # WSS@95 over the queue order of candidates
    cand_relevant: dict[int, bool] = defaultdict(bool)
    for key in keys:
        if records[key]["candidate_id"] is not None:
            cand_relevant[final(records[key]["candidate_id"])] |= bool(labels[key]["relevant"])
    order = sorted(cand_relevant, key=lambda c: (-staged["candidates"][c]["relevance"], c))
    wss = wss_at(order, cand_relevant, 0.95)

    def ratio(a: int, b: int) -> float | None:
        return round(a / b, 4) if b else None

    return {
        "corpus_records": len(labels),
        "staged_records": len(keys),
        "missing_records": missing,
        "relevance": {"precision": ratio(tp, tp + fp), "recall": ratio(tp, tp + fn), "tp": tp, "fp": fp, "fn": fn},
        "kind_accuracy": ratio(kind_right, kind_total),
        "fields": {
            "accuracy": ratio(correct, support + invented),
            "recall_of_stated": ratio(correct, support),
            "wrong_when_filled": ratio(filled_wrong, correct + filled_wrong),
            "invented_rate": ratio(invented, empty),
            "support": support, "correct": correct, "invented": invented, "empty": empty,
            "per_field": {
                k: {**v, "accuracy": ratio(v["correct"], v["support"] + v["invented"])}
                for k, v in sorted(per_field.items()) if v["support"] or v["invented"]
            },
        },
        "merge": {"precision": ratio(merge_tp, len(pred_pairs)), "recall": ratio(merge_tp, len(truth_pairs)),
                  "true_pairs": len(truth_pairs), "predicted_pairs": len(pred_pairs)},
        "known_match_accuracy": ratio(known_right, known_total),
        "wss_at_95": wss,
        "seconds": staged["seconds"],
        "candidates": len({final(c) for c in staged["candidates"]}),
        "errors": {
            "fields": [
                {"field": f, "what": what, "record": rec, "truth": want, "predicted": got, "evidence": ev}
                for f, what, rec, want, got, ev in errors
            ],
            "relevance_fp": [k for k in keys if not labels[k]["relevant"] and records[k]["kind"] in KINDS
                             and records[k]["relevance"] >= relevance.THRESHOLD],
            "relevance_fn": [k for k in keys if labels[k]["relevant"] and not (records[k]["kind"] in KINDS
                             and records[k]["relevance"] >= relevance.THRESHOLD)],
            "kind_wrong": [k for k in keys if labels[k]["relevant"] and records[k]["kind"] != labels[k]["kind"]],
            "merge_missed": sorted(truth_pairs - pred_pairs),
            "merge_wrong": sorted(pred_pairs - truth_pairs),
        },
    }


def _final_candidates(cands: dict[int, dict[str, Any]]):  # noqa: ANN202
    def final(cid: int) -> int:
        seen = set()
        while cands.get(cid, {}).get("merged_into") and cid not in seen:
            seen.add(cid)
            cid = cands[cid]["merged_into"]
        return cid

    return final


def wss_at(order: list[int], relevant: dict[int, bool], recall: float) -> float | None:
    total_relevant = sum(relevant[c] for c in order)
    if not order or not total_relevant:
        return None
    needed = recall * total_relevant
    found = 0
    for screened, cid in enumerate(order, start=1):
        found += relevant[cid]
        if found >= needed - 1e-9:
            return round((len(order) - screened) / len(order) - (1 - recall), 4)
    return 0.0


def report(figures: dict[str, Any]) -> str:
    r, f, m = figures["relevance"], figures["fields"], figures["merge"]
    lines = [
        f"corpus: {figures['corpus_records']} records, {figures['staged_records']} staged, "
        f"{figures['candidates']} candidates",
        f"relevance  precision {r['precision']}  recall {r['recall']}   (tp {r['tp']}, fp {r['fp']}, fn {r['fn']})   targets >= 0.90 / >= 0.95",
        f"kind accuracy {figures['kind_accuracy']}",
        f"fields     accuracy {f['accuracy']}  invented {f['invented_rate']}   (correct {f['correct']} of {f['support']} stated; "
        f"{f['invented']} invented of {f['empty']} empty; recall of stated {f['recall_of_stated']})   targets >= 0.90 / <= 0.02",
        f"merges     precision {m['precision']}  recall {m['recall']}   ({m['predicted_pairs']} predicted pairs, {m['true_pairs']} true)   targets >= 0.95",
        f"known-match accuracy {figures['known_match_accuracy']}",
        f"WSS@95     {figures['wss_at_95']}   target >= 0.70",
        f"time       staging {figures['seconds']['staging']} s, triage {figures['seconds']['triage']} s",
        "per field (support / correct / wrong / missed / invented / accuracy):",
    ]
    for key, v in f["per_field"].items():
        lines.append(f"  {key:28} {v['support']:4} {v['correct']:4} {v['wrong']:4} {v['missed']:4} {v['invented']:4}   {v['accuracy']}")
    if figures["missing_records"]:
        lines.append(f"not staged ({len(figures['missing_records'])}): {', '.join(figures['missing_records'][:10])}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", default=str(ROOT / "tests" / "triage_corpus"))
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--errors", metavar="FILE", help="write every mismatch (fields, relevance, kind, merges) to FILE as JSON")
    args = parser.parse_args(argv)
    corpus = Path(args.corpus)
    labels = load_corpus(corpus)
    with tempfile.TemporaryDirectory() as tmp:
        staged = stage_and_triage(corpus, Path(tmp) / "eval.db")
    figures = evaluate(labels, staged)
    errors = figures.pop("errors")
    if args.errors:
        Path(args.errors).write_text(json.dumps(errors, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    print(json.dumps(figures, indent=2) if args.json else report(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark of ``crawler.dedupe.resolve`` on synthetic data: speed, memory and, since the
generator knows the truth, merge precision/recall and known-match accuracy.

Run: ``python bench/dedupe_bench.py [--items 100000] [--entries 10000] [--seed 7] [--no-tracemalloc]
[--one-core]``.
Not a test: it prints figures.

The generator draws resources (datasets and models; a catalogue of ``--entries``
known ones plus new ones) and the records hosts hold of them:

* a dataset lives on Zenodo (DOI, sometimes a second version sharing the concept
  DOI), with Kaggle mirrors, a GitHub repo and the paper that introduced it; a
  model lives on GitHub with its paper (OpenAlex/Scholar; Scholar sometimes links
  the repo itself), a Hugging Face copy and a Zenodo software archive;
* each copy cites the original with some probability, otherwise only its name
  relates it (and some copies are renamed beyond recognition: lost recall is real);
  half the Kaggle copies that cite it say so in a provenance sentence (``source_refs``);
* names: coined acronyms (3-6 letters, sometimes digits), acronym + expansion,
  "-Net" models, and generic descriptive names ("Breast Ultrasound Images
  Dataset") that different resources share;
* ~5% look-alikes: new resources named like another plus a marker ("-2", " v2",
  "-lite", " 3D", " Pediatric", "Pro"), half of them citing the original, half of
  those as their "original" (which must still not merge them);
* noise: irrelevant records (kind "other") named like resources, awesome-lists
  and surveys linking 20-60 resources, model repos citing their training data,
  same-named repos of different owners.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import string
import sys
import time
import tracemalloc
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crawler.dedupe import CatalogueEntry, Item, catalogue_entry_from, resolve  # noqa: E402

ANATOMY = ["Breast", "Thyroid", "Fetal", "Cardiac", "Lung", "Liver", "Kidney", "Prostate", "Carotid", "Muscle",
           "Ovarian", "Gallbladder", "Knee", "Nerve", "Brain", "Fetal Head", "Pediatric Hip", "Bladder"]
NOUNS = ["Images", "Dataset", "Videos", "Image Dataset", "Segmentation Dataset", "Classification Dataset",
         "Lesion Dataset", "Nodule Images", "Cine Loops", "Scans"]
QUALIFIERS = ["", "", "Annotated ", "Open ", "Clinical ", "Pediatric ", "Multi-center ", "Public ", "Large-scale "]
TASKS = ["segmentation", "classification", "detection", "biometry", "registration", "reconstruction",
         "report generation", "quality assessment", "tracking", "denoising"]
MARKERS = ["-2", " v2", "-lite", " 3D", " Pediatric", "Pro", "-XL", " II", "-Plus", " 2.0"]
MODEL_SUFFIX = ["-Net", "Net", "Former", "Seg", "-Mamba", "-SAM", "-GAN", "Diff", "CLIP", "-ViT"]
WORDS = ["sensor", "arduino", "sonar", "weld", "census", "music", "bat", "distance", "robot", "parking",
         "ranging", "echo", "audio", "flow", "meter", "level", "drone", "radar", "survey", "county"]


@dataclass
class Resource:
    rid: int
    kind: str
    name: str  # canonical name
    acronym: str | None
    primary_key: str
    paper_key: str
    entry_id: int | None = None
    record_keys: list[str] = field(default_factory=list)


def acronym(rng: random.Random) -> str:
    n = rng.choice([3, 4, 4, 5, 5, 6])
    letters = "".join(rng.choice(string.ascii_uppercase) for _ in range(n))
    if rng.random() < 0.15:
        letters += str(rng.choice([5, 18, 23, 100, 2019, 5000]))
    return letters


def dataset_name(rng: random.Random) -> tuple[str, str | None]:
    r = rng.random()
    anatomy = rng.choice(ANATOMY)
    if r < 0.15:  # generic: a topic's name, which different resources share
        return f"{rng.choice(QUALIFIERS)}{anatomy} Ultrasound {rng.choice(NOUNS)}", None
    acr = acronym(rng)
    if r < 0.45:
        return acr, acr
    if r < 0.75:
        return f"{acr}: {anatomy} ultrasound {rng.choice(TASKS)} dataset", acr
    return f"{anatomy} Ultrasound {rng.choice(TASKS).title()} Dataset ({acr})", acr


def model_name(rng: random.Random) -> tuple[str, str]:
    acr = acronym(rng)
    if rng.random() < 0.6:
        acr = acr[: rng.choice([3, 4, 4])] + rng.choice(MODEL_SUFFIX)
    return acr, acr


def slug(text: str) -> str:
    return "-".join("".join(ch if ch.isalnum() else " " for ch in text.lower()).split())


class Generator:
    def __init__(self, seed: int, n_items: int, n_entries: int) -> None:
        self.rng = random.Random(seed)
        self.n_items = n_items
        self.n_entries = n_entries
        self.items: list[Item] = []
        self.truth: dict[str, int] = {}  # item id -> resource id
        self.resources: list[Resource] = []
        self.counter = 0
        self.dataset_keys: list[str] = []

    def next_id(self) -> int:
        self.counter += 1
        return self.counter

    def add(self, rid: int, source: str, kind: str, name: str, keys: set[str], refs: set[str] = frozenset(),
            pub: bool = False, title: str | None = None, sourced: bool = False) -> None:
        item_id = f"{source}:{self.next_id()}"
        # ``sourced``: the text cites its refs as the copy's origin ("Original: <link>")
        self.items.append(Item(item_id, kind, name, title or name, frozenset(keys), frozenset(refs), pub,
                               source_refs=frozenset(refs) if sourced else frozenset()))
        self.truth[item_id] = rid

    def new_resource(self, kind: str, name: str | None = None, acr: str | None = None) -> Resource:
        rid = len(self.resources)
        if name is None:
            name, acr = dataset_name(self.rng) if kind == "dataset" else model_name(self.rng)
        if kind == "dataset":
            primary = f"doi:10.5281/zenodo.{1000000 + rid}"
            self.dataset_keys.append(primary)
        else:
            primary = f"github:owner{self.rng.randrange(50000)}/{slug(acr or name)}"
        res = Resource(rid, kind, name, acr, primary, f"doi:10.1000/paper.{rid}")
        self.resources.append(res)
        return res

    def records_of(self, res: Resource, wrongly_other: float = 0.03) -> None:
        """The records hosts hold of one resource."""
        rng = self.rng
        kind = res.kind
        short = res.acronym or res.name
        n_copies = rng.choices([0, 1, 2, 3], weights=[45, 30, 15, 10])[0]

        def k() -> str:  # triage's judgement: mostly right
            return "other" if rng.random() < wrongly_other else kind

        def cite() -> set[str]:
            return {res.primary_key} if rng.random() < 0.6 else set()

        if kind == "dataset":
            concept = f"doi:10.5281/zenodo.{5000000 + res.rid}"
            self.add(res.rid, "zenodo", k(), res.name, {res.primary_key, concept})
            hosts = rng.sample(["kaggle", "github", "openalex", "zenodo-v2", "kaggle2"], n_copies)
            for host in hosts:
                if host.startswith("kaggle"):
                    owner = f"user{rng.randrange(90000)}"
                    name = rng.choice([res.name, f"{short} dataset", f"{short} (mirror)", short.lower(),
                                       f"{short} segmentation", f"{rng.choice(ANATOMY)} US scans"])
                    self.add(res.rid, "kaggle", k(), name, {f"kaggle:datasets/{owner}/{slug(name)}"}, cite(),
                             sourced=rng.random() < 0.5)
                elif host == "github":
                    name = rng.choice([short, f"{short}-dataset", f"{slug(short)}_data", f"{short}-data"])
                    self.add(res.rid, "github", k(), name, {f"github:lab{rng.randrange(90000)}/{slug(name)}"},
                             cite() | {res.paper_key} if rng.random() < 0.5 else cite())
                elif host == "openalex":
                    title = (f"{short}: a {rng.choice(ANATOMY).lower()} ultrasound dataset for {rng.choice(TASKS)}"
                             if res.acronym else
                             f"{res.name}: {rng.choice(TASKS)} in {rng.randint(40, 4000)} patients")
                    keys = {res.paper_key} | ({res.primary_key} if rng.random() < 0.1 else set())
                    self.add(res.rid, "openalex", k(), title, keys, cite(), pub=True)
                else:
                    self.add(res.rid, "zenodo", k(), f"{res.name} v2", {f"doi:10.5281/zenodo.{8000000 + res.rid}", concept})
        else:
            self.add(res.rid, "github", k(), res.name, {res.primary_key}, {res.paper_key} if rng.random() < 0.7 else set())
            hosts = rng.sample(["openalex", "scholar", "huggingface", "zenodo"], n_copies)
            for host in hosts:
                if host == "openalex":
                    title = f"{short}: {rng.choice(['a', 'an efficient', 'a robust'])} network for ultrasound {rng.choice(TASKS)}"
                    self.add(res.rid, "openalex", k(), title, {res.paper_key}, cite(), pub=True)
                elif host == "scholar":
                    title = f"{short}: ultrasound {rng.choice(TASKS)} with deep learning"
                    keys = {res.primary_key} if rng.random() < 0.5 else {f"scholar.example/{res.rid}"}
                    self.add(res.rid, "scholar", k(), title, keys, cite(), pub=True)
                elif host == "huggingface":
                    name = rng.choice([short, short.lower(), f"{short}-weights"])
                    self.add(res.rid, "huggingface", k(), name, {f"hf:models/org{rng.randrange(90000)}/{slug(name)}"}, cite())
                else:
                    self.add(res.rid, "zenodo", k(), f"{short}: code and weights",
                             {f"doi:10.5281/zenodo.{9000000 + res.rid}"}, {res.primary_key})

    def generate(self) -> tuple[list[Item], list[CatalogueEntry]]:
        rng = self.rng
        catalogue: list[CatalogueEntry] = []
        # the catalogue: known resources, some with links
        for entry_id in range(1, self.n_entries + 1):
            res = self.new_resource("dataset" if rng.random() < 0.6 else "model")
            res.entry_id = entry_id
            values: dict[str, object] = {}
            r = rng.random()
            if r < 0.5:
                values["link"] = [res.primary_key.replace("doi:", "https://doi.org/").replace("github:", "https://github.com/")]
            elif r < 0.7:
                values["link"] = [res.paper_key.replace("doi:", "https://doi.org/")]
            catalogue.append(catalogue_entry_from(entry_id, res.kind, res.name, values))
        budget_resources = int(self.n_items * 0.42)
        known = list(self.resources)
        while len(self.resources) < budget_resources:
            self.new_resource("dataset" if rng.random() < 0.55 else "model")
        for res in list(self.resources):
            if res.entry_id is None or rng.random() < 0.7:  # 30% of the catalogue is not found again
                self.records_of(res)
        # look-alikes: new resources named like another plus a marker, half citing it
        for _ in range(int(self.n_items * 0.05 / 1.5)):
            base = rng.choice(self.resources[: len(self.resources)])
            stem = base.acronym or base.name
            la_name = stem + rng.choice(MARKERS)
            la = self.new_resource(base.kind, la_name, la_name)
            refs = {base.primary_key} if rng.random() < 0.5 else set()
            # half of those that cite it call it their original ("BUSI-2 … original BUSI: <link>")
            sourced = rng.random() < 0.5
            if la.kind == "dataset":
                self.add(la.rid, "zenodo", la.kind, la.name, {la.primary_key}, refs, sourced=sourced)
            else:
                self.add(la.rid, "github", la.kind, la.name, {la.primary_key}, refs, sourced=sourced)
            if rng.random() < 0.5:
                host = "kaggle:datasets" if la.kind == "dataset" else "hf:models"
                self.add(la.rid, host.split(":")[0], la.kind, la.name,
                         {f"{host}/x{rng.randrange(90000)}/{slug(la.name)}"}, {la.primary_key})
        # same-named repos of different owners: different models
        for _ in range(int(self.n_items * 0.01)):
            base = rng.choice(known)
            if base.kind == "model":
                other = self.new_resource("model", base.name, base.acronym)
                self.add(other.rid, "github", "model", base.name, {f"github:fork{rng.randrange(90000)}/{slug(base.name)}"})
        # models citing their training data (must not merge with it)
        for _ in range(int(self.n_items * 0.04)):
            res = self.new_resource("model")
            self.add(res.rid, "github", "model", res.name, {res.primary_key}, set(rng.sample(self.dataset_keys, 2)))
        # awesome-lists and surveys
        all_keys = [r.primary_key for r in self.resources]
        for _ in range(int(self.n_items * 0.005)):
            res = self.new_resource("dataset", "awesome-ultrasound-datasets")
            self.add(res.rid, "github", rng.choice(["other", "other", "dataset"]), f"awesome-ultrasound-{res.rid}",
                     {f"github:list{res.rid}/awesome"}, set(rng.sample(all_keys, rng.randint(20, 60))))
        # irrelevant noise, some named like resources
        while len(self.items) < self.n_items:
            rid = len(self.resources)
            self.resources.append(Resource(rid, "other", "", None, "", ""))
            if rng.random() < 0.15:
                name = rng.choice(self.resources[: self.n_entries]).name
            else:
                name = f"{rng.choice(WORDS)}-{rng.choice(WORDS)}{rng.choice(['', '-ultrasonic', '-us', '-sensor'])}"
            self.add(rid, "github", "other", name, {f"github:n{rid}/{slug(name)}"})
        return self.items[: self.n_items], catalogue


def pair_count(n: int) -> int:
    return n * (n - 1) // 2


def evaluate(items: list[Item], truth: dict[str, int], resources: list[Resource], clusters) -> dict[str, float]:
    pred = {i: c for c, cluster in enumerate(clusters) for i in cluster.ids}
    both = Counter((pred[it.id], truth[it.id]) for it in items)
    pred_sizes = Counter(pred[it.id] for it in items)
    true_sizes = Counter(truth[it.id] for it in items)
    tp = sum(pair_count(n) for n in both.values())
    predicted = sum(pair_count(n) for n in pred_sizes.values())
    actual = sum(pair_count(n) for n in true_sizes.values())
    known_total = known_right = new_total = new_false = 0
    for cluster in clusters:
        for item_id in cluster.ids:
            res = resources[truth[item_id]]
            if res.entry_id is not None:
                known_total += 1
                known_right += cluster.catalogue_match == res.entry_id
            elif res.kind != "other":
                new_total += 1
                new_false += cluster.catalogue_match is not None
    return {
        "precision": tp / predicted if predicted else 1.0,
        "recall": tp / actual if actual else 1.0,
        "true_pairs": actual,
        "known_accuracy": known_right / known_total if known_total else 1.0,
        "known_records": known_total,
        "new_false_known": new_false / new_total if new_total else 0.0,
        "new_records": new_total,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs (best and median are printed)")
    parser.add_argument("--no-tracemalloc", action="store_true", help="skip the extra, traced run")
    parser.add_argument("--one-core", action="store_true", help="no helper process (crawler.parallel)")
    args = parser.parse_args()

    gen = Generator(args.seed, args.items, args.entries)
    items, catalogue = gen.generate()
    print(f"generated {len(items):,} records of {len(set(gen.truth[i.id] for i in items)):,} resources, "
          f"{len(catalogue):,} catalogue entries")
    kinds = Counter(i.kind for i in items)
    print("  kinds: " + ", ".join(f"{k} {v:,}" for k, v in sorted(kinds.items())))

    from crawler import dedupe, parallel

    if args.one_core:
        dedupe.PARALLEL_MIN = len(items) + 1
    helper = not args.one_core and parallel.can_fork() and sum(i.kind != "other" for i in items) >= dedupe.PARALLEL_MIN

    def cold() -> None:  # each run starts without the name caches of the previous one
        for cached in (dedupe.name_form, dedupe.name_forms, dedupe._alias_strings, dedupe._token_role,
                       dedupe.is_domain_word):
            cached.cache_clear()

    def cpu_seconds(who: int) -> float:
        usage = resource.getrusage(who)
        return usage.ru_utime + usage.ru_stime

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    walls, cpus, helper_cpus, phases = [], [], [], []
    for _ in range(args.repeat):
        cold()
        cpu_start, helper_start = cpu_seconds(resource.RUSAGE_SELF), cpu_seconds(resource.RUSAGE_CHILDREN)
        phases.append({})
        start = time.perf_counter()
        clusters = resolve(items, catalogue, timings=phases[-1])
        walls.append(time.perf_counter() - start)
        cpus.append(cpu_seconds(resource.RUSAGE_SELF) - cpu_start)
        helper_cpus.append(cpu_seconds(resource.RUSAGE_CHILDREN) - helper_start)
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rss_helper = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    calibration = time.perf_counter()
    sum(range(10**7))
    calibration = time.perf_counter() - calibration
    cores = f"two processes on {parallel.cpus_available()} CPUs" if helper else "one process, one core"
    print(f"resolve wall time over {args.repeat} cold runs ({cores}): best {min(walls):.2f} s, "
          f"median {statistics.median(walls):.2f} s (target < 5 s on 2 cores)")
    print(f"  CPU per run, median: main process {statistics.median(cpus):.2f} s, "
          f"helper process {statistics.median(helper_cpus):.2f} s")
    fastest = phases[walls.index(min(walls))]
    print("  phases of the fastest run (s): " + ", ".join(f"{name} {seconds:.2f}" for name, seconds in fastest.items()))
    print(f"  machine speed: sum(range(10**7)) takes {calibration:.2f} s here (about 0.12-0.15 s on a current desktop)")
    print(f"peak RSS (ru_maxrss): {rss_after / 1024:.0f} MiB (before resolve {rss_before / 1024:.0f} MiB, "
          f"so resolve adds at most {(rss_after - rss_before) / 1024:.0f} MiB)"
          + (f"; helper process peak {rss_helper / 1024:.0f} MiB, mostly pages shared with the main one"
             if helper else ""))

    if not args.no_tracemalloc:
        cold()
        tracemalloc.start()
        resolve(items, catalogue)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"tracemalloc peak during resolve: {peak / 2**20:.0f} MiB")

    sizes = Counter(len(c.ids) for c in clusters)
    flags = sum(len(c.uncertain) for c in clusters)
    known = sum(1 for c in clusters if c.catalogue_match is not None)
    print(f"clusters: {len(clusters):,} (multi-record {sum(v for s, v in sizes.items() if s > 1):,}, "
          f"largest {max(sizes)}), known: {known:,}, uncertain pairs flagged: {flags:,}")
    m = evaluate(items, gen.truth, gen.resources, clusters)
    print(f"merge precision {m['precision']:.4f}  recall {m['recall']:.4f}  (true duplicate pairs {m['true_pairs']:,})")
    print(f"known-match accuracy {m['known_accuracy']:.4f} over {m['known_records']:,} records of catalogue resources; "
          f"new records wrongly marked known {m['new_false_known']:.4f} of {m['new_records']:,}")


if __name__ == "__main__":
    main()

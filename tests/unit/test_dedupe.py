"""Entity resolution: which records are one resource, which are known, which a curator must decide."""

from __future__ import annotations

import os
import random
import subprocess
import sys

import pytest

from crawler.dedupe import (
    CatalogueEntry,
    Cluster,
    Item,
    canonical_key,
    catalogue_entry_from,
    common_tokens,
    introduced_names,
    item_from,
    item_keys,
    name_forms,
    resolve,
    source_refs,
)
from crawler.models import Candidate


def item(
    id: str,
    kind: str,
    name: str,
    keys: tuple[str, ...] = (),
    refs: tuple[str, ...] = (),
    *,
    pub: bool = False,
    title: str | None = None,
) -> Item:
    return Item(
        id=id,
        kind=kind,
        name=name,
        title=title if title is not None else name,
        keys=frozenset(keys),
        refs=frozenset(refs),
        is_publication=pub,
    )


def entry(entry_id: int, kind: str, name: str, keys: tuple[str, ...] = (), aliases: tuple[str, ...] = ()):
    base = catalogue_entry_from(entry_id, kind, name, {})
    return CatalogueEntry(entry_id, kind, name, tuple(aliases) or base.aliases, frozenset(keys))


def cluster_of(clusters: list[Cluster], item_id: str) -> Cluster:
    return next(c for c in clusters if item_id in c.ids)


def together(clusters: list[Cluster], a: str, b: str) -> bool:
    return b in cluster_of(clusters, a).ids


def flagged(clusters: list[Cluster], a: str, b: str) -> bool:
    return any({x, y} == {a, b} for c in clusters for x, y, _ in c.uncertain)


ZENODO_DOI = "doi:10.5281/zenodo.7711412"


# -- 1. identity keys ------------------------------------------------------------------------------


def test_shared_doi_merges_a_paper_with_the_dataset_it_introduces_whatever_the_kinds() -> None:
    clusters = resolve(
        [
            item("zenodo:7711412", "dataset", "Regensburg Pediatric Appendicitis Dataset", (ZENODO_DOI,)),
            item("openalex:W1", "model", "Ultrasound appendicitis data", (ZENODO_DOI,), pub=True),
        ],
        [],
    )
    assert len(clusters) == 1
    assert any(ZENODO_DOI in r for r in clusters[0].match_reasons)


def test_zenodo_versions_sharing_a_concept_doi_merge() -> None:
    concept = "doi:10.5281/zenodo.100"
    clusters = resolve(
        [
            item("zenodo:101", "dataset", "Lung POCUS videos v1", ("doi:10.5281/zenodo.101", concept)),
            item("zenodo:102", "dataset", "Lung POCUS videos v2", ("doi:10.5281/zenodo.102", concept)),
        ],
        [],
    )
    assert [c.ids for c in clusters] == [["zenodo:101", "zenodo:102"]]


def test_a_zenodo_record_url_and_its_doi_are_one_key() -> None:
    clusters = resolve(
        [
            item("zenodo:555", "dataset", "Some thyroid set", ("zenodo:555",)),
            item("openalex:W2", "dataset", "A different title", ("doi:10.5281/zenodo.555",), pub=True),
        ],
        [],
    )
    assert len(clusters) == 1


def test_scholar_hit_whose_link_is_a_github_repo_merges_with_that_repo() -> None:
    clusters = resolve(
        [
            item("scholar:123", "model", "alice/EchoSeg: cardiac segmentation", ("github:alice/echoseg",), pub=True),
            item("github:9", "model", "EchoSeg", ("github:alice/echoseg",)),
        ],
        [],
    )
    assert len(clusters) == 1


def test_a_bare_host_or_a_key_held_by_very_many_records_merges_nothing() -> None:
    clusters = resolve(
        [
            item("openalex:W1", "dataset", "Liver fibrosis set", ("github.com", "doi:10.1/one"), pub=True),
            item("openalex:W2", "dataset", "Knee cartilage set", ("github.com", "doi:10.1/two"), pub=True),
        ],
        [],
    )
    assert len(clusters) == 2
    hub = [item(f"scholar:{n}", "dataset", f"Paper {n}", ("sciencedirect.com/journal/x",), pub=True) for n in range(60)]
    assert len(resolve(hub, [])) == 60


def test_zenodo_archive_of_a_github_release_merges_with_the_repository() -> None:
    clusters = resolve(
        [
            item("github:1", "model", "EchoSeg", ("github:alice/echoseg",), ("doi:10.5281/zenodo.77",)),
            item("zenodo:77", "model", "alice/EchoSeg: v1.0.2", ("doi:10.5281/zenodo.77",), ("github:alice/echoseg",)),
        ],
        [],
    )
    assert len(clusters) == 1


def test_irrelevant_records_still_merge_by_identity_key() -> None:
    clusters = resolve(
        [
            item("github:1", "other", "camus", ("github:x/camus",)),
            item("scholar:2", "dataset", "CAMUS", ("github:x/camus",), pub=True),
        ],
        [],
    )
    assert len(clusters) == 1


# -- 2. reference links ----------------------------------------------------------------------------


def test_kaggle_mirror_citing_the_zenodo_doi_merges() -> None:
    clusters = resolve(
        [
            item("zenodo:7711412", "dataset", "Regensburg Pediatric Appendicitis Dataset", (ZENODO_DOI,)),
            item(
                "kaggle:dataset:bob/appendicitis",
                "dataset",
                "Regensburg Pediatric Appendicitis",
                ("kaggle:datasets/bob/appendicitis",),
                ("zenodo:7711412",),  # the record URL: the same key as its DOI
            ),
        ],
        [],
    )
    assert len(clusters) == 1
    assert any("cites" in r for r in clusters[0].match_reasons)


def test_readme_pointing_at_its_zenodo_data_with_the_datasets_name_merges() -> None:
    clusters = resolve(
        [
            item("zenodo:8231412", "dataset", "BUS-BRA: A Breast Ultrasound Dataset", ("doi:10.5281/zenodo.8231412",)),
            item("github:7", "dataset", "BUS-BRA", ("github:wgomezf/bus-bra",), ("doi:10.5281/zenodo.8231412",)),
        ],
        [],
    )
    assert len(clusters) == 1


def test_mirror_whose_name_only_adds_descriptive_words_merges() -> None:
    clusters = resolve(
        [
            item("zenodo:1", "dataset", "BUSI", ("zenodo:1",)),
            item("kaggle:dataset:c/busi-seg", "dataset", "BUSI segmentation masks", ("kaggle:datasets/c/busi-seg",), ("zenodo:1",)),
        ],
        [],
    )
    assert len(clusters) == 1


@pytest.mark.parametrize("name", ["BrEaST Lesions", "BUSI-2", "BUSI 3D"])
def test_dataset_citing_another_dataset_with_an_incompatible_name_is_flagged_not_merged(name: str) -> None:
    clusters = resolve(
        [
            item("zenodo:1", "dataset", "BUSI", ("zenodo:1",)),
            item("zenodo:2", "dataset", name, ("zenodo:2",), ("zenodo:1",)),  # "extends BUSI"
        ],
        [],
    )
    assert len(clusters) == 2
    assert flagged(clusters, "zenodo:1", "zenodo:2")


def test_model_that_mentions_its_training_data_is_not_merged_with_it() -> None:
    clusters = resolve(
        [
            item("zenodo:1", "dataset", "DDTI thyroid", ("zenodo:1",)),
            item("github:5", "model", "DDTI thyroid", ("github:a/ddti-thyroid",), ("zenodo:1",)),
        ],
        [],
    )
    assert len(clusters) == 2
    assert not flagged(clusters, "zenodo:1", "github:5")


def test_survey_linking_many_resources_merges_with_none_of_them() -> None:
    names = ["BUSI", "BUS-BRA", "UDIAT", "BrEaST", "BUSIS", "STU", "GDPH"]
    datasets = [item(f"zenodo:{i}", "dataset", n, (f"zenodo:{i}",)) for i, n in enumerate(names)]
    survey = item(
        "openalex:W9",
        "dataset",
        "Public breast ultrasound datasets: BUSI, BUS-BRA, UDIAT, BrEaST, BUSIS, STU and GDPH compared",
        ("doi:10.1/survey",),
        tuple(f"zenodo:{i}" for i in range(len(names))),
        pub=True,
    )
    clusters = resolve([*datasets, survey], [])
    assert cluster_of(clusters, "openalex:W9").ids == ["openalex:W9"]


def test_awesome_list_judged_irrelevant_merges_with_nothing_by_reference() -> None:
    clusters = resolve(
        [
            item("zenodo:1", "dataset", "CAMUS", ("zenodo:1",)),
            item("github:3", "other", "CAMUS", ("github:z/camus",), ("zenodo:1",)),
        ],
        [],
    )
    assert len(clusters) == 2


def test_publication_linking_one_resource_of_its_kind_merges_with_it() -> None:
    clusters = resolve(
        [
            item("openalex:W1", "model", "A universal ultrasound foundation model", ("doi:10.1/usfm",), ("github:openmedlab/usfm",), pub=True),
            item("github:1", "model", "USFM", ("github:openmedlab/usfm",)),
        ],
        [],
    )
    assert len(clusters) == 1


def test_publication_linking_several_resources_merges_only_the_one_its_title_names() -> None:
    clusters = resolve(
        [
            item("openalex:W1", "model", "SAMUS: adapting SAM to ultrasound", ("doi:10.1/samus",), ("github:a/samus", "github:b/other-net"), pub=True),
            item("github:1", "model", "SAMUS", ("github:a/samus",)),
            item("github:2", "model", "OtherNet", ("github:b/other-net",)),
        ],
        [],
    )
    assert together(clusters, "openalex:W1", "github:1")
    assert not together(clusters, "openalex:W1", "github:2")
    assert flagged(clusters, "openalex:W1", "github:2")


def test_repository_citing_its_paper_merges_when_the_paper_title_names_it() -> None:
    clusters = resolve(
        [
            item("openalex:W1", "model", "MimickNet, mimicking clinical image post-processing", ("doi:10.1/mimick",), pub=True),
            item("github:1", "model", "MimickNet", ("github:a/mimicknet",), ("doi:10.1/mimick",)),
        ],
        [],
    )
    assert len(clusters) == 1


def test_repository_citing_a_paper_that_does_not_name_it_is_flagged() -> None:
    clusters = resolve(
        [
            item("openalex:W1", "model", "SAMUS: adapting SAM to ultrasound", ("doi:10.1/samus",), pub=True),
            item("github:1", "model", "thyroid-nodule-seg", ("github:a/thyroid-nodule-seg",), ("doi:10.1/samus",)),
        ],
        [],
    )
    assert len(clusters) == 2
    assert flagged(clusters, "openalex:W1", "github:1")


def test_a_paper_citing_another_paper_is_neither_merged_nor_flagged() -> None:
    clusters = resolve(
        [
            item("openalex:W1", "model", "SAMUS: adapting SAM to ultrasound", ("doi:10.1/samus",), pub=True),
            item("openalex:W2", "model", "Prompted thyroid segmentation", ("doi:10.1/thy",), ("doi:10.1/samus",), pub=True),
        ],
        [],
    )
    assert len(clusters) == 2
    assert not flagged(clusters, "openalex:W1", "openalex:W2")


# -- 3. names --------------------------------------------------------------------------------------


def test_same_specific_name_and_kind_on_two_hosts_merges() -> None:
    clusters = resolve(
        [
            item("zenodo:1", "dataset", "CAMUS", ("zenodo:1",)),
            item("kaggle:dataset:x/camus", "dataset", "CAMUS dataset", ("kaggle:datasets/x/camus",)),
        ],
        [],
    )
    assert len(clusters) == 1
    assert any("same name 'camus' (dataset)" in r for r in clusters[0].match_reasons)


def test_names_differing_only_in_separators_and_packaging_words_merge() -> None:
    clusters = resolve(
        [
            item("zenodo:1", "dataset", "EchoNet-Dynamic", ("zenodo:1",)),
            item("github:2", "dataset", "echonet_dynamic_official_data", ("github:x/echonet_dynamic_official_data",)),
        ],
        [],
    )
    assert len(clusters) == 1


@pytest.mark.parametrize(
    ("a", "b", "kind"),
    [
        ("BUSI", "BUSI-2", "dataset"),
        ("CAMUS", "CAMUS-LV 3D", "dataset"),
        ("USFM", "USFM-lite", "model"),
        ("mu-Reg", "mu-RegPro", "dataset"),
        ("BUSI", "BUSIS", "dataset"),
    ],
)
def test_look_alike_names_are_flagged_not_merged(a: str, b: str, kind: str) -> None:
    clusters = resolve(
        [item("zenodo:1", kind, a, ("zenodo:1",)), item("kaggle:dataset:x/y", kind, b, ("kaggle:datasets/x/y",))],
        [],
    )
    assert len(clusters) == 2
    assert flagged(clusters, "zenodo:1", "kaggle:dataset:x/y")


def test_dataset_upload_naming_its_task_merges_but_a_model_doing_so_does_not() -> None:
    clusters = resolve(
        [
            item("zenodo:1", "dataset", "TN3K", ("zenodo:1",)),
            item("kaggle:dataset:a/tn3k", "dataset", "TN3K thyroid segmentation", ("kaggle:datasets/a/tn3k",)),
            item("github:1", "model", "SAMUS", ("github:a/samus",)),
            item("github:2", "model", "SAMUS-segmentation", ("github:b/samus-segmentation",)),
        ],
        [],
    )
    assert together(clusters, "zenodo:1", "kaggle:dataset:a/tn3k")
    assert not together(clusters, "github:1", "github:2")


def test_sibling_names_sharing_one_word_are_not_merged() -> None:
    clusters = resolve(
        [
            item("zenodo:1", "dataset", "EchoNet-Dynamic", ("zenodo:1",)),
            item("zenodo:2", "dataset", "EchoNet-Pediatric", ("zenodo:2",)),
        ],
        [],
    )
    assert len(clusters) == 2


def test_same_name_but_different_kinds_is_not_merged() -> None:
    clusters = resolve(
        [
            item("zenodo:1", "dataset", "EchoNet-Dynamic", ("zenodo:1",)),
            item("github:1", "model", "EchoNet-Dynamic", ("github:echonet/dynamic",)),
        ],
        [],
    )
    assert len(clusters) == 2


def test_irrelevant_record_named_like_a_dataset_does_not_absorb_it() -> None:
    clusters = resolve(
        [
            item("zenodo:1", "dataset", "CAMUS", ("zenodo:1",)),
            item("github:1", "other", "CAMUS", ("github:census/camus",)),  # a US census tool
        ],
        [],
    )
    assert len(clusters) == 2


def test_same_name_with_different_owners_on_one_host_is_flagged_not_merged() -> None:
    clusters = resolve(
        [
            item("github:1", "model", "CMU-Net", ("github:alice/cmu-net",)),
            item("github:2", "model", "CMU-Net", ("github:bob/cmu-net",)),
        ],
        [],
    )
    assert len(clusters) == 2
    assert flagged(clusters, "github:1", "github:2")


def test_same_name_with_different_owners_but_a_shared_link_merges() -> None:
    clusters = resolve(
        [
            item("kaggle:dataset:a/busbra", "dataset", "BUS-BRA", ("kaggle:datasets/a/busbra",), ("zenodo:8",)),
            item("kaggle:dataset:b/busbra", "dataset", "BUS-BRA", ("kaggle:datasets/b/busbra",), ("zenodo:8",)),
            item("zenodo:8", "dataset", "BUS-BRA", ("zenodo:8",)),
        ],
        [],
    )
    assert len(clusters) == 1


def test_generic_names_never_merge_records_and_identical_long_ones_are_flagged() -> None:
    clusters = resolve(
        [
            item("zenodo:1", "dataset", "Breast Ultrasound Dataset", ("zenodo:1",)),
            item("github:1", "dataset", "breast-ultrasound-dataset", ("github:a/breast-ultrasound-dataset",)),
            item("zenodo:2", "dataset", "Breast Ultrasound Images Dataset", ("zenodo:2",)),
            item("kaggle:dataset:b/bui", "dataset", "Breast Ultrasound Images Dataset", ("kaggle:datasets/b/bui",)),
        ],
        [],
    )
    assert len(clusters) == 4  # many different uploads share a topic's name
    assert flagged(clusters, "zenodo:2", "kaggle:dataset:b/bui")
    assert not flagged(clusters, "zenodo:1", "github:1")  # too short to be more than a topic


def test_one_paper_indexed_twice_merges_by_its_full_title_but_a_short_generic_one_does_not() -> None:
    title = "Deep learning for thyroid nodule segmentation in ultrasound images"
    clusters = resolve(
        [
            item("openalex:W1", "model", title, ("doi:10.48550/arxiv.2401.00001",), pub=True),
            item("openalex:W2", "model", title, ("doi:10.1109/tmi.2024.1",), pub=True),
            item("scholar:1", "model", "Thyroid nodule segmentation", ("doi:10.1/a",), pub=True),
            item("scholar:2", "model", "Thyroid nodule segmentation", ("doi:10.1/b",), pub=True),
            item("github:1", "model", "deep-learning-for-thyroid-nodule-segmentation-in-ultrasound-images", ("github:a/b",)),
        ],
        [],
    )
    assert together(clusters, "openalex:W1", "openalex:W2")
    assert not together(clusters, "scholar:1", "scholar:2")
    assert not together(clusters, "openalex:W1", "github:1")  # a repository is not the paper by title alone


def test_acronym_in_a_title_matches_the_acronym_name() -> None:
    clusters = resolve(
        [
            item("zenodo:1", "dataset", "Tufts Medical Echocardiogram Dataset (TMED)", ("zenodo:1",)),
            item("github:1", "dataset", "TMED", ("github:t/tmed",)),
        ],
        [],
    )
    assert len(clusters) == 1


def test_name_merge_is_vetoed_between_records_of_different_known_entries() -> None:
    catalogue = [entry(1, "dataset", "ReMIND", ("doi:10.1/remind",)), entry(2, "dataset", "ReMIND data", ("doi:10.1/other",))]
    clusters = resolve(
        [
            item("zenodo:1", "dataset", "ReMIND", ("doi:10.1/remind",)),
            item("zenodo:2", "dataset", "ReMIND", ("doi:10.1/other",)),
        ],
        catalogue,
    )
    assert len(clusters) == 2
    assert flagged(clusters, "zenodo:1", "zenodo:2")


# -- catalogue -------------------------------------------------------------------------------------


def test_shared_key_with_an_entry_makes_the_cluster_known() -> None:
    catalogue = [entry(12, "dataset", "Regensburg Pediatric Appendicitis Dataset", (ZENODO_DOI,))]
    clusters = resolve(
        [
            item("zenodo:7711412", "dataset", "Appendicitis US", (ZENODO_DOI,)),
            item("kaggle:dataset:a/b", "dataset", "Appendicitis US", ("kaggle:datasets/a/b",), (ZENODO_DOI,)),
        ],
        catalogue,
    )
    assert len(clusters) == 1
    assert clusters[0].catalogue_match == 12
    assert any("entry 12" in r for r in clusters[0].match_reasons)


def test_exact_long_generic_name_matches_the_entry() -> None:
    catalogue = [entry(23, "dataset", "Breast Ultrasound Images Dataset")]
    clusters = resolve([item("kaggle:dataset:a/bui", "dataset", "Breast Ultrasound Images Dataset", ("kaggle:datasets/a/bui",))], catalogue)
    assert clusters[0].catalogue_match == 23


def test_alias_of_an_entry_matches() -> None:
    catalogue = [catalogue_entry_from(6, "dataset", "Tufts Medical Echocardiogram Dataset (TMED)", {})]
    assert catalogue[0].aliases == ("TMED",)
    clusters = resolve([item("github:1", "dataset", "tmed", ("github:x/tmed",))], catalogue)
    assert clusters[0].catalogue_match == 6


def test_model_entry_named_by_a_short_acronym_matches_by_name() -> None:
    clusters = resolve([item("github:1", "model", "USFM", ("github:o/usfm",))], [entry(3, "model", "USFM")])
    assert clusters[0].catalogue_match == 3


@pytest.mark.parametrize("name", ["Thyroid", "CCA", "UCLA", "Ultrasound Elastography"])
def test_short_or_generic_entry_names_need_a_shared_key(name: str) -> None:
    catalogue = [entry(40, "dataset", name, ("doi:10.1/entry",))]
    by_name = resolve([item("kaggle:dataset:a/b", "dataset", name, ("kaggle:datasets/a/b",))], catalogue)
    assert by_name[0].catalogue_match is None
    assert flagged(by_name, "kaggle:dataset:a/b", "entry:40")
    by_key = resolve([item("zenodo:1", "dataset", name, ("doi:10.1/entry",))], catalogue)
    assert by_key[0].catalogue_match == 40


def test_same_name_as_an_entry_whose_repository_has_another_owner_is_flagged() -> None:
    catalogue = [entry(80, "model", "MimickNet", ("github:ouwen/mimicknet",))]
    other = resolve([item("github:2", "model", "MimickNet", ("github:someone/mimicknet",))], catalogue)
    assert other[0].catalogue_match is None
    assert flagged(other, "github:2", "entry:80")
    elsewhere = resolve([item("huggingface:model:x/mimicknet", "model", "MimickNet", ("hf:models/x/mimicknet",))], catalogue)
    assert elsewhere[0].catalogue_match == 80  # another host: nothing contradicts the name


def test_look_alike_of_an_entry_is_flagged_not_matched() -> None:
    clusters = resolve([item("zenodo:1", "dataset", "BUSI-2", ("zenodo:1",))], [entry(7, "dataset", "BUSI")])
    assert clusters[0].catalogue_match is None
    assert flagged(clusters, "zenodo:1", "entry:7")


def test_mirror_citing_an_entry_link_is_known_but_a_model_citing_it_is_not() -> None:
    catalogue = [entry(4, "dataset", "Ultrasound Nerve Segmentation", ("kaggle:competitions/ultrasound-nerve-segmentation",))]
    clusters = resolve(
        [
            item("kaggle:dataset:a/nerve", "dataset", "Ultrasound Nerve Segmentation (mirror)", ("kaggle:datasets/a/nerve",),
                 ("kaggle:competitions/ultrasound-nerve-segmentation",)),
            item("github:1", "model", "nerve-unet", ("github:a/nerve-unet",), ("kaggle:competitions/ultrasound-nerve-segmentation",)),
        ],
        catalogue,
    )
    assert cluster_of(clusters, "kaggle:dataset:a/nerve").catalogue_match == 4
    assert cluster_of(clusters, "github:1").catalogue_match is None


def test_entry_key_of_another_kind_is_flagged_and_the_same_kind_name_wins() -> None:
    # the paper's dataset "CCA" is linked to the MI-SegNet code repository
    catalogue = [entry(38, "dataset", "CCA", ("github:yuan-12138/mi-segnet",)), entry(90, "model", "MI-SegNet")]
    clusters = resolve([item("github:1", "model", "MI-SegNet", ("github:yuan-12138/mi-segnet",))], catalogue)
    assert clusters[0].catalogue_match == 90
    assert flagged(clusters, "github:1", "entry:38")


def test_two_entries_sharing_a_key_are_told_apart_by_name_or_flagged() -> None:
    key = "doi:10.5281/zenodo.10510879"
    catalogue = [entry(56, "dataset", "PCOSGen", (key,)), entry(61, "dataset", "Dataset of B-mode fatty liver ultrasound images", (key,))]
    named = resolve([item("zenodo:10510879", "dataset", "PCOSGen", (key,))], catalogue)
    assert named[0].catalogue_match == 56
    unnamed = resolve([item("zenodo:10510879", "dataset", "Ovary scans", (key,))], catalogue)
    assert unnamed[0].catalogue_match is None
    assert flagged(unnamed, "zenodo:10510879", "entry:56") and flagged(unnamed, "zenodo:10510879", "entry:61")


def test_irrelevant_record_does_not_match_an_entry_by_name() -> None:
    clusters = resolve([item("github:1", "other", "CAMUS", ("github:c/camus",))], [entry(16, "dataset", "CAMUS")])
    assert clusters[0].catalogue_match is None


# -- output ----------------------------------------------------------------------------------------


def test_output_is_deterministic_and_ordered() -> None:
    items = [
        item("zenodo:1", "dataset", "CAMUS", ("zenodo:1",)),
        item("kaggle:dataset:x/camus", "dataset", "CAMUS", ("kaggle:datasets/x/camus",)),
        item("github:1", "model", "CMU-Net", ("github:alice/cmu-net",)),
        item("github:2", "model", "CMU-Net", ("github:bob/cmu-net",)),
        item("zenodo:2", "dataset", "BUSI-2", ("zenodo:2",)),
        item("zenodo:3", "dataset", "BUSI", ("zenodo:3",), ("zenodo:2",)),
    ]
    catalogue = [entry(16, "dataset", "CAMUS"), entry(7, "dataset", "BUSI")]
    first = resolve(items, catalogue)
    for seed in range(5):
        shuffled = items[:]
        random.Random(seed).shuffle(shuffled)
        assert resolve(shuffled, list(reversed(catalogue))) == first
    assert [c.ids[0] for c in first] == sorted(c.ids[0] for c in first)
    assert all(c.ids == sorted(c.ids) for c in first)
    assert sorted(i for c in first for i in c.ids) == sorted(i.id for i in items)


_DETERMINISM_SCRIPT = """
from crawler.dedupe import Item, CatalogueEntry, resolve
def it(i, kind, name, keys=(), refs=()):
    return Item(i, kind, name, name, frozenset(keys), frozenset(refs), False)
items = [
    it("zenodo:1", "dataset", "CAMUS", ["zenodo:1", "doi:10.1/a"]),
    it("kaggle:dataset:x/camus", "dataset", "CAMUS", ["kaggle:datasets/x/camus"], ["zenodo:1", "doi:10.1/b"]),
    it("github:1", "model", "CMU-Net", ["github:alice/cmu-net"]),
    it("github:2", "model", "CMU-Net", ["github:bob/cmu-net"]),
    it("github:3", "model", "CMU-Net", ["github:carol/cmu-net"]),
    it("zenodo:2", "dataset", "BUSI-2", ["zenodo:2"], ["zenodo:3", "doi:10.1/c"]),
    it("zenodo:3", "dataset", "BUSI", ["zenodo:3", "doi:10.1/c2"]),
    it("zenodo:4", "dataset", "BUSI 3D", ["zenodo:4"], ["zenodo:3"]),
    it("openalex:W1", "dataset", "A", ["doi:10.9/k1", "doi:10.9/k2", "doi:10.9/k3", "doi:10.9/k4"]),
    it("scholar:1", "dataset", "B", ["doi:10.9/k1"]),
    it("scholar:2", "dataset", "C", ["doi:10.9/k2"]),
    it("scholar:3", "dataset", "D", ["doi:10.9/k3"]),
    it("scholar:4", "dataset", "E", ["doi:10.9/k4"]),
]
catalogue = [CatalogueEntry(7, "dataset", "BUSI", (), frozenset({"doi:10.1/c2", "github:a/b"})),
             CatalogueEntry(8, "dataset", "BUSIS", (), frozenset())]
print(repr(resolve(items, catalogue)))
"""


def test_output_is_the_same_in_every_process() -> None:
    # sets of strings iterate in a per-process order: nothing that decides an edge may depend on it
    outputs = {
        subprocess.run(
            [sys.executable, "-c", _DETERMINISM_SCRIPT],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1


def test_copies_named_with_weights_or_mirror_merge_by_name() -> None:
    clusters = resolve(
        [
            item("github:1", "model", "USFM", ("github:openmedlab/usfm",)),
            item("huggingface:model:x/usfm-weights", "model", "USFM-weights", ("hf:models/x/usfm-weights",)),
            item("kaggle:dataset:a/camus", "dataset", "CAMUS (mirror)", ("kaggle:datasets/a/camus",)),
            item("zenodo:1", "dataset", "CAMUS", ("zenodo:1",)),
        ],
        [],
    )
    assert together(clusters, "github:1", "huggingface:model:x/usfm-weights")
    assert together(clusters, "zenodo:1", "kaggle:dataset:a/camus")


def test_a_word_shared_by_very_many_names_stops_identifying() -> None:
    pair = [
        item("zenodo:1", "dataset", "Zorblat Liver", ("zenodo:1",)),
        item("kaggle:dataset:a/zl", "dataset", "Zorblat Liver", ("kaggle:datasets/a/zl",)),
    ]
    assert len(resolve(pair, [])) == 1  # in a small run "zorblat" is as good as a name
    rng = random.Random(0)
    crowd = [
        item(f"github:{n}", "dataset", f"Zorblat {''.join(rng.choice('BCDFGHJKLMNPQRSTVWXZ') for _ in range(6))}",
             (f"github:o{n}/z",))
        for n in range(250)
    ]
    assert "zorblat" in common_tokens([name_forms(i.name) for i in crowd])
    clusters = resolve(pair + crowd, [])
    assert not together(clusters, "zenodo:1", "kaggle:dataset:a/zl")


def test_curators_split_outranks_even_a_shared_key_and_their_duplicate_mark_joins() -> None:
    items = [
        item("openalex:W1", "dataset", "BUSI paper", ("doi:10.1/busi",), pub=True),
        item("scholar:1", "dataset", "BUSI paper", ("doi:10.1/busi",), pub=True),
        item("zenodo:1", "dataset", "BUSI", ("zenodo:1",), ("doi:10.1/busi",)),
        item("kaggle:dataset:a/x", "dataset", "Some upload", ("kaggle:datasets/a/x",)),
    ]
    machine = resolve(items, [])
    assert together(machine, "openalex:W1", "scholar:1") and not together(machine, "zenodo:1", "kaggle:dataset:a/x")
    curated = resolve(
        items,
        [],
        keep_apart=[("scholar:1", "openalex:W1"), ("scholar:1", "zenodo:1")],
        keep_together=[("zenodo:1", "kaggle:dataset:a/x")],
    )
    assert not together(curated, "openalex:W1", "scholar:1")
    assert not together(curated, "scholar:1", "zenodo:1")
    assert together(curated, "zenodo:1", "kaggle:dataset:a/x")
    assert together(curated, "openalex:W1", "zenodo:1")  # the rest of the evidence still counts


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(ValueError):
        resolve([item("zenodo:1", "dataset", "A", ()), item("zenodo:1", "dataset", "A", ())], [])


# -- building items and entries -----------------------------------------------------------------------


def test_canonical_key_folds_spellings_of_one_identifier() -> None:
    assert canonical_key("zenodo:7711412") == ZENODO_DOI
    assert canonical_key("doi:10.48550/arxiv.2309.06824") == "arxiv:2309.06824"
    assert canonical_key("doi:10.6084/m9.figshare.16822978.v2") == "doi:10.6084/m9.figshare.16822978"
    assert canonical_key("doi:10.17632/abc123xyz.2") == "doi:10.17632/abc123xyz"
    assert canonical_key("github:a/b") == "github:a/b"


def test_zenodo_candidate_keys_and_refs() -> None:
    candidate = Candidate(
        source="zenodo",
        native_id="7711412",
        url="https://zenodo.org/records/7711412",
        title="Regensburg Pediatric Appendicitis Dataset",
        links=[
            "https://zenodo.org/records/7711412",
            "https://doi.org/10.5281/zenodo.7711412",
            "https://doi.org/10.5281/zenodo.7669442",
            "https://github.com/i6092467/pediatric-appendicitis-ml",
        ],
        doi="10.5281/zenodo.7711412",
        concept_doi="10.5281/zenodo.7669442",
        extra={"concept_recid": "7669442"},
    )
    keys, refs = item_keys(candidate)
    assert keys == {ZENODO_DOI, "doi:10.5281/zenodo.7669442"}
    assert refs == {"github:i6092467/pediatric-appendicitis-ml"}


def test_github_readme_doi_is_a_mention_not_the_repos_identity() -> None:
    candidate = Candidate(
        source="github",
        native_id="42",
        url="https://github.com/Alice/BUSI-Seg",
        title="Alice/BUSI-Seg",
        links=["https://doi.org/10.1016/j.dib.2019.104863"],
        doi="10.5281/zenodo.1",
    )
    made = item_from(candidate, "model")
    assert made.keys == {"github:alice/busi-seg"}
    assert made.refs == {"doi:10.1016/j.dib.2019.104863", "doi:10.5281/zenodo.1"}
    assert made.name == "BUSI-Seg" and made.id == "github:42" and not made.is_publication


def test_scholar_keys_its_own_link_and_mentions_what_the_snippet_links() -> None:
    candidate = Candidate(
        source="scholar",
        native_id="c1",
        url="https://github.com/openmedlab/USFM",
        title="USFM: a universal ultrasound foundation model",
        text="Code at https://github.com/other/tool and doi 10.1000/cited",
        links=["https://github.com/openmedlab/USFM", "https://github.com/other/tool", "https://doi.org/10.1000/cited"],
        doi="10.1000/cited",
        kind_hint="publication",
    )
    made = item_from(candidate, "model")
    assert made.keys == {"github:openmedlab/usfm"}
    assert made.refs == {"github:other/tool", "doi:10.1000/cited"}
    assert made.is_publication


def test_openalex_doi_and_locations_are_own_and_abstract_links_are_mentions() -> None:
    candidate = Candidate(
        source="openalex",
        native_id="W1",
        url="https://openalex.org/W1",
        title="A dataset",
        text="Data are available at https://zenodo.org/records/99.",
        links=["https://doi.org/10.1000/paper", "https://arxiv.org/abs/2401.00001", "https://zenodo.org/records/99"],
        doi="10.1000/paper",
        kind_hint="article",
    )
    keys, refs = item_keys(candidate)
    assert {"doi:10.1000/paper", "arxiv:2401.00001"} <= keys
    assert refs == {"doi:10.5281/zenodo.99"}


def test_huggingface_only_a_hub_minted_doi_is_its_own() -> None:
    base = dict(source="huggingface", native_id="dataset:o/busi", url="https://huggingface.co/datasets/o/busi", title="o/busi")
    own = item_keys(Candidate(**base, doi="10.57967/hf/1234"))
    cited = item_keys(Candidate(**base, doi="10.1016/j.dib.2019.104863"))
    assert "doi:10.57967/hf/1234" in own[0]
    assert "doi:10.1016/j.dib.2019.104863" in cited[1] and "doi:10.1016/j.dib.2019.104863" not in cited[0]


def test_catalogue_entry_from_characteristic_values() -> None:
    made = catalogue_entry_from(
        5,
        "dataset",
        "Tufts Medical Echocardiogram Dataset (TMED)",
        {"link": {"value": ["https://zenodo.org/records/8231412", "https://github.com/X/Y"]}, "doi": "10.5281/zenodo.8231412"},
    )
    assert made.keys == {"doi:10.5281/zenodo.8231412", "github:x/y"}
    assert made.aliases == ("TMED",)
    assert catalogue_entry_from(1, "dataset", "CAMUS", {"link": "https://camus.creatis.insa-lyon.fr/challenge/"}).keys


def test_name_forms_drop_packaging_words_and_keep_version_markers() -> None:
    assert name_forms("CAMUS dataset (official PyTorch implementation)")[0].squash == "camus"
    assert name_forms("BUSI-2")[0].squash == "busi2"
    assert name_forms("USFM: a universal foundation model")[1].text == "USFM"


# -- provenance, introduced names, packaging, one entry, index errors -------------------------------


def sourced(id: str, kind: str, name: str, keys: tuple[str, ...], refs: tuple[str, ...], sources: tuple[str, ...] = (),
            **kw) -> Item:
    base = item(id, kind, name, keys, refs, **kw)
    return Item(base.id, base.kind, base.name, base.title, base.keys, base.refs, base.is_publication,
                source_refs=frozenset(sources))


def test_source_refs_reads_provenance_sentences_and_skips_derivations() -> None:
    text = (
        "# Knee cartilage frames\n\n"
        "Frames exported as PNG for a class project.\n"
        "Downloaded from https://zenodo.org/records/4242 (CC BY 4.0).\n\n"
        "We also add new masks drawn on top of https://doi.org/10.1000/other-paper.\n\n"
        "## Credits\n\n"
        "https://github.com/kneelab/kneeviewer\n"
    )
    candidate = Candidate(source="kaggle", native_id="dataset:u/knee", url="", title="Knee cartilage frames", text=text)
    assert source_refs(candidate, "dataset") == {"doi:10.5281/zenodo.4242", "github:kneelab/kneeviewer"}
    # a model README credits code it borrowed: only copy words count for models
    assert source_refs(candidate, "model") == frozenset()
    mirror = Candidate(source="huggingface", native_id="model:x/m", url="", title="x/m",
                       text="Mirror of the official weights at https://github.com/lab/heartseg.")
    assert source_refs(mirror, "model") == {"github:lab/heartseg"}
    extended = Candidate(source="kaggle", native_id="dataset:u/e", url="", title="e",
                         text="This dataset extends the original one (https://zenodo.org/records/4242).")
    assert source_refs(extended, "dataset") == frozenset()
    listing = Candidate(source="kaggle", native_id="dataset:u/l", url="", title="l",
                        text="Sources: https://zenodo.org/records/1, https://zenodo.org/records/2 and "
                             "https://zenodo.org/records/3.")
    assert source_refs(listing, "dataset") == frozenset()


def test_a_renamed_copy_citing_its_origin_merges_and_a_variant_is_flagged() -> None:
    origin_key = "doi:10.5281/zenodo.4242"
    clusters = resolve(
        [
            item("zenodo:4242", "dataset", "Longitudinal carotid artery B-mode recordings", (origin_key,)),
            sourced("kaggle:dataset:u/plaque-frames", "dataset", "Plaque frames for YOLO training",
                    ("kaggle:datasets/u/plaque-frames",), (origin_key,), (origin_key,)),
            # cites the same record, but only as a mention: the names disagree, so a curator decides
            item("kaggle:dataset:v/cca-clips", "dataset", "CCA clips", ("kaggle:datasets/v/cca-clips",), (origin_key,)),
            # cites it as its original but is named as a new version of it
            sourced("kaggle:dataset:w/carotid-recordings-v2", "dataset", "Carotid artery B-mode recordings v2",
                    ("kaggle:datasets/w/carotid-recordings-v2",), (origin_key,), (origin_key,)),
        ],
        [],
    )
    assert together(clusters, "zenodo:4242", "kaggle:dataset:u/plaque-frames")
    assert not together(clusters, "zenodo:4242", "kaggle:dataset:v/cca-clips")
    assert flagged(clusters, "kaggle:dataset:v/cca-clips", "zenodo:4242")
    assert not together(clusters, "zenodo:4242", "kaggle:dataset:w/carotid-recordings-v2")
    assert flagged(clusters, "kaggle:dataset:w/carotid-recordings-v2", "zenodo:4242")


def test_a_copy_citing_the_data_paper_as_its_origin_joins_the_paper() -> None:
    paper = "doi:10.1000/data.2021.7"
    clusters = resolve(
        [
            item("openalex:W7", "dataset", "Ultrasound images of the median nerve at the wrist", (paper,), pub=True),
            sourced("huggingface:dataset:a/mn", "dataset", "mn-wrist", ("hf:datasets/a/mn",), (paper,), (paper,)),
            # the same citation without a provenance word: its own paper, or one it builds on?
            item("huggingface:dataset:b/nerve", "dataset", "nerve-crops", ("hf:datasets/b/nerve",), (paper,)),
        ],
        [],
    )
    assert together(clusters, "openalex:W7", "huggingface:dataset:a/mn")
    assert not together(clusters, "openalex:W7", "huggingface:dataset:b/nerve")
    assert flagged(clusters, "huggingface:dataset:b/nerve", "openalex:W7")


def test_a_compilation_citing_two_origins_merges_with_neither() -> None:
    a, b = "doi:10.5281/zenodo.11", "doi:10.5281/zenodo.22"
    clusters = resolve(
        [
            item("zenodo:11", "dataset", "Hanoi thyroid scans", (a,)),
            item("zenodo:22", "dataset", "Pisa thyroid cine loops", (b,)),
            sourced("kaggle:dataset:u/thyroid-all", "dataset", "All thyroid scans together",
                    ("kaggle:datasets/u/thyroid-all",), (a, b), (a, b)),
        ],
        [],
    )
    assert len(clusters) == 3


def test_names_a_paper_introduces_let_it_meet_its_data_without_a_link() -> None:
    paper = Candidate(
        source="openalex", native_id="W9", url="https://openalex.org/W9", kind_hint="article",
        title="Automated gallbladder wall assessment in point-of-care scans",
        text="Here we introduce the GB-Wall (Gallbladder Wall) dataset, 900 annotated clips. "
             "We present a new dataset split and release DICOM files. We propose SAM-based refinements.",
    )
    assert introduced_names(paper) == ("GB-Wall",)
    titled = Candidate(source="scholar", native_id="s", url="", title="Wrist fractures in children: the WristKid dataset")
    assert introduced_names(titled) == ("WristKid",)
    hub = Item("huggingface:dataset:lab/GB-Wall", "dataset", "GB-Wall", "lab/GB-Wall", frozenset({"hf:datasets/lab/gb-wall"}))
    paper_item = item_from(paper, "dataset")
    other = Item("openalex:W10", "dataset", "Gallbladder wall thickness in children", "Gallbladder wall thickness in "
                 "children", frozenset({"doi:10.1000/w10"}), is_publication=True,
                 aliases=("GB-Wall-2",))
    clusters = resolve([hub, paper_item, other], [])
    assert together(clusters, "huggingface:dataset:lab/GB-Wall", "openalex:W9")
    assert not together(clusters, "huggingface:dataset:lab/GB-Wall", "openalex:W10")  # a look-alike name


def test_readme_title_heading_names_the_repository() -> None:
    readme = Candidate(source="github", native_id="1", url="https://github.com/u/hipdata", title="u/hipdata",
                       text="Infant hips.\n\n# Open Hip Ultrasound Data Set\n\nImages of ...")
    assert introduced_names(readme) == ("Open Hip Ultrasound Data Set",)
    boilerplate = Candidate(source="github", native_id="2", url="", title="u/x",
                            text="# Getting Started Guide\n\nNote: run make.\n")
    assert introduced_names(boilerplate) == ()
    tagline = Candidate(source="github", native_id="3", url="", title="u/covus",
                        text="LUSCovid-X: lung ultrasound videos (MICCAI 2024) of COVID-19 patients")
    assert introduced_names(tagline) == ("LUSCovid-X",)
    clusters = resolve([item_from(readme, "dataset")], [entry(5, "dataset", "The Open Hip Ultrasound Dataset")])
    assert clusters[0].catalogue_match == 5


def test_one_owners_repository_and_its_hub_size_are_one_model() -> None:
    def repo(id_: str, name: str, key: str, refs: tuple[str, ...]) -> Item:
        return item(id_, "model", name, (key,), refs)

    clusters = resolve(
        [
            repo("github:1", "kneeseg", "github:sono-lab/kneeseg", ("hf:models/sono-lab/kneeseg-large",)),
            repo("huggingface:model:sono-lab/kneeseg-large", "kneeseg-large", "hf:models/sono-lab/kneeseg-large", ()),
            # another owner's upload with a size suffix, linked: not the owner's release
            repo("github:2", "hipseg", "github:alice/hipseg", ("hf:models/bob/hipseg-base",)),
            repo("huggingface:model:bob/hipseg-base", "hipseg-base", "hf:models/bob/hipseg-base", ()),
            # the owner's lighter variant is another model
            repo("github:3", "wristnet", "github:carol/wristnet", ("hf:models/carol/wristnet-lite",)),
            repo("huggingface:model:carol/wristnet-lite", "wristnet-lite", "hf:models/carol/wristnet-lite", ()),
        ],
        [],
    )
    assert together(clusters, "github:1", "huggingface:model:sono-lab/kneeseg-large")
    assert not together(clusters, "github:2", "huggingface:model:bob/hipseg-base")
    assert not together(clusters, "github:3", "huggingface:model:carol/wristnet-lite")
    assert flagged(clusters, "github:3", "huggingface:model:carol/wristnet-lite")


def test_an_owner_with_several_sizes_on_the_hub_gets_a_flag_not_a_merge() -> None:
    clusters = resolve(
        [
            item("github:1", "model", "thyrofm", ("github:t-lab/thyrofm",),
                 ("hf:models/t-lab/thyrofm-base", "hf:models/t-lab/thyrofm-large")),
            item("huggingface:model:t-lab/thyrofm-base", "model", "thyrofm-base", ("hf:models/t-lab/thyrofm-base",)),
            item("huggingface:model:t-lab/thyrofm-large", "model", "thyrofm-large", ("hf:models/t-lab/thyrofm-large",)),
        ],
        [],
    )
    assert len(clusters) == 3
    assert flagged(clusters, "github:1", "huggingface:model:t-lab/thyrofm-base")


def test_records_matched_to_one_entry_become_one_candidate() -> None:
    catalogue = [entry(9, "dataset", "LOTUS", ("doi:10.1000/lotus",)),
                 entry(10, "dataset", "Thyroid Nodule Ultrasound Images")]
    clusters = resolve(
        [
            item("kaggle:dataset:u/lotus", "dataset", "LOTUS", ("kaggle:datasets/u/lotus",)),
            item("openalex:W1", "dataset", "A liver tumour video collection from three centres",
                 ("doi:10.1000/lotus",), pub=True),
            # known only by a generic long title: a match, but not proof that two uploads are one resource
            item("kaggle:dataset:p/thyroid", "dataset", "Thyroid Nodule Ultrasound Images", ("kaggle:datasets/p/thyroid",)),
            item("huggingface:dataset:h/thyroid", "dataset", "Thyroid Nodule Ultrasound Images",
                 ("hf:datasets/h/thyroid",)),
            # two GitHub owners' repositories known only by name keep the owner veto
            item("github:5", "dataset", "LOTUS", ("github:alice/lotus",)),
            item("github:6", "dataset", "LOTUS", ("github:bob/lotus",)),
        ],
        catalogue,
    )
    forks = resolve(
        [
            # the entry's own repository, and another owner's repository citing the entry's paper
            item("github:7", "model", "EchoPilot", ("github:echo-lab/echopilot",)),
            item("github:8", "model", "EchoPilot", ("github:someone/echopilot",), ("doi:10.1000/pilot",)),
            # an irrelevant record holding the entry's key is known, but joins nothing by it
            item("zenodo:9", "other", "slides", ("doi:10.1000/pilot",)),
        ],
        [entry(11, "model", "EchoPilot", ("github:echo-lab/echopilot", "doi:10.1000/pilot"))],
    )
    assert cluster_of(forks, "github:7").catalogue_match == 11
    assert not together(forks, "github:7", "github:8")
    assert not together(forks, "github:7", "zenodo:9")
    assert together(clusters, "kaggle:dataset:u/lotus", "openalex:W1")
    assert cluster_of(clusters, "openalex:W1").catalogue_match == 9
    assert not together(clusters, "kaggle:dataset:p/thyroid", "huggingface:dataset:h/thyroid")
    assert not together(clusters, "github:5", "github:6")


def test_short_identical_titles_on_two_indexes_are_one_paper_unless_years_differ() -> None:
    def paper(id_: str, key: str, year: int | None) -> Item:
        title = "Dataset of carotid artery videos"
        return Item(id_, "dataset", title, title, frozenset({key}), is_publication=True, year=year)

    clusters = resolve(
        [
            paper("openalex:W1", "doi:10.1000/a", 2021),
            paper("scholar:s1", "sciencedirect.com/science/article/pii/a", 2022),
            paper("openalex:W2", "doi:10.1000/b", 2021),  # same index, same title: two works
            paper("scholar:s2", "journal.example/b", 2016),  # five years apart: another paper
        ],
        [],
    )
    assert together(clusters, "openalex:W1", "scholar:s1")
    assert not together(clusters, "openalex:W1", "openalex:W2")
    assert not together(clusters, "openalex:W1", "scholar:s2")


def test_a_doi_on_two_unrelated_paper_titles_is_an_index_error_not_one_paper() -> None:
    doi = "doi:10.1000/shared"
    clusters = resolve(
        [
            item("openalex:W1", "dataset", "Shoulder rotator cuff tears imaged with handheld probes", (doi,), pub=True),
            item("openalex:W2", "dataset", "Neonatal cranial sonography atlas of germinal matrix bleeds", (doi,), pub=True),
            item("scholar:s1", "dataset", "Shoulder rotator cuff tears imaged with handheld probes", (doi,), pub=True),
        ],
        [],
    )
    assert together(clusters, "openalex:W1", "scholar:s1")
    assert not together(clusters, "openalex:W1", "openalex:W2")
    assert flagged(clusters, "openalex:W1", "openalex:W2")


def test_catalogue_lookups_under_base_name_owner_name_and_coined_spelling() -> None:
    catalogue = [
        entry(1, "dataset", "KneeScan"),
        entry(2, "model", "Fetus Net Head"),
        entry(3, "model", "CardioNet"),
    ]
    clusters = resolve(
        [
            item("zenodo:1", "dataset", "KneeScan-test split", ("doi:10.5281/zenodo.1",)),
            item("zenodo:2", "dataset", "KneeScan-3D", ("doi:10.5281/zenodo.2",)),  # a variant: not matched
            item("github:3", "model", "head", ("github:fetusnet/head",), title="fetusnet/head"),
            item("github:4", "model", "head", ("github:alice/head",), title="alice/head"),
            item("huggingface:model:x/cardio-net", "model", "cardio-net", ("hf:models/x/cardio-net",)),
            item("huggingface:model:y/cardio", "model", "cardio", ("hf:models/y/cardio",)),
        ],
        catalogue,
    )
    assert cluster_of(clusters, "zenodo:1").catalogue_match == 1
    assert cluster_of(clusters, "zenodo:2").catalogue_match is None
    assert cluster_of(clusters, "github:3").catalogue_match == 2
    assert cluster_of(clusters, "github:4").catalogue_match is None
    assert cluster_of(clusters, "huggingface:model:x/cardio-net").catalogue_match == 3
    assert cluster_of(clusters, "huggingface:model:y/cardio").catalogue_match is None


def test_a_copy_naming_a_body_part_or_citing_the_entry_as_origin_matches_it() -> None:
    zen = "doi:10.5281/zenodo.77"
    catalogue = [entry(4, "dataset", "PX31", (zen,))]
    clusters = resolve(
        [
            item("kaggle:dataset:a/px31-wrist", "dataset", "PX31 wrist", ("kaggle:datasets/a/px31-wrist",), (zen,)),
            sourced("kaggle:dataset:b/frames", "dataset", "Forearm frames for teaching", ("kaggle:datasets/b/frames",),
                    (zen,), (zen,)),
            item("kaggle:dataset:c/px31-3d", "dataset", "PX31 3D", ("kaggle:datasets/c/px31-3d",), (zen,)),
        ],
        catalogue,
    )
    assert cluster_of(clusters, "kaggle:dataset:a/px31-wrist").catalogue_match == 4
    assert cluster_of(clusters, "kaggle:dataset:b/frames").catalogue_match == 4
    assert cluster_of(clusters, "kaggle:dataset:c/px31-3d").catalogue_match is None


def test_camelcase_coinage_is_a_name_even_when_it_spells_a_domain_word() -> None:
    camel = name_forms("CardioNet-Adult")[0]
    plain = name_forms("cardionet-adult")[0]
    assert camel.specific and not plain.specific
    clusters = resolve(
        [
            item("github:1", "dataset", "CardioNet-Adult", ("github:a/cardionet-adult",)),
            item("zenodo:1", "dataset", "CardioNet-Adult", ("doi:10.5281/zenodo.1",)),
            item("github:2", "dataset", "Cardiac Adult", ("github:b/cardiac-adult",)),
            item("zenodo:2", "dataset", "Cardiac Adult", ("doi:10.5281/zenodo.2",)),
        ],
        [],
    )
    assert together(clusters, "github:1", "zenodo:1")
    assert not together(clusters, "github:2", "zenodo:2")


def test_data_set_is_spelled_dataset_and_a_leading_the_is_dropped() -> None:
    assert name_forms("The Open Hip Data Set")[0].spelled == name_forms("Open Hip Dataset")[0].spelled


def test_readme_arxiv_id_without_url_is_a_mention() -> None:
    candidate = Candidate(source="github", native_id="9", url="https://github.com/u/r", title="u/r",
                          text="Please cite Doe et al., arXiv:2301.01234 (2023).")
    _, refs = item_keys(candidate)
    assert "arxiv:2301.01234" in refs


def test_a_flag_is_dropped_when_later_evidence_joins_the_pair() -> None:
    clusters = resolve(
        [
            item("github:1", "model", "OrbitSeg", ("github:o/orbitseg",), ("arxiv:2401.1",)),
            item("scholar:s", "model", "Orbital ultrasound segmentation", ("arxiv:2401.1",), ("github:o/orbitseg",),
                 pub=True),
        ],
        [],
    )
    assert len(clusters) == 1 and clusters[0].uncertain == []


def _synthetic(n_items: int, n_entries: int):
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "bench" / "dedupe_bench.py"
    spec = importlib.util.spec_from_file_location("dedupe_bench", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module.Generator(3, n_items, n_entries).generate()


def _forkable(monkeypatch: pytest.MonkeyPatch) -> bool:
    """Whether a helper can be forked here; threads other tests left behind (idle servers) do not count."""
    from crawler import parallel

    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    return parallel.can_fork()


def test_a_helper_process_changes_the_time_not_the_result(monkeypatch: pytest.MonkeyPatch) -> None:
    from crawler import dedupe

    if not _forkable(monkeypatch):
        pytest.skip("needs fork and 2+ CPUs")

    items, catalogue = _synthetic(4000, 400)
    apart = [(items[0].id, items[1].id)]
    monkeypatch.setattr(dedupe, "PARALLEL_MIN", 10**9)
    alone = resolve(items, catalogue, keep_apart=apart)
    answers = []

    class Counted:  # the real helper, its answers counted
        def __init__(self, fn):
            self.job = real_in_child(fn)

        def result(self):
            answer = self.job.result()
            answers.append(answer is not None)
            return answer

        def send(self, message):
            self.job.send(message)

        def close(self):
            self.job.close()

    real_in_child = dedupe.in_child
    monkeypatch.setattr(dedupe, "PARALLEL_MIN", 0)
    monkeypatch.setattr(dedupe, "in_child", Counted)
    helped = resolve(items, catalogue, keep_apart=apart)
    assert answers == [True, True]  # the name forms, then the catalogue look-ups and look-alike pairs
    assert helped == alone
    assert sum(1 for c in alone if len(c.ids) > 1) > 100 and sum(1 for c in alone if c.catalogue_match) > 50


class _Failing:
    """A helper that answers the first ``answers`` questions (for real) and then dies."""

    def __init__(self, fn, answers: int) -> None:
        from crawler import parallel

        self.job = parallel.in_child(fn) if answers else None
        self.answers = answers

    def result(self):
        if self.answers == 0:
            return None
        self.answers -= 1
        return self.job.result()

    def send(self, message) -> None:
        if self.job is not None:
            self.job.send(message)

    def close(self) -> None:
        if self.job is not None:
            self.job.close()


@pytest.mark.parametrize("answers", [0, 1])
def test_a_failed_helper_costs_time_not_results(monkeypatch: pytest.MonkeyPatch, answers: int) -> None:
    from crawler import dedupe

    if answers and not _forkable(monkeypatch):
        pytest.skip("needs fork and 2+ CPUs")
    items, catalogue = _synthetic(1500, 150)
    monkeypatch.setattr(dedupe, "PARALLEL_MIN", 10**9)
    alone = resolve(items, catalogue)
    monkeypatch.setattr(dedupe, "PARALLEL_MIN", 0)
    monkeypatch.setattr(dedupe, "in_child", lambda fn: _Failing(fn, answers))
    assert resolve(items, catalogue) == alone

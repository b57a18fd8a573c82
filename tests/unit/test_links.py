"""Finding and normalising links, DOIs and arXiv ids in free text."""

from __future__ import annotations

import pytest

from crawler.links import clean_url, data_dois, find_arxiv_ids, find_dois, find_links, find_urls, normalise_url

# -- find_dois -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see doi:10.1000/ABC.123.", ["10.1000/abc.123"]),
        ("(10.5281/zenodo.7711412),", ["10.5281/zenodo.7711412"]),
        ("https://doi.org/10.5281/ZENODO.7711412;", ["10.5281/zenodo.7711412"]),
        ("<https://doi.org/10.1109/TMI.2022.3147854>.", ["10.1109/tmi.2022.3147854"]),
        ("10.1000/x!  and 10.1000/y?", ["10.1000/x", "10.1000/y"]),
        ("10.1000/x and again 10.1000/X.", ["10.1000/x"]),
        ("https://example.org/paper/10.1000/abc.pdf", ["10.1000/abc"]),
        ("no doi here, just 10.1 and 2023", []),
        ("", []),
    ],
)
def test_find_dois(text: str, expected: list[str]) -> None:
    assert find_dois(text) == expected


def test_find_dois_tolerates_none() -> None:
    assert find_dois(None) == []  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Elsevier / Wiley DOIs contain parentheses; cutting at "(" yields another, wrong DOI.
        ("Lancet 395, 497 (2020). 10.1016/S0140-6736(20)30183-5.", ["10.1016/s0140-6736(20)30183-5"]),
        ("(see 10.1016/S0140-6736(20)30183-5)", ["10.1016/s0140-6736(20)30183-5"]),
    ],
)
def test_find_dois_keeps_balanced_parentheses(text: str, expected: list[str]) -> None:
    assert find_dois(text) == expected


def test_data_dois_keeps_repository_prefixes_only() -> None:
    dois = ["10.1109/tmi.2022.1", "10.5281/zenodo.1", "10.6084/m9.figshare.2", "10.17632/abc.1"]
    assert data_dois(dois) == ["10.5281/zenodo.1", "10.6084/m9.figshare.2", "10.17632/abc.1"]


# -- find_urls / find_arxiv_ids / find_links -------------------------------------


def test_find_urls_strips_trailing_punctuation_and_markdown() -> None:
    text = "Code: <https://github.com/a/b>. Data (https://zenodo.org/records/1), **https://x.org/y**"
    assert find_urls(text) == ["https://github.com/a/b", "https://zenodo.org/records/1", "https://x.org/y"]


def test_clean_url_keeps_balanced_closing_bracket() -> None:
    assert clean_url("https://en.wikipedia.org/wiki/Ultrasound_(disambiguation))") == (
        "https://en.wikipedia.org/wiki/Ultrasound_(disambiguation)"
    )
    assert clean_url("https://example.org/a).") == "https://example.org/a"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("*arXiv preprint arXiv:2304.03941* (2023)", ["2304.03941"]),
        ("arXiv:2103.10003v2", ["2103.10003"]),
        ("https://arxiv.org/abs/2406.00644 and https://arxiv.org/pdf/2406.00644v1", ["2406.00644"]),
        ("version 2304.03941 without the arXiv prefix", []),
    ],
)
def test_find_arxiv_ids(text: str, expected: list[str]) -> None:
    assert find_arxiv_ids(text) == expected


def test_find_links_turns_ids_into_urls_and_lists_each_resource_once() -> None:
    text = (
        "See <https://github.com/a/b>. Also https://doi.org/10.5281/zenodo.1 and doi 10.5281/zenodo.1, "
        "arXiv:2304.03941v2 and https://arxiv.org/abs/2304.03941."
    )
    assert find_links(text) == [
        "https://github.com/a/b",
        "https://doi.org/10.5281/zenodo.1",
        "https://arxiv.org/abs/2304.03941",
    ]


def test_find_links_doi_url_is_canonicalised() -> None:
    assert find_links("https://dx.doi.org/10.5281/ZENODO.7711412") == ["https://doi.org/10.5281/zenodo.7711412"]


def test_find_links_empty() -> None:
    assert find_links("") == []
    assert find_links("no links at all") == []


# -- normalise_url ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://github.com/Owner/Repo", "github:owner/repo"),
        ("https://www.github.com/Owner/Repo/", "github:owner/repo"),
        ("http://github.com/owner/repo.git", "github:owner/repo"),
        ("https://github.com/owner/repo/tree/main/data", "github:owner/repo"),
        ("https://www.kaggle.com/datasets/User/Breast-US/", "kaggle:datasets/user/breast-us"),
        ("https://kaggle.com/competitions/ultrasound-nerve-segmentation", "kaggle:competitions/ultrasound-nerve-segmentation"),
        ("https://www.kaggle.com/models/Org/Net/pyTorch/default", "kaggle:models/org/net"),
        ("https://huggingface.co/datasets/Org/Name", "hf:datasets/org/name"),
        ("https://huggingface.co/Org/Model/tree/main", "hf:models/org/model"),
        ("https://huggingface.co/spaces/a/b/", "hf:spaces/a/b"),
        ("https://zenodo.org/records/7711412", "zenodo:7711412"),
        ("https://zenodo.org/record/7711412/", "zenodo:7711412"),
        ("https://www.zenodo.org/records/7711412/files/data.zip", "zenodo:7711412"),
        ("https://doi.org/10.5281/ZENODO.7711412", "doi:10.5281/zenodo.7711412"),
        ("http://dx.doi.org/10.5281/zenodo.7711412", "doi:10.5281/zenodo.7711412"),
        ("doi:10.5281/zenodo.7711412", "doi:10.5281/zenodo.7711412"),
        ("https://arxiv.org/abs/2304.03941v2", "arxiv:2304.03941"),
        ("https://arxiv.org/pdf/2304.03941.pdf", "arxiv:2304.03941"),
        ("http://www.Example.com/Path/", "example.com/Path"),
        ("https://example.com:443/a", "example.com/a"),
        ("https://example.com//a///b/", "example.com/a/b"),
        ("https://example.com/a?utm_source=x&b=1", "example.com/a?b=1"),
        ("https://user.github.io/Site/", "user.github.io/site"),
        ("example.com/a/", "example.com/a"),
    ],
)
def test_normalise_url(url: str, key: str) -> None:
    assert normalise_url(url) == key


def test_normalise_url_doi_with_trailing_slash() -> None:
    # The same DOI with and without a trailing slash must be one join key.
    assert normalise_url("https://doi.org/10.5281/zenodo.7711412/") == "doi:10.5281/zenodo.7711412"
    assert find_dois("https://doi.org/10.5281/zenodo.7711412/") == ["10.5281/zenodo.7711412"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://github.com/Owner/Repo", "http://www.github.com/owner/repo/"),
        ("https://doi.org/10.5281/zenodo.1", "https://dx.doi.org/10.5281/ZENODO.1"),
        ("https://arxiv.org/abs/2304.03941", "https://arxiv.org/pdf/2304.03941v3"),
        ("https://www.example.org/data/", "http://example.org/data"),
    ],
)
def test_same_resource_same_key(a: str, b: str) -> None:
    assert normalise_url(a) == normalise_url(b)


def test_different_resources_different_keys() -> None:
    assert normalise_url("https://github.com/a/b") != normalise_url("https://github.com/a/c")
    assert normalise_url("https://zenodo.org/records/1") != normalise_url("https://zenodo.org/records/2")

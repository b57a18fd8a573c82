"""The field value contract of docs/fields.md as code: each canonical key's type,
how a curator's text becomes a typed value, and validation. Pure.

Used by review (``--set KEY=VALUE`` and the web form), the what-if scorer and
tests of the extractors, so a value of the wrong type is refused in one place.
"""

from __future__ import annotations

import re
from typing import Any

from crawler.errors import InputError
from crawler.rubric import Rubric

SCANNING_MODES = ("2D freehand", "2D standard planes", "2D+t", "3D", "3D reconstructed from 2D")
TASKS = (
    "Image Enhancement", "Generation", "Pre-training / Foundation Model", "Detection", "Segmentation",
    "Estimation", "Classification", "Post-processing", "Report Generation", "Scanning-Guide", "Explainability",
    "Reconstruction", "Registration", "Localization", "Tracking",
)
FRAMEWORKS = ("PyTorch", "TensorFlow", "Keras", "JAX", "MONAI", "PaddlePaddle", "MXNet", "scikit-learn")
UNITS = ("images", "videos", "volumes", "patients", "frames", "sequences")

BOOL_KEYS = frozenset({
    "multimodal_text_image", "doppler", "b_mode",
    "training_data_public", "weights_public", "code_shared", "training_details", "study_objective",
    "funding_statement", "competing_interests", "authorship", "author_contributions",
    "code_availability_statement", "software_citations",
})
INT_KEYS = frozenset({"total_size", "operator_count"})
LIST_KEYS = frozenset({"anatomy", "scanning_mode", "geography", "link", "training_datasets"})
ENUMS: dict[str, tuple[str, ...]] = {
    "access": ("OA", "AR"),
    "machines": ("single", "multiple"),
    "centres": ("single", "multiple"),
    "framework": FRAMEWORKS,
}
TRUE_WORDS = frozenset({"yes", "y", "true", "1"})
FALSE_WORDS = frozenset({"no", "n", "false", "0"})


def value_type(key: str, kind: str) -> str:
    """``bool``, ``int``, ``list``, ``enum`` or ``text``; a dataset's ethics_statement is text, a model's a bool."""
    if key == "ethics_statement":
        return "bool" if kind == "model" else "text"
    if key in BOOL_KEYS:
        return "bool"
    if key in INT_KEYS:
        return "int"
    if key in LIST_KEYS:
        return "list"
    if key in ENUMS:
        return "enum"
    return "text"


def check_key(key: str, kind: str, rubric: Rubric) -> None:
    known = rubric.keys_for(kind)
    if key not in known:
        raise InputError(f"unknown {kind} characteristic {key!r}; known: {', '.join(known)}")


def parse_value(key: str, text: str, kind: str, rubric: Rubric) -> Any:
    """A curator's text (``--set KEY=VALUE`` or a form field) as the key's typed value."""
    check_key(key, kind, rubric)
    text = text.strip()
    if not text:
        raise InputError(f"{key}: empty value; use --clear {key} to remove a value")
    kind_of = value_type(key, kind)
    if kind_of == "bool":
        low = text.lower()
        if low in TRUE_WORDS:
            return True
        if low in FALSE_WORDS:
            return False
        raise InputError(f"{key} takes yes or no, not {text!r}")
    if kind_of == "int":
        digits = text.replace(",", "").replace("_", "")
        if not re.fullmatch(r"\d+", digits):
            raise InputError(f"{key} takes a whole number, not {text!r}")
        return int(digits)
    if kind_of == "list":
        items = [item.strip() for item in re.split(r"[;,]", text) if item.strip()]
        return validate(key, [i.lower() for i in items] if key == "anatomy" else items, kind, rubric)
    return validate(key, text, kind, rubric)


def validate(key: str, value: Any, kind: str, rubric: Rubric) -> Any:
    """Check a typed value against its key's contract; returns it (normalised) or raises."""
    check_key(key, kind, rubric)
    kind_of = value_type(key, kind)
    if kind_of == "bool" and not isinstance(value, bool):
        raise InputError(f"{key} takes yes or no")
    if kind_of == "int" and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise InputError(f"{key} takes a whole number")
    if kind_of == "list":
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            raise InputError(f"{key} takes a list of names")
        if key == "scanning_mode":
            bad = [v for v in value if v not in SCANNING_MODES]
            if bad:
                raise InputError(f"scanning_mode: {', '.join(bad)} not one of {', '.join(SCANNING_MODES)}")
    if kind_of == "enum":
        choices = ENUMS[key]
        match = next((c for c in choices if isinstance(value, str) and c.lower() == value.strip().lower()), None)
        if match is None:
            raise InputError(f"{key} takes one of {', '.join(choices)}, not {value!r}")
        return match
    if kind_of == "text" and (not isinstance(value, str) or not value.strip()):
        raise InputError(f"{key} takes text")
    return value

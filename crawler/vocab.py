"""Controlled vocabularies: anatomy terms and the anatomy groups of the paper's figures.

Pure data and pure functions; shared by the baseline loader, triage's
normalisers, the statistics and the published figures.
"""

from __future__ import annotations

import re

# canonical anatomy term -> (group, regex of the words that mean it)
ANATOMY: dict[str, tuple[str, str]] = {
    "heart": ("heart", r"heart(?! of)|cardiac|cardio\w*|echocardiogra\w*|echo(?:net)?\b(?![- ](?:times?|state|chambers?))|ventric\w*|atri(?:um|al)|aortic valve|aortic stenosis|mitral|myocard\w*|four[- ]chamber"),
    "fetus": ("fetal / obstetric", r"fetus|fetal|foetal|foetus|obstetric\w*|pregnan\w*|maternal|placenta\w*|umbilical|gestation\w*|amniotic|nuchal|fetal head|biometry"),
    "cervix": ("fetal / obstetric", r"cervix|cervical length"),
    "breast": ("breast", r"breast|mammar\w*|axilla\w*"),
    "thyroid": ("thyroid", r"thyroid|thyroid nodule\w*"),
    "neck": ("thyroid", r"\bneck\b|lymph nodes? of the neck|cervical lymph nodes?|parotid|salivary glands?|submandibular"),
    "lung": ("lung", r"lungs?|pulmonar\w*|pleura\w*|b-lines?|covid|pneumon\w*|thora\w*"),
    "liver": ("liver", r"liver|hepat\w*|fatty liver|steatosis"),
    "kidney": ("kidney", r"kidneys?|renal"),
    "prostate": ("prostate", r"prostat\w*"),
    "brain": ("brain", r"brain|cerebr\w*|glioma|neuro(?:logical|surgery|surgical|imag\w*)\b|cranial|intracranial"),
    "carotid artery": ("vascular", r"carotid\w*|intima[- ]media"),
    "blood vessels": ("vascular", r"vascular\w*|vessels?|arter(?:y|ies)|vein\w*|microbubble\w*|aorta|doppler flow"),
    "muscle": ("musculoskeletal", r"muscles?|muscular|tendons?|fascicle\w*|multifidus|musculoskeletal|msk"),
    "knee": ("musculoskeletal", r"knees?|cartilage|(?:knee|hip|shoulder|elbow|finger) joints?"),
    "arm": ("musculoskeletal", r"\barms?\b(?! race)|forearms?|wrists?|hands?(?! in|[- ](?:crafted|held|made|engineered|labell?ed|on))(?<!other hand)|elbows?|shoulders?"),
    "leg": ("musculoskeletal", r"\blegs?\b|calf|thigh|ankle|hip|femur|femoral|achilles|plantar fascia"),
    "spine": ("musculoskeletal", r"spine|spinal|lumbar|vertebra\w*"),
    "nerve": ("nerve", r"nerves?|brachial plexus|plexus|regional anesthesia|regional anaesthesia|carpal tunnel"),
    "gallbladder": ("abdomen", r"gall ?bladder|biliary"),
    "pancreas": ("abdomen", r"pancrea\w*"),
    "abdomen": ("abdomen", r"abdom\w*|appendi\w*|intestin\w*|bowel|colon|stomach|spleen|gastro\w*|transabdominal"),
    "ovary": ("gynaecology", r"ovar\w*|polycystic|pcos|uter\w*|endometri\w*|fibroid\w*|gyn(?:a)?ecolog\w*"),
    "bladder": ("urology", r"urinary bladder|\bbladder\b|urolog\w*|testi(?:s|cles?|cular)|scrot\w*"),
    "skin": ("skin", r"skin|dermat\w*|cutaneous"),
    "eye": ("eye", r"\beyes?\b|ocular|ophthalm\w*|retina\w*"),
    "phantom": ("phantom", r"phantoms?"),
    "non-human": ("non-human", r"non-human|mouse|mice|murine|rat\b|rats\b|porcine|pig\b|animal|canine|bovine|ovine|sheep|rabbits?|zebrafish|equine"),
}

_COMPILED = {term: re.compile(rf"(?<![\w-])(?:{pattern})(?![\w])", re.I) for term, (_, pattern) in ANATOMY.items()}

GROUP_ORDER = (
    "heart", "fetal / obstetric", "breast", "thyroid", "lung", "liver", "kidney", "prostate", "brain",
    "vascular", "musculoskeletal", "nerve", "abdomen", "gynaecology", "urology", "skin", "eye", "phantom",
    "non-human", "other",
)


def anatomy_terms(text: str) -> list[str]:
    """Canonical anatomy terms mentioned in ``text``, in vocabulary order."""
    return [term for term, pattern in _COMPILED.items() if pattern.search(text)]


def split_anatomy(cell: str) -> list[str]:
    """Split a table cell such as "Thyroid, Liver, and Carotid Artery" into lowercase items."""
    parts = re.split(r",|;|\band\b|&", cell)
    items = []
    for part in parts:
        item = " ".join(part.split()).strip(" .").lower()
        if item and item not in items:
            items.append(item)
    return items


def anatomy_groups(items: list[str]) -> list[str]:
    """The figure groups an entry's anatomy falls in (``other`` when none matches)."""
    groups: list[str] = []
    for item in items:
        terms = anatomy_terms(item)
        if "fetus" in terms:  # a fetal organ belongs to the obstetric group, not the adult organ's
            terms = ["fetus"]
        for term in terms or ["other"]:
            group = ANATOMY[term][0] if term in ANATOMY else "other"
            if group not in groups:
                groups.append(group)
    # A phantom or animal study of an organ is still that organ's group too,
    # but "other" only when nothing else matched.
    if len(groups) > 1 and "other" in groups:
        groups.remove("other")
    return sorted(groups, key=GROUP_ORDER.index)

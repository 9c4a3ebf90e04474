"""What each profile runs, as `models/spacy/profiles.toml` states it.

Both profiles read fugashi + UniDic-lite tokens with the same rules (`pipeline.mentions`). `fast` has
no neural network, so it needs no spaCy: the annotator hands the tokens to the rules directly.
`accurate` runs the spaCy pipeline `pipeline.nlp` builds, whose trained recognizer proposes names
before the rules.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from pipeline.paths import MODELS
from pipeline.types import PROFILES


@lru_cache(maxsize=1)
def _config() -> dict:
    with open(MODELS / "spacy" / "profiles.toml", "rb") as fh:
        return tomllib.load(fh)


def profile_config(profile: str) -> dict:
    """The profile's table from profiles.toml; ValueError for a profile that does not exist."""
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
    return _config()[profile]


def uses_spacy(profile: str) -> bool:
    """True when the profile runs a trained component, which only a spaCy pipeline hosts."""
    return "trained_ner" in profile_config(profile)


def trained_model(profile: str) -> Path | None:
    """The folder of the profile's trained component, None for a profile without one."""
    trained = profile_config(profile).get("trained_ner")
    return MODELS / trained["path"] if trained else None

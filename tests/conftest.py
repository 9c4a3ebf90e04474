"""Fixtures shared by the name tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

NerFn = Callable[[str], list[tuple[int, int, str]]]


@pytest.fixture(scope="session")
def trained_ner() -> NerFn:
    """The accurate profile's trained recognizer alone: text -> (start, end, label) spans."""
    from pipeline.nlp import build_nlp

    nlp = build_nlp("accurate")
    recognizer = nlp.get_pipe("jnews_trained_ner")
    return lambda text: list(recognizer(nlp.make_doc(text))._.ner)

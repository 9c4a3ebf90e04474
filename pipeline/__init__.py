"""Japanese news extraction: who, when, how much, how many and what happened, as tables.

    import pipeline
    tables = pipeline.extract(["corpus/articles"], out="out")
    events = pipeline.load_events("out")
    pipeline.annotate("ゆうちょ銀行は約6000万円の被害を発表した")
    pipeline.parse_number("六千万")

Names are imported on first use, so `import pipeline.values.money` does not load spaCy.
"""

from importlib import import_module

_API = {
    "annotate": "pipeline.annotator",
    "extract": "pipeline.job",
    "Tables": "pipeline.tables",
    "load_articles": "pipeline.tables",
    "load_mentions": "pipeline.tables",
    "load_events": "pipeline.tables",
    "load_rejects": "pipeline.tables",
    "load_timeline": "pipeline.tables",
    "Article": "pipeline.types",
    "Event": "pipeline.types",
    "Mention": "pipeline.types",
    "parse_number": "pipeline.values.numbers",
}

__all__ = sorted(_API)


def __getattr__(name: str):
    if name not in _API:
        raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
    value = getattr(import_module(_API[name]), name)
    globals()[name] = value
    return value

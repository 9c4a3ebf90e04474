from datetime import date, datetime

import pytest

from pipeline.tables import as_day, granularity_of


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2020-09-24", date(2020, 9, 24)),
        ("2024-06", date(2024, 6, 1)),
        (date(2020, 10, 31), date(2020, 10, 31)),
        (datetime(2020, 9, 14, 19, 0), date(2020, 9, 14)),
        ("not a date", None),
        (None, None),
    ],
)
def test_as_day(value, day):
    assert as_day(value) == day


def test_granularity_of():
    assert [granularity_of(v) for v in ("2020-09-24", "2024-06", "2020", None)] == [
        "day",
        "month",
        "year",
        None,
    ]

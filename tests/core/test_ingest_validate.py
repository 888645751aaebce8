"""Cell cleaning: ids, numbers, dates, events."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lrec_desktop.core.ingest.dates import UNIX, UNIX_MS, detect_date_format, parse_dates
from lrec_desktop.core.ingest.validate import (
    is_cancel_status,
    normalise_event,
    normalise_id,
    parse_in_stock,
    parse_number,
    strip_html,
)


def s(*values: str) -> pd.Series:
    return pd.Series(list(values), dtype=object)


def test_normalise_id() -> None:
    ids = normalise_id(s(" 17850.0 ", "17850", "00123", "0042.00", "85123A", "12.5", "A.0", "", "1e5"))
    assert ids.tolist() == ["17850", "17850", "00123", "0042", "85123A", "12.5", "A.0", "", "1e5"]


def test_parse_number_accepts_shop_spellings() -> None:
    numbers, failed = parse_number(
        s("2.55", "2,55", "€12.50", "1.234,56", "1,234.56", "1,234", "-3", "", "lots", "3 pcs", "inf")
    )
    assert numbers[:7].tolist() == [2.55, 2.55, 12.5, 1234.56, 1234.56, 1234.0, -3.0]
    assert np.isnan(numbers[7]) and not failed[7]
    assert failed[8:].tolist() == [True, True, True]


def test_in_stock() -> None:
    assert parse_in_stock(s("12", "0", "-1", "out of stock", "No", "false", "In stock", "", "3 left")).tolist() == [
        1,
        0,
        0,
        0,
        0,
        0,
        1,
        None,
        1,
    ]


def test_strip_html() -> None:
    assert strip_html(s("<p>Soft <b>cotton</b> &amp; wool</p>", "plain  text", "")).tolist() == [
        "Soft cotton & wool",
        "plain text",
        "",
    ]


def test_events_and_statuses() -> None:
    assert normalise_event(s("Purchase", "transaction", "view", "addtocart", "RETURN", "", "something")).tolist() == [
        "purchase",
        "purchase",
        "view",
        "view",
        "return",
        "purchase",
        "view",
    ]
    assert (
        is_cancel_status(
            s("cancelled", "wc-cancelled", "Refunded", "voided", "failed", "paid", "partially_refunded", "")
        ).tolist()
        == [True] * 5 + [False] * 3
    )


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["12/1/2010 8:26", "12/13/2010 17:05"], [1291191960, 1292259900]),  # month first (UCI)
        (["01.12.2010", "13.12.2010"], [1291161600, 1292198400]),  # German
        (["1/12/2010 08:26", "13/12/2010 17:05"], [1291191960, 1292259900]),  # day first, told by the 13
        (["2010-12-01 08:26:00 +0100", "2010-12-13 17:05:00 +0100"], [1291188360, 1292256300]),  # Shopify, aware
        (["2010-12-01T08:26:00Z", "2010-12-13"], [1291191960, 1292198400]),
        (["1291191960", "1292259900"], [1291191960, 1292259900]),
        (["1291191960000", "1292259900000"], [1291191960, 1292259900]),
    ],
)
def test_date_formats(values: list[str], expected: list[int]) -> None:
    column = s(*values, "")
    fmt = detect_date_format(column)
    seconds, failed = parse_dates(column, fmt)
    assert seconds[:2].tolist() == expected
    assert seconds.isna()[2] and not failed.any()


def test_ambiguous_day_month_prefers_the_format_parsing_every_row() -> None:
    sample = s("03/04/2021", "05/06/2021", "07/08/2021", "25/08/2021")
    fmt = detect_date_format(sample)
    assert fmt is not None and fmt.format.startswith("%d/%m")
    seconds, failed = parse_dates(s("03/04/2021", "not a date"), fmt)
    assert seconds[0] == 1617408000 and failed.tolist() == [False, True]


def test_unix_detection() -> None:
    assert detect_date_format(s("964982703", "964981247")).format == UNIX
    assert detect_date_format(s("964982703000")).format == UNIX_MS
    compact = s("20101201", "20101213")
    assert parse_dates(compact, detect_date_format(compact))[0].tolist() == [1291161600, 1292198400]
    assert detect_date_format(s("", "")) is None

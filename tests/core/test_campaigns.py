"""A campaign with a control group (issue 21, item 8), replayed on the tea shop's real Shopify orders: the export
holds back a seeded share, saves who got which products, and after the later orders are imported the campaign's
figures count exactly the customers who bought one of their recommended products since, with a 95% interval."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest

from lrec_desktop.cli import main
from lrec_desktop.core.campaigns.record import Campaign, held_back, members
from lrec_desktop.core.campaigns.uplift import Uplift, measure_all, ratio_interval
from lrec_desktop.core.store import db as store

REAL = Path(__file__).parents[1] / "fixtures" / "real"
HEADER_ROWS = 1


def _split_orders(folder: Path) -> tuple[Path, Path]:
    """The tea shop's orders up to the end of August 2024 and those after (orders stay whole)."""
    with (REAL / "tea_shopify_orders.csv").open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, lines = rows[0], rows[1:]
    when, current = [], ""
    for line in lines:
        current = line[9] or current  # Created at stands on an order's first line only
        when.append(current)
    before, after = folder / "before.csv", folder / "after.csv"
    for path, keep in ((before, lambda d: d < "2024-09"), (after, lambda d: d >= "2024-09")):
        with path.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows([header, *(line for line, d in zip(lines, when, strict=True) if keep(d))])
    return before, after


@pytest.fixture
def campaign_shop(tmp_path: Path) -> tuple[Path, Path, Path]:
    before, after = _split_orders(tmp_path)
    shop = tmp_path / "tea.lrec"
    assert main(["--quiet", "import", "--db", str(shop), "--items", str(REAL / "tea_shopify_products.csv"),
                 "--interactions", str(before)]) == 0
    return shop, after, tmp_path / "campaign.csv"


def test_held_back_is_seeded_and_a_tenth() -> None:
    customers = [f"C{n:03d}" for n in range(200)]
    assert held_back(customers, 0.1, 7) == held_back(list(reversed(customers)), 0.1, 7)
    assert len(held_back(customers, 0.1, 7)) == 20 and held_back(customers, 0.1, 7) != held_back(customers, 0.1, 8)


def test_log_ratio_interval() -> None:
    ratio, low, high = ratio_interval(42, 1000, 20, 1000)
    assert ratio == pytest.approx(2.1)
    se = math.sqrt(1 / 42 - 1 / 1000 + 1 / 20 - 1 / 1000)
    assert low == pytest.approx(2.1 * math.exp(-1.959964 * se)) and high == pytest.approx(2.1 * math.exp(1.959964 * se))
    assert ratio_interval(3, 100, 0, 10) == (None, None, None)
    words = Uplift(Campaign(1, "x", 0, 0, 0.5, 1, "", "", 1000, 1000), 1000, 42, 1000, 20, 99, ratio, low, high)
    assert words.words().startswith("Customers who got the e-mail bought a recommended product 2.1x as often: "
                                    "4.2% vs 2.0%, 95% interval 1.2x-3.6x")


def test_campaign_replay_counts_what_each_group_bought(campaign_shop: tuple[Path, Path, Path],
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    shop, after, out = campaign_shop
    assert main(["--quiet", "export", "--db", str(shop), "--out", str(out), "--top", "5", "--control-group", "0.25",
                 "--seed", "21", "--campaign", "Autumn teas"]) == 0
    assert "Held back 10 customers" in capsys.readouterr().out
    db = store.connect(shop, readonly=True)
    try:
        saved = members(db, 1)
        [before_import] = measure_all(db)
    finally:
        db.close()
    with out.open(encoding="utf-8") as f:
        in_file = {r["customer_id"] for r in csv.DictReader(f)}
    assert in_file == {c for c, treated, _items in saved if treated} and len(saved) == 40
    assert all(len(items) == 5 for _c, _t, items in saved)  # the held-back got products too, to be measured alike
    assert before_import.sales_since == 0 and "No sales after" in before_import.words()

    assert main(["--quiet", "import", "--db", str(shop), "--interactions", str(after)]) == 0
    capsys.readouterr()
    assert main(["campaigns", "--db", str(shop), "--json"]) == 0
    [figures] = json.loads(capsys.readouterr().out)
    # Counted by hand from the shop: purchases after the campaign of one of the customer's own products.
    db = store.connect(shop, readonly=True)
    try:
        later = {}
        for c, item in db.execute("SELECT customer_id, item_id FROM interactions WHERE event = 'purchase' AND ts > ?",
                                  [figures["since_ts"]]):
            later.setdefault(c, set()).add(item)
    finally:
        db.close()
    buyers = {t: sum(bool(later.get(c, set()) & set(items)) for c, tr, items in saved if tr == t) for t in (0, 1)}
    assert (figures["treated"], figures["held_back"]) == (30, 10)
    assert (figures["treated_buyers"], figures["held_back_buyers"]) == (buyers[1], buyers[0])
    assert figures["sales_since"] > 0 and figures["name"] == "Autumn teas"
    assert main(["campaigns", "--db", str(shop)]) == 0
    said = capsys.readouterr().out
    assert "Autumn teas: 30 got it, 10 held back" in said and ("95% interval" in said or "Too few" in said)


def test_bad_control_group_is_refused(campaign_shop: tuple[Path, Path, Path],
                                      capsys: pytest.CaptureFixture[str]) -> None:
    shop, _after, out = campaign_shop
    for share in ("1", "0", "x"):
        assert main(["--quiet", "export", "--db", str(shop), "--out", str(out), "--control-group", share]) == 2
        assert capsys.readouterr().err.count("\n") == 1 and not out.exists()

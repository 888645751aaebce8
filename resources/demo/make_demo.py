"""Generate the bundled demo shop: ``products.csv`` and ``orders.csv`` for a synthetic gift shop.

Everything here is made up: products are assembled from the per-category vocabularies in
``catalog.json`` (by ``demo_products.py``), customers have
fake names with example.com/example.org addresses, and sales are simulated from customer tastes,
cross-category interest themes, popularity, seasonality and basket complements.

The output is byte-identical on every run (it uses only the standard library's ``random.Random``
with a fixed seed, never set iteration order), so the committed CSVs can be checked against a fresh
generation::

    python resources/demo/make_demo.py            # rewrite the files beside this script
    python resources/demo/make_demo.py --out DIR  # write them somewhere else
"""

from __future__ import annotations

import argparse
import bisect
import csv
import datetime as dt
import itertools
import math
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from demo_products import (
    CATEGORIES,
    EMAIL_DOMAINS,
    FIRST_NAMES,
    LAST_NAMES,
    MAKERS,
    THEME_NAMES,
    THEME_SHARE,
    Product,
    make_products,
)

SEED = 20250314
N_CUSTOMERS = 800
TARGET_LINES = 30_000
START = dt.date(2023, 11, 1)
END = dt.date(2025, 4, 30)  # inclusive; about 18 months with two Christmas seasons
# (rank quantile, relative sales rate): a few bestsellers, a steep middle, a long flat tail.
POPULARITY_CURVE = [(0.0, 500.0), (0.02, 160.0), (0.10, 50.0), (0.22, 12.0), (0.26, 1.5), (1.0, 1.2)]
THEME_AFFINITY = 10.0  # how much more likely a customer buys a product of one of their themes
CATEGORY_AFFINITY = 4.0  # ... or from one of their favourite categories
COMPLEMENT_THEME = 16.0  # basket complements: weight per theme shared with the anchor product
COMPLEMENT_CATEGORY = 3.0  # ... and for the same category
# Makers: most customers follow one or two of the shop's makers and buy across their range, slow sellers and
# new releases included, so which rarely sold product a customer buys depends on who made it.
MAKER_FANS = 0.8  # share of customers who follow a maker (a fifth of them two)
MAKER_SHARE = 0.4  # of a follower's own picks (not complements or re-buys), the share from a followed maker
MAKER_POPULARITY = 0.7  # within a maker's range, popularity ** this: fans buy the slow sellers too
NEW_RELEASE_DAYS = 60  # a maker's product launched this recently ...
NEW_RELEASE_BOOST = 3.0  # ... is this much more likely for the maker's followers
COMPLEMENT_MAKER = 0.3  # basket complements: share taken from the anchor's maker (the maker's shelf)

# --------------------------------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------------------------------


@dataclass
class Customer:
    cid: str
    name: str
    email: str
    themes: list[str]
    categories: list[str]
    start: int
    end: int
    activity: float
    makers: list[str] = field(default_factory=list)
    history: list[int] = field(default_factory=list)


def day_weights(n_days: int) -> list[float]:
    weights = []
    for d in range(n_days):
        day = START + dt.timedelta(days=d)
        w = [0.95, 0.9, 0.95, 1.0, 1.15, 1.45, 0.6][day.weekday()]
        w *= {1: 0.7, 2: 0.75, 3: 0.9, 4: 0.95, 5: 1.0, 6: 0.9, 7: 0.85, 8: 0.85, 9: 0.95, 10: 1.05, 11: 1.5, 12: 2.3}[
            day.month
        ]
        if day.month == 12 and day.day >= 24:
            w = 0.0 if day.day in (25, 26) else 0.5
        if day.month == 1 and day.day == 1:
            w = 0.0
        w *= 1.0 + 0.2 * d / n_days  # the shop grows
        weights.append(w)
    return weights


def is_festive(day: dt.date) -> bool:
    return (day.month == 11 and day.day >= 10) or (day.month == 12 and day.day <= 24)


MAKERS_BY_NAME = {m.name: m for m in MAKERS}


def make_customers(rng: random.Random, products: list[Product], n_days: int) -> list[Customer]:
    # Categories where each theme's products live, to give customers matching favourite categories.
    theme_cats: dict[str, list[str]] = {t: [] for t in THEME_NAMES}
    for p in products:
        for t in p.themes:
            theme_cats[t].append(p.category)
    cat_names = [c["name"] for c in CATEGORIES]
    theme_cum = list(itertools.accumulate(THEME_SHARE))
    range_size: dict[str, int] = {}
    for p in products:
        range_size[p.maker] = range_size.get(p.maker, 0) + 1
    maker_names = [m.name for m in MAKERS if m.name in range_size]
    used_emails: set[str] = set()
    customers = []
    for i in range(N_CUSTOMERS):
        first = rng.choice(FIRST_NAMES)
        last = rng.choice(LAST_NAMES)
        local = re.sub(
            r"[^a-z.]",
            "",
            rng.choice([f"{first}.{last}", f"{first[0]}{last}", f"{first}{last[0]}", f"{first}.{last}"]).lower(),
        )
        email = f"{local}@{rng.choice(EMAIL_DOMAINS)}"
        while email in used_emails:
            email = f"{local}{rng.randint(2, 99)}@{rng.choice(EMAIL_DOMAINS)}"
        used_emails.add(email)
        n_themes = 1 if rng.random() < 0.45 else 2
        themes: list[str] = []
        while len(themes) < n_themes:
            t = THEME_NAMES[bisect.bisect(theme_cum, rng.random() * theme_cum[-1])]
            if t not in themes:
                themes.append(t)
        n_cats = rng.choice([1, 2, 2, 3])
        cats: list[str] = []
        while len(cats) < n_cats:
            c = rng.choice(theme_cats[rng.choice(themes)]) if rng.random() < 0.7 else rng.choice(cat_names)
            if c not in cats:
                cats.append(c)
        if rng.random() < 0.55:
            start = 0
        else:
            start = rng.randrange(n_days - 20)
        end = n_days - 1
        if rng.random() < 0.3:
            end = min(n_days - 1, start + 30 + int(rng.expovariate(1 / 150)))
        activity = min(rng.paretovariate(1.3), 12.0)
        # Followed makers: mostly ones that sell in the customer's favourite categories, by the size of their range.
        makers: list[str] = []
        n_makers = 0 if rng.random() >= MAKER_FANS else (1 if rng.random() < 0.8 else 2)
        while len(makers) < n_makers:
            pool = [m for m in maker_names if set(MAKERS_BY_NAME[m].categories) & set(cats)]
            if not pool or rng.random() < 0.3:
                pool = maker_names
            cum = list(itertools.accumulate(range_size[m] for m in pool))
            m = pool[bisect.bisect(cum, rng.random() * cum[-1])]
            if m not in makers:
                makers.append(m)
        customers.append(
            Customer(f"C{i + 1:04d}", f"{first} {last}", email, themes, cats, start, end, activity, makers)
        )
    return customers


class Pool:
    """Popularity-weighted sampling from a list of product indices, with the season's festive boost."""

    def __init__(self, idx: list[int], products: list[Product], festive: bool, exponent: float = 1.0):
        self.idx = idx
        weights = []
        for i in idx:
            w = products[i].weight ** exponent
            if "festive" in products[i].themes:
                w *= 4.0 if festive else 0.15
            elif festive and "gifts" in products[i].themes:
                w *= 1.8
            weights.append(w)
        self.cum = list(itertools.accumulate(weights))

    def draw(self, rng: random.Random) -> int:
        return self.idx[bisect.bisect(self.cum, rng.random() * self.cum[-1])]


def popularity(q: float) -> float:
    """Relative sales rate of the product at rank quantile ``q`` (0 = bestseller), log-linear between knots."""
    for (q0, v0), (q1, v1) in itertools.pairwise(POPULARITY_CURVE):
        if q <= q1:
            return math.exp(math.log(v0) + (math.log(v1) - math.log(v0)) * (q - q0) / (q1 - q0))
    return POPULARITY_CURVE[-1][1]


def make_orders(rng: random.Random, products: list[Product], customers: list[Customer]) -> list[list]:
    n_days = (END - START).days + 1
    old = [i for i, p in enumerate(products) if not p.new]

    # Popularity over a random ranking follows POPULARITY_CURVE (a broken power law: a few bestsellers,
    # a steep middle, a flat tail of rarely sold products); a quarter of the range launches later.
    ranks = old[:]
    rng.shuffle(ranks)
    for r, i in enumerate(ranks):
        products[i].weight = popularity(r / len(ranks))
        products[i].launch = 0 if rng.random() < 0.85 else rng.randrange(n_days - 120)

    pools = {festive: Pool(old, products, festive) for festive in (False, True)}
    ranges: dict[str, list[int]] = {}
    for i in old:
        ranges.setdefault(products[i].maker, []).append(i)
    maker_pools = {
        (m, festive): Pool(idx, products, festive, MAKER_POPULARITY)
        for m, idx in ranges.items()
        for festive in (False, True)
    }

    dw = day_weights(n_days)
    dcum = list(itertools.accumulate(dw))

    def draw_day(lo: int, hi: int) -> int:
        base = dcum[lo - 1] if lo > 0 else 0.0
        return min(hi, bisect.bisect(dcum, base + rng.random() * (dcum[hi] - base)))

    def draw_time() -> tuple[int, int]:
        hour = min(17, max(9, int(rng.gauss(13.2, 2.3))))
        return hour, rng.randrange(60)

    # Orders per customer: one each, the rest by activity within the customer's active window.
    basket_sizes = [1, 2, 3, 4, 5, 6]
    basket_cum = list(itertools.accumulate([0.38, 0.27, 0.16, 0.10, 0.06, 0.03]))
    mean_basket = sum(s * p for s, p in zip(basket_sizes, [0.38, 0.27, 0.16, 0.10, 0.06, 0.03], strict=True))
    n_orders = int(TARGET_LINES / (mean_basket * 1.03))
    act_cum = list(itertools.accumulate(c.activity * (c.end - c.start + 30) for c in customers))
    owners = list(range(len(customers)))
    owners += [bisect.bisect(act_cum, rng.random() * act_cum[-1]) for _ in range(n_orders - len(customers) - 20)]
    orders = []  # (day, hour, minute, customer index or -1)
    for ci in owners:
        c = customers[ci]
        day = draw_day(c.start, c.end)
        orders.append((day, *draw_time(), ci))
    for _ in range(20):  # walk-in sales without a customer record
        orders.append((draw_day(0, n_days - 1), *draw_time(), -1))
    orders.sort()

    # Customers buy popular products more often, and products matching their themes and favourite
    # categories much more often: P(product | customer) ~ popularity * affinity, drawn by rejection so
    # that the overall long tail keeps the shape of the popularity curve.
    max_affinity = 1 + 2 * THEME_AFFINITY + CATEGORY_AFFINITY

    def from_maker(maker: str, day: int, festive: bool, exclude: int = -1) -> int | None:
        """A product of ``maker``'s range on sale on ``day``, or None when it has none (it launches later)."""
        for _ in range(200):
            i = maker_pools[(maker, festive)].draw(rng)
            p = products[i]
            if p.launch > day or i == exclude:
                continue
            boost = NEW_RELEASE_BOOST if 0 < p.launch and day - p.launch < NEW_RELEASE_DAYS else 1.0
            if rng.random() * NEW_RELEASE_BOOST < boost:
                return i
        return None

    def draw_for(c: Customer | None, day: int, festive: bool) -> int:
        if c is not None and c.makers and rng.random() < MAKER_SHARE:
            i = from_maker(rng.choice(c.makers), day, festive)
            if i is not None:
                return i
        while True:
            i = pools[festive].draw(rng)
            p = products[i]
            if p.launch > day:
                continue
            if c is None:
                return i
            affinity = 1 + THEME_AFFINITY * sum(t in p.themes for t in c.themes)
            affinity += CATEGORY_AFFINITY * (p.category in c.categories)
            if rng.random() * max_affinity < affinity:
                return i

    # Basket complements: things that share a theme (or the shelf) with something already in the basket.
    max_complement = 1 + 2 * COMPLEMENT_THEME + COMPLEMENT_CATEGORY

    def complement(anchor: int, day: int, festive: bool) -> int:
        a = products[anchor]
        if rng.random() < COMPLEMENT_MAKER:
            i = from_maker(a.maker, day, festive, exclude=anchor)
            if i is not None:
                return i
        while True:
            i = pools[festive].draw(rng)
            p = products[i]
            if p.launch > day or i == anchor:
                continue
            affinity = 1 + COMPLEMENT_THEME * min(2, sum(t in p.themes for t in a.themes))
            affinity += COMPLEMENT_CATEGORY * (p.category == a.category)
            if rng.random() * max_complement < affinity:
                return i

    lines = []
    for n, (day, hour, minute, ci) in enumerate(orders):
        date = START + dt.timedelta(days=day)
        festive = is_festive(date)
        c = customers[ci] if ci >= 0 else None
        size = basket_sizes[bisect.bisect(basket_cum, rng.random() * basket_cum[-1])]
        if c is None:
            size = min(size, 2)
        elif festive and rng.random() < 0.3:
            size = min(6, size + 1)
        chosen: list[int] = []
        for k in range(size):
            for _ in range(10):
                consumables = [h for h in dict.fromkeys(c.history) if products[h].consumable] if c else []
                if consumables and rng.random() < 0.18:
                    i = rng.choice(consumables)  # re-buy a favourite tea, flour, candle...
                elif k > 0 and rng.random() < 0.6:
                    i = complement(rng.choice(chosen), day, festive)
                else:
                    i = draw_for(c, day, festive)
                if i not in chosen:
                    chosen.append(i)
                    break
        order_id = str(100001 + n)
        stamp = f"{date.isoformat()} {hour:02d}:{minute:02d}:00"
        for i in chosen:
            p = products[i]
            qty = 1
            r = rng.random()
            if r < (0.25 if p.consumable else 0.07):
                qty = 2
            elif p.consumable and r < 0.4:
                qty = rng.randint(3, 6)
            price = p.price
            if date.month == 1 and rng.random() < 0.3:
                price = round(price * 0.8, 2)  # January sale
            elif rng.random() < 0.04:
                price = round(price * 0.9, 2)  # older price or a discount code
            lines.append([day, hour, minute, order_id, stamp, c, i, qty, price])
            if c is not None:
                c.history.append(i)

    # Returns: about 1% of customer lines come back a few days later under their own order id.
    returns = []
    for line in lines:
        if line[5] is not None and rng.random() < 0.01:
            day = min(n_days - 1, line[0] + rng.randint(2, 21))
            date = START + dt.timedelta(days=day)
            hour, minute = draw_time()
            stamp = f"{date.isoformat()} {hour:02d}:{minute:02d}:00"
            returns.append([day, hour, minute, "R" + line[3], stamp, line[5], line[6], -line[7], line[8]])
    lines.extend(returns)
    lines.sort(key=lambda x: (x[0], x[1], x[2], x[3]))

    rows = []
    for _day, _h, _m, order_id, stamp, c, i, qty, price in lines:
        p = products[i]
        rows.append(
            [
                order_id,
                stamp,
                c.cid if c else "",
                c.name if c else "",
                c.email if c else "",
                p.pid,
                p.title,
                qty,
                f"{price:.2f}",
            ]
        )
    return rows


def generate() -> tuple[list[Product], list[list]]:
    rng = random.Random(SEED)
    products = make_products(rng)
    n_days = (END - START).days + 1
    customers = make_customers(rng, products, n_days)
    rows = make_orders(rng, products, customers)
    return products, rows


def main(out_dir: Path | str | None = None) -> dict:
    """Write products.csv and orders.csv into ``out_dir`` (default: beside this script); return figures."""
    out = Path(out_dir) if out_dir is not None else Path(__file__).resolve().parent
    out.mkdir(parents=True, exist_ok=True)
    products, rows = generate()
    with open(out / "products.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["product_id", "title", "description", "category", "tags", "price", "stock"])
        for p in products:
            writer.writerow([p.pid, p.title, p.description, p.category, p.tags, f"{p.price:.2f}", p.stock])
    with open(out / "orders.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(
            [
                "order_id",
                "order_date",
                "customer_id",
                "customer_name",
                "email",
                "product_id",
                "product_title",
                "quantity",
                "unit_price",
            ]
        )
        writer.writerows(rows)
    return figures(products, rows)


def figures(products: list[Product], rows: list[list]) -> dict:
    sales: dict[str, int] = {p.pid: 0 for p in products}
    for r in rows:
        if r[7] > 0:
            sales[r[5]] += 1
    return {
        "products": len(products),
        "categories": len({p.category for p in products}),
        "customers": len({r[2] for r in rows if r[2]}),
        "orders": len({r[0] for r in rows if not r[0].startswith("R")}),
        "lines": len(rows),
        "return_lines": sum(1 for r in rows if r[7] < 0),
        "walk_in_lines": sum(1 for r in rows if not r[2]),
        "products_without_sales": sum(1 for v in sales.values() if v == 0),
        "share_with_at_most_5_sales": round(sum(1 for v in sales.values() if v <= 5) / len(products), 3),
        "top_product_lines": max(sales.values()),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: beside this script)")
    args = parser.parse_args()
    for key, value in main(args.out).items():
        print(f"{key}: {value}")

"""The demo shop's products: the product table read from ``catalog.json`` and the products made from it.

``make_demo.py`` imports this to write ``products.csv`` and then simulates the sales. The table (themes,
vocabularies, categories, names) is data; this module only reads it and assembles titles, descriptions,
tags, prices and stock from it with the caller's ``random.Random``, so the output depends on the seed alone.
"""

from __future__ import annotations

import bisect
import itertools
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

N_PRODUCTS = 1500
N_NEW = 100  # launched after the last order: in products.csv only, never sold

# --------------------------------------------------------------------------------------------------
# The product table lives in catalog.json beside this script: interest themes (they cut across
# categories; customers have one or two, products carry them through their item type or a slot value,
# and their phrases and tags put shared words into the text of some products of a theme), the shared
# slot vocabularies, the categories with their item types, and the fake people's names.
# A slot is written "value|value|..."; "value@theme1+theme2" adds themes to a product that gets that
# value. Slots in "size_slots" run from small to large, and later values cost more. An item type has a
# title template, a noun for descriptions, themes, a price range (default 5-20), local slots, opening
# and use sentences, "consumable" (bought again) and a weight (default 1).
# --------------------------------------------------------------------------------------------------

CATALOG_FILE = Path(__file__).resolve().parent / "catalog.json"


def _values(spec: str) -> list:
    out: list = []
    for part in spec.split("|"):
        text, _, themes = part.partition("@")
        out.append((text, themes.split("+")) if themes else text)
    return out


def _slots(spec: dict[str, str]) -> dict[str, list]:
    return {name: _values(values) for name, values in spec.items()}


def _item(raw: dict) -> dict:
    return {
        "t": raw["title"],
        "n": raw["noun"],
        "th": raw.get("themes", "").split(),
        "p": tuple(raw.get("price", (5, 20))),
        "s": _slots(raw.get("slots", {})),
        "d": raw.get("openings", []),
        "u": raw.get("uses", []),
        "c": bool(raw.get("consumable", False)),
        "w": raw.get("weight", 1.0),
    }


def _category(raw: dict) -> dict:
    return {
        "name": raw["name"],
        "share": raw["share"],
        "quality": raw["quality"].split("|"),
        "intro": raw["intro"],
        "uses": raw["uses"],
        "items": [_item(it) for it in raw["items"]],
    }


_CATALOG = json.loads(CATALOG_FILE.read_text(encoding="utf-8"))
THEMES: dict[str, dict] = {name: {"tags": t["tags"], "phrases": t["phrases"]} for name, t in _CATALOG["themes"].items()}
THEME_NAMES = list(THEMES)
THEME_SHARE = [t["share"] for t in _CATALOG["themes"].values()]  # how common each theme is among customers
OCCASIONS: list[str] = _CATALOG["occasions"]
SIZE_SLOTS = set(_CATALOG["size_slots"])
GLOBAL_SLOTS: dict[str, list] = _slots(_CATALOG["slots"])
CATEGORIES: list[dict] = [_category(c) for c in _CATALOG["categories"]]
FIRST_NAMES: list[str] = _CATALOG["first_names"].split()
LAST_NAMES: list[str] = _CATALOG["last_names"].split()
EMAIL_DOMAINS: list[str] = _CATALOG["email_domains"]


@dataclass(frozen=True)
class Maker:
    """A small supplier (a workshop, a pottery, a press...) whose range spans several categories."""

    name: str
    categories: tuple[str, ...]


# Makers come in crafts (woodwork, pottery, weaving...): each craft's makers sell in the same few categories,
# under their own made-up names. One sentence of a product's description (and some tags) names its maker.
MAKERS: list[Maker] = [
    Maker(f"{name} {craft['kind']}", tuple(craft["categories"].split("|")))
    for craft in _CATALOG["makers"]["crafts"]
    for name in craft["names"].split("|")
]
MAKER_SENTENCES: list[str] = _CATALOG["makers"]["sentences"]
MAKER_TAG_SHARE = 0.5  # products whose tags also name the maker


# --------------------------------------------------------------------------------------------------
# Products
# --------------------------------------------------------------------------------------------------


@dataclass
class Product:
    pid: str
    title: str
    description: str
    category: str
    tags: str
    price: float
    stock: int
    themes: list[str]
    consumable: bool
    maker: str = ""
    new: bool = False
    weight: float = 0.0  # popularity
    launch: int = 0  # day index of the first possible sale


def _text(value) -> str:
    return value[0] if isinstance(value, tuple) else value


def _value_themes(value) -> list[str]:
    return list(value[1]) if isinstance(value, tuple) else []


def _round_price(rng: random.Random, value: float) -> float:
    if value < 10:
        whole = int(value)
        cents = rng.choice([0.25, 0.49, 0.5, 0.75, 0.95, 0.99])
    else:
        whole = round(value)
        cents = rng.choice([0.0, 0.0, 0.5, 0.95, 0.99])
        if cents > 0.9:
            whole -= 1
    return round(max(whole, 1) + cents, 2)


def _make_product(rng: random.Random, cat: dict, it: dict, seen: set[str], maker: str) -> dict | None:
    slots = {**GLOBAL_SLOTS, **it["s"]}
    chosen: dict[str, object] = {}
    size_pos: list[float] = []

    def pick(name: str):
        if name not in chosen:
            values = slots[name] if name in slots else cat[name]
            idx = rng.randrange(len(values))
            chosen[name] = values[idx]
            if name in SIZE_SLOTS and len(values) > 1:
                size_pos.append(idx / (len(values) - 1))
        return chosen[name]

    def fill(template: str, noun: str = "") -> str:
        def repl(m: re.Match) -> str:
            key = m.group(1)
            if key == "noun":
                return noun
            lower = key.endswith("_l")
            base = key[:-2] if lower else key
            text = _text(pick(base))
            return text.lower() if lower else text

        return re.sub(r"\{(\w+)\}", repl, template)

    title = re.sub(r"\s+", " ", fill(it["t"])).strip()
    if title in seen:
        return None

    themes = list(it["th"])
    for name in sorted(chosen):
        for th in _value_themes(chosen[name]):
            if th not in themes:
                themes.append(th)

    noun = it["n"]
    sentences = []
    if it["d"] and rng.random() < 0.75:
        sentences.append(fill(rng.choice(it["d"]), noun))
    else:
        sentences.append(fill(rng.choice(cat["intro"]), noun))
    extras = []
    if it["th"] and rng.random() < 0.6:  # slot themes already show in the title's words
        extras.append(rng.choice(THEMES[rng.choice(it["th"])]["phrases"]))
    if rng.random() < 0.55:
        extras.append(rng.choice(it["u"] or cat["uses"]))
    if rng.random() < 0.15 and "festive" not in themes and not it["c"]:
        extras.append(rng.choice(OCCASIONS))
    rng.shuffle(extras)
    # The maker's sentence goes second, among the usual ones: one short clause in a description about the product.
    sentences.append(rng.choice(MAKER_SENTENCES).format(maker=maker))
    sentences.extend(extras[:1])
    description = " ".join(s[0].upper() + s[1:] for s in sentences)
    description = re.sub(r"\b([Aa]) (?=[aeiouAEIOU](?!ni|se|ro))", r"\1n ", description)

    tags = [noun.lower()]
    for name in sorted(chosen):
        if name in {"colour", "material", "wood", "fabric", "metal", "stone"} and rng.random() < 0.6:
            tags.append(_text(chosen[name]).lower())
    for th in themes:
        if rng.random() < 0.6:
            tags.append(rng.choice(THEMES[th]["tags"]))
    if rng.random() < MAKER_TAG_SHARE:
        tags.append(maker.lower())
    if rng.random() < 0.25:
        tags.append(rng.choice(["bestseller", "handmade", "eco", "small batch", "made in uk", "vegan", "plastic free"]))
    tags = list(dict.fromkeys(tags))

    lo, hi = it["p"]
    frac = 0.65 * (sum(size_pos) / len(size_pos)) + 0.35 * rng.random() if size_pos else rng.random()
    price = _round_price(rng, lo + (hi - lo) * frac)
    seen.add(title)
    return {
        "title": title,
        "description": description,
        "category": cat["name"],
        "tags": ", ".join(tags),
        "price": price,
        "themes": themes,
        "consumable": it["c"],
        "maker": maker,
    }


def make_products(rng: random.Random) -> list[Product]:
    total_share = sum(c["share"] for c in CATEGORIES)
    counts = [round(N_PRODUCTS * c["share"] / total_share) for c in CATEGORIES]
    counts[0] += N_PRODUCTS - sum(counts)
    seen: set[str] = set()
    raw: list[dict] = []
    # Some makers are bigger than others; each product's maker is drawn among those selling in its category.
    maker_size = [rng.uniform(0.5, 2.0) for _ in MAKERS]
    for cat, count in zip(CATEGORIES, counts, strict=True):
        weights = list(itertools.accumulate(it["w"] for it in cat["items"]))
        makers = [m for m in range(len(MAKERS)) if cat["name"] in MAKERS[m].categories]
        maker_cum = list(itertools.accumulate(maker_size[m] for m in makers))
        made = 0
        tries = 0
        while made < count:
            tries += 1
            if tries > count * 50:
                raise RuntimeError(f"not enough distinct titles for {cat['name']}")
            it = cat["items"][bisect.bisect(weights, rng.random() * weights[-1])]
            maker = MAKERS[makers[bisect.bisect(maker_cum, rng.random() * maker_cum[-1])]].name
            prod = _make_product(rng, cat, it, seen, maker)
            if prod is not None:
                raw.append(prod)
                made += 1
    rng.shuffle(raw)
    # The last N_NEW ids are the new arrivals (highest SKU numbers, as in most shop systems).
    products = []
    for i, prod in enumerate(raw):
        new = i >= N_PRODUCTS - N_NEW
        if new:
            stock = rng.randint(6, 40)
        elif rng.random() < 0.04:
            stock = 0
        else:
            stock = int(rng.lognormvariate(2.6 if prod["consumable"] else 2.0, 0.8)) + 1
        products.append(
            Product(
                pid=f"SKU-{i + 1:06d}",
                title=prod["title"],
                description=prod["description"],
                category=prod["category"],
                tags=prod["tags"],
                price=prod["price"],
                stock=stock,
                themes=prod["themes"],
                consumable=prod["consumable"],
                maker=prod["maker"],
                new=new,
            )
        )
    return products

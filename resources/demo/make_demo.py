"""Generate the bundled demo shop: ``products.csv`` and ``orders.csv`` for a synthetic gift shop.

Everything here is made up: products are assembled from per-category vocabularies, customers have
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

SEED = 20250314
N_PRODUCTS = 1500
N_NEW = 100  # launched after the last order: in products.csv only, never sold
N_CUSTOMERS = 800
TARGET_LINES = 30_000
START = dt.date(2023, 11, 1)
END = dt.date(2025, 4, 30)  # inclusive; about 18 months with two Christmas seasons
# (rank quantile, relative sales rate): a few bestsellers, a steep middle, a long flat tail.
POPULARITY_CURVE = [(0.0, 500.0), (0.02, 160.0), (0.10, 50.0), (0.22, 12.0), (0.26, 3.6), (1.0, 3.0)]
THEME_AFFINITY = 10.0  # how much more likely a customer buys a product of one of their themes
CATEGORY_AFFINITY = 4.0  # ... or from one of their favourite categories
COMPLEMENT_THEME = 16.0  # basket complements: weight per theme shared with the anchor product
COMPLEMENT_CATEGORY = 3.0  # ... and for the same category

# --------------------------------------------------------------------------------------------------
# Interest themes: they cut across categories. Customers have one or two of them; products carry
# them through their item type or a slot value. The phrases and tags put shared words into the text
# of some (not all) products of a theme, so text similarity sees part of the structure and sales see
# the rest.
# --------------------------------------------------------------------------------------------------

THEMES: dict[str, dict] = {
    "baking": {
        "tags": ["baking", "home baking"],
        "phrases": [
            "A favourite with keen home bakers.",
            "Made for long weekend baking sessions.",
            "Ideal for anyone who loves to bake bread, cakes and biscuits.",
            "Pairs well with the rest of our baking range.",
        ],
    },
    "tea": {
        "tags": ["tea", "tea lover"],
        "phrases": [
            "A treat for tea lovers.",
            "Perfect for brewing a proper pot of tea.",
            "Made with the afternoon tea ritual in mind.",
            "Lovely alongside a cup of loose leaf tea.",
        ],
    },
    "coffee": {
        "tags": ["coffee", "barista"],
        "phrases": [
            "For anyone serious about their morning coffee.",
            "Great with freshly ground coffee.",
            "A must for the home barista.",
        ],
    },
    "garden": {
        "tags": ["garden", "gardening"],
        "phrases": [
            "Built for gardeners who spend every spare hour outside.",
            "Ideal for the potting shed or greenhouse.",
            "A practical choice for the vegetable patch and flower borders.",
            "A welcome gift for anyone with green fingers.",
        ],
    },
    "cosy": {
        "tags": ["cosy", "hygge"],
        "phrases": [
            "Brings a cosy, lived-in feel to the living room.",
            "Perfect for slow evenings on the sofa.",
            "Adds warmth to any room on dark winter nights.",
        ],
    },
    "kids": {
        "tags": ["kids", "family"],
        "phrases": [
            "Designed for little hands, ages 3 and up.",
            "Keeps children busy on rainy afternoons.",
            "A fun pick for family time.",
        ],
    },
    "outdoors": {
        "tags": ["outdoors", "camping", "hiking"],
        "phrases": [
            "Tough enough for camping trips and long hikes.",
            "Packs down small for the rucksack.",
            "Made for days in the hills and nights under canvas.",
        ],
    },
    "pets": {
        "tags": ["pets", "pet lover"],
        "phrases": [
            "Much loved by dogs and their owners.",
            "Pet safe and easy to wipe clean.",
            "For the pampered pets of the household.",
        ],
    },
    "crafts": {
        "tags": ["crafts", "art", "DIY"],
        "phrases": [
            "Great for crafters, sketchers and makers.",
            "Ideal for art journals, card making and craft projects.",
            "A good addition to any creative studio.",
        ],
    },
    "selfcare": {
        "tags": ["self care", "spa", "relaxation"],
        "phrases": [
            "A small luxury for a calm evening of self care.",
            "Perfect for a relaxing spa night at home.",
            "Made for slow, unhurried pamper evenings.",
        ],
    },
    "reading": {
        "tags": ["reading", "writing", "book lover"],
        "phrases": [
            "A quiet companion for book lovers.",
            "Made for readers, journal keepers and letter writers.",
            "Perfect for a long afternoon with a good book.",
        ],
    },
    "festive": {
        "tags": ["christmas", "festive", "seasonal"],
        "phrases": [
            "A festive favourite for the Christmas season.",
            "Perfect for decking the halls in December.",
            "Makes a lovely Christmas gift or stocking filler.",
        ],
    },
    "gifts": {
        "tags": ["gift", "gift idea"],
        "phrases": [
            "A thoughtful gift for birthdays and thank-yous.",
            "A lovely present for someone special.",
            "Comes in a gift box, ready for wrapping.",
        ],
    },
}
THEME_NAMES = list(THEMES)
# How common each theme is among customers (same order as THEMES).
THEME_SHARE = [8, 9, 6, 9, 7, 7, 5, 6, 5, 6, 6, 3, 8]

OCCASIONS = [
    "A lovely housewarming present.",
    "Makes a thoughtful birthday gift.",
    "Popular for Mother's Day and birthdays.",
    "A welcome treat for yourself or a friend.",
]

# --------------------------------------------------------------------------------------------------
# Vocabularies. A slot is written "value|value|..."; "value@theme1+theme2" adds themes to a product
# that gets that value. Slots in SIZE_SLOTS run from small to large, and later values cost more.
# Item types: t = title template, n = noun for descriptions, th = themes, p = price range, s = local
# slots, d = opening sentences, u = use sentences, c = consumable (bought again), w = weight.
# --------------------------------------------------------------------------------------------------


def _values(spec: str) -> list:
    out: list = []
    for part in spec.split("|"):
        text, _, themes = part.partition("@")
        out.append((text, themes.split("+")) if themes else text)
    return out


def _slots(spec: dict[str, str]) -> dict[str, list]:
    return {name: _values(values) for name, values in spec.items()}


def item(t, n, th="", p=(5, 20), s=None, d=None, u=None, c=False, w=1.0) -> dict:
    return {"t": t, "n": n, "th": th.split(), "p": p, "s": _slots(s or {}), "d": d or [], "u": u or [], "c": c, "w": w}


def cat(name, share, quality, intro, uses, items) -> dict:
    return {"name": name, "share": share, "quality": quality.split("|"), "intro": intro, "uses": uses, "items": items}


SIZE_SLOTS = set(
    "weight cweight size_ml volume size_cm cups count n candle_size pet_size print_size litres bed_size cushion "
    "plush_size pieces kg g ml hoop".split()
)

GLOBAL_SLOTS: dict[str, list] = _slots(
    {
        "colour": (
            "Sage|Charcoal|Ivory|Terracotta|Mustard|Navy|Blush Pink|Forest Green|Slate Blue|Oatmeal|Rust|"
            "Duck Egg|Plum|Teal|Cream|Ochre|Olive"
        ),
        "wood": "Oak|Walnut|Acacia|Beech|Olive Wood|Mango Wood|Ash",
        "festive_motif": "Holly|Robin|Snowflake|Reindeer|Winter Berry|Star|Fir Tree",
        "scent": (
            "Fig & Cassis|Sea Salt & Sage|Lavender & Chamomile@selfcare|Fresh Linen|Cedarwood & Vetiver|"
            "Wild Rose|Bergamot & Black Tea@tea|Espresso & Vanilla@coffee|Cinnamon & Clove@festive|"
            "Frosted Pine@festive|Mulled Wine@festive|Orange Blossom|Tomato Leaf@garden|Amber & Oud|"
            "Eucalyptus & Mint@selfcare|Fresh Cut Grass@garden|Old Library@reading|Woodsmoke@outdoors|"
            "Neroli & Grapefruit|Tonka & Honey"
        ),
        "bath_scent": (
            "Oat & Honey|Lavender@selfcare|Rose Geranium|Goat Milk|Charcoal & Tea Tree|Seaweed & Kelp|"
            "Lemon Verbena|Coffee & Cocoa@coffee|Green Tea & Lime@tea|Gardener's Mint@garden|Sweet Orange|"
            "Unscented|Frankincense & Myrrh@festive"
        ),
        "tea_kind": (
            "Earl Grey|English Breakfast|Darjeeling|Assam|Sencha Green|Jasmine Green|Lapsang Souchong|"
            "Rooibos|Peppermint|Lemon & Ginger|Chai Spice|Oolong|Lady Grey|White Peony|Ceylon|Gunpowder Green"
        ),
        "origin": (
            "Colombian|Ethiopian Yirgacheffe|Brazilian|Guatemalan|Sumatran|Kenyan|Peruvian|House Blend|"
            "Espresso Blend|Swiss Water Decaf"
        ),
        "animal": "Bunny|Bear|Fox|Hedgehog|Sloth|Highland Cow|Otter|Penguin|Badger|Owl",
        "size_ml": "250 ml|300 ml|350 ml|400 ml|450 ml",
        "volume": "1 L|1.5 L|2 L|3 L|4 L",
        "size_cm": "18 cm|20 cm|23 cm|26 cm|30 cm",
        "weight": "50 g|100 g|125 g|250 g",
        "cweight": "250 g|500 g|1 kg",
        "g": "100 g|150 g|250 g|500 g",
        "ml": "50 ml|100 ml|200 ml|250 ml",
        "kg": "1 kg|1.5 kg|3 kg",
        "cups": "2 Cup|4 Cup|6 Cup|8 Cup",
        "pet_size": "Small|Medium|Large",
        "print_size": "A4|A3|30 x 40 cm|50 x 70 cm",
        "metal": "Sterling Silver|Gold Vermeil|Rose Gold Plated|Recycled Silver|Brass",
        "stone": "Moonstone|Labradorite|Pearl|Amethyst|Rose Quartz|Garnet|Turquoise|Opal",
        "format": "A5|A6|B5|Pocket",
    }
)

CATEGORIES: list[dict] = [
    cat(
        "Kitchen & Dining",
        share=115,
        quality="well-made|sturdy|handsome|good-looking|hard-wearing",
        intro=[
            "A {quality} {noun} that earns its place on the kitchen shelf.",
            "This {quality} {noun} is made to be used every day.",
            "A {quality} {noun} with a simple, timeless shape.",
        ],
        uses=[
            "Made to last through years of daily use.",
            "Part of our everyday kitchen collection.",
            "Looks just as good on the table as it does in the cupboard.",
        ],
        items=[
            item(
                "{glaze} Stoneware Mug, {colour}",
                "mug",
                "tea coffee",
                (9, 18),
                s={"glaze": "Speckled|Reactive Glaze|Matte|Hand-Dipped|Two-Tone|Crackle Glaze"},
                d=["A {glaze_l} stoneware mug in {colour_l}, thrown by hand and glazed in small batches."],
                w=2,
            ),
            item(
                "{material} Teapot, {cups}",
                "teapot",
                "tea",
                (18, 55),
                s={"material": "Cast Iron|Glass|Stoneware|Porcelain|Enamel"},
                d=["A {material_l} teapot with a removable infuser and a drip-free spout."],
            ),
            item(
                "{colour} {material} Cake Stand",
                "cake stand",
                "baking gifts",
                (16, 45),
                s={"material": "Porcelain|Glass|Stoneware|Enamel"},
                d=["A raised {material_l} cake stand that shows off sponges, tarts and tiered bakes."],
            ),
            item(
                "{material} Mixing Bowl, {volume}",
                "mixing bowl",
                "baking",
                (12, 38),
                s={"material": "Stoneware|Enamel|Stainless Steel|Melamine"},
                d=["A deep {material_l} mixing bowl with a pouring lip and a non-slip base."],
            ),
            item(
                "{wood} Serving Board, {board}",
                "serving board",
                "gifts",
                (14, 48),
                s={"board": "Small|Medium|Large|Long Paddle"},
                d=["Cut from a single piece of {wood_l}, this board is made for cheese, bread and charcuterie."],
            ),
            item(
                "{style} Dinner Plate, {colour}",
                "dinner plate",
                "",
                (8, 22),
                s={"style": "Rustic|Scalloped|Rimmed|Coupe|Speckled"},
            ),
            item(
                "{material} Salt and Pepper Set",
                "salt and pepper set",
                "gifts",
                (12, 32),
                s={"material": "Marble|Ceramic|Olive Wood|Brass|Glass"},
            ),
            item(
                "{count} Piece {material} Utensil Set",
                "utensil set",
                "baking",
                (10, 28),
                s={"count": "3|5|7", "material": "Beech Wood|Bamboo|Silicone|Olive Wood"},
            ),
            item(
                "{material} Storage Jar, {volume}",
                "storage jar",
                "baking",
                (8, 24),
                s={"material": "Glass|Ceramic|Stoneware|Enamel"},
                d=["An airtight {material_l} jar for flour, sugar, pasta or loose tea."],
            ),
            item(
                "{style} Wine Glasses, Set of {n}",
                "set of wine glasses",
                "gifts",
                (16, 48),
                s={"style": "Crystal|Ribbed|Stemless|Smoked|Fluted", "n": "2|4|6"},
            ),
            item(
                "{material} Pie Dish, {size_cm}",
                "pie dish",
                "baking",
                (10, 26),
                s={"material": "Enamel|Ceramic|Stoneware"},
            ),
            item(
                "Christmas {festive_motif} Serving Platter",
                "serving platter",
                "festive gifts",
                (14, 34),
                d=["A generous platter decorated with a hand-drawn {festive_motif_l} design."],
            ),
            item(
                "{material} Milk Jug, {colour}",
                "milk jug",
                "tea coffee",
                (8, 20),
                s={"material": "Stoneware|Enamel|Porcelain"},
            ),
        ],
    ),
    cat(
        "Tea & Coffee",
        share=130,
        quality="fragrant|well-balanced|full-flavoured|everyday|well-loved",
        intro=[
            "A {quality} {noun}, sourced from small growers and packed fresh in our shop.",
            "Our {quality} {noun}, blended in small batches.",
            "A {quality} {noun} with a smooth, rounded flavour.",
        ],
        uses=[
            "Chosen by our buyers after many tastings.",
            "A regular on our shop counter.",
            "Part of our tea and coffee collection.",
        ],
        items=[
            item(
                "{tea_kind} Loose Leaf Tea, {weight}",
                "loose leaf tea",
                "tea",
                (4.5, 14),
                d=["{tea_kind} loose leaf tea with a bright, fragrant cup."],
                u=[
                    "Comes in a resealable pouch to keep it fresh.",
                    "Brew for three to four minutes, with or without milk.",
                ],
                c=True,
                w=3,
            ),
            item(
                "{tea_kind} Tea Bags, Box of {count}",
                "box of tea bags",
                "tea",
                (3.5, 10),
                s={"count": "20|40|80"},
                d=["Plastic-free pyramid tea bags of {tea_kind}."],
                u=[
                    "Comes in a resealable pouch to keep it fresh.",
                    "Brew for three to four minutes, with or without milk.",
                ],
                c=True,
                w=2,
            ),
            item(
                "{herbal} Herbal Infusion, {weight}",
                "herbal infusion",
                "tea selfcare",
                (4.5, 12),
                s={"herbal": "Chamomile & Lavender|Lemon Balm|Sleepy Time|Rose & Hibiscus|Nettle & Mint|Turmeric Glow"},
                d=["A caffeine-free {herbal_l} infusion for the evening."],
                u=[
                    "Comes in a resealable pouch to keep it fresh.",
                    "Brew for three to four minutes, with or without milk.",
                ],
                c=True,
            ),
            item(
                "{origin} {roast} Roast Coffee Beans, {cweight}",
                "bag of coffee beans",
                "coffee",
                (6, 26),
                s={"roast": "Light|Medium|Dark"},
                d=["{origin} beans, {roast_l} roasted each week by a small roastery down the road."],
                u=["Roast date printed on every bag.", "Comes in a resealable valve bag to keep it fresh."],
                c=True,
                w=3,
            ),
            item(
                "{origin} Ground Coffee, {cweight}",
                "bag of ground coffee",
                "coffee",
                (6, 24),
                d=["{origin} coffee, ground for cafetière and filter."],
                u=["Roast date printed on every bag.", "Comes in a resealable valve bag to keep it fresh."],
                c=True,
            ),
            item(
                "Pour-Over Coffee Dripper, {material}",
                "coffee dripper",
                "coffee",
                (14, 32),
                s={"material": "Ceramic|Glass|Stainless Steel"},
            ),
            item(
                "{material} Tea Infuser",
                "tea infuser",
                "tea",
                (4, 12),
                s={"material": "Stainless Steel|Silicone|Glass|Brass"},
            ),
            item(
                "{colour} {material} Tea Caddy",
                "tea caddy",
                "tea gifts",
                (8, 20),
                s={"material": "Tin|Enamel|Bamboo|Ceramic"},
            ),
            item(
                "{material} Cafetière, {cups}",
                "cafetière",
                "coffee",
                (18, 45),
                s={"material": "Glass|Copper|Stainless Steel|Matte Black"},
            ),
            item(
                "Hot Chocolate Flakes, {flavour}",
                "hot chocolate",
                "cosy",
                (5, 12),
                s={"flavour": "Dark 70%|Milk|Salted Caramel|Orange|Mint|White"},
                d=["Shaved {flavour_l} chocolate that melts into hot milk."],
                c=True,
            ),
            item(
                "{festive_tea} Christmas Tea, {weight}",
                "festive tea",
                "tea festive",
                (5, 13),
                s={"festive_tea": "Spiced Orange|Christmas Cake|Mulled Apple|Cinnamon Plum|Gingerbread"},
                c=True,
            ),
            item(
                "Tea Tasting Gift Set, {count} Blends",
                "tea tasting set",
                "tea gifts",
                (14, 32),
                s={"count": "4|6|9|12"},
            ),
            item(
                "Hand Grinder, {material}",
                "coffee grinder",
                "coffee",
                (22, 60),
                s={"material": "Ceramic Burr|Steel Burr|Wooden"},
            ),
        ],
    ),
    cat(
        "Garden",
        share=105,
        quality="hard-wearing|practical|weatherproof|reliable|well-made",
        intro=[
            "A {quality} {noun} for the garden, built to last season after season.",
            "This {quality} {noun} is a garden essential.",
            "A {quality} {noun}, tested in our own allotment.",
        ],
        uses=[
            "Chosen by the gardeners in our team.",
            "A good buy for new and seasoned gardeners alike.",
            "Suits balconies, patios and larger plots alike.",
        ],
        items=[
            item(
                "{style} Hand {tool}",
                "hand tool",
                "garden",
                (8, 26),
                s={
                    "style": "Stainless Steel|Ash Handled|Carbon Steel|Ergonomic|Copper",
                    "tool": "Trowel|Fork|Weeder|Dibber|Hoe",
                },
                d=["A {style_l} hand {tool_l} that sits comfortably in the palm for weeding and planting."],
            ),
            item(
                "{material} Hanging Basket, {size_cm}",
                "hanging basket",
                "garden",
                (9, 28),
                s={"material": "Coco Liner|Wicker|Wire|Rattan"},
            ),
            item(
                "{material} Window Box, {length}",
                "window box",
                "garden",
                (14, 42),
                s={"material": "Terracotta|Zinc|Wooden|Recycled Plastic", "length": "40 cm|60 cm|80 cm"},
            ),
            item(
                "{bulb} Bulb Collection, {count} Bulbs",
                "bulb collection",
                "garden",
                (5, 22),
                s={"bulb": "Spring Tulip|Daffodil|Allium|Snowdrop|Crocus|Dahlia|Lily|Bluebell", "count": "10|25|50"},
                d=["A collection of {bulb_l} bulbs, graded for size and ready to plant."],
                c=True,
            ),
            item(
                "{material} Plant Labels, Pack of {count}",
                "pack of plant labels",
                "garden",
                (4, 14),
                s={"material": "Slate|Copper|Bamboo|Zinc", "count": "10|20"},
            ),
            item(
                "{material} Plant Pot, {size_cm}",
                "plant pot",
                "garden",
                (5, 38),
                s={"material": "Terracotta|Glazed Ceramic|Zinc|Concrete|Recycled Plastic"},
                d=["A {material_l} pot with a drainage hole, for herbs, bulbs and houseplants."],
                w=2,
            ),
            item(
                "{sec} Pruning Secateurs",
                "pair of secateurs",
                "garden",
                (14, 38),
                s={"sec": "Bypass|Anvil|Ratchet|Compact"},
            ),
            item(
                "{colour} Gardening Gloves, Size {glove}",
                "pair of gardening gloves",
                "garden",
                (6, 18),
                s={"glove": "S|M|L"},
            ),
            item(
                "{veg} Seed Collection",
                "seed collection",
                "garden",
                (3, 12),
                s={
                    "veg": (
                        "Heritage Tomato|Salad Leaf|Wildflower|Cut Flower|Herb Garden|Chilli Pepper|Pollinator|"
                        "Sweet Pea|Squash & Courgette|Windowsill Herb|Children's Sunflower@kids"
                    )
                },
                d=["A packet collection of {veg_l} seeds with sowing notes for every month."],
                c=True,
            ),
            item(
                "{material} Watering Can, {volume}",
                "watering can",
                "garden",
                (14, 48),
                s={"material": "Galvanised|Copper|Recycled Plastic|Enamel"},
            ),
            item(
                "{material} Bird Feeder",
                "bird feeder",
                "garden gifts",
                (9, 30),
                s={"material": "Cedar|Metal|Recycled Glass|Ceramic|Copper Roofed"},
            ),
            item(
                "{wood} Raised Bed Kit, {bed_size}",
                "raised bed kit",
                "garden",
                (35, 80),
                s={"wood": "Larch|Cedar|Pine", "bed_size": "60 x 60 cm|120 x 60 cm|180 x 90 cm"},
            ),
            item(
                "Solar {lights} Lights, {colour_light}",
                "set of solar lights",
                "garden outdoors",
                (12, 35),
                s={"lights": "String|Lantern|Festoon|Stake|Firefly", "colour_light": "Warm White|Multicolour"},
            ),
            item("Kneeling Pad, {colour}", "kneeling pad", "garden", (6, 14)),
            item("{wood} Insect Hotel", "insect hotel", "garden kids", (12, 30), s={"wood": "Pine|Bamboo|Cedar"}),
            item(
                "{compost} Compost, {litres}",
                "bag of compost",
                "garden",
                (5, 14),
                s={
                    "compost": "Peat-Free Multipurpose|Seed & Cutting|Houseplant|Ericaceous",
                    "litres": "10 L|20 L|40 L",
                },
                c=True,
            ),
            item(
                "Garden Twine, {twine}",
                "ball of twine",
                "garden",
                (3, 8),
                s={"twine": "Jute|Green Jute|Hemp|Tin of Jute"},
            ),
        ],
    ),
    cat(
        "Stationery",
        share=110,
        quality="beautifully made|practical|elegant|thoughtfully designed",
        intro=[
            "A {quality} {noun} made with good paper and careful binding.",
            "This {quality} {noun} is a pleasure to use.",
            "A {quality} {noun} for desk, bag or bedside table.",
        ],
        uses=[
            "Designed in the UK.",
            "Part of our desk and stationery collection.",
            "Packed without plastic.",
        ],
        items=[
            item(
                "{cover} {paper} Notebook, {format}",
                "notebook",
                "reading",
                (5, 22),
                s={
                    "cover": "Linen Bound|Kraft|Leather Look|Cloth Covered|Marbled",
                    "paper": "Dot Grid|Lined|Plain|Squared",
                },
                d=["A {cover_l} notebook with {paper_l} pages, a ribbon marker and a back pocket."],
                w=2,
            ),
            item(
                "{colour} Fountain Pen, {nib}",
                "fountain pen",
                "reading gifts",
                (12, 45),
                s={"nib": "Fine Nib|Medium Nib|Broad Nib"},
            ),
            item(
                "{card} Greetings Card",
                "greetings card",
                "gifts",
                (2.5, 4.5),
                s={
                    "card": (
                        "Botanical Birthday|Floral Thank You|New Home|Congratulations|Get Well Soon|Wedding Day|"
                        "Dog Lover Birthday@pets|Garden Birthday@garden|Tea Time Birthday@tea|Cake Birthday@baking|"
                        "Little Explorer Birthday@kids"
                    )
                },
                c=True,
                w=2,
            ),
            item(
                "{festive_motif} Christmas Cards, Pack of {n}",
                "pack of Christmas cards",
                "festive",
                (4, 12),
                s={"n": "6|10|20"},
                c=True,
            ),
            item(
                "{cover} Weekly Planner, {year}",
                "weekly planner",
                "reading",
                (8, 20),
                s={"cover": "Linen|Kraft|Floral|Leather Look", "year": "2024|2025|Undated"},
            ),
            item(
                "{washi} Washi Tape Set",
                "washi tape set",
                "crafts",
                (4, 10),
                s={"washi": "Botanical|Pastel|Vintage Map|Gold Foil|Woodland|Christmas@festive"},
            ),
            item(
                "{paperk} Letter Writing Set",
                "letter writing set",
                "reading gifts",
                (9, 24),
                s={"paperk": "Cotton Paper|Recycled Paper|Deckle Edge|Airmail"},
            ),
            item(
                "{motif} Wax Seal Kit",
                "wax seal kit",
                "reading crafts gifts",
                (12, 28),
                s={"motif": "Bee|Fern|Moon|Monogram|Rose|Acorn"},
            ),
            item("{material} Pencil Case", "pencil case", "kids", (5, 16), s={"material": "Canvas|Leather|Tin|Felt"}),
            item(
                "{wrap} Wrapping Paper, {rolls}",
                "wrapping paper",
                "gifts",
                (3, 9),
                s={
                    "wrap": "Kraft Star|Botanical|Gold Dot|Christmas Holly@festive|Birthday Confetti",
                    "rolls": "2 Sheets|3 m Roll|5 m Roll",
                },
                c=True,
            ),
            item(
                "{material} Desk Organiser",
                "desk organiser",
                "",
                (12, 35),
                s={"material": "Oak|Metal Mesh|Bamboo|Leather"},
            ),
            item(
                "{bm} Bookmark Set",
                "bookmark set",
                "reading",
                (3, 9),
                s={"bm": "Pressed Flower|Brass|Leather|Illustrated Animal|Tassel"},
            ),
        ],
    ),
    cat(
        "Candles & Home Fragrance",
        share=110,
        quality="clean-burning|hand-poured|long-lasting|softly scented",
        intro=[
            "A {quality} {noun} for calm, candlelit evenings.",
            "Our {quality} {noun}, made in small batches in our workshop.",
            "A {quality} {noun} that makes a room feel finished.",
        ],
        uses=[
            "Never leave a burning candle unattended.",
            "Packed without plastic.",
            "Part of our home fragrance collection.",
        ],
        items=[
            item(
                "{scent} Soy Candle, {candle_size}",
                "soy candle",
                "cosy",
                (8, 38),
                s={"candle_size": "Travel Tin|Small|Medium|Large 3-Wick"},
                d=[
                    "A soy candle scented with {scent_l}, hand-poured into a reusable vessel.",
                    "Notes of {scent_l} from a slow, even burn of up to 40 hours.",
                ],
                u=["Made with natural soy wax and a cotton wick.", "Trim the wick before each burn for a clean flame."],
                w=3,
            ),
            item(
                "{scent} Reed Diffuser, {ml}",
                "reed diffuser",
                "cosy",
                (14, 38),
                d=["A reed diffuser that gently fills the room with {scent_l} for weeks."],
            ),
            item("{scent} Wax Melts, Pack of {n}", "pack of wax melts", "cosy", (5, 10), s={"n": "6|12"}, c=True),
            item(
                "{style} {material} Candle Holder",
                "candle holder",
                "cosy gifts",
                (8, 35),
                s={"style": "Taper|Tealight|Pillar|Hurricane", "material": "Brass|Glass|Ceramic|Cast Iron|Marble"},
                d=["A {material_l} {style_l} holder with a weighted base."],
            ),
            item(
                "{colour} Dinner Candles, Pack of {n}",
                "pack of dinner candles",
                "cosy",
                (5, 14),
                s={"n": "4|6|12"},
                c=True,
            ),
            item(
                "{scent} Room Spray",
                "room spray",
                "cosy",
                (8, 16),
                d=["A quick spritz of {scent_l} for rooms, linen and cushions."],
            ),
            item(
                "Long Safety Matches, {match}",
                "box of matches",
                "cosy",
                (3, 9),
                s={"match": "Glass Jar|Striking Tin|Gift Box|Refill Pack"},
                d=["Extra-long matches for candles, fires and wood burners."],
                c=True,
            ),
            item(
                "{colour} Advent Candle",
                "advent candle",
                "festive",
                (6, 14),
                d=["A numbered advent candle to count down the days to Christmas."],
            ),
            item(
                "Beeswax Pillar Candle, {height}",
                "beeswax pillar candle",
                "cosy",
                (9, 26),
                s={"height": "10 cm|15 cm|20 cm"},
                d=["A pure beeswax pillar with a warm honey glow."],
            ),
            item(
                "{scent} Candle Gift Set",
                "candle gift set",
                "cosy gifts",
                (22, 45),
                d=["A {scent_l} candle with matching wax melts and a box of matches."],
            ),
        ],
    ),
    cat(
        "Toys & Games",
        share=95,
        quality="classic|cheerful|sturdy|imaginative",
        intro=[
            "A {quality} {noun} that gets played with again and again.",
            "This {quality} {noun} is built for years of play.",
            "A {quality} {noun} for curious minds.",
        ],
        uses=[
            "Meets UK toy safety standards.",
            "Made from sustainably sourced materials.",
            "Not suitable for children under 3 years.",
        ],
        items=[
            item(
                "Wooden {vehicle}, {toycol}",
                "wooden toy",
                "kids",
                (12, 38),
                s={
                    "vehicle": "Fire Engine|Tractor|Train Set|Sailing Boat|Digger|Bus|Aeroplane|Camper Van",
                    "toycol": "Red|Blue|Natural|Rainbow",
                },
            ),
            item(
                "{animal} Hand Puppet",
                "hand puppet",
                "kids",
                (9, 18),
                d=["A soft {animal_l} hand puppet for storytelling and make-believe."],
            ),
            item(
                "{pieces} Piece Floor Puzzle, {floor}",
                "floor puzzle",
                "kids",
                (10, 20),
                s={"pieces": "24|36|48", "floor": "Farm|Ocean|Space|Dinosaurs|Jungle|Garden Bugs@garden|Dog Park@pets"},
            ),
            item(
                "Rainy Day Activity Box, {age}",
                "activity box",
                "kids crafts",
                (14, 28),
                s={"age": "Ages 3-5|Ages 5-8|Ages 8-12"},
            ),
            item(
                "Wooden {animal} Pull-Along Toy",
                "pull-along toy",
                "kids",
                (12, 26),
                d=["A wooden {animal_l} on wheels with a cord for toddlers to pull along."],
            ),
            item(
                "{n} Piece Jigsaw Puzzle, {jig}",
                "jigsaw puzzle",
                "cosy",
                (12, 24),
                s={
                    "n": "500|1000|1500",
                    "jig": (
                        "Botanical Garden@garden|Vintage Library@reading|Village Bakery@baking|Tea Party@tea|"
                        "Mountain Lake@outdoors|Cats of the World@pets|Winter Market@festive|Seaside Town|"
                        "Map of Britain|Hot Air Balloons"
                    ),
                },
                d=["A {n}-piece puzzle of a {jig_l} illustration, with a poster for reference."],
            ),
            item(
                "{game} Board Game",
                "family board game",
                "kids",
                (18, 40),
                s={
                    "game": (
                        "Garden Gnome Race|Lighthouse Keepers|Bakery Rush|Treasure Island Trail|Word Harvest|"
                        "Castle Builders|Pond Life|Hedgehog Hideaway|Moon Landing|Market Day|Pirate Cove|Night Owls"
                    )
                },
                d=["A family board game for two to five players that takes about 30 minutes."],
            ),
            item(
                "Plush {animal}, {plush_size}",
                "soft toy",
                "kids gifts",
                (10, 32),
                s={"plush_size": "20 cm|30 cm|45 cm"},
                d=["A super-soft plush {animal_l} with embroidered eyes."],
            ),
            item(
                "Wooden Building Blocks, {pieces} Pieces",
                "set of building blocks",
                "kids",
                (18, 45),
                s={"pieces": "30|50|100"},
            ),
            item(
                "{card_game} Card Game",
                "card game",
                "kids",
                (6, 15),
                s={"card_game": "Pocket Quiz|Animal Snap|Happy Families|Word Duel|Memory Match|Rummy Royale"},
            ),
            item(
                "{kite} Kite",
                "kite",
                "kids outdoors",
                (10, 28),
                s={"kite": "Rainbow Diamond|Parafoil|Dragon|Octopus|Eagle"},
            ),
            item("Marble Run Set, {pieces} Pieces", "marble run", "kids", (20, 48), s={"pieces": "40|80|120"}),
            item(
                "Wooden Play {play_food} Set",
                "play food set",
                "kids",
                (14, 32),
                s={"play_food": "Tea@tea|Baking@baking|Breakfast|Picnic@outdoors|Fruit & Veg@garden"},
            ),
            item("{festive_motif} Nutcracker", "nutcracker", "festive gifts", (14, 32)),
            item(
                "Travel Chess Set, {material}",
                "travel chess set",
                "gifts outdoors",
                (14, 36),
                s={"material": "Walnut|Magnetic|Roll-Up Canvas"},
            ),
        ],
    ),
    cat(
        "Jewellery",
        share=90,
        quality="delicate|handmade|elegant|minimal",
        intro=[
            "A {quality} {noun}, made in a small workshop.",
            "This {quality} {noun} is delicate enough for every day.",
            "A {quality} {noun} with a quiet sparkle.",
        ],
        uses=[
            "Arrives in a recycled gift box.",
            "Designed in our studio and finished by hand.",
            "Store away from water and perfume to keep it shining.",
        ],
        items=[
            item("{metal} {stone} Pendant Necklace", "pendant necklace", "gifts", (24, 95), w=2),
            item("{metal} {stone} Stud Earrings", "pair of stud earrings", "gifts", (18, 75), w=2),
            item(
                "{metal} Hoop Earrings, {hoop}",
                "pair of hoop earrings",
                "gifts",
                (18, 65),
                s={"hoop": "12 mm|20 mm|30 mm"},
            ),
            item(
                "{ring} {metal} Stacking Ring",
                "stacking ring",
                "gifts",
                (14, 55),
                s={"ring": "Hammered|Twisted|Beaded|Plain Band|Textured"},
            ),
            item(
                "{metal} Charm Bracelet, {charm}",
                "charm bracelet",
                "gifts",
                (20, 70),
                s={
                    "charm": (
                        "Bee@garden|Paw Print@pets|Teacup@tea|Open Book@reading|Mountain@outdoors|Star|Heart|"
                        "Snowflake@festive"
                    )
                },
                d=["A fine chain bracelet with a {charm_l} charm."],
            ),
            item("Beaded Friendship Bracelet, {colour}", "friendship bracelet", "gifts kids", (8, 16)),
            item(
                "{material} Jewellery Box",
                "jewellery box",
                "gifts",
                (16, 48),
                s={"material": "Velvet|Leather|Oak|Ceramic"},
            ),
            item(
                "Pressed Flower {jt}",
                "pressed flower piece",
                "garden gifts",
                (18, 48),
                s={"jt": "Pendant|Earrings|Ring|Hair Clip"},
                d=["Real pressed flowers set in clear resin."],
            ),
            item(
                "{pin} Enamel Pin",
                "enamel pin",
                "gifts",
                (6, 10),
                s={
                    "pin": (
                        "Teapot@tea|Coffee Cup@coffee|Dachshund@pets|Black Cat@pets|Tent@outdoors|Bookworm@reading|"
                        "Trowel@garden|Rolling Pin@baking|Paintbrush@crafts|Rainbow"
                    )
                },
            ),
        ],
    ),
    cat(
        "Bath & Body",
        share=100,
        quality="gentle|nourishing|handmade|vegan",
        intro=[
            "A {quality} {noun} made with natural oils.",
            "Our {quality} {noun}, made in small batches.",
            "A {quality} {noun} that leaves skin soft.",
        ],
        uses=[
            "Free from parabens and SLS.",
            "Suitable for all skin types.",
            "Cruelty free and plastic-free packaging.",
        ],
        items=[
            item(
                "{bath_scent} Soap Bar, {g}",
                "soap bar",
                "selfcare",
                (4, 9),
                d=["A cold-process {bath_scent_l} soap bar, cured for six weeks."],
                c=True,
                w=3,
            ),
            item("{bath_scent} Bath Salts, {g}", "jar of bath salts", "selfcare", (8, 18), c=True),
            item(
                "{bath_scent} Hand Cream, {ml}",
                "hand cream",
                "selfcare garden",
                (6, 16),
                d=["A rich {bath_scent_l} hand cream with shea butter for hard-working hands."],
                c=True,
                w=2,
            ),
            item("{bath_scent} Body Lotion, {ml}", "body lotion", "selfcare", (9, 22), c=True),
            item("Bath Bomb Set, {n} Pieces", "bath bomb set", "selfcare gifts", (9, 24), s={"n": "3|6|9"}),
            item(
                "{material} Soap Dish",
                "soap dish",
                "",
                (6, 16),
                s={"material": "Ceramic|Olive Wood|Concrete|Marble|Enamel"},
            ),
            item(
                "{bath_tool}",
                "bath accessory",
                "selfcare",
                (4, 14),
                s={
                    "bath_tool": (
                        "Konjac Sponge|Dry Body Brush|Natural Loofah|Bamboo Nail Brush|Pumice Stone|Wooden Bath Rack"
                    )
                },
            ),
            item(
                "{lip} Lip Balm",
                "lip balm",
                "",
                (3, 6),
                s={"lip": "Peppermint|Honey|Cherry|Unscented|Vanilla|Rose"},
                c=True,
            ),
            item(
                "{bath_scent} Pamper Gift Set",
                "pamper gift set",
                "selfcare gifts",
                (18, 40),
                d=["Soap, bath salts and hand cream in {bath_scent_l}, boxed together."],
            ),
            item("Silk Sleep Mask, {colour}", "silk sleep mask", "selfcare gifts", (12, 28)),
            item(
                "{beard} Beard Oil, 30 ml",
                "beard oil",
                "gifts",
                (9, 18),
                s={"beard": "Cedar|Citrus|Unscented|Sandalwood"},
                c=True,
            ),
            item("{bath_scent} Bubble Bath, {ml}", "bubble bath", "selfcare kids", (6, 14), c=True),
        ],
    ),
    cat(
        "Pet Supplies",
        share=90,
        quality="durable|comfortable|practical|hard-wearing",
        intro=[
            "A {quality} {noun} for four-legged family members.",
            "This {quality} {noun} is tested by our shop dog.",
            "A {quality} {noun} that stands up to daily use.",
        ],
        uses=[
            "Chosen by the dog and cat owners in our team.",
            "Made with pet-safe materials.",
            "Ask in store for help with sizing.",
        ],
        items=[
            item(
                "{material} Dog Collar, {colour}, {pet_size}",
                "dog collar",
                "pets",
                (9, 28),
                s={"material": "Leather|Waxed Cotton|Recycled Webbing|Tweed"},
            ),
            item(
                "{material} Dog Lead, {colour}",
                "dog lead",
                "pets outdoors",
                (10, 32),
                s={"material": "Leather|Rope|Recycled Webbing"},
            ),
            item(
                "{fabric} Pet Bed, {pet_size}",
                "pet bed",
                "pets cosy",
                (25, 60),
                s={"fabric": "Corduroy|Sherpa Fleece|Tweed|Waterproof Canvas"},
            ),
            item(
                "{treat} Dog Treats, {g}",
                "bag of dog treats",
                "pets",
                (3, 8),
                s={"treat": "Peanut Butter|Sweet Potato|Salmon|Chicken & Apple|Cheese|Turkey & Cranberry@festive"},
                c=True,
                w=2,
            ),
            item("Squeaky {animal} Dog Toy", "squeaky toy", "pets", (6, 14)),
            item(
                "Catnip {cat_toy}",
                "catnip toy",
                "pets",
                (4, 9),
                s={"cat_toy": "Mouse|Fish|Banana|Kicker Pillow|Carrot"},
            ),
            item(
                "{material} Pet Bowl, {pet_size}",
                "pet bowl",
                "pets",
                (7, 22),
                s={"material": "Ceramic|Stainless Steel|Enamel"},
            ),
            item("Collapsible Travel Bowl, {colour}", "travel bowl", "pets outdoors", (5, 10)),
            item(
                "Cat Scratching {scratch}", "cat scratcher", "pets", (12, 38), s={"scratch": "Post|Board|Ramp|Lounger"}
            ),
            item("Compostable Poo Bags, {n} Pack", "pack of poo bags", "pets", (3, 9), s={"n": "60|120|240"}, c=True),
            item("Pet Christmas Stocking, {colour}", "pet Christmas stocking", "pets festive gifts", (7, 15)),
            item(
                "{coat} Dog Coat, {pet_size}",
                "dog coat",
                "pets outdoors",
                (18, 45),
                s={"coat": "Quilted|Waxed|Fleece Lined|Waterproof"},
            ),
        ],
    ),
    cat(
        "Books",
        share=115,
        quality="much-loved|beautifully illustrated|engaging|well-written",
        intro=[
            "A {quality} {noun}, chosen by our staff.",
            "This {quality} {noun} has been a steady seller since it arrived.",
            "A {quality} {noun} that deserves a spot on the shelf.",
        ],
        uses=[
            "Signed copies available while stocks last.",
            "A perfect size for reading on the go.",
            "Independent publisher, printed on recycled paper.",
        ],
        items=[
            item(
                "{bake_a}: {bake_b} ({binding})",
                "baking book",
                "baking reading",
                (12, 28),
                s={
                    "bake_a": (
                        "Proper Bread|Slow Dough|The Little Cake Book|Sourdough at Home|The Biscuit Tin|Pies & Tarts|"
                        "Weekend Bakes"
                    ),
                    "bake_b": (
                        "Recipes for Every Season|A Home Baker's Guide|Simple Bakes for Busy Kitchens|"
                        "From Starter to Loaf"
                    ),
                    "binding": "Hardback|Paperback",
                },
                d=["A baking book full of tested recipes and step-by-step photographs."],
            ),
            item(
                "{gard_a}: {gard_b} ({binding})",
                "gardening book",
                "garden reading",
                (10, 26),
                s={
                    "gard_a": (
                        "The Small Garden|Grow Your Own|Pots & Containers|The No-Dig Year|The Wildlife Garden|"
                        "Cottage Borders"
                    ),
                    "gard_b": "A Practical Handbook|Month by Month|Plants, Tips & Plans|A Beginner's Guide",
                    "binding": "Hardback|Paperback",
                },
            ),
            item(
                "{brew_a}: {brew_b} (Hardback)",
                "book about brewing",
                "reading",
                (14, 26),
                s={
                    "brew_a": (
                        "The Tea Almanac@tea|A Year of Tea@tea|Leaves & Pots@tea|The Home Barista@coffee|Brew@coffee|"
                        "Bean to Cup@coffee"
                    ),
                    "brew_b": "A Guide to Better Brewing|Origins, Recipes & Rituals|Everything You Need to Know",
                },
            ),
            item(
                "The {animal} Who {verb}",
                "picture book",
                "kids reading",
                (6, 14),
                s={
                    "verb": (
                        "Couldn't Sleep|Loved Cake|Lost His Hat|Went to Sea|Planted a Tree|Wanted a Friend|Hated Baths"
                    )
                },
                d=["A picture book about a {animal_l}, with bright illustrations for ages 3 to 6."],
                w=2,
            ),
            item(
                "The {novel_noun} of {novel_place} (Paperback)",
                "novel",
                "reading",
                (8, 12),
                s={
                    "novel_noun": "Secret|Summer|Last Letter|Orchard|Keeper|Glasshouse|Lantern|Widow|Silence",
                    "novel_place": (
                        "Hollow Lane|Winter Bay|the Old Mill|Bramble Cottage|Marsh End|the North Shore|Larkhill"
                    ),
                },
                d=["A page-turning novel of family secrets and second chances."],
                w=2,
            ),
            item(
                "{craft_a}: {craft_b} (Paperback)",
                "craft book",
                "crafts reading",
                (10, 22),
                s={
                    "craft_a": (
                        "Modern Embroidery|Watercolour Basics|Knit Your Own|Linocut Printing|Brush Lettering|"
                        "Pressed Flower Art"
                    ),
                    "craft_b": "Step-by-Step Projects|A Beginner's Guide|20 Projects to Make",
                },
            ),
            item(
                "{walks} Walks: {n} Circular Routes",
                "walking guide",
                "outdoors reading",
                (9, 16),
                s={
                    "walks": "Lake District|Peak District|Cotswold|Dartmoor|Snowdonia|Yorkshire Dales|Coastal Path",
                    "n": "20|30|40",
                },
            ),
            item(
                "{pet_a}: {pet_b}",
                "pet care book",
                "pets reading",
                (9, 18),
                s={
                    "pet_a": "The Happy Dog|Puppy School|Cat Sense|The Contented Cat|Rescue Dog",
                    "pet_b": "A Training Guide|Understanding Your Pet|Care, Health & Happiness",
                },
            ),
            item(
                "{xmas_book} (Hardback)",
                "Christmas book",
                "festive reading",
                (10, 24),
                s={
                    "xmas_book": (
                        "A Country Christmas|Christmas Baking@baking|The Night Before Christmas, Illustrated@kids|"
                        "Festive Makes@crafts|Winter Tales|The Christmas Garden@garden"
                    )
                },
            ),
            item(
                "{camp_a}: {camp_b} (Paperback)",
                "outdoor handbook",
                "outdoors reading",
                (10, 18),
                s={
                    "camp_a": "The Wild Camping Handbook|Campfire Cooking|Foraging for Beginners|Night Skies",
                    "camp_b": "Skills for the Outdoors|A Pocket Guide|Recipes and Know-How",
                },
            ),
        ],
    ),
    cat(
        "Baking",
        share=100,
        quality="professional-quality|reliable|premium|everyday",
        intro=[
            "A {quality} {noun} for the home baker.",
            "Our {quality} {noun}, chosen by the bakers in our team.",
            "A {quality} {noun} for better bakes at home.",
        ],
        uses=[
            "A staple of our baking shelf.",
            "Hand wash and dry thoroughly after use.",
            "Used by professional bakers and keen amateurs alike.",
        ],
        items=[
            item(
                "{sugar} Sugar, {g}",
                "bag of sugar",
                "baking",
                (2, 6),
                s={"sugar": "Golden Caster|Light Muscovado|Dark Muscovado|Icing|Demerara|Granulated Cane"},
                c=True,
            ),
            item(
                "{choc} Chocolate Chips, {g}",
                "bag of chocolate chips",
                "baking",
                (3, 9),
                s={"choc": "Dark 70%|Milk|White|Ruby"},
                c=True,
            ),
            item(
                "{tray} Baking Tray, {traysize}",
                "baking tray",
                "baking",
                (7, 22),
                s={"tray": "Non-Stick|Carbon Steel|Enamel|Perforated", "traysize": "Small|Medium|Large"},
            ),
            item(
                "{colour} Cupcake Cases, Pack of {count}",
                "pack of cupcake cases",
                "baking",
                (2.5, 6),
                s={"count": "50|100"},
                c=True,
            ),
            item("Digital Kitchen Scales, {colour}", "set of kitchen scales", "baking", (14, 32)),
            item(
                "{material} Measuring Cups and Spoons",
                "measuring set",
                "baking",
                (8, 22),
                s={"material": "Copper|Stainless Steel|Enamel|Beech"},
            ),
            item(
                "{flour} Flour, {kg}",
                "bag of flour",
                "baking",
                (2, 7),
                s={"flour": "Strong White Bread|Wholemeal|Spelt|Dark Rye|Self-Raising|Italian 00|Plain|Malted Granary"},
                d=["Stoneground {flour_l} flour from a family-run mill."],
                c=True,
                w=3,
            ),
            item(
                "{extract} Extract, {ml}",
                "bottle of extract",
                "baking",
                (3, 12),
                s={"extract": "Madagascan Vanilla|Almond|Peppermint|Orange|Lemon|Rose", "ml": "35 ml|50 ml|100 ml"},
                c=True,
            ),
            item(
                "{material} Loaf Tin, {lb}",
                "loaf tin",
                "baking",
                (7, 18),
                s={"material": "Carbon Steel|Non-Stick|Enamel|Silicone", "lb": "1 lb|2 lb"},
            ),
            item(
                "Sourdough {sourdough}",
                "sourdough tool",
                "baking",
                (6, 30),
                s={"sourdough": "Starter Kit|Proving Basket|Bread Lame|Dough Scraper Set|Proving Cloth"},
                d=["Everything you need to bake crusty sourdough at home."],
            ),
            item(
                "{material} Rolling Pin",
                "rolling pin",
                "baking",
                (8, 24),
                s={"material": "Beech|Marble|French Tapered|Walnut"},
            ),
            item(
                "{cutter} Cookie Cutter Set",
                "cookie cutter set",
                "baking",
                (5, 14),
                s={
                    "cutter": (
                        "Woodland Animals|Christmas@festive|Alphabet@kids|Hearts|Dog Bone@pets|Garden Bugs@garden+kids|"
                        "Fluted Round"
                    )
                },
            ),
            item(
                "{sprinkle} Sprinkles, {g}",
                "tub of sprinkles",
                "baking kids",
                (3, 7),
                s={"sprinkle": "Rainbow|Gold Stars|Unicorn|Christmas Mix@festive|Pastel Hearts", "g": "50 g|100 g"},
                c=True,
            ),
            item(
                "{material} Round Cake Tin, {size_cm}",
                "cake tin",
                "baking",
                (7, 20),
                s={"material": "Loose-Base|Springform|Anodised|Non-Stick"},
            ),
            item("Piping Bag and Nozzle Set, {n} Pieces", "piping set", "baking", (6, 18), s={"n": "8|12|24"}),
            item(
                "{rack} Cooling Rack",
                "cooling rack",
                "baking",
                (8, 22),
                s={"rack": "Chrome|Stainless Steel|Three-Tier|Round"},
            ),
            item(
                "{gh} Gingerbread House Kit",
                "gingerbread house kit",
                "baking festive kids",
                (12, 25),
                s={"gh": "Classic|Alpine Chalet|Village|Woodland Cabin"},
            ),
            item(
                "{bake_mix} Baking Mix",
                "baking mix",
                "baking",
                (4, 8),
                s={"bake_mix": "Brownie|Scone|Sourdough Loaf|Lemon Drizzle|Focaccia|Pancake|Dog Biscuit@pets"},
                c=True,
            ),
            item("Reusable Baking Mat, {colour}", "baking mat", "baking", (6, 14)),
        ],
    ),
    cat(
        "Outdoor & Camping",
        share=85,
        quality="rugged|lightweight|compact|dependable",
        intro=[
            "A {quality} {noun} for adventures big and small.",
            "This {quality} {noun} is light enough to carry all day.",
            "A {quality} {noun} made for wind, rain and muddy paths.",
        ],
        uses=[
            "Tested on wet weekends in the Welsh hills.",
            "Backed by a two-year guarantee.",
            "Spare parts available in store.",
        ],
        items=[
            item(
                "Enamel Camping Mug, {colour}",
                "camping mug",
                "outdoors coffee",
                (7, 14),
                d=["A chip-resistant enamel mug for campfire coffee and tea."],
            ),
            item(
                "{size} Stainless Steel Water Bottle, {colour}",
                "water bottle",
                "outdoors",
                (12, 30),
                s={"size": "500 ml|750 ml|1 L"},
            ),
            item(
                "{lantern} Camping Lantern",
                "camping lantern",
                "outdoors",
                (12, 40),
                s={"lantern": "Rechargeable|Solar|Collapsible|Vintage Style"},
            ),
            item(
                "{fabric} Picnic Blanket, {colour}",
                "picnic blanket",
                "outdoors",
                (18, 55),
                s={"fabric": "Waterproof Fleece|Wool Tartan|Recycled Cotton"},
            ),
            item(
                "Insulated Flask, {ml}",
                "insulated flask",
                "outdoors tea coffee",
                (14, 32),
                s={"ml": "350 ml|500 ml|750 ml|1 L"},
            ),
            item(
                "Camp Stove Kettle, {volume}", "camp kettle", "outdoors tea", (16, 36), s={"volume": "0.8 L|1 L|1.5 L"}
            ),
            item("{colour} Daypack, {litres}", "daypack", "outdoors", (28, 85), s={"litres": "15 L|20 L|25 L"}),
            item(
                "{sock} Wool Hiking Socks",
                "pair of hiking socks",
                "outdoors",
                (9, 19),
                s={"sock": "Lightweight|Cushioned|Winter|Merino Blend"},
                c=True,
            ),
            item(
                "Head Torch, {lumen}", "head torch", "outdoors", (12, 38), s={"lumen": "150 Lumen|300 Lumen|500 Lumen"}
            ),
            item(
                "Folding {camp_fold}",
                "folding camp furniture",
                "outdoors",
                (18, 60),
                s={"camp_fold": "Camping Stool|Camp Chair|Picnic Table"},
            ),
            item(
                "Pocket {pocket_tool}",
                "pocket essential",
                "outdoors",
                (9, 35),
                s={"pocket_tool": "Multi-Tool|Compass|First Aid Kit|Binoculars"},
            ),
            item("Picnic Set for {n}, {colour}", "picnic set", "outdoors gifts", (28, 70), s={"n": "2|4"}),
            item("Cotton Hammock, {colour}", "hammock", "outdoors garden", (28, 60)),
        ],
    ),
    cat(
        "Textiles",
        share=100,
        quality="soft|generously sized|beautifully woven|heavyweight",
        intro=[
            "A {quality} {noun} for everyday use.",
            "Our {quality} {noun}, made from natural fibres.",
            "A {quality} {noun} that softens with every wash.",
        ],
        uses=[
            "See the care label for washing instructions.",
            "Ethically made by a small family-run mill.",
            "Pairs well with our other linens and throws.",
        ],
        items=[
            item(
                "{fabric} Cushion Cover, {colour}, {cushion}",
                "cushion cover",
                "cosy",
                (12, 35),
                s={"fabric": "Linen|Velvet|Wool|Cotton Canvas|Bouclé", "cushion": "30 x 50 cm|45 x 45 cm|50 x 50 cm"},
                w=2,
            ),
            item(
                "{fabric} Throw, {colour}",
                "throw",
                "cosy",
                (30, 90),
                s={"fabric": "Chunky Knit|Merino Wool|Waffle Cotton|Herringbone Wool|Faux Fur"},
                d=["A {fabric_l} throw, big enough to curl up under on the sofa."],
            ),
            item(
                "{fabric} Tea Towel, {pattern}",
                "tea towel",
                "",
                (5, 12),
                s={
                    "fabric": "Linen|Cotton|Waffle",
                    "pattern": (
                        "Stripe|Gingham|Botanical Print@garden|Teapot Print@tea|Bakery Print@baking|Dog Print@pets|"
                        "Christmas Robin@festive"
                    ),
                },
            ),
            item(
                "{fabric} Apron, {colour}",
                "apron",
                "baking",
                (14, 36),
                s={"fabric": "Linen|Denim|Waxed Canvas|Cotton Twill"},
                d=["A full-length {fabric_l} apron with a deep front pocket and cross-back straps."],
            ),
            item(
                "Gardener's Apron, {colour}",
                "gardener's apron",
                "garden",
                (16, 32),
                d=["A waxed canvas apron with pockets for secateurs, twine and seed packets."],
            ),
            item("{fabric} Table Runner, {colour}", "table runner", "", (14, 32), s={"fabric": "Linen|Jute|Cotton"}),
            item(
                "{fabric} Napkins, Set of 4, {colour}",
                "set of napkins",
                "",
                (12, 28),
                s={"fabric": "Linen|Cotton|Gingham"},
            ),
            item("Organic Cotton Bath Robe, {colour}", "bath robe", "selfcare", (38, 80)),
            item("Waffle Bath Towel, {colour}", "bath towel", "selfcare", (14, 32)),
            item(
                "{tote} Tote Bag",
                "tote bag",
                "gifts",
                (8, 18),
                s={
                    "tote": (
                        "Plain Canvas|Bookworm@reading|Plant Lady@garden|Dog Walker@pets|Tea Addict@tea|"
                        "Coffee First@coffee|Cake Club@baking"
                    )
                },
            ),
            item("Double Oven Glove, {colour}", "oven glove", "baking", (8, 16)),
            item(
                "Hot Water Bottle with {fabric} Cover",
                "hot water bottle",
                "cosy selfcare",
                (14, 30),
                s={"fabric": "Knitted|Faux Fur|Fleece|Cable Knit"},
            ),
            item("Knitted Christmas Stocking, {colour}", "Christmas stocking", "festive", (10, 22)),
        ],
    ),
    cat(
        "Art Supplies",
        share=85,
        quality="artist-quality|good-value|reliable|well-made",
        intro=[
            "A {quality} {noun} for artists of every level.",
            "Our {quality} {noun}, chosen with local art groups.",
            "A {quality} {noun} for the studio or the kitchen table.",
        ],
        uses=[
            "A good choice for beginners and seasoned painters alike.",
            "Refills and spares available in store.",
            "Part of our art and craft collection.",
        ],
        items=[
            item(
                "{yarn} Yarn, {yweight}, {colour}",
                "ball of yarn",
                "crafts cosy",
                (4, 14),
                s={"yarn": "Merino|Alpaca Blend|Organic Cotton|Chunky Wool", "yweight": "DK|Aran|Chunky"},
                d=["A soft {yarn_l} yarn in {colour_l}, 100 g ball."],
                c=True,
                w=2,
            ),
            item(
                "{paper_art} Paper Pad, {format}",
                "paper pad",
                "crafts",
                (5, 18),
                s={"paper_art": "Watercolour|Mixed Media|Pastel|Tracing|Bristol"},
            ),
            item(
                "{binding} {format} Sketchbook, {gsm}",
                "sketchbook",
                "crafts",
                (6, 22),
                s={"binding": "Hardback|Spiral|Landscape", "gsm": "110 gsm|150 gsm|300 gsm Watercolour"},
                w=2,
            ),
            item(
                "{acr} Acrylic Paint Set, {n} Colours",
                "acrylic paint set",
                "crafts",
                (9, 30),
                s={"acr": "Metallic|Pastel|Primary|Fluorescent", "n": "6|12|24"},
            ),
            item(
                "{grade} Watercolour Paint Set, {n} Half Pans",
                "watercolour set",
                "crafts",
                (10, 55),
                s={"grade": "Student|Artist|Travel", "n": "12|24|36|48"},
                w=2,
            ),
            item("Oil Pastels, Set of {n}", "set of oil pastels", "crafts kids", (5, 18), s={"n": "12|24|36|48"}),
            item(
                "{pencil} Pencils, Set of {n}",
                "pencil set",
                "crafts",
                (5, 28),
                s={"pencil": "Graphite Sketching|Coloured|Watercolour|Charcoal|Pastel", "n": "6|12|24|36"},
            ),
            item("Acrylic Paint Set, {n} x 22 ml", "acrylic paint set", "crafts", (9, 30), s={"n": "8|12|24"}),
            item(
                "{brush} Brush Set",
                "brush set",
                "crafts",
                (8, 26),
                s={"brush": "Synthetic Round|Watercolour Mop|Flat Wash|Detail|Travel"},
            ),
            item(
                "Embroidery Kit, {motif}",
                "embroidery kit",
                "crafts gifts",
                (14, 30),
                s={
                    "motif": (
                        "Wildflower Meadow@garden|Teacup@tea|Cat Portrait@pets|Christmas Wreath@festive|"
                        "Mountain Landscape@outdoors|Alphabet Sampler|Folk Flowers"
                    )
                },
                d=["A beginner-friendly embroidery kit with hoop, threads, needle and printed fabric."],
            ),
            item(
                "Air-Dry Clay, {clay}",
                "pack of air-dry clay",
                "crafts kids",
                (5, 12),
                s={"clay": "White 500 g|Terracotta 1 kg|Stone 500 g"},
                c=True,
            ),
            item(
                "Kids' {kid_art} Set",
                "children's art set",
                "kids crafts",
                (5, 18),
                s={"kid_art": "Crayon|Finger Paint|Chalk|Sticker Art|Colouring"},
            ),
            item(
                "Linocut Starter Kit, {lino}",
                "linocut kit",
                "crafts",
                (18, 40),
                s={"lino": "Essentials|Deluxe|Card Making"},
            ),
            item("{easel} Easel", "easel", "crafts", (22, 75), s={"easel": "Beech Table|Aluminium Field|Pine A-Frame"}),
            item(
                "Calligraphy Pen Set, {cal}",
                "calligraphy set",
                "crafts reading",
                (10, 28),
                s={"cal": "Dip Pen|Brush Pen|Italic Nib"},
            ),
            item(
                "{knit} Knitting Kit",
                "knitting kit",
                "crafts cosy",
                (18, 42),
                s={"knit": "Beanie Hat|Chunky Scarf|Baby Blanket|Tea Cosy@tea|Christmas Jumper@festive"},
            ),
            item(
                "Paint by Numbers, {pbn}",
                "paint by numbers kit",
                "crafts",
                (12, 26),
                s={
                    "pbn": (
                        "Lake at Dawn@outdoors|Cottage Garden@garden|Sleepy Cat@pets|Christmas Village@festive|"
                        "Harbour Boats"
                    )
                },
            ),
        ],
    ),
    cat(
        "Wall Decor",
        share=80,
        quality="striking|understated|eye-catching|carefully made",
        intro=[
            "A {quality} {noun} to finish a room.",
            "This {quality} {noun} is designed and made in the UK.",
            "A {quality} {noun} that lifts a plain wall.",
        ],
        uses=[
            "Fixings included.",
            "Designed in our studio and made in small batches.",
            "Looks great grouped with prints and mirrors.",
        ],
        items=[
            item(
                "{material} Wall Planter",
                "wall planter",
                "garden",
                (12, 30),
                s={"material": "Ceramic|Rattan|Terracotta|Recycled Glass"},
            ),
            item(
                "{tap} Woven Wall Tapestry",
                "wall tapestry",
                "cosy",
                (20, 55),
                s={"tap": "Botanical@garden|Moon Phases|Folk Art|Mountain@outdoors|Sunset"},
            ),
            item("{wood} Peg Rail, {count} Pegs", "peg rail", "", (16, 45), s={"count": "3|5|7"}),
            item(
                "{ornament} Hanging Decorations, Set of {count}",
                "set of hanging decorations",
                "festive",
                (8, 22),
                s={
                    "ornament": "Glass Bauble|Felt Robin|Wooden Star|Ceramic Snowflake|Brass Bell|Paper Star",
                    "count": "3|6",
                },
                c=True,
            ),
            item(
                "{wreath} Christmas Wreath, {wsize}",
                "Christmas wreath",
                "festive",
                (18, 50),
                s={"wreath": "Eucalyptus|Pine Cone|Dried Orange|Berry & Holly|Winter Foliage", "wsize": "30 cm|40 cm"},
            ),
            item(
                "{subject} Art Print, {print_size}",
                "art print",
                "",
                (9, 45),
                s={
                    "subject": (
                        "Botanical Fern@garden|Vintage Teapot@tea|Mountain Range@outdoors|Abstract Shapes|"
                        "Seaside Harbour|Library Shelves@reading|Dachshund Portrait@pets|Cat Portrait@pets|"
                        "Coffee Guide@coffee|Bread Types@baking|Wild Mushrooms@outdoors|Kitchen Herbs@garden+baking|"
                        "Woodland Animals@kids|Winter Forest@festive"
                    )
                },
                d=["A {subject_l} print, drawn by a local illustrator."],
                u=["Printed on heavyweight archival paper.", "Frames sold separately."],
                w=3,
            ),
            item(
                "{wood} Picture Frame, {print_size}",
                "picture frame",
                "",
                (12, 40),
                s={"wood": "Oak|Walnut|Black Ash|Brass"},
            ),
            item(
                "{shape} Wall Mirror, {material}",
                "wall mirror",
                "",
                (35, 120),
                s={
                    "shape": "Round|Arched|Rectangular|Sunburst",
                    "material": "Brass Frame|Oak Frame|Rattan|Black Metal",
                },
            ),
            item(
                "Macramé Wall Hanging, {mac}",
                "macramé wall hanging",
                "crafts cosy",
                (16, 48),
                s={"mac": "Small|Large|Plant Hanger|Rainbow"},
            ),
            item(
                "{material} Wall Clock", "wall clock", "", (22, 60), s={"material": "Oak|Metal|Station Style|Ceramic"}
            ),
            item("Pressed Flower Frame, {print_size}", "pressed flower frame", "garden gifts", (18, 55)),
            item(
                "{cal} Wall Calendar",
                "wall calendar",
                "",
                (9, 14),
                s={
                    "cal": (
                        "Garden Year@garden|Dog Days@pets|Afternoon Tea@tea|Mountain Walks@outdoors|Bakers' Year@baking"
                    )
                },
            ),
            item("{wood} Floating Shelf", "floating shelf", "", (18, 48), s={"wood": "Oak|Walnut|Reclaimed Pine"}),
            item(
                "Children's {kids_decor}",
                "nursery decoration",
                "kids",
                (8, 28),
                s={"kids_decor": "Alphabet Poster|Name Bunting|Height Chart|Animal Wall Stickers"},
            ),
        ],
    ),
]


# --------------------------------------------------------------------------------------------------
# Fake people
# --------------------------------------------------------------------------------------------------

FIRST_NAMES = (
    "Olivia Amelia Isla Ava Mia Grace Sophie Lily Freya Ella Emily Poppy Evie Ruby Chloe Hannah Zara Aisha "
    "Priya Maya Leah Sara Nadia Eleanor Harriet Rosie Martha Imogen Alice Clara Niamh Siobhan Catrin Megan "
    "Joanne Helen Karen Susan Margaret Patricia Janet Lorraine Fiona Claire Rachel Anjali Mei Yasmin Beatrice "
    "Oliver Jack Harry George Noah Charlie Jacob Thomas Oscar William James Leo Alfie Freddie Arthur Henry "
    "Samuel Daniel Joseph Mohammed Ibrahim Arjun Rohan Kai Ethan Lewis Callum Rhys Owen Ewan Finlay Connor "
    "David Peter Andrew Mark Paul Richard Stephen Graham Ian Martin Neil Tomasz Piotr Marco Luca Dev Hamza"
).split()
LAST_NAMES = (
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker White "
    "Roberts Green Hall Wood Jackson Clarke Patel Khan Lewis James Phillips Mason Mitchell Rose Davis Rodriguez "
    "Cox Alexander Morgan Hughes Price Bennett Griffiths Ward Turner Hill Cooper Edwards Murphy Kelly Shah "
    "Ahmed Singh Ali Begum Chowdhury Kaur Campbell Stewart MacDonald Fraser Reid Ross Murray Baker Carter "
    "Harrison Fletcher Marsh Chapman Holmes Lawson Whitfield Ashworth Pemberton Nowak Kowalski Rossi Santos "
    "Okafor Mensah Adeyemi Nguyen Chen Wong Lin Kim Fischer Novak O'Brien Doyle Byrne Lloyd Vaughan Pritchard"
).split()
EMAIL_DOMAINS = ["example.com", "example.org"]


# --------------------------------------------------------------------------------------------------
# Generation
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
    new: bool = False
    weight: float = 0.0  # popularity
    launch: int = 0  # day index of the first possible sale


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
    history: list[int] = field(default_factory=list)


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


def _make_product(rng: random.Random, cat: dict, it: dict, seen: set[str]) -> dict | None:
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
    sentences.extend(extras[:2])
    description = " ".join(s[0].upper() + s[1:] for s in sentences)
    description = re.sub(r"\b([Aa]) (?=[aeiouAEIOU](?!ni|se|ro))", r"\1n ", description)

    tags = [noun.lower()]
    for name in sorted(chosen):
        if name in {"colour", "material", "wood", "fabric", "metal", "stone"} and rng.random() < 0.6:
            tags.append(_text(chosen[name]).lower())
    for th in themes:
        if rng.random() < 0.6:
            tags.append(rng.choice(THEMES[th]["tags"]))
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
    }


def make_products(rng: random.Random) -> list[Product]:
    total_share = sum(c["share"] for c in CATEGORIES)
    counts = [round(N_PRODUCTS * c["share"] / total_share) for c in CATEGORIES]
    counts[0] += N_PRODUCTS - sum(counts)
    seen: set[str] = set()
    raw: list[dict] = []
    for cat, count in zip(CATEGORIES, counts, strict=True):
        weights = list(itertools.accumulate(it["w"] for it in cat["items"]))
        made = 0
        tries = 0
        while made < count:
            tries += 1
            if tries > count * 50:
                raise RuntimeError(f"not enough distinct titles for {cat['name']}")
            it = cat["items"][bisect.bisect(weights, rng.random() * weights[-1])]
            prod = _make_product(rng, cat, it, seen)
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
                new=new,
            )
        )
    return products


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


def make_customers(rng: random.Random, products: list[Product], n_days: int) -> list[Customer]:
    # Categories where each theme's products live, to give customers matching favourite categories.
    theme_cats: dict[str, list[str]] = {t: [] for t in THEME_NAMES}
    for p in products:
        for t in p.themes:
            theme_cats[t].append(p.category)
    cat_names = [c["name"] for c in CATEGORIES]
    theme_cum = list(itertools.accumulate(THEME_SHARE))
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
        customers.append(Customer(f"C{i + 1:04d}", f"{first} {last}", email, themes, cats, start, end, activity))
    return customers


class Pool:
    """Popularity-weighted sampling from a list of product indices, with the season's festive boost."""

    def __init__(self, idx: list[int], products: list[Product], festive: bool):
        self.idx = idx
        weights = []
        for i in idx:
            w = products[i].weight
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

    def draw_for(c: Customer | None, day: int, festive: bool) -> int:
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

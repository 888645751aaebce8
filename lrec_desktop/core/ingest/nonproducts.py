"""Order lines that are no products: postage, fees, discounts, gift cards, tips, manual lines and adjustments.

Till and shop exports carry them as lines like any other (UCI Online Retail's POST, DOT, M, C2, BANK CHARGES;
a Shopify "Gift Card EUR 25"; a German till's "Versandkosten"). They stay order lines, but a customer did not
choose them for their taste: recommending postage, or counting it as a never-sold product, is wrong. They are
told by well-known codes, by names in several languages, by never having had a price above zero, and by what a
file says of them (Shopify's "Gift Card" column). The owner's word (``owner_product``) overrules all of it.

Generic words ("shipping", "Porto", "fee", "送料") count only when the name is little else: "Free shipping tea
set" and Rakuten's "送料無料 緑茶" are products; "Express Versand DE", "DOTCOM POSTAGE" and "运费 10元" are not.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata

import pandas as pd

POSTAGE = "postage or shipping"
FEE = "a fee or charge"
DISCOUNT = "a discount"
GIFT = "a gift card or voucher"
TIP = "a tip"
MANUAL = "a manual line or adjustment"
DEPOSIT = "a deposit"
NO_PRICE = "never priced above 0"
GIFT_HINT = "gift card"  # items.file_hint when a file's gift-card column said so
NO_SHIPPING_HINT = "no shipping"  # a file said the line needs no shipping (only a clue, see _hinted)

# Item codes (case, spaces, '-' and '_' ignored): UCI Online Retail's and the plain words shops type.
CODES: dict[str, str] = {
    "post": POSTAGE, "postage": POSTAGE, "dot": POSTAGE, "c2": POSTAGE, "shipping": POSTAGE, "ship": POSTAGE,
    "freight": POSTAGE, "delivery": POSTAGE, "versand": POSTAGE, "porto": POSTAGE,
    "bankcharges": FEE, "amazonfee": FEE, "cruk": FEE, "fee": FEE, "fees": FEE, "surcharge": FEE,
    "d": DISCOUNT, "discount": DISCOUNT, "rabatt": DISCOUNT, "coupon": DISCOUNT,
    "m": MANUAL, "manual": MANUAL, "b": MANUAL, "s": MANUAL, "adjust": MANUAL, "adjustment": MANUAL,
    "giftcard": GIFT, "giftvoucher": GIFT, "voucher": GIFT, "gutschein": GIFT,
    "tip": TIP, "tips": TIP, "trinkgeld": TIP, "deposit": DEPOSIT, "pfand": DEPOSIT,
}
_CODE_PATTERNS = ((re.compile(r"gift_\d"), GIFT),)  # UCI's "gift_0001_20" vouchers

# Phrases that make a line a non-product wherever they stand. A gift card holder or gift voucher box is a product.
_GIFT_WORDS = (
    r"e-?gift ?cards?|gift ?cards?|gift ?vouchers?|gift ?certificates?|geschenk(?:gutschein|karte)\w*|"
    r"gutschein\w*|cartes? cadeaux?|ch[eè]ques? cadeaux?|bons? cadeaux?|bons? d'achat|tarjetas? (?:de )?regalo|"
    r"cheques? regalo|vales? (?:de )?regalo|buon[oi] regalo|carta regalo|cadeau(?:bon|kaart)\w*|kadobon\w*"
)
_GIFT = re.compile(rf"(?<!\w)(?:{_GIFT_WORDS})(?!\w)(?! ?(?:holders?|box(?:es)?|bags?|wrap\w*|envelopes?|"
                   r"sleeves?|tags?|paper|sets?|stands?|racks?))|礼品卡|礼券|购物卡|代金券|储值卡|ギフトカード|ギフト券|商品券")
_STRONG: tuple[tuple[re.Pattern[str], str], ...] = (
    (_GIFT, GIFT),
    (re.compile(r"(?<!\w)(?:versand(?:kosten|pauschale)|verzendkosten|frais (?:de port|d'envoi|de livraison)|"
                r"gastos de env[ií]o|costes? de env[ií]o|spese di spedizione|costi di spedizione|"
                r"shipping (?:&|and) handling|postage (?:&|and) pack(?:ing|aging)|p ?& ?p)(?!\w)"), POSTAGE),
    (re.compile(r"(?<!\w)(?:bank charges|amazon fee|nachnahmegeb[üu]hr)(?!\w)"), FEE),
    (re.compile(r"(?<!\w)adjust bad debt(?!\w)|补差价|差价"), MANUAL),
)

# Words that make a line a non-product when the rest of its name is filler (below), numbers or amounts.
_WEAK: dict[str, str] = {
    **dict.fromkeys(("postage", "shipping", "shipment", "delivery", "carriage", "freight", "versand",
                     "porto", "lieferung", "livraison", "expédition", "envío", "envio", "spedizione", "verzending",
                     "verzendkosten", "versandkosten"), POSTAGE),
    **dict.fromkeys(("fee", "fees", "surcharge", "commission", "gebühr", "gebühren", "frais", "tasa", "commissione",
                     "toeslag", "transactiekosten"), FEE),
    **dict.fromkeys(("discount", "rabatt", "nachlass", "remise", "réduction", "descuento", "sconto", "korting",
                     "coupon", "promo"), DISCOUNT),
    **dict.fromkeys(("tip", "tips", "trinkgeld", "pourboire", "propina", "mancia", "fooi"), TIP),
    **dict.fromkeys(("adjustment", "adjust", "correction", "korrektur", "ajustement", "ajuste",
                     "rettifica", "correctie"), MANUAL),
    **dict.fromkeys(("deposit", "pfand", "consigne", "statiegeld"), DEPOSIT),
}
_FILLER = frozenset(
    "standard express free flat rate international domestic national worldwide world europe eu uk us de at ch fr es "
    "it nl be int cost costs kosten charge charges and the for to of on la le les del di della van het en und et y "
    "e gastos spese service extra handling packing packaging post dotcom amazon bank order orders line item items "
    "bad debt cruk paypal payment card credit stripe cod nachnahme small large surcharge premium next day tracked "
    "signed insured insurance versicherung eur usd gbp chf cny rmb jpy yen sek dkk nok pln czk aud cad "
    "einmalig pauschal pauschale one time gratuit gratis frei kostenlos envoi de d' per pro par por".split()
)
_CJK_WEAK: dict[str, str] = {
    **dict.fromkeys(("运费", "邮费", "快递费", "配送费", "運費", "送料", "配送料", "配送費"), POSTAGE),
    **dict.fromkeys(("手续费", "服务费", "手数料"), FEE),
    **dict.fromkeys(("折扣", "优惠", "割引", "値引き", "値引"), DISCOUNT),
    **dict.fromkeys(("小费", "チップ"), TIP),
    **dict.fromkeys(("调整", "調整"), MANUAL),
}
_CJK_SLACK = 2  # other CJK characters a short CJK name may carry beside the word ("顺丰运费", "补邮费")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_NOT_CJK = re.compile(r"[\s\d\W_a-zA-Z€$£¥円元]+")


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().strip()


def code_reason(item_id: str) -> str:
    key = re.sub(r"[\s_\-]+", "", _normal(item_id))
    if key in CODES:
        return CODES[key]
    return next((reason for pattern, reason in _CODE_PATTERNS if pattern.match(_normal(item_id))), "")


def name_reason(title: str) -> str:
    """Why a product name says it is no product ('' when it is one)."""
    text = _normal(title)
    if not text:
        return ""
    for pattern, reason in _STRONG:
        if pattern.search(text):
            return reason
    words = _WORD.findall(text)
    found = [_WEAK[w] for w in words if w in _WEAK]
    if found and all(w in _WEAK or w in _FILLER for w in words if not _is_cjk(w)):
        cjk = [w for w in words if _is_cjk(w)]
        if not cjk:
            return found[0]
    rest = _NOT_CJK.sub("", text)
    for word, reason in _CJK_WEAK.items():
        if word in rest and len(rest) <= len(word) + _CJK_SLACK and not _latin_words(text):
            return reason
    return ""


def _is_cjk(word: str) -> bool:
    return any("\u2e80" <= ch <= "\u9fff" or "\u3040" <= ch <= "\u30ff" or "\uac00" <= ch <= "\ud7af" for ch in word)


def _latin_words(text: str) -> bool:
    """Latin words other than filler: "Sencha 送料込み" names a tea."""
    return any(not _is_cjk(w) and w not in _FILLER and w not in _WEAK for w in _WORD.findall(text))


def _hinted(hint: str, title: str) -> str:
    """A file's own word: a gift card is one. "Needs no shipping" is only a clue, since downloads and workshops need
    none either: it counts when the name has a non-product word anywhere ("Tip for the team", "Gift wrapping fee")."""
    if hint == GIFT_HINT:
        return GIFT
    if hint == NO_SHIPPING_HINT:
        words = [_WEAK.get(w, "") for w in _WORD.findall(_normal(title))]
        return next((w for w in words if w), "")
    return ""


def reason(item_id: str, title: str, top_price: float | None = None, hint: str = "") -> str:
    """Why this product is no product, in a few words ('' when it is one)."""
    found = code_reason(item_id) or name_reason(title) or _hinted(hint, title)
    if not found and top_price is not None and top_price == top_price and top_price <= 0:
        found = NO_PRICE
    return found


def reasons(frame: pd.DataFrame) -> pd.Series:
    """``reason`` for each row of (item_id, title, top_price, file_hint)."""
    prices = frame["top_price"].astype(object).where(frame["top_price"].notna(), None)
    return pd.Series(
        [reason(i, t or "", p, h or "") for i, t, p, h in
         zip(frame["item_id"], frame["title"], prices, frame["file_hint"], strict=True)],
        index=frame.index, dtype=object,
    )


def mark_non_products(conn: sqlite3.Connection) -> int:
    """Find the non-products among the shop's products again (inside the caller's transaction); returns how many
    rows changed. Run after every import, since a catalog may name a product an order file only gave a code."""
    if conn.execute("SELECT 1 FROM items LIMIT 1").fetchone() is None:
        return 0
    frame = pd.DataFrame(
        conn.execute("SELECT item_id, title, top_price, file_hint, non_product FROM items").fetchall(),
        columns=["item_id", "title", "top_price", "file_hint", "non_product"],
    )
    frame["new"] = reasons(frame)
    changed = frame[frame["new"] != frame["non_product"]]
    conn.executemany("UPDATE items SET non_product = ? WHERE item_id = ?",
                     zip(changed["new"], changed["item_id"], strict=True))
    return len(changed)

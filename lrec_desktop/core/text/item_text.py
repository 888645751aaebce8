"""What the text model reads about a product, and the hash its cached vector is filed under."""

from __future__ import annotations

import hashlib
import re

_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
# Long descriptions are cut: the model reads at most a few hundred tokens, and the start says the most.
MAX_CHARS = 1500


def item_text(title: str, description: str = "", category: str = "", tags: str = "") -> str:
    """One line of plain text: title, description, then category and tags spelled out."""
    parts = [title.strip()]
    desc = _SPACE.sub(" ", _TAGS.sub(" ", description or "")).strip()
    if desc and desc != parts[0]:
        parts.append(desc)
    if category.strip():
        parts.append(f"Category: {category.strip()}")
    if tags.strip():
        parts.append(f"Tags: {tags.strip()}")
    text = ". ".join(p.rstrip(".") for p in parts if p)
    return text[:MAX_CHARS]


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]

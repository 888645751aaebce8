"""External ids ↔ dense indices, in one place (LensKit's Vocabulary)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np


class Vocabulary:
    """An ordered set of string ids; index ``i`` of every matrix row or column is ``ids[i]``."""

    def __init__(self, ids: Iterable[str]) -> None:
        self.ids: list[str] = list(dict.fromkeys(ids))
        self._index = {key: n for n, key in enumerate(self.ids)}

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def index(self, key: str) -> int | None:
        return self._index.get(key)

    def known(self, key: str) -> int:
        """The index of an id that is in the vocabulary (a recommendation's product); KeyError otherwise."""
        return self._index[key]

    def indices(self, keys: Sequence[str]) -> np.ndarray:
        """Indices of ``keys``; unknown ones are -1."""
        get = self._index.get
        return np.fromiter((get(k, -1) for k in keys), dtype=np.int64, count=len(keys))

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.ids), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Vocabulary:
        """Ids saved by ``save``; ValueError when the file holds anything but a list of distinct strings."""
        ids = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise ValueError("not a list of ids")
        vocab = cls(ids)
        if len(vocab) != len(ids):
            raise ValueError("an id is listed twice")
        return vocab

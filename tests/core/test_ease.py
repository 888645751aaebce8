"""EASE's blocked SPD inverse (numpy tiles, so the GIL is free between them) against numpy's float64 inverse,
and its cancel check between blocks."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from lrec_desktop.core.cf import ease
from lrec_desktop.core.jobs import Cancelled, CancelToken


def gram(n: int, seed: int = 0, lam: float = 20.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    X = (rng.random((4 * n + 10, n)) < 0.1).astype(np.float32)
    G = X.T @ X
    G[np.diag_indices(n)] += lam
    return G


@pytest.mark.parametrize("n", [1, 2, 7, 8, 9, 33, 64])
def test_blocked_inverse_matches_numpy(n: int) -> None:
    G = gram(n, seed=n)
    expected = np.linalg.inv(G.astype(np.float64))
    P = ease.spd_inverse(G.copy(), block=8)  # block sizes that split n unevenly, and n smaller than a block
    assert P.dtype == np.float32
    np.testing.assert_allclose(P, expected, rtol=0, atol=1e-5 * np.abs(expected).max())
    np.testing.assert_array_equal(P, P.T)


def test_default_block_on_a_larger_matrix() -> None:
    G = gram(700)
    expected = np.linalg.inv(G.astype(np.float64))
    P = ease.spd_inverse(G.copy())  # 512 + 188: one full block and a remainder
    np.testing.assert_allclose(P, expected, rtol=0, atol=1e-5 * np.abs(expected).max())


def test_not_positive_definite_is_an_arithmetic_error() -> None:
    G = np.diag(np.array([1.0, -1.0, 2.0], dtype=np.float32))
    with pytest.raises(ArithmeticError):
        ease.spd_inverse(G, block=2)


def test_fit_ease_is_cancelled_between_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(1)
    X = sp.csr_matrix((rng.random((200, 40)) < 0.2).astype(np.float32))
    token = CancelToken()
    calls: list[int] = []

    def check() -> None:
        calls.append(1)
        if len(calls) == 2:
            token.cancel()
        token.raise_if_cancelled()

    monkeypatch.setattr(ease, "BLOCK", 8)  # 5 blocks, so the check runs inside the first factorisation
    with pytest.raises(Cancelled):
        ease.fit_ease(X, lam=10.0, check=check)
    assert len(calls) == 2
    W = ease.fit_ease(X, lam=10.0)  # without a check it runs to the end
    assert W.shape == (40, 40) and W.diagonal().max() == 0

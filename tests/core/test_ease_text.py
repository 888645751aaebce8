"""EASE with the descriptions in its Gram matrix (core/cf/ease_text.py): the Woodbury route over EASE's own
inverse against the closed form with a dense inverse of G = X'X + gamma E E' + lambda I, never-sold products
as candidates, and the co-purchase fit sharing its inverse with it."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from lrec_desktop.core.cf import ease_text
from lrec_desktop.core.cf.data import PurchaseMatrix
from lrec_desktop.core.cf.ease import fit_ease
from lrec_desktop.core.jobs import Cancelled, CancelToken
from lrec_desktop.core.recommend.model import fit_weights_and_text
from lrec_desktop.core.vocab import Vocabulary


def shop(n_customers: int = 120, n_items: int = 40, unsold: int = 6, dim: int = 12,
         seed: int = 0) -> tuple[sp.csr_matrix, np.ndarray]:
    """Purchases over the first ``n_items - unsold`` products, and unit description vectors for all."""
    rng = np.random.default_rng(seed)
    X = (rng.random((n_customers, n_items)) < 0.12).astype(np.float32)
    X[:, n_items - unsold :] = 0
    E = rng.normal(size=(n_items, dim)).astype(np.float32)
    E /= np.linalg.norm(E, axis=1, keepdims=True)
    return sp.csr_matrix(X), E


def closed_form(X: sp.csr_matrix, E: np.ndarray, lam: float, gamma: float) -> np.ndarray:
    G = (X.T @ X).toarray().astype(np.float64) + gamma * (E @ E.T).astype(np.float64)
    G[np.diag_indices_from(G)] += lam
    P = np.linalg.inv(G)
    B = P / -np.diag(P)
    np.fill_diagonal(B, 0.0)
    return B


@pytest.mark.parametrize("lam,gamma", [(10.0, 3.0), (200.0, 20.0), (50.0, 500.0)])
def test_weights_equal_the_closed_form_with_a_dense_inverse(lam: float, gamma: float) -> None:
    X, E = shop()
    W = ease_text.fit_ease_text(X, E, lam=lam, gamma=gamma, keep=X.shape[1]).toarray()
    B = closed_form(X, E, lam, gamma)
    sold = np.asarray(X.sum(axis=0)).ravel() > 0
    np.testing.assert_allclose(W[sold], B[sold], rtol=0, atol=2e-5 * np.abs(B[sold]).max())
    assert not W[~sold].any()  # a product nobody bought is never a row a customer's purchases reach


def test_a_never_sold_product_is_reached_from_the_product_described_like_it() -> None:
    X, E = shop()
    E[-1] = E[0]  # the last product (never sold) is described exactly like product 0
    W = ease_text.fit_ease_text(X, E, lam=200.0).toarray()
    assert W[0, -1] > 0 and W[0, -1] == W[0, -6:].max()
    plain = fit_ease(X, lam=200.0).toarray()
    assert not plain[:, -6:].any()  # EASE alone never reaches it


def test_the_co_purchase_fit_shares_its_inverse_and_gives_the_same_weights() -> None:
    X, E = shop(seed=4)
    n_customers, n_items = X.shape
    purchases = PurchaseMatrix(Vocabulary([f"c{k}" for k in range(n_customers)]),
                               Vocabulary([f"p{k}" for k in range(n_items)]), X, np.zeros(X.nnz))
    algorithm, W, text_cf = fit_weights_and_text(
        purchases, 200.0, text=ease_text.TextVectors(E, "fingerprint-1"))
    assert algorithm == "ease" and text_cf is not None and text_cf.fingerprint == "fingerprint-1"
    np.testing.assert_array_equal(W.toarray(), fit_ease(X, lam=200.0).toarray())
    alone = ease_text.fit_ease_text(X, E, lam=200.0)
    np.testing.assert_allclose(text_cf.weights.toarray(), alone.toarray(), rtol=0, atol=1e-6)


def test_products_without_a_description_add_no_pseudo_customer() -> None:
    _, E = shop()
    present = np.ones(len(E), dtype=bool)
    present[:5] = False
    usable = ease_text.usable_vectors(E, present)
    assert not usable[:5].any() and np.array_equal(usable[5:], E[5:])


def test_a_catalog_past_eases_size_or_without_sales_gets_none(monkeypatch: pytest.MonkeyPatch) -> None:
    X, E = shop()
    assert ease_text.fit_ease_text(sp.csr_matrix(X.shape, dtype=np.float32), E) is None
    monkeypatch.setattr(ease_text, "MAX_ACTIVE_ITEMS", 10)
    assert ease_text.fit_ease_text(X, E) is None


def test_a_cancel_between_blocks_stops_it(monkeypatch: pytest.MonkeyPatch) -> None:
    X, E = shop()
    monkeypatch.setattr(ease_text, "ROWS", 4)
    token = CancelToken()
    calls = []

    def check() -> None:
        calls.append(1)
        if len(calls) == 3:
            token.cancel()
        token.raise_if_cancelled()

    with pytest.raises(Cancelled):
        ease_text.fit_ease_text(X, E, check=check)


def test_a_large_catalog_is_worked_out_in_smaller_blocks_with_the_same_weights(monkeypatch: pytest.MonkeyPatch) -> None:
    X, E = shop()
    whole = ease_text.fit_ease_text(X, E, lam=200.0).toarray()
    monkeypatch.setattr(ease_text, "BLOCK_CELLS", 16 * X.shape[1])  # 16 rows a block: three blocks here
    blocked = ease_text.fit_ease_text(X, E, lam=200.0).toarray()
    np.testing.assert_allclose(blocked, whole, rtol=0, atol=1e-6 * np.abs(whole).max())

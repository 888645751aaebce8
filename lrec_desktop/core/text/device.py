"""Choosing where the text model runs: CUDA, then Apple MPS, then the CPU, unless the user says."""

from __future__ import annotations

from lrec_desktop.core.errors import UserError

DEVICES = ("auto", "cpu", "cuda", "mps")


def pick_device(preference: str = "auto") -> str:
    from lrec_desktop.core.text.libraries import load_torch

    torch = load_torch()  # often the first import of torch: done so the window keeps running

    if preference not in DEVICES:
        raise UserError(f"Unknown device '{preference}': choose one of {', '.join(DEVICES)}.")
    if preference == "auto":
        if torch.cuda.is_available():
            return "cuda"
        if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
            return "mps"
        return "cpu"
    if preference == "cuda" and not torch.cuda.is_available():
        raise UserError("No CUDA graphics card is available on this computer; choose 'auto' or 'cpu'.")
    if preference == "mps" and not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()):
        raise UserError("Apple's GPU (MPS) is not available on this computer; choose 'auto' or 'cpu'.")
    return preference


def is_out_of_memory(exc: BaseException) -> bool:
    import torch

    if isinstance(exc, torch.cuda.OutOfMemoryError):
        return True
    return isinstance(exc, RuntimeError) and "out of memory" in str(exc).lower()

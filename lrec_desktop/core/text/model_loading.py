"""Loading a checked model folder's tokenizer and transformer, refusing weights that do not load completely.

transformers loads a safetensors file whose tensors match none of the model's weights with only a warning
(every weight "newly initialized"): the model then reads text with random weights, and search and similar
products answer with noise. Here every weight of the encoder must come from the file: the load report
(``output_loading_info``) must list nothing missing, nothing of the encoder unexpected and nothing
mismatched, or the folder is refused with one sentence. Anything transformers raises while reading the folder
(an unknown architecture, a broken tokenizer file) is a problem of the folder too.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any

from lrec_desktop.core.errors import UserError
from lrec_desktop.core.text.model_folder import ModelFolder, force_offline

log = logging.getLogger(__name__)

# The pooler (BERT's [CLS] dense + tanh) feeds only pooler_output, which no pooling here reads (they read the
# token states), and many sentence-embedding checkpoints are saved without it.
UNUSED_PREFIXES = ("pooler.",)
# What reading a damaged or foreign folder raises inside transformers and tokenizers (MemoryError and
# KeyboardInterrupt are not among them: those are not the folder's fault).
FOLDER_ERRORS = (OSError, ValueError, KeyError, TypeError, RuntimeError, AttributeError, IndexError, ImportError)


@contextlib.contextmanager
def _quiet_transformers() -> Iterator[None]:
    """transformers prints a many-line load report on stderr; the message the user sees is ours, one line."""
    from transformers.utils import logging as hf_logging

    before = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        hf_logging.set_verbosity(before)


def _listed(keys: Any, limit: int = 3) -> str:
    names = sorted(str(k[0] if isinstance(k, tuple) else k) for k in keys)
    more = f" and {len(names) - limit:,} more" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


def check_loading_info(folder: ModelFolder, info: dict[str, Any], encoder_prefixes: set[str]) -> None:
    """Refuse a load whose report shows weights not taken from the file. Unexpected tensors count only when they
    belong to the encoder's own modules (say a 12th layer where config.json has 6); a task head saved beside it
    (``cls.``, ``lm_head.``) is not part of the encoder and is left unread."""
    where = f"{folder.path} ({folder.weights.name})"
    missing = [k for k in info.get("missing_keys") or () if not str(k).startswith(UNUSED_PREFIXES)]
    if missing:
        raise UserError(f"The model folder {where} lacks {len(missing):,} of the model's weights ({_listed(missing)}): "
                        "its weights do not belong to this model's config.json; download the model again.")
    mismatched = list(info.get("mismatched_keys") or ())
    if mismatched:
        raise UserError(f"The model folder {where} has weights of the wrong shape for its config.json "
                        f"({_listed(mismatched)}); download the model again.")
    unexpected = [k for k in info.get("unexpected_keys") or () if str(k).split(".", 1)[0] in encoder_prefixes]
    if unexpected:
        raise UserError(f"The model folder {where} has weights its config.json has no place for "
                        f"({_listed(unexpected)}); download the model again.")
    if info.get("error_msgs"):
        raise UserError(f"The model folder {where} could not be loaded ({str(info['error_msgs'][0])[:120]}).")


def load_transformer(folder: ModelFolder) -> tuple[Any, Any]:
    """(tokenizer, model in eval mode on the CPU) for a checked folder; UserError when it does not load whole."""
    force_offline()
    from transformers import AutoModel, AutoTokenizer

    source = str(folder.transformer_dir)
    with _quiet_transformers():
        try:
            tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=True)
        except FOLDER_ERRORS as exc:
            raise UserError(f"The tokenizer of the model folder {folder.path} could not be read "
                            f"({_one_line(exc)}).") from exc
        try:
            # Mismatched shapes are reported in ``info`` (and refused below) rather than raised as a RuntimeError.
            model, info = AutoModel.from_pretrained(source, local_files_only=True, use_safetensors=True,
                                                    output_loading_info=True, ignore_mismatched_sizes=True)
        except FOLDER_ERRORS as exc:
            raise UserError(f"The model folder {folder.path} could not be loaded ({_one_line(exc)}); check that its "
                            "config.json names an architecture transformers knows and that the weights are its "
                            "own.") from exc
    prefixes = {name.split(".", 1)[0] for name in model.state_dict()}
    check_loading_info(folder, info, prefixes)
    return tokenizer, model.eval()


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."

"""Learned versions of the text model ("Learn from my sales"): list them, switch, delete.

One rule for switching, in the window and on the command line: a learned version by name, or ``None``
(``versions --activate base``) for the text model chosen in Settings (the bundled model unless another
was chosen). The switch is instant when the catalog was read with that model since it last changed;
otherwise what changed is read with it first. Which learned version is in use comes from the version
registry (the shop's settings), which also records the model each version learned from.
"""

from __future__ import annotations

from pathlib import Path

from lrec_desktop.core.app.connection import opened
from lrec_desktop.core.app.learned import LearnedVersion, learned_version_in_use, learned_versions, versions_of
from lrec_desktop.core.errors import UserError
from lrec_desktop.core.jobs import CancelToken, ProgressFn, no_progress

__all__ = ["LearnedVersion", "delete_version", "learned_version_in_use", "learned_versions", "use_text_model",
           "use_version", "version_dir", "versions_of"]


def version_dir(db_path: Path, name: str) -> str:
    """A learned version's folder; UserError when the shop has no version of that name."""
    from lrec_desktop.core.text.versions import versions_dir

    folder = versions_dir(Path(db_path)) / name
    if not folder.is_dir():
        raise UserError(f"No learned version {name} in this shop.")
    return str(folder)


def use_version(db_path: Path, name: str | None, *, progress: ProgressFn = no_progress,
                cancel: CancelToken | None = None) -> str | None:
    """Switch the shop's text model to a learned version (None: the model chosen in Settings). Returns the
    folder now in use (None: the bundled model)."""
    return use_text_model(db_path, None if name is None else version_dir(db_path, name), progress=progress,
                          cancel=cancel)


def use_text_model(db_path: Path, model_dir: str | None, *, progress: ProgressFn = no_progress,
                   cancel: CancelToken | None = None) -> str | None:
    """Switch the shop's text model to a folder (None: the model chosen in Settings). Instant when the catalog
    was read with it since it last changed; otherwise it reads what changed first. Returns the folder."""
    from lrec_desktop.core.app.choice import check_model_folder, embed_with, text_choice
    from lrec_desktop.core.text.embed_job import index_is_current
    from lrec_desktop.core.text.model_folder import bundled_model_dir
    from lrec_desktop.core.text.versions import activate

    with opened(db_path, readonly=True) as db:
        chosen = text_choice(db)
    target = model_dir if model_dir is not None else chosen.model_dir
    folder = check_model_folder(target)
    if index_is_current(Path(db_path), folder.fingerprint):
        activate(Path(db_path), target)
    else:
        progress(0.0, "Reading product descriptions with it first (only what changed)")
        embed_with(db_path, target if target is not None else bundled_model_dir(), chosen.device, progress=progress,
                   cancel=cancel)
    return target


def delete_version(db_path: Path, name: str, *, progress: ProgressFn = no_progress,
                   cancel: CancelToken | None = None) -> None:
    """Delete a version that is not in use (its folder and its registry entry)."""
    from lrec_desktop.core.text.versions import delete_version as delete

    delete(Path(db_path), name)

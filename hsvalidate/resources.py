"""Where the shipped templates (draft frameworks, fonts) are, installed or in a checkout.

Why: the wheel carries ``templates/`` inside the package (``hsvalidate/templates``) so
that ``hsvalidate demo`` works from a plain install run in any folder; in a source
checkout the same files sit at the top of the repository.
"""

from __future__ import annotations

from pathlib import Path

from hsvalidate.errors import HsValidateError

_PACKAGE_DIR = Path(__file__).resolve().parent

DEMO_FRAMEWORK = "mali-human-security.yaml"
"""The illustrative draft framework the demo runs on."""


def template_dir() -> Path:
    """The folder holding the shipped templates."""
    for candidate in (_PACKAGE_DIR / "templates", _PACKAGE_DIR.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise HsValidateError(
        "The shipped templates are missing from this installation; reinstall hsvalidate "
        "with 'pip install --force-reinstall hsvalidate'."
    )


def template_path(name: str) -> Path:
    """A shipped template file by name, with a clear error when it is missing."""
    path = template_dir() / name
    if not path.exists():
        raise HsValidateError(
            f"The shipped template '{name}' is missing; reinstall hsvalidate to restore it."
        )
    return path

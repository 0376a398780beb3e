"""What of a person may appear on a public page: initials only (``cchc.core.text.initials``, where the apps
below public, such as dossiers, can use it too)."""

from __future__ import annotations

from cchc.core.text import initials

__all__ = ["initials"]

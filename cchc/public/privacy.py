"""What of a person may appear on a public page: initials only."""

from __future__ import annotations


def initials(full_name: str) -> str:
    """ "Nguyễn Văn An" → "N.V.A." — enough for the applicant to recognise the dossier, nothing more."""
    letters = [word[0].upper() for word in full_name.split() if word[:1].isalpha()]
    return "".join(f"{c}." for c in letters)

"""Mã tra cứu: the second factor of the public progress lookup, printed on receipt form 01.

Dossier codes are sequential (unit-date-number), so anyone can guess one; the key is what proves the
person holds the receipt. Six characters from 31 that cannot be misread on paper (no 0/O, 1/I/L) give
about 887 million keys; with 30 failed tries per 15 minutes per address, guessing one is out of reach.
"""

from __future__ import annotations

import hmac
import re
import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 6
# Compared against when the code does not exist (or has no key yet), so both paths cost the same.
_DUMMY = "X" * LENGTH
_TYPED_NOISE = re.compile(r"[\s\-–—._]+")


def new_key() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(typed: str) -> str:
    """What a person types ("abc-d23", " ABC D23 ") → "ABCD23"."""
    return _TYPED_NOISE.sub("", typed or "").upper()


def matches(stored: str | None, typed: str) -> bool:
    """Constant-time comparison; an empty stored key (not issued yet) never matches."""
    wanted = normalise(typed)
    reference = stored or _DUMMY
    same = hmac.compare_digest(reference.encode(), wanted.encode())
    return same and bool(stored) and bool(wanted)

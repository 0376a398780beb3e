"""Vietnamese text as people type it: without diacritics, with a slip of one letter.

``fold`` is the one way to compare Vietnamese words loosely ("Đăng ký" → "dang ky"). ``FuzzyIndex`` finds
items (procedures of a catalogue) from what someone types in a search box, keystroke by keystroke:

- every word of the query must match some word of the item's text — exactly, as the beginning of a word
  (the user is still typing it), or within one edit for longer words (a letter wrong, missing, extra, or
  two letters swapped: "khai snh", "kahi sinh"); "kí" / "ký" (the i/y spelling of the same syllable) counts
  as such a slip whatever the word's length; a word the catalogue itself has is taken as typed (no slip);
- a query that is part of an item's code ("1.001193") puts that item first;
- exact before prefix before slip, then the query's words in the same order side by side in the text,
  then the shorter text.

Pure Python over an inverted index: the words of the whole catalogue are scanned once per query word
(a national catalogue has a few thousand distinct words), then only the items holding a matching word
are scored.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Generic, TypeVar

T = TypeVar("T", bound=Hashable)

_WORD = re.compile(r"[a-z0-9]+")

EXACT, PREFIX, SLIP = 3, 2, 1
# A prefix must be long enough to mean something; a one-letter query word is exact, unless it is the last
# word, i.e. the one being typed ("dang ky khai s").
MIN_PREFIX = 2
# Below four letters nearly every word is one edit away from many others ("an" → "anh", "ban", "lan"…),
# so a slip is accepted only when the longer of the two words has four letters, the shorter three.
MIN_SLIP_LONG, MIN_SLIP_SHORT = 4, 3


def fold(text: str) -> str:
    """ "  Đăng KÝ  khai sinh" → "dang ky khai sinh": no diacritics, đ → d, lower case, single spaces."""
    text = unicodedata.normalize("NFD", str(text).lower().replace("đ", "d"))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return " ".join(text.split())


@lru_cache(maxsize=65536)
def words(text: str) -> tuple[str, ...]:
    """The folded words (letters and digits) of ``text``; cached because catalogue names repeat per keystroke."""
    return tuple(_WORD.findall(fold(text)))


def within_one_edit(a: str, b: str) -> bool:
    """Damerau distance ≤ 1: equal, or one substitution, insertion, deletion or swap of adjacent letters."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i, n = 0, min(la, lb)
    while i < n and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1 :] == b[i + 1 :]:
            return True
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    if la > lb:
        return a[i + 1 :] == b[i:]
    return a[i:] == b[i + 1 :]


def _i_y(word: str) -> str:
    return word.replace("y", "i")


def word_grade(query_word: str, word: str, *, typing: bool = False) -> int:
    """How well one folded query word matches one folded word of a text: EXACT, PREFIX, SLIP or 0.

    ``typing``: the query word is the last one, still being typed, so even one letter is a prefix.
    """
    if query_word == word:
        return EXACT
    lq, lw = len(query_word), len(word)
    if lq < lw and (lq >= MIN_PREFIX or typing) and word.startswith(query_word):
        return PREFIX
    if lq == lw and _i_y(query_word) == _i_y(word):
        return SLIP  # kí / ký, lí / lý, mĩ / mỹ: two spellings of one syllable
    if max(lq, lw) >= MIN_SLIP_LONG and min(lq, lw) >= MIN_SLIP_SHORT and within_one_edit(query_word, word):
        return SLIP
    return 0


@dataclass(frozen=True)
class Entry(Generic[T]):
    """What the index knows of one item: its key, its code and the words it is found by."""

    key: T
    code: str
    words: tuple[str, ...]


class FuzzyIndex(Generic[T]):
    """Search-as-you-type over a fixed list of items. Build once per catalogue, query per keystroke."""

    def __init__(self, items: Iterable[tuple[T, str, str]]):
        """``items``: (key, code, text) — the text is what the words come from (name, field name…)."""
        self.entries: list[Entry[T]] = [Entry(key, fold(code), words(text)) for key, code, text in items]
        postings: dict[str, list[tuple[int, int]]] = {}
        for i, entry in enumerate(self.entries):
            for pos, word in enumerate(entry.words):
                postings.setdefault(word, []).append((i, pos))
        self.postings = postings
        self._grades: dict[tuple[str, bool], list[tuple[str, int]]] = {}

    def _matching_words(self, query_word: str, typing: bool) -> list[tuple[str, int]]:
        """(word, grade) of every word of the catalogue that ``query_word`` matches; memoised because
        the first words of a query come back at every keystroke."""
        cache_key = (query_word, typing)
        found = self._grades.get(cache_key)
        if found is None:
            found = []
            for word in self.postings:
                grade = word_grade(query_word, word, typing=typing)
                if grade:
                    found.append((word, grade))
            if query_word in self.postings:
                # A word the catalogue has is no slip: "thuc" (thực) must not also find "tuc" (tục).
                found = [(w, g) for w, g in found if g != SLIP or _i_y(query_word) == _i_y(w)]
            if len(self._grades) > 4096:
                self._grades.clear()
            self._grades[cache_key] = found
        return found

    def search(self, query: str, limit: int | None = None) -> list[T]:
        """Keys of the items matching ``query``, best first. An empty query matches nothing."""
        folded = fold(query)
        qwords = _WORD.findall(folded)
        if not qwords:
            return []
        # best[i][k] = (grade, position) of query word k in entry i, for entries matching every word so far.
        best: dict[int, list[tuple[int, int]]] | None = None
        for k, qw in enumerate(qwords):
            typing = k == len(qwords) - 1 and not query[-1:].isspace()
            hits: dict[int, tuple[int, int]] = {}
            for word, grade in self._matching_words(qw, typing):
                for i, pos in self.postings[word]:
                    if best is not None and i not in best:
                        continue
                    old = hits.get(i)
                    if old is None or grade > old[0] or (grade == old[0] and pos < old[1]):
                        hits[i] = (grade, pos)
            if best is None:
                best = {i: [g] for i, g in hits.items()}
            else:
                best = {i: best[i] + [g] for i, g in hits.items()}
            if not best:
                break
        best = best or {}
        code_query = folded.replace(" ", "")
        coded = {}
        if any(c.isdigit() for c in code_query):
            for i, entry in enumerate(self.entries):
                if code_query in entry.code:
                    coded[i] = 2 if entry.code == code_query else 1
        ranked = sorted(
            set(best) | set(coded),
            key=lambda i: (-coded.get(i, 0), *self._rank(best.get(i, ())), len(self.entries[i].words), i),
        )
        keys = [self.entries[i].key for i in ranked]
        return keys[:limit] if limit else keys

    @staticmethod
    def _rank(matches: Sequence[tuple[int, int]]) -> tuple[int, int]:
        """(−sum of grades, −number of query words found right after the previous one) — lower is better."""
        score = sum(g for g, _ in matches)
        in_order = sum(1 for (_, p), (_, q) in pairwise(matches) if q == p + 1)
        return -score, -in_order


def matches_words(query: str, *texts: str) -> bool:
    """Every folded word of ``query`` appears in the folded ``texts`` ("nguyen van thu" in "Nguyễn Văn Thu")."""
    haystack = " ".join(fold(t or "") for t in texts)
    return all(word in haystack for word in fold(query).split())


def filter_folded(qs, query: str, fields: Sequence[str]):
    """A queryset narrowed to the rows whose ``fields`` hold every word of ``query``, diacritics and case
    ignored — for the search boxes of the smaller lists (feedback, news, documents: a unit's few thousand
    rows at most), where a folded column is not worth a migration. The large dossier table keeps its own
    folded column instead (``Dossier.applicant_folded``)."""
    if not fold(query):
        return qs
    keep = [pk for pk, *texts in qs.values_list("pk", *fields).iterator() if matches_words(query, *texts)]
    return qs.filter(pk__in=keep)


def initials(full_name: str) -> str:
    """ "Nguyễn Văn An" → "N.V.A." — what of a person a public page may show: enough for the applicant to
    recognise the dossier, nothing more."""
    letters = [word[0].upper() for word in full_name.split() if word[:1].isalpha()]
    return "".join(f"{c}." for c in letters)

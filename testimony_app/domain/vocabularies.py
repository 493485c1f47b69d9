"""Controlled vocabularies: the fixed lists behind every choice field.

Each list is one JSON file in ``resources/vocabularies`` (see the README there): a stable ``id``
per term, which is what records store, and labels in English, Ukrainian and Russian, which are
only ever shown. Files are validated when loaded; a broken file stops the app with a clear
message instead of showing a half-empty list.

A list marked ``"closed": true`` is a fixed set of states the program acts on (interview
status, consent decision, confidentiality, ...) and deliberately has no ``other`` term; every
other list keeps ``other`` so that anything can still be recorded, with free text beside it.
"""

from __future__ import annotations

import functools
import json
import re
import types
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from testimony_app.errors import EXIT_DAMAGED, TestimonyError
from testimony_app.i18n import LANGUAGES, N_, normalise_language
from testimony_app.resources import resources_dir

ID_PATTERN = re.compile(r"[a-z0-9_]+")
SCRIPT_ID_PATTERN = re.compile(r"[A-Z][a-z]{3}")  # ISO 15924 codes, used by the `script` list
SCRIPT_VOCABULARY = "script"
OTHER = "other"
_TERM_KEYS = frozenset({"id", "group", "src", *LANGUAGES, *(f"review_{lang}" for lang in LANGUAGES)})
_FILE_KEYS = frozenset({"vocabulary", "version", "closed", "groups", "terms"})
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2018": "'", "`": "'"})


class VocabularyError(TestimonyError):
    """A vocabulary file shipped with the app is missing or malformed (a packaging fault)."""

    code = "vocabulary_invalid"
    exit_code = EXIT_DAMAGED
    msgid = N_("The list file {file} is damaged: {problem}")


def _fold(text: str) -> str:
    """Case- and spelling-insensitive form for type-ahead (ё=е, ґ=г, any apostrophe)."""
    return text.casefold().translate(_APOSTROPHES).replace("ё", "е").replace("ґ", "г")


@dataclass(frozen=True)
class Term:
    """One choice: a stable id and its labels (``en``, ``uk``, ``ru``)."""

    id: str
    labels: Mapping[str, str] = field(hash=False)
    group: str | None = None
    src: str | None = None
    review: frozenset[str] = frozenset()  # languages whose label awaits a native speaker's review
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def label(self, lang: str) -> str:
        """The label in ``lang`` (a locale name is fine), else English, else the id."""
        return self.labels.get(normalise_language(lang)) or self.labels.get("en") or self.id

    def needs_review(self, lang: str) -> bool:
        return normalise_language(lang) in self.review


@dataclass(frozen=True)
class Vocabulary:
    """One list. ``"x" in vocabulary`` tests a term id; groups are looked up separately."""

    name: str
    terms: tuple[Term, ...]
    groups: tuple[Term, ...] = ()
    version: int = 1
    closed: bool = False
    _by_id: Mapping[str, Term] = field(init=False, repr=False, compare=False, hash=False)
    _groups_by_id: Mapping[str, Term] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", types.MappingProxyType({t.id: t for t in self.terms}))
        object.__setattr__(
            self, "_groups_by_id", types.MappingProxyType({g.id: g for g in self.groups})
        )

    def __contains__(self, term_id: object) -> bool:
        return isinstance(term_id, str) and term_id in self._by_id

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)

    def term(self, term_id: str) -> Term:
        """The term with this id; KeyError if there is none."""
        return self._by_id[term_id]

    def group(self, group_id: str) -> Term:
        """The group with this id; KeyError if there is none."""
        return self._groups_by_id[group_id]

    def in_group(self, group_id: str) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.group == group_id)

    def label(self, term_id: str, lang: str) -> str:
        """The label of a term; an id not in the list (e.g. from newer data) reads as itself."""
        term = self._by_id.get(term_id)
        return term.label(lang) if term is not None else term_id

    def ids(self) -> frozenset[str]:
        return frozenset(self._by_id)

    def search(self, text: str, lang: str) -> list[Term]:
        """Terms whose id or label in any language contains ``text``, best matches first.

        Matches in ``lang`` come first: a label starting with the text, then a word starting
        with it, then anywhere in it; then matches in other languages or in the id. Order within
        each rank is the list's own order. Blank text returns every term.
        """
        needle = _fold(text.strip())
        if not needle:
            return list(self.terms)
        lang = normalise_language(lang)
        ranked: list[tuple[int, int, Term]] = []
        for position, term in enumerate(self.terms):
            rank = _rank(term, needle, lang)
            if rank is not None:
                ranked.append((rank, position, term))
        ranked.sort(key=lambda item: (item[0], item[1]))
        return [term for _, _, term in ranked]


def _rank(term: Term, needle: str, lang: str) -> int | None:
    own = _fold(term.label(lang))
    if own.startswith(needle):
        return 0
    if any(word.startswith(needle) for word in re.split(r"[\s(/«\"'-]+", own)):
        return 1
    if needle in own:
        return 2
    others = [_fold(label) for label in term.labels.values()] + [_fold(term.id)]
    if any(needle in candidate for candidate in others):
        return 3
    return None


class Vocabularies:
    """Every list in a folder, validated on load."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = Path(folder) if folder is not None else resources_dir() / "vocabularies"
        files = sorted(self.folder.glob("*.json")) if self.folder.is_dir() else []
        if not files:
            raise VocabularyError(file=str(self.folder), problem="no vocabulary files found")
        loaded: dict[str, Vocabulary] = {}
        for path in files:
            vocabulary = load_vocabulary(path)
            loaded[vocabulary.name] = vocabulary
        self._lists = types.MappingProxyType(loaded)

    def __getitem__(self, name: str) -> Vocabulary:
        return self._lists[name]

    def __contains__(self, name: object) -> bool:
        return name in self._lists

    def __iter__(self) -> Iterator[Vocabulary]:
        return iter(self._lists.values())

    def names(self) -> tuple[str, ...]:
        return tuple(self._lists)


@functools.cache
def vocabularies() -> Vocabularies:
    """The lists shipped with the app, loaded once."""
    return Vocabularies()


# Loading and validation -----------------------------------------------------------------------


def load_vocabulary(path: Path) -> Vocabulary:
    """Read and validate one file; raises VocabularyError naming the file and the problem."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise VocabularyError(file=path.name, problem=f"cannot be read as JSON ({exc})") from exc
    try:
        return _vocabulary_from_json(data, path.stem)
    except _Problem as exc:
        raise VocabularyError(file=path.name, problem=str(exc)) from None


class _Problem(ValueError):
    pass


def _vocabulary_from_json(data: Any, stem: str) -> Vocabulary:
    if not isinstance(data, dict):
        raise _Problem("the file must hold one JSON object")
    unknown = set(data) - _FILE_KEYS
    if unknown:
        raise _Problem(f"unknown keys {sorted(unknown)}")
    name = data.get("vocabulary")
    if name != stem:
        raise _Problem(f"'vocabulary' is {name!r} but the file is named {stem!r}")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _Problem("'version' must be a positive whole number")
    closed = data.get("closed", False)
    if not isinstance(closed, bool):
        raise _Problem("'closed' must be true or false")
    raw_groups = data.get("groups", [])
    raw_terms = data.get("terms")
    if not isinstance(raw_groups, list):
        raise _Problem("'groups' must be a list")
    if not isinstance(raw_terms, list) or not raw_terms:
        raise _Problem("'terms' must be a non-empty list")
    groups = _terms_from_json(raw_groups, stem, "group", frozenset())
    group_ids = frozenset(g.id for g in groups)
    if any(g.group is not None for g in groups):
        raise _Problem("a group cannot itself belong to a group")
    terms = _terms_from_json(raw_terms, stem, "term", group_ids)
    return Vocabulary(name=stem, terms=terms, groups=groups, version=version, closed=closed)


def _terms_from_json(
    raw: list[Any], vocabulary: str, what: str, group_ids: frozenset[str]
) -> tuple[Term, ...]:
    seen: set[str] = set()
    out: list[Term] = []
    for index, entry in enumerate(raw):
        where = f"{what} {index + 1}"
        if not isinstance(entry, dict):
            raise _Problem(f"{where} is not an object")
        term_id = entry.get("id")
        if not isinstance(term_id, str) or not _valid_id(term_id, vocabulary):
            raise _Problem(f"{where} has an invalid id {term_id!r} (use a-z, 0-9 and _)")
        where = f"{what} {term_id!r}"
        if term_id in seen:
            raise _Problem(f"{where} appears twice")
        seen.add(term_id)
        labels: dict[str, str] = {}
        for lang in LANGUAGES:
            label = entry.get(lang)
            if not isinstance(label, str) or not label.strip():
                raise _Problem(f"{where} has no {lang} label")
            labels[lang] = label
        group = entry.get("group")
        if group is not None and (not isinstance(group, str) or group not in group_ids):
            raise _Problem(f"{where} names a group {group!r} that the list does not have")
        src = entry.get("src")
        if src is not None and not isinstance(src, str):
            raise _Problem(f"{where} has a 'src' that is not text")
        review: set[str] = set()
        for lang in LANGUAGES:
            flag = entry.get(f"review_{lang}", False)
            if not isinstance(flag, bool):
                raise _Problem(f"{where} has a 'review_{lang}' that is not true or false")
            if flag:
                review.add(lang)
        extra = {k: v for k, v in entry.items() if k not in _TERM_KEYS}
        out.append(Term(
            id=term_id, labels=types.MappingProxyType(labels), group=group, src=src,
            review=frozenset(review), extra=types.MappingProxyType(extra),
        ))
    return tuple(out)


def _valid_id(term_id: str, vocabulary: str) -> bool:
    if ID_PATTERN.fullmatch(term_id):
        return True
    return vocabulary == SCRIPT_VOCABULARY and SCRIPT_ID_PATTERN.fullmatch(term_id) is not None

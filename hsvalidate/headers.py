"""One header matcher for every table a user brings: frameworks, attendance sheets, ballot files.

Why one: headers are typed by hand, in French or English, with or without accents,
and real matrices carry more than a name: two names joined by a slash ("Source /
Moyens de vérification"), a year or a unit ("Cible 2028", "Budget (FCFA)") and a
language marker ("Indicateur (EN)").  Every reader describes its columns as a
:class:`Vocabulary` (field → names in French and English) and this module alone decides
what a header means, where the header row is, and which columns it could not place —
each with the field it probably means, so the author can rename it rather than guess.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from hsvalidate.i18n import fold

__all__ = [
    "Column",
    "Field",
    "HeaderMatch",
    "HeaderRow",
    "Vocabulary",
    "find_header",
    "fold",
    "header_words",
]

LANGS = ("fr", "en")
"""Languages a header can name or be written in."""

HEADER_SCAN_ROWS = 20
"""The header row is looked for in the first rows only, under a title block."""

_STOPWORDS = frozenset(
    ["de", "du", "des", "la", "le", "les", "l", "d", "et", "the", "of", "and", "a", "an", "pour"]
)
_TOKENS = re.compile(r"[0-9a-z]+|[/()%]")
_MARKS = frozenset("/()%")
"""Tokens that shape a header without being words: a slash, brackets, a percent sign."""
_YEAR = re.compile(r"^(19\d\d|20\d\d|2100)$")
_MARKER_NAMES = {
    "en": ("en", "eng", "english", "anglais", "en anglais", "in english", "version anglaise"),
    "fr": ("fr", "french", "francais", "en francais", "in french", "version francaise"),
}
# Second row of a two-level header: "Situation de référence" over "Valeur" | "Année".
_SUB_VALUE = frozenset({("valeur",), ("value",)})
_SUB_YEAR = frozenset({("annee",), ("year",), ("date",)})
_PROBABLE_RATIO = 0.75
"""How alike (difflib ratio) a header with no word in common must be to suggest a field."""


def _decompose(text: str) -> str:
    """Case and accents removed, so "RÉSULTAT" and "resultat" read the same."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return plain.replace("œ", "oe").replace("æ", "ae")


def _clean(words: Sequence[str]) -> tuple[str, ...]:
    """Words without stopwords, stray letters and plural ``s``: "moyen verification"."""
    kept = [w for w in words if w not in _STOPWORDS and len(w) > 1] if len(words) > 1 else []
    return tuple(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in (kept or words))


def header_words(header: str) -> tuple[str, ...]:
    """A header reduced to the words that carry its meaning (see :func:`_clean`)."""
    return _clean(fold(header).split())


_MARKERS = sorted(
    ((header_words(name), lang) for lang, names in _MARKER_NAMES.items() for name in names),
    key=lambda item: len(item[0]),
    reverse=True,
)


@dataclass(frozen=True)
class Field:
    """The names one field goes by, and how its header may be decorated."""

    fr: tuple[str, ...]
    """French names (accents, case, plurals and stopwords do not matter)."""
    en: tuple[str, ...] = ()
    """English names; a name in both lists is neutral (``Code``, ``Dimension``)."""
    translatable: bool = False
    """Whether the column may carry a language marker (``Indicateur (EN)``); a marker on
    any other field (``Cible (EN)``) means the header is not that field."""
    year_field: str | None = None
    """For a value with a year (baseline, target): the field its year goes to, when a
    two-level header puts "Valeur" and "Année" under it."""


@dataclass(frozen=True)
class HeaderMatch:
    """What one header names."""

    field: str
    """The field it is."""
    marker: str | None = None
    """``fr`` or ``en`` when the header names its language (``(EN)``, ``(français)``)."""
    year: int | None = None
    """A year written in the header (``Cible 2028``, ``Valeur de référence (2024)``)."""
    lang: str | None = None
    """The language its words are in (``Pillar`` is English), None when both use them."""


class Vocabulary:
    """The fields one reader knows, each with its French and English names."""

    def __init__(self, fields: Mapping[str, Field]) -> None:
        self.fields = dict(fields)
        self._lookup: dict[tuple[str, ...], tuple[str, str | None]] = {}
        langs: dict[tuple[str, ...], set[str]] = {}
        owner: dict[tuple[str, ...], str] = {}
        for name, spec in self.fields.items():
            for lang, aliases in (("fr", spec.fr), ("en", spec.en)):
                for alias in aliases:
                    words = header_words(alias)
                    if owner.setdefault(words, name) != name:
                        raise ValueError(f"{alias!r} names both {owner[words]} and {name}")
                    langs.setdefault(words, set()).add(lang)
        for words, name in owner.items():
            found = langs[words]
            self._lookup[words] = (name, next(iter(found)) if len(found) == 1 else None)

    def _exact(self, words: Sequence[str]) -> tuple[str, str | None] | None:
        return self._lookup.get(_clean(words)) if words else None

    def match(self, header: str) -> HeaderMatch | None:
        """The field ``header`` names, or None when it names none of this vocabulary's."""
        tokens = _TOKENS.findall(_decompose(header))
        years = [int(tok) for tok in tokens if _YEAR.match(tok)]
        tokens = [tok for tok in tokens if not _YEAR.match(tok)]
        year = years[-1] if years else None
        marked = _split_marker(tokens)
        if marked is not None:
            rest, lang = marked
            found = self._core(rest)
            if found is not None:
                name, words_lang = found
                if not self.fields[name].translatable:
                    return None  # a target is a value, not a text to translate
                return HeaderMatch(name, marker=lang, year=year, lang=words_lang)
        found = self._core(tokens)
        if found is None:
            return None
        return HeaderMatch(found[0], year=year, lang=found[1])

    def _core(self, tokens: Sequence[str]) -> tuple[str, str | None] | None:
        """The field named by tokens: as a whole, without its qualifiers, or by its slash parts."""
        whole = [tok for tok in tokens if tok not in _MARKS]
        found = self._exact(whole)
        if found is not None:
            return found
        bare = _without_brackets(tokens)
        found = self._exact([tok for tok in bare if tok not in _MARKS])
        if found is not None or "/" not in bare:
            return found
        parts = [self._exact(part) for part in _split(bare, "/")]
        names = {part[0] for part in parts if part is not None}
        if len(names) != 1:
            return None  # "Baseline / Target" names two things: let the author choose
        langs = {part[1] for part in parts if part is not None}
        return names.pop(), langs.pop() if len(langs) == 1 else None

    def probable(self, header: str) -> str | None:
        """The field an unrecognised header probably means, or None when nothing is close.

        Shared significant words count first ("Fréquence de collecte des données"
        shares two with "Fréquence de collecte"); an abbreviation counts as its word
        ("Resp." for "Responsable"); then difflib's likeness breaks ties and catches typos.
        """
        tokens = [tok for tok in _TOKENS.findall(_decompose(header)) if not tok.isdigit()]
        marked = _split_marker(tokens)
        parts = _split(_without_brackets(marked[0] if marked is not None else tokens), "/")
        named = [hit[0] for part in parts if (hit := self._exact(part)) is not None]
        if named:
            return named[0]  # "Baseline / Target": the first name is the main one
        words = _clean([word for part in parts for word in part]) if parts else ()
        if not words:
            return None
        text = " ".join(words)
        best: tuple[int, float] = (0, 0.0)
        found: str | None = None
        for alias, (name, _) in self._lookup.items():
            shared = sum(1 for w in words if _shares(w, alias))
            ratio = difflib.SequenceMatcher(None, text, " ".join(alias)).ratio()
            if (shared, ratio) > best:
                best, found = (shared, ratio), name
        if best[0] == 0 and best[1] < _PROBABLE_RATIO:
            return None
        return found


def _shares(word: str, alias: tuple[str, ...]) -> bool:
    if len(word) < 2:
        return False
    return any(word == a or (len(word) >= 3 and a.startswith(word)) for a in alias)


def _split(tokens: Sequence[str], sep: str) -> list[list[str]]:
    """The words between separators (brackets and signs dropped), empty parts left out."""
    parts: list[list[str]] = [[]]
    for tok in tokens:
        if tok == sep:
            parts.append([])
        elif tok not in _MARKS:
            parts[-1].append(tok)
    return [part for part in parts if part]


def _without_brackets(tokens: Sequence[str]) -> list[str]:
    """Tokens outside parentheses: "(FCFA)", "(%)", "(nombre)" qualify a header, not name it."""
    out: list[str] = []
    depth = 0
    for tok in tokens:
        if tok == "(":
            depth += 1
        elif tok == ")":
            depth = max(depth - 1, 0)
        elif depth == 0:
            out.append(tok)
    return out


def _split_marker(tokens: Sequence[str]) -> tuple[list[str], str] | None:
    """The header without its trailing language marker, and that language."""
    shape = ("(", ")", "/")  # a "%" is content: "(en %)" is a unit, not a language
    words = [tok for tok in tokens if tok not in shape]
    for marker, lang in _MARKERS:
        n = len(marker)
        if len(words) > n and _clean(words[-n:]) == marker:
            # Drop the marker and whatever brackets surround it, keep the rest as written.
            keep = len(words) - n
            out: list[str] = []
            for tok in tokens:
                if tok in shape:
                    out.append(tok)
                elif keep > 0:
                    out.append(tok)
                    keep -= 1
            while out and out[-1] in ("(", "/"):
                out.pop()
            return out, lang
    return None


@dataclass(frozen=True)
class Column:
    """One column of a header row, as a reader will use it."""

    index: int
    """0-based column index in the table."""
    header: str
    """The header as written ("Top - Sub" under a two-level header); empty when blank."""
    field: str | None
    """The field read from this column; None for a column no field takes."""
    lang: str
    """Language of its text: the marked one, else the working language."""
    year: int | None = None
    """A year written in the header."""
    probable: str | None = None
    """For a column no field takes: the field it probably means (or the one already taken)."""


@dataclass(frozen=True)
class HeaderRow:
    """Where a table's header is and what each of its columns holds."""

    row: int
    """0-based index of the header row."""
    last_row: int
    """0-based index of its last row: the same, or the row of sub-headers below it."""
    lang: str
    """Working language: the language of unmarked columns (given, or detected)."""
    columns: tuple[Column, ...]
    """Every column up to the widest header row, blank headers included."""

    def find(self, field: str, lang: str | None = None) -> Column | None:
        """The column read as ``field`` in ``lang`` (default: the working language)."""
        wanted = lang or self.lang
        for column in self.columns:
            if column.field == field and column.lang == wanted:
                return column
        return None

    def cell(self, values: Sequence[str], field: str, lang: str | None = None) -> str:
        """The text of ``field`` in a data row, empty when the column is absent or short."""
        column = self.find(field, lang)
        if column is None or column.index >= len(values):
            return ""
        return values[column.index].strip()

    def header_of(self, field: str, lang: str | None = None) -> str | None:
        """The header as the user wrote it, for locating problems."""
        column = self.find(field, lang)
        return column.header if column is not None else None

    @property
    def used(self) -> tuple[tuple[str, str], ...]:
        """(field, header) of every column a field takes, in column order."""
        return tuple((c.field, c.header) for c in self.columns if c.field is not None)

    @property
    def ignored(self) -> tuple[tuple[str, str | None], ...]:
        """(header, probable field or None) of every named column no field takes."""
        return tuple((c.header, c.probable) for c in self.columns if c.field is None and c.header)


def find_header(
    rows: Sequence[Sequence[str]],
    vocabulary: Vocabulary,
    *,
    required: Iterable[str],
    min_fields: int = 1,
    working_lang: str | None = None,
    scan_rows: int = HEADER_SCAN_ROWS,
) -> HeaderRow | None:
    """The first row, among the first ``scan_rows``, naming every ``required`` field.

    ``min_fields`` asks for that many distinct (field, language) columns, so that a
    "Read me" line that happens to say "Indicateur" is not taken for a header.
    ``working_lang`` is the language of unmarked columns; None detects it: English when
    no column is marked English and either a column is marked French or the header's
    words are more English than French; French otherwise.
    """
    needed = tuple(required)
    for r, row in enumerate(rows[:scan_rows]):
        matches = [vocabulary.match(cell) if cell else None for cell in row]
        lang = working_lang or _detect(matches)
        keys = {(m.field, m.marker or lang) for m in matches if m is not None}
        if len(keys) >= min_fields and all((name, lang) in keys for name in needed):
            return _header_at(rows, r, vocabulary, lang)
    return None


def _detect(matches: Sequence[HeaderMatch | None]) -> str:
    marked = {m.marker for m in matches if m is not None and m.marker}
    if "en" in marked:
        return "fr"
    if "fr" in marked:
        return "en"
    english = sum(1 for m in matches if m is not None and not m.marker and m.lang == "en")
    french = sum(1 for m in matches if m is not None and not m.marker and m.lang == "fr")
    return "en" if english > french else "fr"


def _header_at(
    rows: Sequence[Sequence[str]], r: int, vocabulary: Vocabulary, lang: str
) -> HeaderRow:
    top = list(rows[r])
    below = list(rows[r + 1]) if r + 1 < len(rows) else []
    sub = {
        i for i, cell in enumerate(below) if cell and header_words(cell) in _SUB_VALUE | _SUB_YEAR
    }
    is_sub = bool(sub) and all(
        not cell or i in sub or (i < len(top) and cell == top[i]) for i, cell in enumerate(below)
    )
    width = max(len(top), len(below) if is_sub else 0)
    columns: list[Column] = []
    taken: set[tuple[str, str]] = set()
    for i in range(width):
        header = top[i] if i < len(top) else ""
        if is_sub and i in sub and not header:
            header = _inherited(top, i, vocabulary)
        match = vocabulary.match(header) if header else None
        name = match.field if match is not None else None
        if is_sub and i in sub:
            year_field = vocabulary.fields[name].year_field if name is not None else None
            if year_field is not None:
                if header_words(below[i]) in _SUB_YEAR:
                    name = year_field
                header = f"{header} - {below[i]}"
            elif name is None:
                header = f"{header} - {below[i]}" if header else below[i]
        column_lang = (match.marker if match is not None else None) or lang
        if name is not None and (name, column_lang) in taken:
            # A second column for the same field is not read as that field.
            columns.append(Column(i, header, None, column_lang, probable=name))
            continue
        if name is not None:
            taken.add((name, column_lang))
            year = match.year if match is not None else None
            columns.append(Column(i, header, name, column_lang, year=year))
            continue
        probable = vocabulary.probable(header) if header else None
        columns.append(Column(i, header, None, column_lang, probable=probable))
    return HeaderRow(row=r, last_row=r + 1 if is_sub else r, lang=lang, columns=tuple(columns))


def _inherited(top: Sequence[str], i: int, vocabulary: Vocabulary) -> str:
    """The value-with-a-year header left of a blank cell: an unmerged two-level header.

    "Situation de référence" written once over "Valeur" | "Année" names both columns.
    """
    left = next((top[k] for k in range(min(i, len(top)) - 1, -1, -1) if top[k]), "")
    match = vocabulary.match(left) if left else None
    if match is None or vocabulary.fields[match.field].year_field is None:
        return ""
    return left

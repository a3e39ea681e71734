"""Every sentence a facilitator or participant reads comes from one catalogue, in French and English.

Why gettext: it is the standard that translators' tools (Poedit, Weblate, Babel) read and
write, and Python reads its compiled ``.mo`` files with the standard library alone, which
keeps start-up fast.  The catalogue is one set of message keys (``session.created``) split
into a few ``.po`` files by area (``hsvalidate/locale/<lang>/LC_MESSAGES/<area>.po``) so that
a translator can review the minutes without wading through error messages.  Both languages
are written out in full, so a test can refuse a key that lacks one of them.

A message is never assembled from fragments: a sentence is one entry with named
placeholders (``{name}``), filled with ``str.format``.
"""

from __future__ import annotations

import gettext
import os
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

LANGS = ("fr", "en")
"""Languages of the catalogue; French is the working language."""

LANG_ENV = "HSVALIDATE_LANG"
"""Environment variable choosing the language of commands that have no session yet."""

DOMAINS = (
    "cli",
    "service",
    "files",
    "ballot",
    "documents",
    "plenary",
    "attendance",
    "criteria",
    "merge",
    "paper",
    "channels",
    "kiosk",
    "forms",
    "room",
    "slips",
    "projector",
    "webballot",
)
"""Areas of the one catalogue, each a ``.po`` file per language."""

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
"""Where the compiled catalogues live inside the package."""

_FRENCH_SPACES = re.compile(r"(?<=«) | (?=[:;?!»])")
_current: str | None = None
_catalogues: dict[str, gettext.NullTranslations] = {}


def normalise_lang(value: str | None) -> str | None:
    """``fr``, ``en`` or None from what a user or the system wrote (``fr_ML.UTF-8``, ``French``)."""
    if not value:
        return None
    text = value.strip().lower()
    if text.startswith(("fr", "français", "francais")):
        return "fr"
    if text.startswith(("en", "anglais")):
        return "en"
    return None


def system_language() -> str:
    """French on a French-speaking system (``fr_*``), English otherwise.

    Reads the variables gettext reads, then the locale the operating system reports
    (Windows gives names such as ``French_Mali``).
    """
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value and value not in ("C", "POSIX", "C.UTF-8"):
            return "fr" if value.lower().startswith("fr") else "en"
    if sys.platform == "win32":
        return _windows_language()
    try:
        import locale

        name = locale.getlocale()[0] or ""
    except (ValueError, AttributeError):  # pragma: no cover - unusual locales
        name = ""
    return "fr" if name.lower().startswith("fr") else "en"


def _windows_language() -> str:  # pragma: no cover - exercised on Windows laptops
    """The language of Windows' own menus: French when its primary language is French.

    Why not the locale: Python on Windows may report the C locale until a program sets
    one, while the user's display language is what a French-speaking facilitator sees.
    """
    try:
        import ctypes

        langid = ctypes.windll.kernel32.GetUserDefaultUILanguage()  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return "en"
    return "fr" if langid & 0x3FF == 0x0C else "en"  # 0x0C: LANG_FRENCH


def default_language() -> str:
    """The language with no session: ``HSVALIDATE_LANG`` when set, else the system's."""
    return normalise_lang(os.environ.get(LANG_ENV)) or system_language()


def set_language(lang: str | None) -> str:
    """Make ``lang`` the language of everything shown from now on; returns the one chosen."""
    global _current
    _current = normalise_lang(lang) or default_language()
    return _current


def get_language() -> str:
    """The language in use (resolved on first use when nobody chose one)."""
    return _current if _current is not None else set_language(None)


def _catalogue(lang: str) -> gettext.NullTranslations:
    found = _catalogues.get(lang)
    if found is not None:
        return found
    chain: gettext.NullTranslations = gettext.NullTranslations()
    for domain in reversed(DOMAINS):
        mo = LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.mo"
        try:
            with mo.open("rb") as handle:
                area: gettext.NullTranslations = gettext.GNUTranslations(handle)
        except OSError:  # pragma: no cover - a broken install; keys are shown instead
            continue
        area.add_fallback(chain)
        chain = area
    _catalogues[lang] = chain
    return chain


def _template(key: str, lang: str, n: int | None = None) -> str:
    catalogue = _catalogue(lang)
    text = catalogue.gettext(key) if n is None else catalogue.ngettext(key, key, n)
    if lang == "fr":
        # A space precedes « : ; ? ! » and follows « in French; a non-breaking one keeps
        # the sign on the same line as its word, on screen and in the signed minutes.
        text = _FRENCH_SPACES.sub("\u00a0", text)
    return text


def _fill(template: str, values: Mapping[str, Any], lang: str) -> str:
    if not values:
        return template
    ready = {k: v.render(lang) if isinstance(v, Message | Words) else v for k, v in values.items()}
    return template.format(**ready)


def fold(text: str) -> str:
    """Lower case, no accents, single spaces, no punctuation: how typed words are compared.

    Why: a facilitator types ``faisabilite``, ``Faisabilité`` or ``FAISABILITÉ`` for the
    same criterion; all must be understood.
    """
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    plain = plain.replace("œ", "oe").replace("æ", "ae")
    return re.sub(r"[^0-9a-z]+", " ", plain).strip()


def words_for(key: str) -> tuple[str, ...]:
    """The word ``key`` in every language (``source.paper`` → papier, paper)."""
    return tuple(dict.fromkeys(t(key, lang=lang) for lang in LANGS))


def match_term(text: str, terms: Mapping[str, Iterable[str]]) -> str | None:
    """The code whose names (code, French and English words) include ``text``, compared folded."""
    wanted = fold(text)
    if not wanted:
        return None
    for code, names in terms.items():
        if wanted == fold(code) or any(wanted == fold(name) for name in names):
            return code
    return None


def codes_with_prefix(prefix: str) -> list[str]:
    """The codes of the entries ``<prefix>.<code>`` in the catalogue (``rule.name`` → ram…).

    Why: the command line offers the rules, channels and formats the catalogue has words
    for, without importing the modules that declare them; a test keeps both in step.
    """
    catalogue: gettext.NullTranslations | None = _catalogue("en")
    keys: set[str] = set()
    while catalogue is not None:
        keys.update(k for k in getattr(catalogue, "_catalog", {}) if isinstance(k, str))
        catalogue = getattr(catalogue, "_fallback", None)
    start = prefix + "."
    return sorted(
        k[len(start) :] for k in keys if k.startswith(start) and "." not in k[len(start) :]
    )


def _known(lang: str | None) -> str:
    """A language of the catalogue: ``lang`` when it is one, else the language in use.

    A session file edited by hand may say ``de``; its documents then come out in the
    language in use rather than as bare message keys.
    """
    return (normalise_lang(lang) if lang else None) or get_language()


def has(key: str, lang: str = "fr") -> bool:
    """Whether the catalogue holds ``key`` (used for words that may be ours or a user's)."""
    return _catalogue(lang).gettext(key) != key


def t(key: str, /, *, lang: str | None = None, **values: Any) -> str:
    """The sentence ``key`` in ``lang`` (default: the language in use), placeholders filled."""
    chosen = _known(lang)
    return _fill(_template(key, chosen), values, chosen)


def tn(key: str, n: int, /, *, lang: str | None = None, **values: Any) -> str:
    """Like :func:`t` for a sentence whose wording depends on a count ``n`` (also ``{n}``)."""
    chosen = _known(lang)
    return _fill(_template(key, chosen, n), {"n": n, **values}, chosen)


class Message:
    """A sentence kept as its key and values, written out in whatever language is in use.

    Why lazy: the service layer raises errors and reports problems before the command
    knows which language will show them (a session's own language is known only once
    it is open); the words are chosen when the message is finally shown.
    """

    __slots__ = ("key", "n", "values")

    def __init__(self, key: str, n: int | None = None, /, **values: Any) -> None:
        self.key = key
        self.n = n
        self.values = values

    def render(self, lang: str | None = None) -> str:
        """The sentence in ``lang`` (default: the language in use)."""
        if self.n is None:
            return t(self.key, lang=lang, **self.values)
        return tn(self.key, self.n, lang=lang, **self.values)

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"Message({self.key!r}, {self.values!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Message):
            return (self.key, self.n, self.values) == (other.key, other.n, other.values)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.key, self.n, tuple(sorted(self.values))))


class Words:
    """Words a user gave in both languages (criteria labels), chosen when the sentence is shown."""

    __slots__ = ("by_lang",)

    def __init__(self, by_lang: Mapping[str, str]) -> None:
        self.by_lang = dict(by_lang)

    def render(self, lang: str | None = None) -> str:
        """The words in ``lang``, else in any language given."""
        chosen = lang or get_language()
        return self.by_lang.get(chosen) or next(iter(self.by_lang.values()), "")

    def __str__(self) -> str:
        return self.render()


Text = str | Message
"""Anything that shows as a sentence: already written, or a catalogue message."""


def install_click_translation(lang: str) -> None:
    """Let click's own words (``Usage:``, ``Options:``, its errors) follow the language.

    Click marks its strings with the standard ``gettext`` functions of the default
    domain; pointing that domain at our ``click`` catalogue translates them.  English
    needs nothing: click's words are English.
    """
    gettext.bindtextdomain("click", str(LOCALE_DIR))
    gettext.textdomain("click")
    # gettext reads LANGUAGE first, at every call, so this also switches a click
    # that is already imported.
    os.environ["LANGUAGE"] = "fr" if lang == "fr" else "en"

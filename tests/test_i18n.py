"""The message catalogue: every key in both languages, compiled files up to date, no key unknown."""

from __future__ import annotations

import ast
import gettext
import io
import re
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from hsvalidate import i18n
from hsvalidate.i18n import DOMAINS, LOCALE_DIR, Message, t

PACKAGE = Path(i18n.__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")
FILE_SUFFIXES = {".json", ".yaml", ".yml", ".xlsx", ".csv", ".pdf", ".txt", ".ttf", ".lock", ".py"}
KEY_SHAPE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_ -]+)+$")


def _catalog(lang: str, domain: str):  # type: ignore[no-untyped-def]
    with (LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po").open("rb") as handle:
        return read_po(handle, locale=lang, domain=domain)


def _entries(lang: str, domain: str) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for message in _catalog(lang, domain):
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        out[key] = tuple(strings)
    return out


def all_keys() -> set[str]:
    keys: set[str] = set()
    for domain in DOMAINS:
        keys |= set(_entries("fr", domain)) | set(_entries("en", domain))
    return keys


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_message_has_its_french_and_english_form(domain: str) -> None:
    fr, en = _entries("fr", domain), _entries("en", domain)
    assert sorted(set(fr) ^ set(en)) == [], "keys present in one language only"
    for key in fr:
        for lang, strings in (("fr", fr[key]), ("en", en[key])):
            assert all(s.strip() for s in strings), f"{domain}: {key} has no {lang} text"
        fr_names = {m for s in fr[key] for m in PLACEHOLDER.findall(s)}
        en_names = {m for s in en[key] for m in PLACEHOLDER.findall(s)}
        assert fr_names == en_names, f"{domain}: {key} placeholders differ: {fr_names} {en_names}"


def test_a_key_lives_in_one_area_only() -> None:
    seen: dict[str, str] = {}
    for domain in DOMAINS:
        for key in _entries("fr", domain):
            assert key not in seen, f"{key} is in both {seen.get(key)} and {domain}"
            seen[key] = domain


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("domain", [*DOMAINS, "click"])
def test_compiled_catalogues_match_their_sources(domain: str, lang: str) -> None:
    source = LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"
    if not source.exists():
        assert domain == "click" and lang == "en", "click's own words are English already"
        return
    buffer = io.BytesIO()
    write_mo(buffer, _catalog(lang, domain))
    buffer.seek(0)
    expected = _messages(gettext.GNUTranslations(buffer))
    with (LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.mo").open("rb") as handle:
        compiled = _messages(gettext.GNUTranslations(handle))
    assert compiled == expected, (
        f"{domain}.mo ({lang}) is stale; run: pybabel compile -d hsvalidate/locale "
        '-D "cli service files ballot documents plenary attendance criteria click"'
    )


def _messages(catalogue: gettext.GNUTranslations) -> dict[object, str]:
    """The messages of a compiled catalogue, without its header (which carries dates)."""
    return {k: v for k, v in catalogue._catalog.items() if k != ""}  # type: ignore[attr-defined]


def _string_constants() -> list[tuple[Path, int, str]]:
    found: list[tuple[Path, int, str]] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.append((path, node.lineno, node.value))
    return found


def test_every_key_the_code_names_is_in_the_catalogue() -> None:
    keys = all_keys()
    prefixes = {k.split(".")[0] for k in keys}
    missing = [
        f"{path.relative_to(PACKAGE)}:{line}: {value}"
        for path, line, value in _string_constants()
        if KEY_SHAPE.match(value)
        and Path(value).suffix not in FILE_SUFFIXES
        and value.split(".")[0] in prefixes
        and value not in keys
        and not any(k.startswith(value + ".") for k in keys)  # a prefix such as "verdict"
    ]
    assert missing == []


def test_french_punctuation_gets_a_non_breaking_space() -> None:
    assert t("problem.located", lang="fr", place="a.csv", message="x") == "a.csv\u00a0: x"
    assert t("problem.located", lang="en", place="a.csv", message="x") == "a.csv: x"


def test_a_message_is_written_in_the_language_in_use_when_shown() -> None:
    message = Message("problem.row", n=12)
    i18n.set_language("fr")
    assert str(message) == "ligne 12"
    i18n.set_language("en")
    assert str(message) == "row 12"


def test_values_that_are_messages_follow_the_same_language() -> None:
    inner = Message("problem.row", n=3)
    assert t("problem.located", lang="fr", place=inner, message="x") == "ligne 3\u00a0: x"


def test_an_unknown_key_shows_the_key_rather_than_failing() -> None:
    assert t("no.such.key", lang="fr") == "no.such.key"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANG": "fr_ML.UTF-8"}, "fr"),
        ({"LANG": "fr_FR.UTF-8", "HSVALIDATE_LANG": "en"}, "en"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LC_ALL": "fr_SN.UTF-8", "LANG": "en_US.UTF-8"}, "fr"),
        ({"HSVALIDATE_LANG": "français"}, "fr"),
    ],
)
def test_without_a_session_the_language_follows_the_setting_then_the_system(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str
) -> None:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "HSVALIDATE_LANG"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    assert i18n.default_language() == expected


def test_a_language_the_catalogue_lacks_falls_back_to_the_one_in_use() -> None:
    i18n.set_language("fr")
    assert t("problem.row", lang="de", n=2) == "ligne 2"
    assert t("problem.row", lang="English", n=2) == "row 2"


def test_on_windows_the_display_language_decides(monkeypatch: pytest.MonkeyPatch) -> None:
    """French Windows (primary language 0x0C, e.g. fr-ML 0x340C) gives French; others English."""
    import ctypes
    import sys
    import types

    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(sys, "platform", "win32")
    for langid, expected in ((0x040C, "fr"), (0x340C, "fr"), (0x0409, "en"), (0x0809, "en")):
        kernel32 = types.SimpleNamespace(GetUserDefaultUILanguage=lambda langid=langid: langid)
        monkeypatch.setattr(
            ctypes, "windll", types.SimpleNamespace(kernel32=kernel32), raising=False
        )
        assert i18n.system_language() == expected

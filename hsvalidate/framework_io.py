"""Reading and writing frameworks: YAML (the tool's own format) and XLSX/CSV indicator matrices.

Why one module: a draft arrives in whatever shape its authors use, and the validated
framework must leave in the same shape for the next cycle.  Every reader reports all
the problems of a file at once (each with its sheet, row and column), because the
person fixing the draft is often not the one running the workshop.  PyYAML is imported
here and nowhere else; spreadsheets go through :mod:`hsvalidate.spreadsheet`.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from hsvalidate import spreadsheet
from hsvalidate.errors import FrameworkError, InputFileError, Problem
from hsvalidate.fileio import write_atomic
from hsvalidate.framework import (
    YEAR_MAX,
    YEAR_MIN,
    Dimension,
    Framework,
    FrameworkSummary,
    Indicator,
    Layout,
    LayoutColumn,
    MatrixRow,
    Node,
    Outcome,
    Text,
    assemble_matrix,
    extra_headers,
    parse_year,
    summarize_framework,
    validate_framework,
)
from hsvalidate.headers import (
    HEADER_SCAN_ROWS,
    LANGS,
    Column,
    Field,
    HeaderRow,
    Vocabulary,
    find_header,
)
from hsvalidate.i18n import Message, normalise_lang, t

__all__ = [
    "FRAMEWORK_SUFFIXES",
    "FrameworkSummary",
    "check_framework",
    "load_framework",
    "save_framework",
    "save_framework_csv",
    "save_framework_xlsx",
    "save_framework_yaml",
]

FRAMEWORK_SUFFIXES = (".yaml", ".yml", ".xlsx", ".xlsm", ".csv")
"""File types a draft framework may come in."""

_YAML_SUFFIXES = (".yaml", ".yml")
_OTHER = {"fr": "en", "en": "fr"}

_TEXT_FIELDS = tuple(f.name for f in fields(Indicator) if f.type in ("Text", Text))
_YEAR_FIELDS = ("baseline_year", "target_year")
_PLAIN_FIELDS = ("baseline", "target")
_INDICATOR_KEYS = tuple(f.name for f in fields(Indicator))


def load_framework(path: Path, *, working_lang: str | None = None) -> Framework:
    """Read a draft framework, or raise FrameworkError listing every problem in the file.

    ``working_lang`` (``fr`` or ``en``) is the language of unmarked matrix columns and of
    plain YAML texts; None finds it in the file (see :func:`hsvalidate.headers.find_header`
    for matrices, a top-level ``language: en`` for YAML), French otherwise.
    """
    return _load(Path(path), working_lang)[0]


def check_framework(path: Path, *, working_lang: str | None = None) -> FrameworkSummary:
    """Load a framework only to report what it holds; raises FrameworkError like the loader.

    The summary also names the matrix columns the reader did not take, each with the
    field it probably means, so the author can rename them.
    """
    fw, unrecognised = _load(Path(path), working_lang)
    return summarize_framework(fw, unrecognised_columns=unrecognised)


Unrecognised = tuple[tuple[str, str | None], ...]
"""(header, probable field or None) of the columns a matrix reader did not take."""


def _load(path: Path, working_lang: str | None) -> tuple[Framework, Unrecognised]:
    if working_lang not in (None, *LANGS):
        raise ValueError(f"working_lang must be one of {LANGS} or None, not {working_lang!r}")
    suffix = path.suffix.lower()
    if suffix in _YAML_SUFFIXES:
        return _load_yaml(path, working_lang), ()
    if suffix in spreadsheet.TABLE_SUFFIXES:
        return _load_matrix(path, working_lang)
    raise FrameworkError(
        Message("framework.not_framework_file", file=path.name),
        (Problem(str(path), Message("framework.unsupported_type")),),
    )


def _fail(path: Path, problems: Sequence[Problem]) -> FrameworkError:
    return FrameworkError(
        Message("framework.invalid", len(problems), file=path.name), tuple(problems)
    )


# --------------------------------------------------------------------------------------
# YAML
# --------------------------------------------------------------------------------------

YamlPath = tuple[str | int, ...]

_TOP_KEYS = ("title", "notes", "language", "dimensions", "indicators")
_DIMENSION_KEYS = ("code", "title", "outcomes")
_OUTCOME_KEYS = ("code", "title", "indicators")
_NOT_MAPPING = {
    "framework": "framework.yaml_not_mapping.framework",
    "dimension": "framework.yaml_not_mapping.dimension",
    "outcome": "framework.yaml_not_mapping.outcome",
    "indicator": "framework.yaml_not_mapping.indicator",
}
_LEVEL = {
    "framework": "framework.yaml_level.framework",
    "dimension": "framework.yaml_level.dimension",
    "outcome": "framework.yaml_level.outcome",
    "indicator": "framework.yaml_level.indicator",
}


def _path_text(path: YamlPath) -> str:
    """A YAML key path for people: positions counted from 1, as an author counts items."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += f".{part}" if out else part
    return out


def read_yaml_text(
    path: Path, *, fail: Callable[[Path, Sequence[Problem]], InputFileError] = _fail
) -> str:
    """The text of a YAML file people typed: UTF-8 (with or without BOM) or UTF-16 with a BOM.

    A file larger than ``MAX_YAML_BYTES`` is refused unread.  Every failure (missing, a folder, unreadable, not UTF-8 with the line) is a located
    problem raised through ``fail``, so frameworks and criteria files report alike.
    """
    try:
        size = path.stat().st_size
        if size > MAX_YAML_BYTES:
            message = Message(
                "file.too_large",
                file=path.name,
                size=math.ceil(size / 2**20),
                limit=MAX_YAML_BYTES // 2**20,
            )
            raise fail(path, [Problem(str(path), message)])
        raw = path.read_bytes()
    except FileNotFoundError:
        raise fail(
            path,
            [Problem(str(path), Message("file.not_found"))],
        ) from None
    except IsADirectoryError:
        raise fail(
            path,
            [Problem(str(path), Message("file.is_folder"))],
        ) from None
    except OSError as exc:
        raise fail(
            path,
            [Problem(str(path), Message("file.unreadable", reason=exc.strerror or str(exc)))],
        ) from exc
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise fail(
            path,
            [Problem(str(path), Message("framework.yaml_not_utf8"), row=line)],
        ) from None


MAX_YAML_BYTES = 2 * 1024 * 1024
"""A framework or criteria YAML file larger than this is refused unread: a national
framework of 160 indicators in two languages is about 400 KB, and PyYAML reads about
half a megabyte a second."""
MAX_YAML_NODES = 50_000
"""Values (keys, texts, lists) a YAML file may hold: a national framework has about
12,000; 2 MB of ``[a,a,a,…]`` would be a million, and half a minute of parsing."""


class YamlLimitError(yaml.MarkedYAMLError):
    """The file uses what a framework never needs: an alias, or more values than any has.

    Why refuse aliases: ``*name`` repeats a whole subtree without repeating its text, so
    a few lines can stand for billions of values ("billion laughs"); a framework or a
    criteria list is typed out in full, so the first alias is refused, before any is
    expanded.
    """

    def __init__(self, message: Message, mark: Any) -> None:
        super().__init__(problem=str(message), problem_mark=mark)
        self.message = message


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing aliases and stopping at ``MAX_YAML_NODES`` values."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.nodes = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent):
            message = Message("framework.yaml_alias", name=str(event.anchor))
            raise YamlLimitError(message, event.start_mark)
        self.nodes += 1
        if self.nodes > MAX_YAML_NODES:
            message = Message("framework.yaml_too_many_values", limit=MAX_YAML_NODES)
            raise YamlLimitError(message, event.start_mark)
        return super().compose_node(parent, index)


def load_yaml(text: str) -> tuple[Any, yaml.Node | None]:
    """The data of a YAML text and its node tree (for line numbers), from one bounded parse.

    Raises ``YamlLimitError`` for an alias or too many values, and PyYAML's own errors
    for bad syntax; :func:`_parse_yaml` and the criteria reader turn them into problems.
    """
    loader = _BoundedLoader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    finally:
        loader.dispose()
    return data, root


def _parse_yaml(path: Path, text: str) -> tuple[Any, yaml.Node | None]:
    try:
        data, root = load_yaml(text)
    except YamlLimitError as exc:
        mark = exc.problem_mark
        raise _fail(
            path,
            [Problem(str(path), exc.message, row=mark.line + 1 if mark is not None else None)],
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and (mark is None or mark.index >= len(text.rstrip())):
            mark = exc.context_mark  # "end of stream": the unclosed quote or bracket is the place
        what = ", ".join(part for part in (exc.context, exc.problem) if part)
        raise _fail(
            path,
            [
                Problem(
                    str(path),
                    Message("framework.yaml_syntax", detail=what)
                    if what
                    else Message("framework.yaml_syntax_plain"),
                    row=mark.line + 1 if mark is not None else None,
                )
            ],
        ) from None
    except yaml.YAMLError as exc:
        position = getattr(exc, "position", None)
        row = text.count("\n", 0, position) + 1 if isinstance(position, int) else None
        raise _fail(
            path,
            [Problem(str(path), Message("framework.yaml_control_character"), row=row)],
        ) from None
    except RecursionError:
        raise _fail(
            path,
            [Problem(str(path), Message("framework.yaml_too_deep"))],
        ) from None
    return data, root


def _index_nodes(
    node: yaml.Node, *, lines: dict[YamlPath, int], duplicates: list[YamlPath]
) -> None:
    """Remember the line of every key and item, since safe_load forgets where values were."""
    stack: list[tuple[yaml.Node, YamlPath, frozenset[int]]] = [(node, (), frozenset())]
    while stack:
        current, where, above = stack.pop()
        if id(current) in above:
            continue  # a recursive alias
        lines.setdefault(where, current.start_mark.line + 1)
        seen = above | {id(current)}
        if isinstance(current, yaml.MappingNode):
            keys: set[str] = set()
            for key_node, value_node in current.value:
                key = str(key_node.value)
                if key == "<<":
                    continue
                child = (*where, key)
                if key in keys:
                    duplicates.append(child)
                    lines[child] = key_node.start_mark.line + 1
                    continue
                keys.add(key)
                lines[child] = key_node.start_mark.line + 1
                stack.append((value_node, child, seen))
        elif isinstance(current, yaml.SequenceNode):
            for i, item in enumerate(current.value):
                child = (*where, i)
                lines[child] = item.start_mark.line + 1
                stack.append((item, child, seen))


class _YamlReader:
    """Builds a Framework from parsed YAML, noting every problem with its line."""

    def __init__(self, path: Path, lines: dict[YamlPath, int]) -> None:
        self.path = path
        self.lines = lines
        self.lang = "fr"
        """The working language: plain texts are in it."""
        self.problems: list[Problem] = []
        self.flagged: set[YamlPath] = set()

    def add(self, where: YamlPath, message: str | Message) -> None:
        self.flagged.add(where)
        self.problems.append(
            Problem(
                str(self.path),
                message,
                row=self.line(where),
                column=_path_text(where) or None,
            )
        )

    def line(self, where: YamlPath) -> int | None:
        probe = where
        while probe not in self.lines and probe:
            probe = probe[:-1]
        return self.lines.get(probe)

    def mapping(
        self, value: Any, where: YamlPath, *, allowed: Sequence[str], what: str
    ) -> dict[str, Any] | None:
        """``value`` as a dict of known keys; ``what`` names its level in the messages."""
        if not isinstance(value, dict):
            keys = ", ".join(allowed[:3])
            self.add(where, Message(_NOT_MAPPING[what], keys=keys, found=yaml_kind(value)))
            return None
        out: dict[str, Any] = {}
        for key, item in value.items():
            name = str(key)
            if name not in allowed:
                hint = difflib.get_close_matches(name, allowed, n=1)
                level = Message(_LEVEL[what])
                self.add(
                    (*where, name),
                    Message("framework.yaml_unknown_key_hint", key=name, level=level, hint=hint[0])
                    if hint
                    else Message(
                        "framework.yaml_unknown_key", key=name, level=level, keys=_quoted(allowed)
                    ),
                )
                continue
            out[name] = item
        return out

    def sequence(self, value: Any, where: YamlPath) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(
                where, Message("framework.yaml_not_list", key=where[-1], found=yaml_kind(value))
            )
            return []
        return value

    def scalar(self, value: Any, where: YamlPath) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            self.add(where, Message("framework.yaml_yes_no"))
            return ""
        if isinstance(value, str):
            return value.strip()
        if isinstance(value, int | float):
            return str(value)
        if isinstance(value, date):
            return value.isoformat()
        self.add(where, Message("framework.yaml_not_text", found=yaml_kind(value)))
        return ""

    def text(self, value: Any, where: YamlPath) -> Text:
        if isinstance(value, dict):
            unknown = [str(k) for k in value if k not in ("fr", "en")]
            for key in unknown:
                self.add((*where, key), Message("framework.yaml_unknown_language", key=key))
            return Text(
                fr=self.scalar(value.get("fr"), (*where, "fr")),
                en=self.scalar(value.get("en"), (*where, "en")),
            )
        if isinstance(value, list):
            self.add(where, Message("framework.yaml_text_is_list"))
            return Text()
        return _text_in(self.lang, self.scalar(value, where))

    def language(self, value: Any, where: YamlPath) -> str:
        """The working language a file declares (``language: en``); French when it says none."""
        if value is None:
            return "fr"
        lang = normalise_lang(value) if isinstance(value, str) else None
        if lang is None:
            self.add(where, Message("framework.yaml_language_invalid", value=str(value)))
            return "fr"
        return lang

    def year(self, value: Any, where: YamlPath) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.add(where, Message("framework.yaml_year_kind", found=yaml_kind(value)))
            return None
        if isinstance(value, float) and not value.is_integer():
            self.add(where, Message("framework.year_invalid", value=str(value)))
            return None
        year, error = _read_year(str(int(value)) if isinstance(value, float) else str(value))
        if error is not None:
            self.add(where, error)
        return year

    def extra(self, value: Any, where: YamlPath) -> tuple[tuple[str, str], ...]:
        if value is None:
            return ()
        pairs: list[tuple[str, str]] = []
        if isinstance(value, dict):
            for key, item in value.items():
                pairs.append((str(key), self.scalar(item, (*where, str(key)))))
            return tuple(pairs)
        if isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, list) and len(item) == 2:
                    pairs.append(
                        (self.scalar(item[0], (*where, i)), self.scalar(item[1], (*where, i)))
                    )
                else:
                    self.add((*where, i), Message("framework.yaml_extra_pair"))
            return tuple(pairs)
        self.add(where, Message("framework.yaml_extra_shape"))
        return ()

    def indicator(self, value: Any, where: YamlPath, *, flat: bool) -> tuple[Indicator, str]:
        allowed = (*_INDICATOR_KEYS, "outcome")
        data = self.mapping(value, where, allowed=allowed, what="indicator") or {}
        kwargs: dict[str, Any] = {"code": self.scalar(data.get("code"), (*where, "code"))}
        kwargs["text"] = self.text(data.get("text"), (*where, "text"))
        for name in _TEXT_FIELDS:
            if name != "text" and name in data:
                kwargs[name] = self.text(data[name], (*where, name))
        for name in _PLAIN_FIELDS:
            if name in data:
                kwargs[name] = self.scalar(data[name], (*where, name))
        for name in _YEAR_FIELDS:
            if name in data:
                kwargs[name] = self.year(data[name], (*where, name))
        if "extra" in data:
            kwargs["extra"] = self.extra(data["extra"], (*where, "extra"))
        outcome = self.scalar(data.get("outcome"), (*where, "outcome"))
        if flat and "outcome" not in data and data:
            self.add(where, Message("framework.yaml_needs_outcome"))
        return Indicator(**kwargs), outcome


def yaml_kind(value: Any) -> Message:
    """What a YAML value is, as a noun phrase for messages ("a list", "'Cadre'")."""
    if isinstance(value, list):
        return Message("framework.yaml_kind.list")
    if isinstance(value, dict):
        return Message("framework.yaml_kind.mapping")
    if value is None:
        return Message("framework.yaml_kind.nothing")
    if isinstance(value, bool):
        return Message("framework.yaml_kind.yes_no")
    return Message("framework.yaml_kind.value", value=str(value))


def _read_year(raw: str) -> tuple[int | None, Message | None]:
    """A year written by a person, or None and the message saying what to write instead."""
    try:
        return parse_year(raw), None
    except ValueError:
        digits = raw.strip().removesuffix(".0")
        if digits.isdigit() and digits.isascii():
            return None, Message(
                "framework.year_out_of_range", year=int(digits), low=YEAR_MIN, high=YEAR_MAX
            )
        return None, Message("framework.year_invalid", value=raw.strip())


def _quoted(names: Sequence[str]) -> str:
    return ", ".join(f"'{n}'" for n in names)


def _load_yaml(path: Path, working_lang: str | None) -> Framework:
    text = read_yaml_text(path)
    data, root = _parse_yaml(path, text)
    lines: dict[YamlPath, int] = {(): 1}
    duplicates: list[YamlPath] = []
    if root is not None:
        _index_nodes(root, lines=lines, duplicates=duplicates)
    reader = _YamlReader(path, lines)
    for where in duplicates:
        reader.add(where, Message("framework.yaml_duplicate_key", key=where[-1]))
    if data is None:
        raise _fail(
            path,
            [Problem(str(path), Message("framework.yaml_empty"), row=1)],
        )
    top = reader.mapping(data, (), allowed=_TOP_KEYS, what="framework")
    if top is None:
        raise _fail(path, reader.problems)
    language = reader.language(top.get("language"), ("language",))
    reader.lang = working_lang or language

    node_paths: dict[Node, YamlPath] = {}
    dims: list[tuple[str, Text, list[tuple[str, Text, list[Indicator]]]]] = []
    for d, raw_dim in enumerate(reader.sequence(top.get("dimensions"), ("dimensions",))):
        dw: YamlPath = ("dimensions", d)
        dim = reader.mapping(raw_dim, dw, allowed=_DIMENSION_KEYS, what="dimension") or {}
        outcomes: list[tuple[str, Text, list[Indicator]]] = []
        dims.append(
            (
                reader.scalar(dim.get("code"), (*dw, "code")),
                reader.text(dim.get("title"), (*dw, "title")),
                outcomes,
            )
        )
        node_paths[(d,)] = dw
        for o, raw_out in enumerate(reader.sequence(dim.get("outcomes"), (*dw, "outcomes"))):
            ow: YamlPath = (*dw, "outcomes", o)
            out = reader.mapping(raw_out, ow, allowed=_OUTCOME_KEYS, what="outcome") or {}
            code = reader.scalar(out.get("code"), (*ow, "code"))
            indicators: list[Indicator] = []
            outcomes.append((code, reader.text(out.get("title"), (*ow, "title")), indicators))
            node_paths[(d, o)] = ow
            for raw_ind in reader.sequence(out.get("indicators"), (*ow, "indicators")):
                iw: YamlPath = (*ow, "indicators", len(indicators))
                ind, parent = reader.indicator(raw_ind, iw, flat=False)
                if parent and parent != code:
                    reader.add(
                        (*iw, "outcome"),
                        Message("framework.yaml_outcome_mismatch", code=code, parent=parent),
                    )
                node_paths[(d, o, len(indicators))] = iw
                indicators.append(ind)

    by_code = {
        out_code: (d, o, out_list)
        for d, (_, _, outs) in enumerate(dims)
        for o, (out_code, _, out_list) in enumerate(outs)
        if out_code
    }
    for k, raw_ind in enumerate(reader.sequence(top.get("indicators"), ("indicators",))):
        iw = ("indicators", k)
        ind, parent = reader.indicator(raw_ind, iw, flat=True)
        if not parent:
            continue
        if parent not in by_code:
            known = _quoted(list(by_code)[:3])
            reader.add(
                (*iw, "outcome"),
                Message("framework.yaml_unknown_outcome", code=parent, known=known)
                if known
                else Message("framework.yaml_unknown_outcome_none", code=parent),
            )
            continue
        d, o, target = by_code[parent]
        node_paths[(d, o, len(target))] = iw
        target.append(ind)

    fw = Framework(
        title=reader.text(top.get("title"), ("title",)),
        notes=reader.text(top.get("notes"), ("notes",)),
        source=path.name,
        lang=reader.lang,
        dimensions=tuple(
            Dimension(
                code=dcode,
                title=dtitle,
                outcomes=tuple(
                    Outcome(code=ocode, title=otitle, indicators=tuple(inds))
                    for ocode, otitle, inds in outs
                ),
            )
            for dcode, dtitle, outs in dims
        ),
    )

    def field_path(node: Node, name: str) -> YamlPath:
        return (*node_paths[node], name) if node else (name,)

    already_broken = bool(reader.problems)

    def describe(node: Node) -> str:
        return t("problem.line", n=reader.line(node_paths[node]))

    for issue in validate_framework(fw, describe):
        if issue.field == "dimensions" and already_broken:
            continue  # "no indicator" only repeats a problem already reported
        where = field_path(issue.node, issue.field)
        if not any(where[: len(f)] == f for f in reader.flagged):
            reader.add(where, issue.message)
    if reader.problems:
        raise _fail(path, sorted(reader.problems, key=lambda p: p.row or 0))
    return fw


class _Dumper(yaml.SafeDumper):
    """Writes for people: lists indented under their key, multi-line text as ``|`` blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        """Indent ``- `` items under their key, as people write YAML by hand."""
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def _text_in(lang: str, value: str) -> Text:
    """A text written once, without saying its language: it is in the working language."""
    return Text(fr=value) if lang == "fr" else Text(en=value)


def _text_out(text: Text, lang: str) -> str | dict[str, str]:
    """One plain string when only the working language is written, else both languages."""
    if getattr(text, _OTHER[lang]):
        return {"fr": text.fr, "en": text.en}
    return str(getattr(text, lang))


def _indicator_out(ind: Indicator, lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {"code": ind.code, "text": _text_out(ind.text, lang)}
    for f in fields(Indicator):
        value = getattr(ind, f.name)
        if f.name in ("code", "text") or value in ("", None, (), Text()):
            continue
        if isinstance(value, Text):
            out[f.name] = _text_out(value, lang)
        elif f.name == "extra":
            headers = [h for h, _ in value]
            unique = len(set(headers)) == len(headers)
            out[f.name] = dict(value) if unique else [list(pair) for pair in value]
        else:
            out[f.name] = value
    return out


_YAML_WIDTH = 10_000


def framework_yaml(fw: Framework, *, comment: str = "") -> str:
    """The YAML text of a framework, in the nested layout documented for authors.

    ``comment`` is written first as ``#`` lines, e.g. to say where the format is described.
    """
    lang = fw.lang
    data: dict[str, Any] = {} if lang == "fr" else {"language": lang}
    data["title"] = _text_out(fw.title, lang)
    if fw.notes:
        data["notes"] = _text_out(fw.notes, lang)
    data["dimensions"] = [
        {
            "code": dim.code,
            "title": _text_out(dim.title, lang),
            "outcomes": [
                {
                    "code": out.code,
                    "title": _text_out(out.title, lang),
                    "indicators": [_indicator_out(ind, lang) for ind in out.indicators],
                }
                for out in dim.outcomes
            ],
        }
        for dim in fw.dimensions
    ]
    # A very wide line keeps each value on one line: easier to find, edit and diff.
    text: str = yaml.dump(
        data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=_YAML_WIDTH
    )
    lines = "".join(f"# {line}".rstrip() + "\n" for line in comment.splitlines())
    return lines + text


def save_framework_yaml(fw: Framework, path: Path, *, comment: str = "") -> None:
    """Write ``fw`` as YAML atomically; loading the file gives back an equal framework."""
    write_atomic(Path(path), framework_yaml(fw, comment=comment).encode("utf-8"))


# --------------------------------------------------------------------------------------
# XLSX / CSV indicator matrices
# --------------------------------------------------------------------------------------

_BILINGUAL = frozenset({"dimension", "outcome", *_TEXT_FIELDS})
_INDICATOR_FIELDS = frozenset(_TEXT_FIELDS) | {"code", *_PLAIN_FIELDS, *_YEAR_FIELDS}

MATRIX_VOCABULARY = Vocabulary(
    {
        "dimension_code": Field(
            fr=("code dimension", "code pilier", "code axe", "code domaine"),
            en=("dimension code", "pillar code", "axis code", "domain code"),
        ),
        "dimension": Field(
            fr=("dimension", "pilier", "axe", "axe stratégique", "domaine"),
            en=("dimension", "pillar", "axis", "strategic axis", "domain"),
            translatable=True,
        ),
        "outcome_code": Field(
            fr=("code résultat", "code effet", "code objectif", "code résultat attendu"),
            en=("outcome code", "objective code", "result code"),
        ),
        "outcome": Field(
            fr=("résultat", "résultat attendu", "effet", "effet attendu", "objectif"),
            en=("outcome", "expected outcome", "objective", "result", "expected result"),
            translatable=True,
        ),
        "code": Field(
            fr=("code", "code indicateur", "n°", "numéro", "réf", "référence de l'indicateur"),
            en=("code", "indicator code", "no", "id", "ref", "indicator id"),
        ),
        "text": Field(
            fr=("indicateur", "libellé de l'indicateur", "intitulé de l'indicateur"),
            en=("indicator", "indicator statement", "indicator text"),
            translatable=True,
        ),
        "definition": Field(
            fr=("définition", "définition de l'indicateur", "description"),
            en=("definition", "indicator definition", "description"),
            translatable=True,
        ),
        "unit": Field(
            fr=("unité", "unité de mesure"), en=("unit", "unit of measure"), translatable=True
        ),
        "calculation": Field(
            fr=("méthode de calcul", "mode de calcul", "calcul", "formule", "formule de calcul"),
            en=("calculation", "calculation method", "method of calculation", "formula"),
            translatable=True,
        ),
        "disaggregation": Field(
            fr=("désagrégation", "niveau de désagrégation", "ventilation", "désagrégation par"),
            en=("disaggregation", "disaggregated by"),
            translatable=True,
        ),
        "baseline": Field(
            fr=(
                "situation de référence",
                "valeur de référence",
                "référence",
                "ligne de base",
                "valeur de base",
                "situation initiale",
                "niveau de référence",
            ),
            en=("baseline", "baseline value"),
            year_field="baseline_year",
        ),
        "baseline_year": Field(
            fr=(
                "année de référence",
                "année de base",
                "année de la situation de référence",
                "date de référence",
                "année de la ligne de base",
            ),
            en=("baseline year", "year of baseline", "baseline date"),
        ),
        "target": Field(
            fr=("cible", "valeur cible", "cible finale"),
            en=("target", "target value", "final target"),
            year_field="target_year",
        ),
        "target_year": Field(
            fr=("année cible", "échéance", "date cible", "année d'atteinte de la cible"),
            en=("target year", "year of target", "target date"),
        ),
        "source": Field(
            fr=(
                "source de vérification",
                "moyens de vérification",
                "source",
                "source des données",
                "source d'information",
                "moyens et sources de vérification",
            ),
            en=(
                "means of verification",
                "source",
                "data source",
                "mov",
                "verification source",
                "source of information",
            ),
            translatable=True,
        ),
        "method": Field(
            fr=(
                "méthode de collecte",
                "méthode de collecte des données",
                "méthode",
                "outil de collecte",
                "mode de collecte",
            ),
            en=("collection method", "data collection method", "method", "collection tool"),
            translatable=True,
        ),
        "frequency": Field(
            fr=("fréquence", "fréquence de collecte", "périodicité", "fréquence de mesure"),
            en=("frequency", "collection frequency", "periodicity"),
            translatable=True,
        ),
        "responsible": Field(
            fr=("responsable", "responsabilité", "responsable de la collecte"),
            en=("responsible", "responsibility", "responsible party", "who"),
            translatable=True,
        ),
        "assumptions": Field(
            fr=(
                "hypothèses",
                "risques",
                "hypothèses et risques",
                "risques et hypothèses",
                "hypothèses critiques",
            ),
            en=("assumption", "risk", "assumptions and risks", "risks and assumptions"),
            translatable=True,
        ),
        "notes": Field(
            fr=("notes", "remarques", "observations", "commentaires"),
            en=("notes", "remarks", "observation", "comment"),
            translatable=True,
        ),
    }
)
"""Header names of an indicator matrix, as M&E teams write them in French and English."""


def header_field(header: str) -> tuple[str, str] | None:
    """The indicator field and language a column header names, or None for an unknown column.

    Unmarked headers hold the working language, reported here as French (the default).
    """
    match = MATRIX_VOCABULARY.match(header)
    return None if match is None else (match.field, match.marker or "fr")


def _find_header(rows: Sequence[Sequence[str]], working_lang: str | None) -> HeaderRow | None:
    return find_header(
        rows, MATRIX_VOCABULARY, required=("text",), min_fields=2, working_lang=working_lang
    )


def _column_letter(index: int) -> str:
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return f"Colonne {letters}"


_TITLE_VOCABULARY = Vocabulary(
    {
        "title": Field(fr=("titre",), en=("title",), translatable=True),
        "notes": Field(fr=("notes", "remarques"), en=("notes",), translatable=True),
    }
)
"""Labels of the lines above a matrix header (``Title (EN): ...``, ``Notes : ...``)."""


def _title_block(rows: Sequence[Sequence[str]], lang: str) -> tuple[Text, Text]:
    """Title and notes from the lines above the header, unlabelled ones in ``lang``.

    Lines may be labelled (``Title (EN): ...``, ``Notes : ...``), as our writer does; the
    first unlabelled line is the title and later ones become notes (a version, a date).
    """
    found: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        line = next((cell for cell in row if cell), "")
        if not line:
            continue
        label, sep, rest = line.partition(":")
        match = _TITLE_VOCABULARY.match(label) if sep else None
        if match is not None:
            found.setdefault((match.field, match.marker or lang), []).append(rest.strip())
        elif ("title", lang) not in found:
            found[("title", lang)] = [line]
        else:
            found.setdefault(("notes", lang), []).append(line)

    def text(name: str) -> Text:
        return Text("\n".join(found.get((name, "fr"), [])), "\n".join(found.get((name, "en"), [])))

    return text("title"), text("notes")


def _load_matrix(path: Path, working_lang: str | None) -> tuple[Framework, Unrecognised]:
    try:
        tables = spreadsheet.read_tables(path)
    except InputFileError as exc:
        raise _fail(
            path,
            [replace(p, message=exc.message) for p in exc.problems]
            or [Problem(str(path), exc.message)],
        ) from None
    for table in tables:
        header = _find_header(table.rows, working_lang)
        if header is not None:
            return _read_matrix(path, table, header), header.ignored
    key = (
        "framework.no_header_sheet" if tables and tables[0].is_sheet else "framework.no_header_file"
    )
    raise _fail(path, [Problem(str(path), Message(key, rows=HEADER_SCAN_ROWS))])


def _layout_of(table: spreadsheet.Table, header: HeaderRow) -> Layout:
    """How the draft was laid out, for writing the validated framework the same way."""
    top = table.rows[header.row]
    below = table.rows[header.last_row] if header.last_row > header.row else []

    def raw(values: Sequence[str], index: int) -> str:
        return values[index] if index < len(values) else ""

    columns: list[LayoutColumn] = []
    for column in header.columns:
        head, sub = raw(top, column.index), raw(below, column.index)
        columns.append(
            LayoutColumn(
                header=head,
                field=column.field,
                lang=column.lang,
                sub="" if sub == head else sub,  # a header cell merged over both rows
                key="" if column.field else column.header or _column_letter(column.index),
                year=column.year,
            )
        )
    # Trailing blank columns are only the sheet's width; values under them (if any) are
    # still written, after the draft's columns, under the same name.
    while columns and columns[-1].field is None and not columns[-1].header and not columns[-1].sub:
        columns.pop()
    return Layout(
        kind="xlsx" if table.is_sheet else "csv",
        sheet=table.name if table.is_sheet else "",
        title_rows=tuple(next((c for c in row if c), "") for row in table.rows[: header.row]),
        columns=tuple(columns),
    )


def _read_matrix(path: Path, table: spreadsheet.Table, header: HeaderRow) -> Framework:
    sheet = table.name if table.is_sheet else None
    problems: list[Problem] = []

    def problem(message: str | Message, *, row: int | None, column: Column | None) -> None:
        problems.append(
            Problem(
                str(path), message, sheet=sheet, row=row, column=column.header if column else None
            )
        )

    header_row = header.row + 1
    dim_cols = (header.find("dimension_code"), header.find("dimension"))
    out_cols = (header.find("outcome_code"), header.find("outcome"))
    code_col = header.find("code")
    structure_ok = True
    if dim_cols == (None, None):
        structure_ok = False
        problem(Message("framework.no_dimension_column"), row=header_row, column=None)
    if out_cols == (None, None):
        structure_ok = False
        problem(Message("framework.no_outcome_column"), row=header_row, column=None)
    if code_col is None:
        problem(Message("framework.no_code_column"), row=header_row, column=None)

    def cell(values: Sequence[str], column: Column | None) -> str:
        if column is None or column.index >= len(values):
            return ""
        return values[column.index]

    def text(values: Sequence[str], field: str) -> Text:
        return Text(cell(values, header.find(field, "fr")), cell(values, header.find(field, "en")))

    header_cells = list(table.rows[header.row])
    matrix: list[MatrixRow] = []
    for r in range(header.last_row + 1, len(table.rows)):
        values = table.rows[r]
        if not any(values) or list(values) == header_cells:
            continue
        row_number = r + 1
        has_indicator = any(
            cell(values, c)
            for c in header.columns
            if c.field is None or c.field in _INDICATOR_FIELDS
        )
        indicator: Indicator | None = None
        if has_indicator:
            kwargs: dict[str, Any] = {"code": cell(values, code_col)}
            for name in _TEXT_FIELDS:
                kwargs[name] = text(values, name)
            for name in _PLAIN_FIELDS:
                kwargs[name] = cell(values, header.find(name))
            for name, year_name in zip(_PLAIN_FIELDS, _YEAR_FIELDS, strict=True):
                column = header.find(year_name)
                kwargs[year_name], error = _read_year(cell(values, column))
                if error is not None:
                    problem(error, row=row_number, column=column)
                value_column = header.find(name)
                if kwargs[year_name] is None and kwargs[name] and value_column is not None:
                    # "Cible 2028": the header dates every value written under it.
                    kwargs[year_name] = value_column.year
            kwargs["extra"] = tuple(
                (c.header or _column_letter(c.index), cell(values, c))
                for c in header.columns
                if c.field is None and cell(values, c)
            )
            indicator = Indicator(**kwargs)
        matrix.append(
            MatrixRow(
                row=row_number,
                dimension_code=cell(values, dim_cols[0]),
                dimension=text(values, "dimension"),
                outcome_code=cell(values, out_cols[0]),
                outcome=text(values, "outcome"),
                indicator=indicator,
            )
        )

    title, notes = _title_block(table.rows[: header.row], header.lang)
    if not title:
        title = _text_in(header.lang, path.stem)
    if not structure_ok:
        raise _fail(path, problems)
    assembly = assemble_matrix(matrix, title=title, notes=notes, source=path.name)
    fw = replace(assembly.framework, lang=header.lang, layout=_layout_of(table, header))
    field_columns = {
        "dimension": dim_cols[1],
        "dimension_code": dim_cols[0],
        "outcome": out_cols[1],
        "outcome_code": out_cols[0],
    }
    for issue in assembly.issues:
        problem(issue.message, row=issue.row, column=field_columns[issue.field])
    level_columns: dict[tuple[int, str], Column | None] = {
        (1, "code"): dim_cols[0],
        (1, "title"): dim_cols[1],
        (2, "code"): out_cols[0],
        (2, "title"): out_cols[1],
        (3, "code"): code_col,
        (3, "text"): header.find("text"),
    }
    origins = assembly.origins
    for found in validate_framework(fw, lambda node: t("problem.row", n=origins[node])):
        if not found.node:
            problem(found.message, row=header_row, column=None)
            continue
        if code_col is None and len(found.node) == 3 and found.field == "code":
            continue  # already reported once for the whole header
        problem(
            found.message,
            row=origins[found.node],
            column=level_columns.get((len(found.node), found.field)),
        )
    if problems:
        problems.sort(key=lambda p: p.row or 0)
        raise _fail(path, problems)
    return fw


_XLSX_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("dimension_code", "Code dimension", "Dimension code"),
    ("dimension", "Dimension", "Dimension"),
    ("outcome_code", "Code résultat", "Outcome code"),
    ("outcome", "Résultat attendu", "Expected outcome"),
    ("code", "Code indicateur", "Indicator code"),
    ("text", "Indicateur", "Indicator"),
    ("definition", "Définition", "Definition"),
    ("unit", "Unité", "Unit"),
    ("calculation", "Méthode de calcul", "Calculation method"),
    ("disaggregation", "Désagrégation", "Disaggregation"),
    ("baseline", "Situation de référence", "Baseline"),
    ("baseline_year", "Année de référence", "Baseline year"),
    ("target", "Cible", "Target"),
    ("target_year", "Année cible", "Target year"),
    ("source", "Source de vérification", "Means of verification"),
    ("method", "Méthode de collecte", "Collection method"),
    ("frequency", "Fréquence", "Frequency"),
    ("responsible", "Responsable", "Responsible"),
    ("assumptions", "Hypothèses et risques", "Assumptions and risks"),
    ("notes", "Notes", "Notes"),
)
"""The matrix layout we write: (field, French header, English header) in column order."""

_SHEET_TITLES = {"fr": "Cadre de S&E", "en": "M&E framework"}
_NOTES_LABELS = {"fr": "Notes : ", "en": "Notes: "}


def _xlsx_columns(lang: str) -> list[tuple[str, str, str]]:
    """(field, language, header) of each column, headers in the working language.

    Each text is unmarked and its translation marked right after it (``Indicateur (EN)``,
    ``Indicator (FR)``), so the file reads back in the same working language.
    """
    other = _OTHER[lang]
    columns: list[tuple[str, str, str]] = []
    for name, fr, en in _XLSX_FIELDS:
        header = fr if lang == "fr" else en
        columns.append((name, lang, header))
        if name in _BILINGUAL:
            columns.append((name, other, f"{header} ({other.upper()})"))
    return columns


_CODE_WIDTHS = {"dimension_code": 10.0, "outcome_code": 10.0, "code": 12.0}
_DIMENSION_FIELDS = frozenset({"dimension_code", "dimension"})
_OUTCOME_FIELDS = frozenset({"outcome_code", "outcome"})


@dataclass(frozen=True)
class _Slot:
    """What fills one written column: a field in a language, or an unknown column's values."""

    field: str | None
    """The field written; None for a column of :attr:`Indicator.extra`."""
    lang: str = "fr"
    """Language of the text written, for text fields."""
    extra: tuple[str, int] = ("", 0)
    """For an unknown column: its (header, occurrence) in :attr:`Indicator.extra`."""


def _extras_of(ind: Indicator) -> dict[tuple[str, int], str]:
    """An indicator's unknown columns by (header, occurrence), as :func:`extra_headers` names them."""
    mine: dict[tuple[str, int], str] = {}
    counts: dict[str, int] = {}
    for header, value in ind.extra:
        k = counts.get(header, 0)
        counts[header] = k + 1
        mine[(header, k)] = value
    return mine


def _row(
    slots: Sequence[_Slot], dim: Dimension, out: Outcome | None, ind: Indicator | None
) -> list[spreadsheet.CellValue]:
    extras = _extras_of(ind) if ind is not None else {}
    values: list[spreadsheet.CellValue] = []
    for slot in slots:
        name = slot.field
        value: Any
        if name is None:
            value = extras.get(slot.extra, "")
        elif name == "dimension_code":
            value = dim.code
        elif name == "dimension":
            value = getattr(dim.title, slot.lang)
        elif name == "outcome_code":
            value = out.code if out is not None else ""
        elif name == "outcome":
            value = getattr(out.title, slot.lang) if out is not None else ""
        elif ind is None:
            value = ""
        else:
            value = getattr(ind, name)
            if isinstance(value, Text):
                value = getattr(value, slot.lang)
        values.append("" if value is None else value)
    return values


def _grid(
    fw: Framework, slots: Sequence[_Slot]
) -> tuple[list[list[spreadsheet.CellValue]], list[tuple[int, int, int, int]]]:
    """One row per indicator (and per empty outcome or dimension), with the ranges to merge.

    Dimension and outcome cells are merged over their indicators, whichever columns
    hold them, as teams lay them out.
    """
    dim_cols = [i for i, slot in enumerate(slots) if slot.field in _DIMENSION_FIELDS]
    out_cols = [i for i, slot in enumerate(slots) if slot.field in _OUTCOME_FIELDS]
    rows: list[list[spreadsheet.CellValue]] = []
    merges: list[tuple[int, int, int, int]] = []
    for dim in fw.dimensions:
        dim_start = len(rows)
        if not dim.outcomes:
            rows.append(_row(slots, dim, None, None))
        for out in dim.outcomes:
            out_start = len(rows)
            if not out.indicators:
                rows.append(_row(slots, dim, out, None))
            for ind in out.indicators:
                rows.append(_row(slots, dim, out, ind))
            if len(rows) - out_start > 1:
                merges += [(out_start, c, len(rows) - 1, c) for c in out_cols]
        if len(rows) - dim_start > 1:
            merges += [(dim_start, c, len(rows) - 1, c) for c in dim_cols]
    return rows, merges


def _standard_preface(fw: Framework) -> list[str]:
    """The labelled title block of our own layout, so that it reads back (see _title_block)."""
    lang, other = fw.lang, _OTHER[fw.lang]
    marker = other.upper()
    preface = [getattr(fw.title, lang)]
    if getattr(fw.title, other):
        preface.append(f"Title ({marker}): {getattr(fw.title, other)}")
    if getattr(fw.notes, lang):
        preface.append(f"{_NOTES_LABELS[lang]}{getattr(fw.notes, lang)}")
    if getattr(fw.notes, other):
        preface.append(f"Notes ({marker}): {getattr(fw.notes, other)}")
    return preface


@dataclass(frozen=True)
class _Matrix:
    """The indicator matrix of a framework, as both spreadsheet writers lay it out."""

    slots: list[_Slot]
    """What each column holds."""
    header: list[str]
    """The header row (the lower row of a two-level header)."""
    rows: list[list[spreadsheet.CellValue]]
    merges: list[tuple[int, int, int, int]]
    """(first row, first column, last row, last column) of the cells merged in a workbook."""
    preface: list[str]
    """The lines above the header: the draft's own, or our labelled title block."""
    own_preface: bool = False
    """Whether ``preface`` is the draft's title block, written as it was (no blank row added)."""
    top_header: list[str] = field(default_factory=list)
    """The upper row of a two-level header; empty for one header row."""
    sheet: str = ""
    """The draft's sheet name; empty for our own."""


def _matrix(fw: Framework) -> _Matrix:
    if fw.layout is not None:
        return _layout_matrix(fw, fw.layout)
    slots = [_Slot(name, lang) for name, lang, _ in _xlsx_columns(fw.lang)]
    header = [name for _, _, name in _xlsx_columns(fw.lang)]
    for key in extra_headers(fw):
        slots.append(_Slot(None, extra=key))
        header.append(key[0])
    rows, merges = _grid(fw, slots)
    return _Matrix(slots, header, rows, merges, _standard_preface(fw))


def _slot_key(name: str, lang: str) -> tuple[str, str]:
    """A field as a column holds it: texts per language, other values once."""
    return (name, lang if name in _BILINGUAL else "")


def _codes_read_back(fw: Framework, slots: Sequence[_Slot]) -> bool:
    """Whether a sheet with these columns gives back ``fw``'s dimension and outcome codes.

    A draft without code columns had them derived from its rows (``D1``, ``D1.O1``...);
    they come back the same unless the framework has changed under them, and only then
    do the code columns need adding.
    """
    held = {(slot.field, slot.lang) for slot in slots}

    def shown(text: Text, name: str) -> Text:
        return Text(
            text.fr if (name, "fr") in held else "", text.en if (name, "en") in held else ""
        )

    def code(value: str, name: str) -> str:
        return value if any(slot.field == name for slot in slots) else ""

    rows: list[MatrixRow] = []
    for dim in fw.dimensions:
        dim_code, dim_title = code(dim.code, "dimension_code"), shown(dim.title, "dimension")
        if not dim.outcomes:
            rows.append(MatrixRow(len(rows) + 1, dim_code, dim_title))
        for out in dim.outcomes:
            out_code, out_title = code(out.code, "outcome_code"), shown(out.title, "outcome")
            for ind in out.indicators or (None,):
                rows.append(MatrixRow(len(rows) + 1, dim_code, dim_title, out_code, out_title, ind))
    built = assemble_matrix(rows, title=fw.title).framework

    def codes(framework: Framework) -> list[tuple[str, list[str]]]:
        return [(d.code, [o.code for o in d.outcomes]) for d in framework.dimensions]

    return codes(built) == codes(fw)


def _lost(fw: Framework, name: str, lang: str, layout: Layout) -> bool:
    """Whether ``fw`` holds values of a field the draft had no column for (they need one)."""
    if name == "dimension":
        return any(getattr(d.title, lang) for d in fw.dimensions)
    if name == "outcome":
        return any(getattr(o.title, lang) for o in fw.outcomes())
    indicators = fw.indicators()
    if name in _YEAR_FIELDS:
        value_name = _PLAIN_FIELDS[_YEAR_FIELDS.index(name)]
        dated = next((c.year for c in layout.columns if c.field == value_name), None)
        # A year in the value's header ("Cible 2028") dates every value written under it.
        return any(
            getattr(ind, name) != (dated if getattr(ind, value_name) else None)
            for ind in indicators
        )
    values = (getattr(ind, name) for ind in indicators)
    return any(getattr(v, lang) if isinstance(v, Text) else v for v in values)


def _layout_matrix(fw: Framework, layout: Layout) -> _Matrix:
    """The matrix in the draft's own layout, then the columns the draft lacked.

    Each draft column is filled from the field it was read as, under its header as
    written; what the framework holds beyond them (the validation status, an English
    text the draft had no column for, codes no longer derivable) follows under our
    usual headers, so nothing is lost and the file still reads back.
    """
    slots: list[_Slot] = []
    top: list[str] = []
    sub: list[str] = []
    counts: dict[str, int] = {}
    for column in layout.columns:
        if column.field is None:
            k = counts.get(column.key, 0)
            counts[column.key] = k + 1
            slots.append(_Slot(None, column.lang, (column.key, k)))
        else:
            slots.append(_Slot(column.field, column.lang))
        top.append(column.header)
        sub.append(column.sub)
    held = {_slot_key(s.field, s.lang) for s in slots if s.field is not None}
    codes_lost = not _codes_read_back(fw, slots)
    for name, lang, header in _xlsx_columns(fw.lang):
        if _slot_key(name, lang) in held:
            continue
        if name in ("dimension_code", "outcome_code"):
            needed = codes_lost
        elif name == "code":
            needed = any(ind.code for ind in fw.indicators())
        else:
            needed = _lost(fw, name, lang, layout)
        if needed:
            slots.append(_Slot(name, lang))
            top.append(header)
            sub.append("")
    kept = {slot.extra for slot in slots if slot.field is None}
    for key in extra_headers(fw):
        if key not in kept:
            slots.append(_Slot(None, extra=key))
            top.append(key[0])
            sub.append("")
    rows, merges = _grid(fw, slots)
    title_rows = [[line] for line in layout.title_rows]
    own = bool(title_rows) and _title_block(title_rows, fw.lang) == (fw.title, fw.notes)
    two_level = any(sub)
    return _Matrix(
        slots=slots,
        header=sub if two_level else top,
        rows=rows,
        merges=merges,
        # A title changed since the draft (or the file name standing in for a missing
        # one) is written in our labelled block, so that it reads back.
        preface=list(layout.title_rows) if own else _standard_preface(fw),
        own_preface=own,
        top_header=top if two_level else [],
        sheet=layout.sheet if layout.kind == "xlsx" else "",
    )


def save_framework_xlsx(fw: Framework, path: Path) -> None:
    """Write ``fw`` as the indicator matrix M&E teams use; loading it gives back ``fw``.

    A framework read from a spreadsheet is written in that draft's layout (its sheet
    name, title lines, headers and column order: the authors recognise their matrix),
    other frameworks in ours.  Dimension and outcome cells are merged over their
    indicators as teams lay them out; in our layout their codes get columns too, so the
    codes survive a round trip through Excel.
    """
    matrix = _matrix(fw)
    widths: dict[int, float] = {}
    for i, slot in enumerate(matrix.slots):
        if slot.field in _BILINGUAL:
            widths[i] = 40.0
        elif slot.field in _CODE_WIDTHS:
            widths[i] = _CODE_WIDTHS[slot.field]
    spec = spreadsheet.SheetSpec(
        title=matrix.sheet or _SHEET_TITLES[fw.lang],
        header=matrix.header,
        rows=matrix.rows,
        preface=matrix.preface,
        preface_gap=not matrix.own_preface,
        top_header=matrix.top_header,
        widths=widths,
        wrap=frozenset(i for i, slot in enumerate(matrix.slots) if slot.field in _BILINGUAL),
        merges=matrix.merges,
    )
    spreadsheet.write_workbook(Path(path), [spec], title=getattr(fw.title, fw.lang))


def save_framework_csv(fw: Framework, path: Path) -> None:
    """Write ``fw`` as the matrix of :func:`save_framework_xlsx`, as French Excel opens a CSV.

    UTF-8 with a byte-order mark (without it Excel reads accents and Bambara letters as
    Windows-1252) and ``;`` between cells; dimension and outcome cells are repeated on
    every row, since a CSV file cannot merge cells.  Loading it gives back ``fw``.
    """
    matrix = _matrix(fw)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for line in matrix.preface:
        writer.writerow([spreadsheet.formula_safe(line)] if line else [])
    for header in (matrix.top_header, matrix.header) if matrix.top_header else (matrix.header,):
        writer.writerow([spreadsheet.formula_safe(h) for h in header])
    for row in matrix.rows:
        writer.writerow(
            ["" if value is None else spreadsheet.formula_safe(str(value)) for value in row]
        )
    write_atomic(Path(path), buffer.getvalue().encode("utf-8-sig"))


def save_framework(fw: Framework, path: Path) -> None:
    """Write ``fw`` in the format its suffix names, so a draft leaves as it came in."""
    suffix = Path(path).suffix.lower()
    if suffix in _YAML_SUFFIXES:
        save_framework_yaml(fw, path)
    elif suffix in (".xlsx", ".xlsm"):
        save_framework_xlsx(fw, path)
    elif suffix == ".csv":
        save_framework_csv(fw, path)
    else:
        raise FrameworkError(Message("framework.cannot_write", file=Path(path).name), ())

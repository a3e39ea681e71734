"""A whole workshop day in a French session and in an English session, read as the terminal shows it.

Each command's output (and its errors) must speak the session's language: no English
word on a French day, no French word on an English day, outside names, codes, file
names and the command and option names themselves.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from hsvalidate import prompts
from hsvalidate.cli import cli
from hsvalidate.cli._common import TermChoice, catalogue_word
from hsvalidate.i18n import LANGS, set_language, t

ENTER = "\r"

ENGLISH = (
    "the", "and", "of", "is", "are", "with", "from", "to", "in", "or", "no", "yes",
    "Recorded", "Registered", "Created", "Round", "round", "rounds", "ballot", "ballots",
    "keep", "drop", "below", "quorum not", "open", "closed", "since", "rated", "rating",
    "Rule", "Percentiles", "median", "Criterion", "Indicator", "Indicators", "Scale",
    "Next", "Collect", "See", "Nothing", "Example", "Error", "default", "Show", "Use",
    "arrow", "keys", "Workbook", "Minutes", "Title", "Outcomes", "valid", "framework",
    "Group", "group", "Invited", "Present", "Pairs", "Moved", "cannot judge",
    "disagreement", "people", "skipped", "participant rated", "Language", "French",
)  # fmt: skip
"""Words that are unambiguously English (none is a French word or a code we print)."""

FRENCH = (
    "Tour", "tour", "enregistré", "enregistrés", "retenu", "écarté", "pas de consensus",
    "quorum non atteint", "Critère", "critère", "Règle", "Échelle", "Indicateur",
    "indicateur", "indicateurs", "clos", "ouvert", "déjà", "inscrits", "Exemple",
    "défaut", "médiane", "oui", "non", "nsp", "désacc", "Erreur", "Centiles", "le",
    "la", "les", "des", "du", "et", "avec", "pour", "sur", "à", "ont", "voté", "Votants",
    "Inscrits", "Présents", "Paires", "Titre", "Résultats", "cadre", "Ensuite",
    "Consultez", "Recueillez", "Langue", "français", "papier",
)  # fmt: skip
"""Words that are unambiguously French."""

NAMES = re.compile(
    r"«[^»]*»"  # what the facilitator types, quoted in French sentences
    r"|'[^']*'"  # … and in English ones
    r"|hsvalidate(?: [a-z]+){1,2}"  # command names
    r"|--[a-z-]+(?:=\S*)?"  # option names
    r"|\S+\.(?:csv|xlsx|yaml|pdf)\b"  # file names
    r"|\S*/\S*"  # paths
)


def words_out_of_place(text: str, forbidden: tuple[str, ...]) -> list[str]:
    """The forbidden words found in ``text`` once names, codes and paths are set aside."""
    cleaned = NAMES.sub(" ", text.replace("\xa0", " "))
    return sorted(
        {w for w in forbidden if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", cleaned)}
    )


FRAMEWORK_DATA = {"Test", "framework", "human", "security"}
"""Words of the test framework's English title, shown as data by ``framework check``."""


@contextmanager
def keyboard(keys: str) -> Iterator[None]:
    with create_pipe_input() as inp, create_app_session(input=inp, output=DummyOutput()):
        inp.send_text(keys)
        inp.close()
        yield


class Day:
    """Runs the commands of one workshop day in one language, in an 80-column terminal."""

    def __init__(self, lang: str, folder: Path, data: tuple[str, ...] = ()) -> None:
        self.lang = lang
        self.folder = folder
        self.data = data
        """Text of the user's own (file and folder names) that may be in any language."""
        self.runner = CliRunner(
            env={"COLUMNS": "80", "HSVALIDATE_LANG": lang, "HSVALIDATE_SESSIONS": str(folder)}
        )
        self.outputs: list[tuple[str, str]] = []

    def __call__(self, *args: str, code: int = 0) -> Result:
        result = self.runner.invoke(cli, list(args), catch_exceptions=False, prog_name="hsvalidate")
        assert result.exit_code == code, result.output
        output = result.output
        for text in self.data:
            output = output.replace(text, " ")
        self.outputs.append((" ".join(args), output))
        return result


def write_rows(path: Path, rows: list[list[str]], delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def run_day(
    lang: str, tmp_path: Path, framework_file: Path, monkeypatch: pytest.MonkeyPatch
) -> Day:
    """framework check → session new → participants → round 1 → ballots → results → export."""
    monkeypatch.setattr(prompts, "stdin_is_terminal", lambda: True)
    day = Day(
        lang,
        tmp_path / f"sessions-{lang}",
        data=(str(framework_file), str(tmp_path), framework_file.name),
    )
    fr = lang == "fr"
    groups = (
        ("société civile", "gouvernement", "international")
        if fr
        else ("civil society", "government", "donors")
    )
    attendance = write_rows(
        tmp_path / f"attendance-{lang}.csv",
        [
            ["Nom", "Structure", "Groupe", "Sexe"]
            if fr
            else ["Name", "Organisation", "Group", "Sex"],
            ["Awa Kɔnɛ", "WANEP", groups[0], "F"],
            ["Sɛkuba Kanté", "MINUSMA", groups[2], "M"],
            ["Ɲɛlɛni Dembélé", "MRN", groups[1], "F"],
        ],
        delimiter=";",
    )
    votes = [["participant", "indicator", "criterion", "score", "comment"]]
    for participant, score in (("P03", 8), ("P04", 7)):
        for indicator in ("D1.O1.I1", "D1.O1.I2", "D1.O2.I1", "D2.O1.I1", "D2.O1.I2"):
            for criterion in ("relevance", "feasibility", "clarity"):
                # D1.O2.I1 is dropped, D2.O1.I2 left without consensus for round 2.
                given = {"D1.O2.I1": 2, "D2.O1.I2": 5}.get(indicator, score)
                votes.append([participant, indicator, criterion, str(given), ""])
    ballots = write_rows(tmp_path / f"votes-{lang}.csv", votes)

    day("framework", "check", str(framework_file))
    day("session", "new", "Atelier", "--framework", str(framework_file))
    day("session", "show")
    day("participants", "import", str(attendance))
    day("participants", "import", str(attendance))
    day("participants", "add", "--name", "Kadi Sissoko", "--group", groups[1], "--sex", "F")
    day("participants", "list")
    day("round", "open")
    day("round", "status")
    keys = "".join(f"8{ENTER}8{ENTER}8{ENTER}{ENTER}" for _ in range(5)) + ENTER + ENTER
    with keyboard(keys):
        day("ballot", "--participant", "P01")
    rating = "pertinence" if fr else "relevance"
    day(
        "ballot", "--participant", "P02", "--indicator", "D1.O1.I1",
        "--rating", f"{rating}=8", "--rating", "clarity=", "--source", "papier" if fr else "paper",
    )  # fmt: skip
    day("ballots", "import", str(ballots), "--source", "papier" if fr else "paper")
    day("ballots", "import", str(ballots))
    day("round", "status")
    day("round", "close")
    day("round", "status")
    day("results")
    day("results", "--by-group")
    day("results", "--combined")
    day("results", "--attrition", "--by-group")
    day("round", "open")
    day("results", "--stability", "--by-group")
    day("export", "--out", str(tmp_path / f"documents-{lang}"))
    # Mistakes a facilitator makes, answered in the same language.
    day("ballot", "--participant", "P01", "--indicator", "D1.O1.I1", "--rating", "beauty=3", code=2)
    day("ballot", "--participant", "P01", "--indicator", "D1.O1.I1", code=2)
    day("ballots", "import", str(ballots), "--source", "pigeon", code=2)
    monkeypatch.setattr(prompts, "stdin_is_terminal", lambda: False)
    day("ballot", "--participant", "P01", code=1)
    day("participants", "add", code=1)
    return day


@pytest.fixture
def french_day(tmp_path: Path, framework_file: Path, monkeypatch: pytest.MonkeyPatch) -> Day:
    return run_day("fr", tmp_path, framework_file, monkeypatch)


@pytest.fixture
def english_day(tmp_path: Path, framework_file: Path, monkeypatch: pytest.MonkeyPatch) -> Day:
    return run_day("en", tmp_path, framework_file, monkeypatch)


def test_a_french_day_shows_no_english_word(french_day: Day) -> None:
    found = {}
    for command, output in french_day.outputs:
        english = words_out_of_place(output, ENGLISH)
        if command.startswith("framework check"):
            english = [w for w in english if w not in FRAMEWORK_DATA]  # the English title
        if english:
            found[command] = english
    assert found == {}


def test_an_english_day_shows_no_french_word(english_day: Day) -> None:
    found = {}
    for command, output in english_day.outputs:
        if command.startswith("framework check"):
            output = output.replace("Cadre de test — sécurité humaine", "")  # the French title
        french = words_out_of_place(output, FRENCH)
        if french:
            found[command] = french
    assert found == {}


def test_the_french_day_reads_as_the_catalogue_says(french_day: Day) -> None:
    text = "\n".join(output for _, output in french_day.outputs)
    assert t(
        "cli.ballot.recorded", lang="fr", participant="P02", indicator="D1.O1.I1", round=1
    ) in (text)
    assert "Tour 1 ouvert\u00a0: 5 indicateurs à noter." in text
    assert "retenu\u00a0: " in text and "écarté\u00a0: " in text
    assert t("kiosk.finished", lang="fr", code="P01") in text.replace("\n", " ")


@pytest.mark.parametrize("lang", LANGS)
def test_every_line_of_the_day_fits_80_columns(
    lang: str, tmp_path: Path, framework_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    day = run_day(lang, tmp_path, framework_file, monkeypatch)
    for command, output in day.outputs:
        if command.startswith(("results", "round", "participants list", "session show")):
            too_long = [line for line in output.splitlines() if len(line) > 80]
            assert too_long == [], command


def test_lang_en_on_one_command_of_a_french_session(french_day: Day) -> None:
    result = french_day("round", "status", "--lang", "en")
    assert "Round 2 open since" in result.output
    assert words_out_of_place(result.output, FRENCH) == []
    assert "Tour 2 ouvert" in french_day("round", "status").output


def test_rating_is_understood_in_either_language(french_day: Day) -> None:
    for name in ("pertinence", "Relevance", "FAISABILITÉ", "clarte"):
        result = french_day(
            "ballot", "--participant", "P04", "--indicator", "D2.O1.I2", "--rating", f"{name}=5"
        )
        assert "Vote de P04 sur D2.O1.I2 enregistré (tour 2)." in result.output


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        assert command is not None
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found.extend(_commands(command, (*prefix, name)))
    return found


HELP_EXAMPLE = re.compile(r"^\s*(Exemple|Example)\s?: .*$", re.M)
COMMAND_NAMES = re.compile(
    r"(?<![\w-])(?:" + "|".join(sorted({w for p in _commands(cli) for w in p})) + r")(?![\w-])"
)
"""The commands' own names, which help texts name in both languages."""


@pytest.mark.parametrize("path", [(), *_commands(cli)], ids=lambda p: " ".join(p) or "hsvalidate")
def test_help_in_french_has_no_english_sentence(path: tuple[str, ...]) -> None:
    result = CliRunner(env={"HSVALIDATE_LANG": "fr"}).invoke(
        cli, [*path, "--help"], prog_name="hsvalidate"
    )
    assert result.exit_code == 0
    if path:
        assert "Exemple : hsvalidate" in result.output.replace("\xa0", " ")
    text = COMMAND_NAMES.sub(" ", HELP_EXAMPLE.sub(" ", result.output))
    assert words_out_of_place(text, ENGLISH) == []


@pytest.mark.parametrize("path", [(), *_commands(cli)], ids=lambda p: " ".join(p) or "hsvalidate")
def test_help_in_english_has_no_french_sentence(path: tuple[str, ...]) -> None:
    result = CliRunner(env={"HSVALIDATE_LANG": "en"}).invoke(
        cli, [*path, "--help"], prog_name="hsvalidate"
    )
    assert result.exit_code == 0
    if path:
        assert "Example: hsvalidate" in result.output
    text = COMMAND_NAMES.sub(" ", HELP_EXAMPLE.sub(" ", result.output))
    assert words_out_of_place(text, FRENCH) == []


SOURCES = TermChoice(
    {code: catalogue_word(f"source.{code}") for code in ("terminal", "paper", "email", "cards")}
)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("papier", "paper"),
        ("Paper", "paper"),
        ("courriel", "email"),
        ("e-mail", None),
        ("email", "email"),
        ("cartons", "cards"),
        ("ordinateur", "terminal"),
        ("terminal", "terminal"),
    ],
)
def test_a_source_is_a_code_or_its_word_in_either_language(typed: str, code: str | None) -> None:
    if code is None:
        with pytest.raises(click.BadParameter):
            SOURCES.convert(typed, None, None)
    else:
        assert SOURCES.convert(typed, None, None) == code


def test_help_lists_the_words_of_the_language_in_use() -> None:
    set_language("fr")
    assert SOURCES.get_metavar(click.Option(["--source"]), None) == (
        "[ordinateur|papier|courriel|cartons]"
    )
    with pytest.raises(click.BadParameter, match="choisissez parmi"):
        SOURCES.convert("pigeon", None, None)
    set_language("en")
    assert "paper" in SOURCES.get_metavar(click.Option(["--source"]), None)


def test_a_rule_may_be_named_by_its_first_word() -> None:
    from hsvalidate.cli.session import CRITERIA_CHOICE, RULE_CHOICE

    assert RULE_CHOICE.convert("pourcentage", None, None) == "percent"
    assert RULE_CHOICE.convert("percent agreement", None, None) == "percent"
    assert RULE_CHOICE.convert("RAND/UCLA", None, None) == "ram"
    assert CRITERIA_CHOICE.convert("pertinence, Clarity", None, None) == ("relevance", "clarity")

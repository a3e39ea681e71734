"""The facilitator's commands through click's CliRunner, as a workshop day runs them."""

from __future__ import annotations

import csv
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from hsvalidate.cli import cli
from hsvalidate.errors import RoundError
from hsvalidate.i18n import t, tn
from hsvalidate.i18n.documents import verdict_label
from hsvalidate.workshop import Workshop

PEOPLE = [
    ("Awa Kɔnɛ", "WANEP-Mali", "société civile", "F"),
    ("Ɲɛlɛni Dembélé", "Ministère de la Réconciliation", "gouvernement", "Femme"),
    ("Sɛkuba Kanté", "MINUSMA", "international", "H"),
    ("Ŋolo Traoré", "CEDEAO", "régional", "M"),
]
CRITERIA = ("relevance", "feasibility", "clarity")


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def en(key: str, n: int | None = None, **values: object) -> str:
    """A command's sentence as the (English) test session prints it."""
    return t(key, lang="en", **values) if n is None else tn(key, n, lang="en", **values)


def status_line(output: str, code: str) -> str:
    return next(li for li in output.splitlines() if li.strip().startswith(code))


def result_cells(output: str, code: str, criterion: str) -> list[str]:
    """The cells of an indicator × criterion line of the results table (code shown once)."""
    lines = output.splitlines()
    start = next(i for i, li in enumerate(lines) if li.startswith(code))
    line = next(li for li in lines[start:] if criterion in li)
    cells = line.split()
    return cells[cells.index(criterion) + 1 :]


def write_csv(
    path: Path, rows: list[list[str]], *, delimiter: str = ",", encoding: str = "utf-8"
) -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return path


@pytest.fixture
def attendance(tmp_path: Path) -> Path:
    rows = [
        ["Liste de présence — atelier de validation", "", "", ""],
        [],
        ["Nom", "Structure", "Groupe", "Sexe"],
    ]
    rows += [list(p) for p in PEOPLE]
    return write_csv(tmp_path / "présence.csv", rows, delimiter=";")


@pytest.fixture
def session(sessions_dir: Path, framework_file: Path, attendance: Path) -> str:
    assert (
        run("session", "new", "Atelier Bamako", "--framework", str(framework_file)).exit_code == 0
    )
    result = run("participants", "import", str(attendance))
    assert result.exit_code == 0, result.output
    return "Atelier Bamako"


def ballots_file(
    tmp_path: Path, scores: dict[str, dict[str, int | None]], name: str = "votes.csv"
) -> Path:
    """scores[participant][indicator] = score used on every criterion."""
    rows = [["participant", "indicator", "criterion", "score", "comment"]]
    for participant, per_indicator in scores.items():
        for indicator, score in per_indicator.items():
            for criterion in CRITERIA:
                rows.append(
                    [participant, indicator, criterion, "" if score is None else str(score), ""]
                )
    return write_csv(tmp_path / name, rows)


def test_a_whole_workshop_from_session_to_documents(session: str, tmp_path: Path) -> None:
    assert en("cli.round.opened", 5, round=1) in run("round", "open").output
    high = {"D1.O1.I1": 8, "D1.O1.I2": 8, "D1.O2.I1": 2, "D2.O1.I1": 8, "D2.O1.I2": 8}
    split = dict(high, **{"D2.O1.I2": 1})
    votes = ballots_file(tmp_path, {"P01": high, "P02": high, "P03": split, "P04": split})
    result = run("ballots", "import", str(votes), "--source", "paper")
    assert result.exit_code == 0, result.output
    assert (
        en("cli.import.done", 20, file=votes.name, kind="table", participants="P01, P02, P03, P04")
        in result.output
    )

    shown = run("results", "--round", "1")
    assert shown.exit_code == 0
    cells = result_cells(shown.output, "D1.O2.I1", "Relevance")
    assert cells[:3] == ["4", "0", "2"]  # n, cannot judge, median
    assert cells[-1] == verdict_label("drop", "en")

    closed = run("round", "close").output
    assert en("cli.round.closed", 4, round=1) in closed
    # Round 2 re-rates only what round 1 left without consensus.
    opened = run("round", "open")
    assert en("cli.round.opened", 1, round=2) in opened.output

    out = tmp_path / "sortie finale"
    exported = run("export", "--out", str(out))
    assert exported.exit_code == 0, exported.output
    assert sorted(p.suffix for p in out.iterdir()) == [".pdf", ".xlsx"]


def test_session_commands_use_the_last_session_and_say_so(session: str) -> None:
    result = CliRunner().invoke(cli, ["round", "open"], catch_exceptions=False)
    assert "Session: Atelier Bamako" in result.output


def test_no_session_yet_is_one_clear_sentence(sessions_dir: Path) -> None:
    result = run("round", "open")
    assert result.exit_code == 1
    assert "hsvalidate session new NAME --framework FILE" in result.output
    assert "Traceback" not in result.output


def test_an_unknown_session_name_lists_the_known_ones(session: str) -> None:
    result = run("round", "open", "--session", "Atelier Gao")
    assert result.exit_code == 1
    assert "Known sessions: Atelier Bamako" in result.output


def test_a_bad_ballot_file_records_nothing_and_names_every_bad_row(
    session: str, tmp_path: Path
) -> None:
    run("round", "open")
    rows = [
        ["participant", "indicator", "criterion", "score", "comment"],
        ["P01", "D1.O1.I1", "relevance", "7", ""],
        ["P01", "D1.O1.I1", "feasibility", "12", ""],
        ["P09", "D1.O1.I1", "relevance", "5", ""],
        ["P02", "D9.O9.I9", "relevance", "5", ""],
        ["P02", "D1.O1.I1", "beauty", "5", ""],
        ["P03", "D1.O1.I1", "clarity", "sept", ""],
    ]
    result = run("ballots", "import", str(write_csv(tmp_path / "bad.csv", rows)))
    assert result.exit_code == 1
    assert "5 problem(s)" in result.output and "no ballot was recorded" in result.output
    for row, column in [
        (3, "score"),
        (4, "participant"),
        (5, "indicator"),
        (6, "criterion"),
        (7, "score"),
    ]:
        assert f"row {row}, column '{column}'" in result.output
    assert en("cli.round.ballots_of", 4, got=0) in run("round", "status").output


def test_reimporting_a_corrected_file_replaces_instead_of_counting_twice(
    session: str, tmp_path: Path
) -> None:
    run("round", "open")
    first = ballots_file(tmp_path, {"P01": {"D1.O1.I1": 3}})
    run("ballots", "import", str(first))
    again = run(
        "ballots", "import", str(ballots_file(tmp_path, {"P01": {"D1.O1.I1": 9}}, "v2.csv"))
    )
    assert en("cli.import.replaces", 1) in again.output
    cells = result_cells(run("results").output, "D1.O1.I1", "Relevance")
    assert cells[0] == "1" and cells[2] == "9"  # n, median


def test_out_of_range_paper_ballot_is_refused_with_the_scale(session: str) -> None:
    run("round", "open")
    result = run(
        "ballot", "--participant", "P01", "--indicator", "D1.O1.I1", "--rating", "relevance=10"
    )
    assert result.exit_code == 1
    assert "outside the scale 1–9" in result.output
    ok = run(
        "ballot",
        "--participant",
        "p01",
        "--indicator",
        "D1.O1.I1",
        "--rating",
        "relevance=7",
        "--rating",
        "clarity=",
    )
    assert ok.exit_code == 0
    assert en("cli.ballot.recorded", participant="P01", indicator="D1.O1.I1", round=1) in ok.output


def test_ballot_without_a_terminal_names_the_way_out_and_exits_1(session: str) -> None:
    run("round", "open")
    result = run("ballot", "--participant", "P01")
    assert result.exit_code == 1
    assert "ballots import FILE" in result.output


def test_participants_add_without_terminal_names_the_flags(session: str) -> None:
    result = run("participants", "add")
    assert result.exit_code == 1
    assert "--name" in result.output


def test_participants_list_hides_names_unless_asked(session: str) -> None:
    hidden = run("participants", "list").output
    assert "P01" in hidden and "Awa" not in hidden
    shown = run("participants", "list", "--show-names").output
    assert "Awa Kɔnɛ" in shown and "Ŋolo Traoré" in shown


def test_reimporting_the_attendance_sheet_skips_people_already_registered(
    session: str, attendance: Path
) -> None:
    result = run("participants", "import", str(attendance))
    assert en("cli.participants.imported", 0) in result.output
    assert en("cli.participants.skipped", 4) in result.output


def test_the_facilitator_works_while_the_ballot_window_is_open(
    session: str, sessions_dir: Path
) -> None:
    with Workshop.open(root=sessions_dir, name=session, purpose="hsvalidate ballot") as kiosk:
        assert run("round", "open").exit_code == 0  # another window, same session
        kiosk.record_ballot(participant="P02", indicator="D1.O1.I1", ratings={"relevance": 9})
        assert "1/4" in run("round", "status").output.replace(" ", "")
        assert run("round", "close", "--yes").exit_code == 0
        with pytest.raises(RoundError):  # the kiosk sees the close at once
            kiosk.record_ballot(participant="P03", indicator="D1.O1.I1", ratings={"relevance": 8})
    [ballot] = Workshop.open(root=sessions_dir, name=session, writable=False).ballots(1)
    assert (ballot.participant, ballot.ratings) == ("P02", {"relevance": 9})


def test_round_status_watch_follows_other_windows_until_the_round_closes(
    session: str, sessions_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The facilitator's window redraws what the ballot screen records, and stops at the close."""
    run("round", "open")
    frames: list[int] = []
    kiosk = Workshop.open(root=sessions_dir, name=session, purpose="hsvalidate ballot")

    def next_frame(seconds: float) -> None:  # what happens in the other windows meanwhile
        frames.append(len(frames))
        if len(frames) == 1:
            kiosk.record_ballot(participant="P02", indicator="D1.O1.I1", ratings={"relevance": 9})
            kiosk.record_ballot(
                participant="P03", indicator="D1.O1.I1", ratings={"relevance": 7}, source="paper"
            )
        else:
            kiosk.close_round(confirmed=True)

    monkeypatch.setattr("time.sleep", next_frame)
    result = run("round", "status", "--watch", "--every", "1")
    kiosk.close()
    assert result.exit_code == 0, result.output
    first, second = result.output.split("Round 1 open")[1:3]
    assert "Participants present who have voted: 0 / 4" in first
    assert "Participants present who have voted: 2 / 4" in second
    assert "Ballots received: 2 (laptop 1, paper 1)" in second
    assert "D1.O1.I1 2/4" in second and "D1.O1.I2 0/4" in second
    assert "Under way: P02 1/5, P03 1/5" in second
    assert "Not started yet: 2 participants (P01, P04)" in second
    assert result.output.rstrip().endswith(en("cli.round.watch_closed", round=1))


def test_reading_commands_work_while_another_window_writes(
    session: str, sessions_dir: Path
) -> None:
    run("round", "open")
    with Workshop.open(root=sessions_dir, name=session, purpose="hsvalidate ballot"):
        assert run("round", "status").exit_code == 0
        assert run("results").exit_code == 0


def test_usage_errors_exit_2(sessions_dir: Path) -> None:
    assert run("round", "open", "--bogus").exit_code == 2
    assert run("session", "new", "x", "--framework", "f.yaml", "--scale", "7").exit_code == 2


def test_session_name_that_cannot_be_a_folder_is_refused(
    sessions_dir: Path, framework_file: Path
) -> None:
    result = run("session", "new", "a/b", "--framework", str(framework_file))
    assert result.exit_code == 1
    assert "characters a folder name cannot hold" in result.output


def test_creating_the_same_session_twice_keeps_the_first(
    session: str, framework_file: Path
) -> None:
    result = run("session", "new", "Atelier Bamako", "--framework", str(framework_file))
    assert result.exit_code == 1
    assert en("cli.participants.total", 4, groups="") in run("participants", "list").output


def test_framework_check_rejects_a_broken_file_with_places(tmp_path: Path) -> None:
    broken = tmp_path / "cassé.yaml"
    broken.write_text(
        "title: Test\ndimensions:\n  - code: D1\n    title: X\n    outcomes:\n      - code: D1.O1\n"
        "        title: Y\n        indicators:\n          - code: D1.O1.I1\n            text: Z\n"
        "          - code: D1.O1.I1\n            txt: W\n",
        encoding="utf-8",
    )
    result = run("framework", "check", str(broken))
    assert result.exit_code == 1
    assert "has 3 problems" in result.output
    assert (
        "cassé.yaml, line 11, column 'dimensions[1].outcomes[1].indicators[2].code'"
        in result.output
    )
    assert "did you mean 'text'?" in result.output
    assert "Traceback" not in result.output


def test_framework_check_accepts_both_shipped_templates() -> None:
    from hsvalidate.resources import template_path

    for name in ("mali-human-security.yaml", "mali-human-security.xlsx"):
        result = run("framework", "check", str(template_path(name)))
        assert result.exit_code == 0, result.output
        fields = dict(
            li.strip().split(":", 1) for li in result.output.splitlines()[1:] if ":" in li
        )
        assert fields["Indicators"].strip() == "33" and fields["Dimensions"].strip() == "7"


def _commands(
    group: click.Group, prefix: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], click.Command]]:
    found: list[tuple[tuple[str, ...], click.Command]] = []
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        assert command is not None
        found.append(((*prefix, name), command))
        if isinstance(command, click.Group):
            found.extend(_commands(command, (*prefix, name)))
    return found


@pytest.mark.parametrize(
    ("path", "command"), _commands(cli), ids=lambda v: " ".join(v) if isinstance(v, tuple) else ""
)
def test_every_command_has_help_with_an_example(
    path: tuple[str, ...], command: click.Command
) -> None:
    result = run(*path, "--help")
    assert result.exit_code == 0
    assert (command.help or "").strip(), f"{' '.join(path)} has no help"
    assert "Example: hsvalidate" in result.output


def test_a_full_disk_during_an_import_is_one_sentence_and_loses_nothing(
    session: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import os

    run("round", "open")
    run("ballots", "import", str(ballots_file(tmp_path, {"P01": {"D1.O1.I1": 8}}, "first.csv")))
    votes = ballots_file(tmp_path, {"P02": {"D1.O1.I1": 7}, "P03": {"D1.O1.I1": 6}})

    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(os, "write", full)
        result = run("ballots", "import", str(votes))
    assert result.exit_code == 1
    assert "The disk is full" in result.output and "Traceback" not in result.output
    assert status_line(run("round", "status").output, "D1.O1.I1").split()[1:2] == ["1"]
    # Space freed: the same file goes in whole.
    assert run("ballots", "import", str(votes)).exit_code == 0
    assert status_line(run("round", "status").output, "D1.O1.I1").split()[1:2] == ["3"]


def test_after_a_crash_the_session_resumes_and_says_it_recovered(
    session: str, sessions_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess

    monkeypatch.setattr("hsvalidate.cli._common.LOCK_WAIT_S", 0.5)
    import sys
    import textwrap

    run("round", "open")
    child = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        from hsvalidate.workshop import Workshop
        ws = Workshop.open(root=Path({str(sessions_dir)!r}), name={session!r}, purpose="hsvalidate ballot")
        ws.record_ballot(participant="P02", indicator="D1.O1.I1", ratings={{"relevance": 9}})
        with ws.store.writing():  # cut in the middle of its next write
            print("acknowledged", flush=True)
            time.sleep(60)
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", child],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "acknowledged"
        refused = run("round", "close")
        assert refused.exit_code == 1 and "in use" in refused.output
    finally:
        proc.kill()  # the power cut
        proc.wait()
    resumed = run("round", "close", "--yes")  # one of four voted: closed knowingly
    assert resumed.exit_code == 0, resumed.output
    assert "Recovered the session after an interruption" in resumed.output
    assert en("cli.round.closed", 1, round=1) in resumed.output


def test_help_starts_without_loading_the_heavy_libraries() -> None:
    import subprocess
    import sys

    heavy = ("tinydb", "questionary", "prompt_toolkit", "openpyxl", "reportlab", "yaml", "filelock")
    code = f"import sys, hsvalidate.cli; print([m for m in {heavy!r} if m in sys.modules])"
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert done.stdout.strip() == "[]"


COMMAND_LINES = [
    (),
    ("demo",),
    ("framework", "check"),
    ("session", "new"),
    ("session", "show"),
    ("session", "details"),
    ("participants", "import"),
    ("round", "close"),
    ("round", "reopen"),
    ("participants", "edit"),
    ("participants", "presence"),
    ("ballot",),
    ("ballots", "import"),
    ("results",),
    ("decision",),
    ("decision", "record"),
    ("indicator", "reword"),
    ("indicator", "merge"),
    ("log",),
    ("undo",),
    ("doctor",),
    ("export",),
    ("merge",),
]


@pytest.mark.parametrize("words", COMMAND_LINES, ids=lambda w: " ".join(w) or "hsvalidate")
def test_every_help_is_shown_without_the_service_layer(words: tuple[str, ...]) -> None:
    """--help must stay fast: no statistics, store, documents, tables or error family."""
    import subprocess
    import sys

    service = (
        "hsvalidate.workshop",
        "hsvalidate.consensus",
        "hsvalidate.framework",
        "hsvalidate.model",
        "hsvalidate.errors",
        "hsvalidate.exports",
        "rich",
        "tinydb",
        "questionary",
        "openpyxl",
        "reportlab",
        "yaml",
    )
    code = (
        "import sys\n"
        "from hsvalidate.cli import main\n"
        f"try:\n    main([*{list(words)!r}, '--help'])\n"
        "except SystemExit:\n    pass\n"
        f"print('LOADED', [m for m in {service!r} if m in sys.modules], file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert "LOADED []" in done.stderr, done.stderr


def test_an_attendance_sheet_without_a_group_column_is_named_not_silently_empty(
    sessions_dir: Path, framework_file: Path, tmp_path: Path
) -> None:
    run("session", "new", "Atelier", "--framework", str(framework_file), "--lang", "fr")
    sheet = write_csv(
        tmp_path / "présence.csv",
        [["Prénom et nom", "Institution", "Téléphone"], ["Awa Kɔnɛ", "WANEP-Mali", "7000"]],
        delimiter=";",
    )
    result = run("participants", "import", str(sheet))
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.replace("\xa0", " ").split())
    assert "nom : colonne « Prénom et nom »" in text
    assert "organisation : colonne « Institution »" in text
    assert "« Téléphone »" in text
    assert "aucune colonne « groupe d'acteurs » n'a été trouvée" in text
    assert "aucune colonne « sexe » n'a été trouvée" in text


def test_a_francophone_group_header_is_understood(
    sessions_dir: Path, framework_file: Path, tmp_path: Path
) -> None:
    run("session", "new", "Atelier", "--framework", str(framework_file), "--lang", "en")
    sheet = write_csv(
        tmp_path / "présence.csv",
        [
            ["Nom", "Structure", "Catégorie d'acteurs", "Sexe"],
            ["Awa Kɔnɛ", "WANEP", "société civile", "F"],
        ],
    )
    result = run("participants", "import", str(sheet))
    assert "stakeholder group: column 'Catégorie d'acteurs'" in result.output
    assert "Warning" not in result.output
    listed = run("participants", "list")
    assert "société civile" in listed.output


def test_an_english_matrix_is_checked_as_an_english_framework(tmp_path: Path) -> None:
    matrix = write_csv(
        tmp_path / "ghana.csv",
        [
            ["Pillar", "Outcome", "Code", "Indicator", "Baseline (2024)", "Target 2028", "Resp."],
            [
                "Personal security",
                "Violence decreases",
                "D1.O1.I1",
                "Incidents",
                "12",
                "6",
                "Police",
            ],
        ],
    )
    result = run("framework", "check", str(matrix), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "Working language: English" in result.output
    assert "without English" not in result.output
    assert "'Resp.': is it the responsible column?" in " ".join(result.output.split())


def test_an_error_on_an_80_column_screen_is_wrapped_at_words(
    sessions_dir: Path, framework_file: Path
) -> None:
    run("session", "new", "Atelier", "--framework", str(framework_file), "--lang", "fr")
    result = CliRunner(env={"COLUMNS": "80"}).invoke(
        cli,
        ["ballot", "--participant", "P01", "--indicator", "D1.O1.I1", "--rating", "pertinence=8"],
    )
    assert result.exit_code == 1
    error = result.output[result.output.index("Erreur") :]
    assert all(len(line) <= 80 for line in error.splitlines())
    assert "ouvrez un tour" in " ".join(error.split())  # the word that was cut at the edge


def test_commands_without_a_session_follow_the_setting_not_the_last_session(
    sessions_dir: Path, framework_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("session", "new", "Atelier", "--framework", str(framework_file), "--lang", "fr")
    monkeypatch.setenv("HSVALIDATE_LANG", "en")
    checked = run("framework", "check", str(framework_file))
    assert "valid framework" in checked.output
    status = run("round", "status")
    assert tn("cli.round.none_open", 0, lang="fr").split("(")[0].strip() in status.output

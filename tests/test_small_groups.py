"""No output re-identifies a member of a small stakeholder group (issue 11, part 3).

The panel: six from government (three women, three men), four from civil society (one
woman), one donor (« bailleurs ») and two technical partners.  The donor alone wants
to keep D1.O1.I2 and says so in a comment.  With the default threshold of three, the
donor and the partners are shown together as « autres groupes »; nothing names the
donor's group beside a figure, a verdict, a flag or a comment, and no group and sex
beside a code in the workbook points to one person of the attendance list.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from hsvalidate import tally
from hsvalidate.cli import cli
from hsvalidate.consensus import BELOW_QUORUM, Rule
from hsvalidate.exports.pdf import write_minutes
from hsvalidate.exports.xlsx import build_sheets, write_consensus_workbook
from hsvalidate.framework import Framework
from hsvalidate.i18n import t
from hsvalidate.i18n.documents import group_label, verdict_label
from hsvalidate.model import Settings
from hsvalidate.report import ALL_GROUPS, GROUP_WITHHELD, OTHER_GROUPS, Report
from hsvalidate.workshop import Workshop

pypdf = pytest.importorskip("pypdf")

DONOR = "bailleurs"
PARTNERS = "partenaires techniques"
PANEL = [
    ("Awa Traoré", "Ministère de la Sécurité", "gouvernement", "F"),
    ("Mariam Diallo", "Ministère de la Justice", "gouvernement", "F"),
    ("Fanta Keïta", "Gouvernorat de Mopti", "gouvernement", "F"),
    ("Moussa Coulibaly", "Ministère de la Sécurité", "gouvernement", "M"),
    ("Bakary Sangaré", "Gouvernorat de Ségou", "gouvernement", "M"),
    ("Oumar Touré", "Ministère de la Défense", "gouvernement", "M"),
    ("Issa Maïga", "WANEP-Mali", "société civile", "M"),
    ("Seydou Dembélé", "Plateforme des jeunes", "société civile", "M"),
    ("Adama Konaté", "Réseau paix", "société civile", "M"),
    ("Kadiatou Sow", "Association des femmes de Ségou", "société civile", "F"),
    ("Hawa Ɲɛlɛni Cissé", "Ambassade de Suède", DONOR, "F"),
    ("Jean Dupont", "Coopération suisse", PARTNERS, "M"),
    ("Ana Silva", "PNUD", PARTNERS, "F"),
]
DONOR_COMMENT = "Seul notre fonds finance ce volet dans le Nord"
PARTNER_COMMENT = "Indicateur trop coûteux à collecter chaque année"
CIVIL_COMMENT = "Les comités de femmes doivent être comptés à part"

# One score per participant, in PANEL order, on every criterion.
ROUND_1 = {
    "D1.O1.I1": [8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8],  # kept by all
    "D1.O1.I2": [4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 9, 2, 2],  # the donor alone keeps it
    "D1.O2.I1": [3, 3, 3, 3, 3, 3, 9, 9, 9, 9, 3, 3, 3],  # civil society alone keeps it
    "D2.O1.I1": [7, 8, 9, 7, 8, 9, 7, 8, 9, 7, 1, 8, 9],
    "D2.O1.I2": [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5, 6],
}
COMMENTS = {
    ("Hawa Ɲɛlɛni Cissé", "D1.O1.I2"): DONOR_COMMENT,
    ("Jean Dupont", "D1.O1.I2"): PARTNER_COMMENT,
    ("Adama Konaté", "D1.O2.I1"): CIVIL_COMMENT,
}
"""(participant's name, indicator) → the comment on their round-1 ballot."""


def _session(
    root: Path,
    framework: Framework,
    *,
    panel: list[tuple[str, str, str, str]] = PANEL,
    scores: dict[str, list[int]] = ROUND_1,
    settings: Settings | None = None,
    name: str = "atelier",
) -> Workshop:
    """Round 1 rated and closed, round 2 open: the day as the secretariat exports it."""
    ws = Workshop.create(
        root=root, name=name, framework=framework, settings=settings or Settings(lang="fr")
    )
    with ws:
        people = ws.add_participants(panel)
        ws.start_round()
        for code, per_person in scores.items():
            for i, person in enumerate(people):
                ws.record_ballot(
                    participant=person.code,
                    indicator=code,
                    ratings={c.code: per_person[i] for c in ws.settings.criteria},
                    comment=COMMENTS.get((panel[i][0], code), ""),
                )
        ws.close_round(confirmed=True)
        ws.start_round()
    return ws


def _report(ws: Workshop, *, lang: str = "fr", show_names: bool = False) -> Report:
    with Workshop.open(root=ws.store.folder.parent, name=ws.name, writable=False) as opened:
        return opened.build_report(lang=lang, show_names=show_names)


@pytest.fixture
def day(tmp_path: Path, small_framework: Framework) -> Workshop:
    return _session(tmp_path / "sessions", small_framework)


def _flag(group: str) -> str:
    """The note under a wording in the minutes' round results: "† important to one group"."""
    return t("pdf.results.important_to", lang="fr", mark="†", groups=group).replace("\u00a0", " ")


def _minutes_lines(report: Report, path: Path) -> list[str]:
    write_minutes(report, path)
    lines = []
    for page in pypdf.PdfReader(str(path)).pages:
        lines += [
            " ".join(line.replace("\u00a0", " ").split())
            for line in page.extract_text().splitlines()
        ]
    return [line for line in lines if line]


# -- the minutes -------------------------------------------------------------------------------


def test_minutes_never_name_a_small_group_beside_a_comment_a_flag_or_a_figure(
    day: Workshop, tmp_path: Path
) -> None:
    report = _report(day)
    lines = _minutes_lines(report, tmp_path / "pv.pdf")
    text = " ".join(lines)
    other = group_label(OTHER_GROUPS, "fr")
    # The donor's comment is there, attributed to the pool and not to her group (who
    # spoke is read on the line above what they said).
    assert DONOR_COMMENT in text
    said = next(i for i, line in enumerate(lines) if DONOR_COMMENT[:20] in line)
    assert lines[said - 1] == f"{other} :", lines[said - 1]
    assert not any(line.endswith(f"{DONOR} :") for line in lines)
    # Wherever the group is named, it is the attendance list, the turnout or the note on
    # pooled groups: never beside a verdict, a flag or a comment.
    verdicts = [verdict_label(v, "fr") for v in ("keep", "drop", "no consensus", "below quorum")]
    for line in lines:
        if DONOR in line:
            assert not any(v in line for v in verdicts), line
            assert DONOR_COMMENT not in line and "important" not in line.casefold(), line
    # The flag of the one group that keeps D1.O2.I1 is still printed; the donor's is not.
    assert _flag("société civile") in text
    assert _flag(DONOR) not in text
    # The method states the threshold and names the pooled groups.
    assert "au moins 3 membres" in text
    assert re.search(rf"« {other} ».*{DONOR}, {PARTNERS}", text)


def test_show_names_lifts_the_protection(day: Workshop, tmp_path: Path) -> None:
    report = _report(day, show_names=True)
    assert {r.group for r in report.results} >= {DONOR, PARTNERS}
    flagged = {i.important_to for i in report.indicator_results if i.indicator == "D1.O1.I2"}
    assert DONOR in flagged
    lines = _minutes_lines(report, tmp_path / "pv-noms.pdf")
    said = next(i for i, line in enumerate(lines) if DONOR_COMMENT[:20] in line)
    assert lines[said - 1].endswith(f"{DONOR} :")
    assert _flag(DONOR) in " ".join(lines)


# -- the workbook ------------------------------------------------------------------------------


def _sheet_rows(path: Path, title: str) -> tuple[list[str], list[tuple[object, ...]]]:
    ws = load_workbook(path)[title]
    titles = ws.print_title_rows or "1:1"
    at = int(titles.split(":")[-1].lstrip("$"))
    rows = list(ws.iter_rows(values_only=True))
    return [str(c) for c in rows[at - 1]], rows[at:]


def test_workbook_has_no_row_of_a_small_group_and_no_code_a_name_points_to(
    day: Workshop, tmp_path: Path
) -> None:
    report = _report(day)
    path = tmp_path / "classeur.xlsx"
    write_consensus_workbook(report, path)
    other = group_label(OTHER_GROUPS, "fr")
    group = t("tidy.col.group", lang="fr")
    for title in ("Résultats", "Stabilité", "Commentaires", "Votes", "Participants"):
        header, rows = _sheet_rows(path, title)
        column = header.index(group) if group in header else header.index(t("col.group", lang="fr"))
        shown = {row[column] for row in rows}
        assert not shown & {DONOR, PARTNERS}, title
        if title in ("Résultats", "Votes", "Participants"):
            assert other in shown, title
    # Every code's group and sex, as the Participants sheet shows them, is shared by at
    # least three people, so that no name of the attendance list leads to one code.
    header, rows = _sheet_rows(path, "Participants")
    g, s = header.index(t("col.group", lang="fr")), header.index(t("col.sex", lang="fr"))
    for name, _, real_group, sex in PANEL:
        label = real_group if real_group in ("gouvernement", "société civile") else other
        candidates = [r[0] for r in rows if r[g] == label and r[s] in (sex, None, "")]
        assert len(candidates) >= 3, (name, candidates)
    # Sex stays where each sex of the group is large enough (three women, three men).
    assert {r[s] for r in rows if r[g] == "gouvernement"} == {"F", "M"}
    assert {r[s] for r in rows if r[g] == "société civile"} <= {None, ""}
    settings = " ".join(
        str(c)
        for row in load_workbook(path)["Paramètres"].iter_rows(values_only=True)
        for c in row
        if c
    )
    assert "au moins 3 membres" in settings and DONOR in settings


def test_the_verdict_is_still_the_real_groups(tmp_path: Path, small_framework: Framework) -> None:
    """A per-group quorum of two: the donor alone makes every result below quorum, as the
    rule says, though every group shown has two ratings or more."""
    settings = Settings(lang="fr", rule=Rule(group_quorum=2))
    ws = _session(tmp_path / "s", small_framework, settings=settings)
    report = _report(ws)
    panel = [r for r in report.results if r.round == 1 and r.group == ALL_GROUPS]
    assert {r.verdict for r in panel} == {BELOW_QUORUM}
    assert all(r.stats.n >= 2 for r in report.results if r.round == 1)


# -- results on screen and as files ------------------------------------------------------------


def _run(*args: str) -> tuple[str, str]:
    result = CliRunner(env={"COLUMNS": "100"}).invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout, result.stderr


def test_results_by_group_have_no_row_for_a_small_group_and_say_why(
    sessions_dir: Path, small_framework: Framework
) -> None:
    _session(sessions_dir, small_framework)
    table, _ = _run("results", "--round", "1", "--by-group")
    note = table.index("Les groupes suivants")
    assert DONOR not in table[:note] and PARTNERS not in table[:note]
    assert "autres groupes" in table[:note]
    assert DONOR in " ".join(table[note:].split())
    for fmt in (["csv", "--tidy"], ["json"]):
        out, err = _run("results", "--round", "1", "--by-group", "--format", *fmt)
        if fmt[0] == "csv":
            groups = {row["group"] for row in csv.DictReader(io.StringIO(out))}
        else:
            groups = {row["group"] for row in json.loads(out)}
        assert groups == {ALL_GROUPS, "gouvernement", "société civile", OTHER_GROUPS}
        assert DONOR in " ".join(err.split()), "the reason is said beside the file"
    # The flag names no small group: D1.O1.I2 carries none, D1.O2.I1 civil society.
    out, _ = _run("results", "--round", "1", "--combined", "--format", "json")
    flags = {row["indicator"]: row["important_to"] for row in json.loads(out)}
    assert flags["D1.O1.I2"] == "" and flags["D1.O2.I1"] == "société civile"
    # The pooled rows hold exactly the members not shown alone: nothing left to subtract.
    out, _ = _run("results", "--round", "1", "--by-group", "--format", "json")
    rows = json.loads(out)
    for panel in (r for r in rows if r["group"] == ALL_GROUPS):
        parts = [
            r
            for r in rows
            if (r["indicator"], r["criterion"]) == (panel["indicator"], panel["criterion"])
            and r["group"] != ALL_GROUPS
        ]
        assert sum(r["n"] for r in parts) == panel["n"]


def test_ballot_feedback_is_the_whole_panel_s(day: Workshop) -> None:
    with Workshop.open(root=day.store.folder.parent, name=day.name, writable=False) as ws:
        snap = ws.snapshot()
    protected = tally.feedback(snap, "P01")
    lifted = tally.feedback(replace(snap, settings=replace(snap.settings, min_group_size=1)), "P01")
    assert protected == lifted
    seen = protected["D1.O1.I2"]
    assert all(s.n == len(PANEL) for s in seen.stats.values())
    assert DONOR_COMMENT in seen.comments and PARTNER_COMMENT in seen.comments


# -- when every group is large enough, and when nothing can protect ------------------------------


def test_nothing_changes_when_every_group_is_large_enough(
    tmp_path: Path, small_framework: Framework
) -> None:
    # Six from government, three men from civil society: every group and sex is large.
    kept = [i for i, p in enumerate(PANEL) if p[2] == "gouvernement" or p[3] == "M"][:9]
    large = [PANEL[i] for i in kept]
    scores = {code: [per_person[i] for i in kept] for code, per_person in ROUND_1.items()}
    ws = _session(tmp_path / "s", small_framework, panel=large, scores=scores)
    with Workshop.open(root=ws.store.folder.parent, name=ws.name, writable=False) as opened:
        snap = opened.snapshot()
    lifted = replace(snap, settings=replace(snap.settings, min_group_size=1))
    protected_report = tally.build_report(snap, lang="fr")
    lifted_report = tally.build_report(lifted, lang="fr")
    for field in ("results", "stability", "comments", "ballots", "indicator_results"):
        assert getattr(protected_report, field) == getattr(lifted_report, field), field
    assert {r.group for r in protected_report.results} == {
        ALL_GROUPS,
        "gouvernement",
        "société civile",
    }
    sheets = {s.title: s.rows for s in build_sheets(protected_report)}
    for s in build_sheets(lifted_report):
        if s.title != "Paramètres":
            assert list(sheets[s.title]) == list(s.rows), s.title
    flags = {
        i.indicator: i.important_to for i in protected_report.indicator_results if i.round == 1
    }
    assert flags["D1.O2.I1"] == "société civile"


def test_export_warns_when_the_panel_itself_is_too_small(
    sessions_dir: Path, small_framework: Framework, tmp_path: Path
) -> None:
    pair = PANEL[:2]
    scores = {code: per_person[:2] for code, per_person in ROUND_1.items()}
    _session(sessions_dir, small_framework, panel=pair, scores=scores, name="binome")
    _, err = _run("export", "--session", "binome", "--out", str(tmp_path / "out"))
    assert "2 participants" in " ".join(err.split()) and "(3)" in err
    _session(sessions_dir, small_framework, name="atelier")
    _, err = _run("export", "--session", "atelier", "--out", str(tmp_path / "out"))
    assert err == ""


def test_a_lone_small_group_takes_the_smallest_other_group_with_it(
    tmp_path: Path, small_framework: Framework
) -> None:
    """Government and the donor alone shown: the donor would be the panel minus government."""
    kept = [i for i, p in enumerate(PANEL) if p[2] != PARTNERS]
    panel = [PANEL[i] for i in kept]
    scores = {code: [per_person[i] for i in kept] for code, per_person in ROUND_1.items()}
    ws = _session(tmp_path / "s", small_framework, panel=panel, scores=scores)
    report = _report(ws)
    assert report.disclosure.pooled == (DONOR, "société civile")
    rows = [r for r in report.results if r.round == 1]
    assert {r.group for r in rows} == {ALL_GROUPS, "gouvernement", OTHER_GROUPS}
    pool = next(r for r in rows if r.group == OTHER_GROUPS and r.indicator == "D1.O1.I2")
    assert pool.stats.n == 5  # four from civil society and the donor
    comment = next(c for c in report.comments if c.text == DONOR_COMMENT)
    assert comment.group == OTHER_GROUPS


def test_nothing_by_group_when_the_panel_cannot_be_split(
    tmp_path: Path, small_framework: Framework
) -> None:
    """Government and the donor: pooling the donor with government would be the panel itself."""
    kept = [i for i, p in enumerate(PANEL) if p[2] in ("gouvernement", DONOR)]
    panel = [PANEL[i] for i in kept]
    scores = {code: [per_person[i] for i in kept] for code, per_person in ROUND_1.items()}
    ws = _session(tmp_path / "s", small_framework, panel=panel, scores=scores)
    report = _report(ws)
    assert {r.group for r in report.results} == {ALL_GROUPS}
    assert {i.important_to for i in report.indicator_results} == {""}
    lines = _minutes_lines(report, tmp_path / "pv.pdf")
    said = next(i for i, line in enumerate(lines) if DONOR_COMMENT[:20] in line)
    assert lines[said - 1] == f"{group_label(GROUP_WITHHELD, 'fr')} :"
    assert t("groups.withheld", lang="fr", n=3).replace("\u00a0", " ")[:40] in " ".join(lines)
    path = tmp_path / "classeur.xlsx"
    write_consensus_workbook(report, path)
    header, rows = _sheet_rows(path, "Votes")
    assert {r[header.index(t("col.group", lang="fr"))] for r in rows} == {
        group_label(GROUP_WITHHELD, "fr")
    }

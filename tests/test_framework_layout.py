"""The validated framework leaves in the draft's own layout: its sheet, title, headers, order."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from hsvalidate.cli import cli
from hsvalidate.framework import Framework, Indicator, Text, framework_from_dict, framework_to_dict
from hsvalidate.framework_io import (
    check_framework,
    load_framework,
    save_framework_csv,
    save_framework_xlsx,
)
from hsvalidate.model import Ballot
from hsvalidate.workshop import Workshop

NAME = "Atelier Ségou"
STATUS = "Statut de validation"
SHEET = "Matrice S&E 2026"
TITLE = "Cadre de suivi-évaluation — Stratégie de sécurité humaine"
NOTES = "Version de travail du comité technique (ɛ ɔ ɲ ŋ)"
HEADERS = [
    "Axe stratégique",
    "Résultat attendu",
    "Code",
    "Indicateur",
    "Définition",
    "Source de vérification",
    "Fréquence",
    "Valeur de référence (2025)",
    "Cible 2028",
    "Observations",
    "Partenaires de mise en œuvre",
]
PARTNERS = "Partenaires de mise en œuvre"
"""A column hsvalidate does not know: kept with each indicator (``Observations`` are notes)."""

PERSONAL = "Sécurité personnelle et kɛlɛbaliya"
COMMUNITY = "Sécurité communautaire"
VIOLENCE = "Les violences baissent à Mopti"
ALERT = "L'alerte précoce fonctionne"
LAND = "Les conflits fonciers se règlent à l'amiable"
INDICATORS = [
    # (dimension, outcome, code, text, definition, source, frequency, baseline, target, notes, partners)
    (PERSONAL, VIOLENCE, "SP.1.1", "Nombre d'incidents de sécurité signalés à Mopti",
     "Incidents consignés par les comités d'alerte", "Rapports WANEP-Mali", "Mensuelle",
     "146", "90", "Données 2025 partielles", "WANEP-Mali"),
    (PERSONAL, VIOLENCE, "SP.1.2", "Part des femmes qui se sentent en sécurité (musow ka lakana)",
     "Femmes déclarant se sentir en sécurité le soir", "Enquête ménages", "Annuelle",
     "38 %", "+15 points", "", "ONU Femmes"),
    (PERSONAL, ALERT, "SP.2.1", "Alertes suivies d'une réponse en moins de 48 h",
     "Alertes ayant reçu une réponse des autorités", "Registre des alertes", "Trimestrielle",
     "52 %", "80 %", "ɲɛmɔgɔw consultés", ""),
    (COMMUNITY, LAND, "SC.1.1", "Conflits fonciers réglés par médiation à Ségou",
     "Conflits clos par un accord écrit", "Registres des mairies", "Semestrielle",
     "41", "75", "", "Commissions foncières"),
    (COMMUNITY, LAND, "SC.1.2", "Comités de paix actifs (ŋaniya ɲuman)",
     "Comités réunis au moins une fois par trimestre", "Procès-verbaux", "Trimestrielle",
     "12", "30", "", ""),
]  # fmt: skip


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def draft_rows() -> list[list[str]]:
    return [list(row) for row in INDICATORS]


def write_draft_xlsx(path: Path) -> Path:
    """A French matrix as a team makes it in Excel: title, notes, merged axis and outcome cells."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append([TITLE])
    ws.append([NOTES])
    ws.append([])
    ws.append(HEADERS)
    for row in draft_rows():
        ws.append(row)
    ws.merge_cells("A1:K1")
    for ref in ("A5:A7", "B5:B6", "A8:A9", "B8:B9"):  # first row 5: the first indicator
        ws.merge_cells(ref)
    wb.save(path)
    return path


def write_draft_csv(path: Path) -> Path:
    """The same matrix saved by French Excel as 'CSV UTF-8': ';', a BOM, blank cells carried down."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([TITLE])
    writer.writerow(HEADERS)
    previous: list[str] = ["", ""]
    for row in draft_rows():
        shown = [cell if cell != previous[i] else "" for i, cell in enumerate(row[:2])]
        previous = row[:2]
        writer.writerow([*shown, *row[2:]])
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    return path


def validate(sessions_dir: Path, draft: Path) -> None:
    """A session from the draft, one round, then the plenary: every kind of outcome."""
    result = run("session", "new", NAME, "--framework", str(draft), "--lang", "fr")
    assert result.exit_code == 0, result.output
    with Workshop.open(root=sessions_dir, name=NAME) as ws:
        people = ws.add_participants(
            [
                ("Awa Kɔnɛ", "WANEP-Mali", "société civile", "F"),
                ("Ŋolo Traoré", "Mairie de Ségou", "gouvernement", "M"),
            ]
        )
        rnd = ws.start_round()
        ws.record_ballots(
            [
                Ballot(
                    round=1,
                    participant=p.code,
                    indicator=code,
                    ratings=dict.fromkeys(("relevance", "feasibility", "clarity"), 8),
                )
                for p in people
                for code in rnd.indicators
            ]
        )
        ws.close_round()
        ws.record_decision(indicator="SP.1.1", action="adopt")
        ws.record_decision(indicator="SP.1.2", action="defer", rationale="À revoir")
        ws.record_decision(indicator="SC.1.1", action="merge", into=("SP.1.1",))
        ws.record_decision(indicator="SC.1.2", action="drop")


def session_framework(sessions_dir: Path) -> Framework:
    with Workshop.open(root=sessions_dir, name=NAME, writable=False) as ws:
        return ws.framework


def export(out: Path, kind: str) -> Path:
    result = run("export", "--format", f"framework-{kind}", "--out", str(out))
    assert result.exit_code == 0, result.output
    return out / f"{NAME}-fr-framework.{kind}"


def without_status(ind: Indicator) -> Indicator:
    return replace(ind, extra=tuple(pair for pair in ind.extra if pair[0] != STATUS))


def assert_same_framework_plus_status(back: Framework, draft: Framework) -> None:
    """What was validated, indicator by indicator: the draft's fields and a status each."""
    assert back.title == draft.title and back.notes == draft.notes and back.lang == "fr"
    assert [(d.code, d.title) for d in back.dimensions] == [
        (d.code, d.title) for d in draft.dimensions
    ]
    assert [(o.code, o.title) for o in back.outcomes()] == [
        (o.code, o.title) for o in draft.outcomes()
    ]
    assert [i.code for i in back.indicators()] == ["SP.1.1", "SP.1.2", "SP.2.1"]
    for ind in back.indicators():
        before = draft.indicator(ind.code)
        assert before is not None
        assert ind.extra[-1][0] == STATUS, ind.code
        if ind.code == "SP.1.1":  # what was merged into it is noted in its notes
            assert ind.notes.fr == f"{before.notes.fr} — fusionné avec SC.1.1"
            ind = replace(ind, notes=before.notes)
        assert without_status(ind) == before, ind.code
    statuses = {ind.code: dict(ind.extra)[STATUS] for ind in back.indicators()}
    assert statuses == {
        "SP.1.1": "adopté en plénière",
        "SP.1.2": "reporté",
        "SP.2.1": "retenu par le vote, sans décision",
    }


def test_the_draft_loads_with_its_headers_read_and_its_unknown_column_kept(
    tmp_path: Path,
) -> None:
    draft = write_draft_xlsx(tmp_path / "cadre SE.xlsx")
    summary = check_framework(draft)
    assert (summary.dimensions, summary.outcomes, summary.indicators) == (2, 3, 5)
    assert summary.unrecognised_columns == ((PARTNERS, None),)
    fw = load_framework(draft)
    assert (fw.title, fw.notes) == (Text(TITLE), Text(NOTES))
    first = fw.indicators()[0]
    assert (first.baseline, first.baseline_year, first.target, first.target_year) == (
        "146",
        2025,
        "90",
        2028,
    )
    assert first.notes == Text("Données 2025 partielles")
    assert first.extra == ((PARTNERS, "WANEP-Mali"),)
    assert fw.indicators()[4].text.fr == "Comités de paix actifs (ŋaniya ɲuman)"


def test_the_validated_xlsx_has_the_drafts_sheet_title_headers_and_merges(
    sessions_dir: Path, tmp_path: Path
) -> None:
    validate(sessions_dir, write_draft_xlsx(tmp_path / "cadre SE.xlsx"))
    path = export(tmp_path / "out", "xlsx")

    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [SHEET]
    ws = wb[SHEET]
    assert [ws.cell(r, 1).value for r in (1, 2, 3)] == [TITLE, NOTES, None]
    header = [c.value for c in ws[4]]
    assert header == [*HEADERS, STATUS]
    # Rows 5-7: the axis over its three indicators left, the outcome over its two; the
    # community axis keeps its outcome, whose two indicators the plenary took out.
    assert [ws.cell(r, 3).value for r in range(5, 9)] == ["SP.1.1", "SP.1.2", "SP.2.1", None]
    assert ws.cell(8, 1).value == COMMUNITY and ws.cell(8, 2).value == LAND
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A5:A7", "B5:B6"} <= merged
    assert ws.cell(5, 11).value == "WANEP-Mali"  # the unknown column stays where it was

    back = load_framework(path)
    assert_same_framework_plus_status(back, session_framework(sessions_dir))
    assert back.layout is not None and back.layout.sheet == SHEET


def test_the_validated_csv_has_the_drafts_title_and_headers_and_loads_back(
    sessions_dir: Path, tmp_path: Path
) -> None:
    validate(sessions_dir, write_draft_csv(tmp_path / "cadre SE.csv"))
    path = export(tmp_path / "out", "csv")

    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert lines[0] == [TITLE]
    assert lines[1] == [*HEADERS, STATUS]
    second = lines[3]
    assert second[:3] == [PERSONAL, VIOLENCE, "SP.1.2"]  # repeated: a CSV cannot merge
    assert second[HEADERS.index("Cible 2028")] == "'+15 points"  # formula-safe as before

    back = load_framework(path)
    assert_same_framework_plus_status(back, session_framework(sessions_dir))
    deferred = back.indicator("SP.1.2")
    assert deferred is not None and deferred.target == "+15 points"


def test_what_the_draft_had_no_column_for_follows_its_columns(tmp_path: Path) -> None:
    fw = load_framework(write_draft_xlsx(tmp_path / "cadre SE.xlsx"))
    first = fw.indicators()[0]
    translated = replace(first, text=Text(first.text.fr, "Security incidents reported in Mopti"))
    fw = replace(
        fw,
        dimensions=(
            replace(
                fw.dimensions[0],
                outcomes=(
                    replace(
                        fw.dimensions[0].outcomes[0],
                        indicators=(translated, *fw.dimensions[0].outcomes[0].indicators[1:]),
                    ),
                    *fw.dimensions[0].outcomes[1:],
                ),
            ),
            *fw.dimensions[1:],
        ),
    )
    save_framework_xlsx(fw, tmp_path / "out.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "out.xlsx").worksheets[0]
    assert [c.value for c in ws[4]] == [*HEADERS, "Indicateur (EN)"]
    back = load_framework(tmp_path / "out.xlsx")
    assert back.indicators() == fw.indicators()
    assert back.indicators()[0].text.en == "Security incidents reported in Mopti"


def test_a_new_title_is_written_so_that_it_reads_back(tmp_path: Path) -> None:
    fw = load_framework(write_draft_csv(tmp_path / "cadre SE.csv"))
    renamed = replace(fw, title=Text("Cadre validé", "Validated framework"))
    save_framework_csv(renamed, tmp_path / "out.csv")
    back = load_framework(tmp_path / "out.csv")
    assert back.title == renamed.title
    assert back.indicators() == fw.indicators()
    text = (tmp_path / "out.csv").read_text(encoding="utf-8-sig")
    assert ";".join(HEADERS) in text


def test_a_two_level_header_is_written_on_its_two_rows(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Cadre"
    ws.append(["Dimension", "Résultat", "Code", "Indicateur", "Situation de référence", None])
    ws.append([None, None, None, None, "Valeur", "Année"])
    ws.append(["Santé", "Soins de proximité", "I1", "CSCom fonctionnels à Kayes", "62 %", 2024])
    ws.merge_cells("E1:F1")
    wb.save(tmp_path / "m.xlsx")
    fw = load_framework(tmp_path / "m.xlsx")

    save_framework_xlsx(fw, tmp_path / "out.xlsx")
    out = openpyxl.load_workbook(tmp_path / "out.xlsx").worksheets[0]
    rows = [[c.value for c in row] for row in out.iter_rows(min_row=1, max_row=6)]
    top = next(i for i, row in enumerate(rows) if row[0] == "Dimension")
    assert rows[top][4] == "Situation de référence"
    assert rows[top + 1][4:6] == ["Valeur", "Année"]
    back = load_framework(tmp_path / "out.xlsx").indicators()[0]
    assert (back.baseline, back.baseline_year) == ("62 %", 2024)
    assert back == fw.indicators()[0]


def test_sessions_saved_before_layouts_were_kept_still_open_in_the_standard_layout(
    tmp_path: Path,
) -> None:
    fw = load_framework(write_draft_xlsx(tmp_path / "cadre SE.xlsx"))
    stored = framework_to_dict(fw)
    assert stored["layout"]["sheet"] == SHEET  # kept with the session's framework
    assert framework_from_dict(stored).layout == fw.layout
    del stored["layout"]
    old = framework_from_dict(stored)
    assert old.layout is None and old.indicators() == fw.indicators()
    save_framework_xlsx(old, tmp_path / "old.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "old.xlsx").worksheets[0]
    header_row = next(r for r in range(1, 10) if ws.cell(r, 1).value == "Code dimension")
    assert ws.cell(header_row, 8).value == "Indicateur"
    assert load_framework(tmp_path / "old.xlsx").indicators() == fw.indicators()


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_yaml_draft_still_leaves_in_the_standard_layout(
    kind: str, tmp_path: Path, small_framework: Framework
) -> None:
    target = tmp_path / f"out.{kind}"
    (save_framework_xlsx if kind == "xlsx" else save_framework_csv)(small_framework, target)
    back = load_framework(target)
    assert back.layout is not None
    assert back.layout.columns[0].header == "Code dimension"
    assert back.indicators() == small_framework.indicators()


def test_codes_the_rows_would_no_longer_give_get_their_columns(tmp_path: Path) -> None:
    fw = load_framework(write_draft_xlsx(tmp_path / "cadre SE.xlsx"))
    assert [d.code for d in fw.dimensions] == ["D1", "D2"]  # derived: the draft has no codes
    swapped = replace(fw, dimensions=tuple(reversed(fw.dimensions)))
    save_framework_xlsx(swapped, tmp_path / "out.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "out.xlsx").worksheets[0]
    assert [c.value for c in ws[4]] == [*HEADERS, "Code dimension", "Code résultat"]
    back = load_framework(tmp_path / "out.xlsx")
    assert [(d.code, [o.code for o in d.outcomes]) for d in back.dimensions] == [
        ("D2", ["D2.O1"]),
        ("D1", ["D1.O1", "D1.O2"]),
    ]

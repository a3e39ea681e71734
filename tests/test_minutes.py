"""The minutes as a document of record, read back with a PDF text extractor as a reader would.

A small demo session (its rewordings, merge, addition, decisions with counts and an
undone mistake) gives the validated framework and its lineage; the hand-built report of
``report_factory`` gives long wordings, Bambara names and comments that break naive code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from report_factory import NASTY_COMMENTS, build_report

from hsvalidate.cli import cli
from hsvalidate.demo import DEMO_SESSION, run_demo
from hsvalidate.exports import final_statuses, write_exports
from hsvalidate.exports.pdf import MINUTES_DIR, write_minutes
from hsvalidate.framework_io import load_framework
from hsvalidate.i18n import t
from hsvalidate.i18n.documents import action_label, vote_label
from hsvalidate.model import current_decisions
from hsvalidate.report import Report
from hsvalidate.resources import DEMO_FRAMEWORK, template_path
from hsvalidate.workshop import Workshop

pypdf = pytest.importorskip("pypdf")

FOOTER = re.compile(r" — page \d+ / \d+$")


@pytest.fixture(scope="module")
def demo_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo session with its workshop details set, as the secretariat would before exporting."""
    out = tmp_path_factory.mktemp("minutes")
    run_demo(out, framework=load_framework(template_path(DEMO_FRAMEWORK)), size=16)
    logo = out / "logo.png"
    _png(logo)
    with Workshop.open(root=out / "sessions", name=DEMO_SESSION) as ws:
        ws.set_details(
            title="Atelier national de validation du cadre de S&E",
            place="Bamako, Hôtel de l'Amitié",
            dates=["2026-11-26", "2026-11-27"],
            organisers=["WANEP-Mali", "GPPAC"],
            chair="Aminata Ɲɛlɛni Traoré",
            rapporteur="Moussa Diarra",
            logos=[logo],
        )
    return out / "sessions"


def _png(path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (120, 60), (0, 102, 153)).save(path)


@pytest.fixture(scope="module")
def demo_reports(demo_root: Path) -> dict[str, Report]:
    with Workshop.open(root=demo_root, name=DEMO_SESSION, writable=False) as ws:
        return {lang: ws.build_report(lang=lang) for lang in ("fr", "en")}


def _pages(path: Path) -> list[tuple[list[str], list[str]]]:
    """Each page as (body lines, running lines): the header and footer are drawn last."""
    pages = []
    for number, page in enumerate(pypdf.PdfReader(str(path)).pages, start=1):
        lines = [
            " ".join(line.replace("\u00a0", " ").split())
            for line in page.extract_text().splitlines()
        ]
        lines = [line for line in lines if line]
        keep = 1 if number == 1 else 2
        if lines and FOOTER.search(lines[-1]):
            pages.append((lines[:-keep], lines[-keep:]))
        else:
            pages.append((lines, []))
    return pages


def _text(path: Path) -> str:
    """The body text of every page in one line, running header and footer left out."""
    return " ".join(" ".join(body) for body, _ in _pages(path))


@pytest.fixture(scope="module")
def demo_minutes(
    demo_reports: dict[str, Report], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("demo-minutes")
    paths = {}
    for lang, report in demo_reports.items():
        paths[lang] = out / f"{lang}.pdf"
        write_minutes(report, paths[lang])
    return paths


def _minutes(tmp_path: Path, report: Report, **options: Any) -> Path:
    path = tmp_path / f"minutes-{report.lang}.pdf"
    write_minutes(report, path, **options)
    return path


# --- the cover ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "facts"),
    [
        (
            "fr",
            ["Lieu Bamako, Hôtel de l'Amitié", "Dates 26 novembre 2026 – 27 novembre 2026",
             "Organisateurs WANEP-Mali GPPAC", "Président de séance Aminata Ɲɛlɛni Traoré",
             "Rapporteur Moussa Diarra", "Atelier national de validation du cadre de S&E",
             "Procès-verbal de validation"],
        ),
        (
            "en",
            ["Place Bamako, Hôtel de l'Amitié", "Dates 26 November 2026 – 27 November 2026",
             "Organisers WANEP-Mali GPPAC", "Chair Aminata Ɲɛlɛni Traoré",
             "Rapporteur Moussa Diarra", "Validation minutes"],
        ),
    ],
)  # fmt: skip
def test_the_cover_gives_place_days_organisers_chair_and_rapporteur(
    demo_minutes: dict[str, Path], lang: str, facts: list[str]
) -> None:
    body, _ = _pages(demo_minutes[lang])[0]
    cover = " ".join(body)
    for fact in facts:
        assert fact in cover, fact


def test_the_cover_carries_the_logos_and_the_file_its_metadata(
    demo_minutes: dict[str, Path],
) -> None:
    reader = pypdf.PdfReader(str(demo_minutes["fr"]))
    images = reader.pages[0]["/Resources"].get("/XObject", {})
    assert len(images) == 1
    meta = reader.metadata
    assert (
        meta.title == "Procès-verbal de validation — Atelier national de validation du cadre de S&E"
    )
    assert meta.author == "WANEP-Mali; GPPAC"
    assert meta.subject


def test_without_details_the_cover_says_nothing_it_was_not_told(tmp_path: Path) -> None:
    pages = _pages(_minutes(tmp_path, build_report()))
    cover = " ".join(pages[0][0])
    # The days come from the rounds; no place, organiser, chair or rapporteur is made up.
    assert "Dates 26 novembre 2026 – 27 novembre 2026" in cover
    for label in ("Lieu", "Organisateur", "Président de séance", "Rapporteur"):
        assert label not in cover
    # The signature blocks leave the names to be written by hand.
    text = " ".join(" ".join(b) for b, _ in pages)
    assert (
        "Rapporteur Président de séance Nom : Nom : Date : Date : Signature : Signature :" in text
    )


def test_with_no_day_given_and_no_round_held_the_cover_gives_no_date(tmp_path: Path) -> None:
    report = build_report()
    rounds = tuple(
        replace(r, round=replace(r.round, opened_at="", closed_at="")) for r in report.rounds
    )
    cover = " ".join(_pages(_minutes(tmp_path, replace(report, rounds=rounds)))[0][0])
    assert "Date" not in cover and "2026 –" not in cover


def test_one_day_reads_as_one_date(tmp_path: Path) -> None:
    report = build_report(lang="en")
    report = replace(report, details=replace(report.details, dates=("2026-11-27",)))
    cover = " ".join(_pages(_minutes(tmp_path, report))[0][0])
    assert "Date 27 November 2026" in cover


def test_days_apart_are_listed_not_joined_into_a_range(tmp_path: Path) -> None:
    report = build_report()
    report = replace(report, details=replace(report.details, dates=("2026-11-24", "2026-11-27")))
    cover = " ".join(_pages(_minutes(tmp_path, report))[0][0])
    assert "Dates 24 novembre 2026, 27 novembre 2026" in cover


def test_signature_blocks_print_the_rapporteur_and_the_chair(demo_minutes: dict[str, Path]) -> None:
    text = _text(demo_minutes["fr"])
    assert "Rapporteur Président de séance Nom : Moussa Diarra Nom : Aminata Ɲɛlɛni Traoré" in text


# --- what the minutes hold ----------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_indicator_every_decision_and_every_count_is_in_the_minutes(
    demo_reports: dict[str, Report], demo_minutes: dict[str, Path], lang: str
) -> None:
    report = demo_reports[lang]
    text = _text(demo_minutes[lang])
    statuses = final_statuses(report)
    assert len(statuses) >= 34  # the draft's 33, the merged one and the one added
    assert [s.code for s in statuses if s.code not in text] == []
    decisions = current_decisions(report.decisions)
    assert decisions
    for d in decisions:
        assert action_label(d.action, lang) in text
        for key, count in d.votes.items():
            assert f"{vote_label(key, lang)} {count}" in text
        assert " ".join(d.rationale.split()) in text


def test_the_summary_counts_add_up_to_the_validated_framework(
    demo_reports: dict[str, Report], demo_minutes: dict[str, Path]
) -> None:
    statuses = final_statuses(demo_reports["fr"])
    kept = sum(1 for s in statuses if s.kept)
    text = _text(demo_minutes["fr"])
    summary = text[text.index("Synthèse") : text.index("Cadre validé")]
    assert f"Au projet de cadre {len(demo_reports['fr'].lineage.original_codes())}" in summary
    assert f"Dans le cadre validé {kept}" in summary
    assert f"Sortis du cadre {len(statuses) - kept}" in summary
    parts = ["retenus tels quels", "reformulés ou à reformuler", "issus d'une fusion",
             "ajoutés en séance", "reportés",
             "sans décision de la plénière, non retenus par le vote"]  # fmt: skip
    counts = {
        label: int(found.group(1)) if (found := re.search(rf"{label} (\d+)", summary)) else 0
        for label in parts
    }
    assert sum(counts.values()) == kept
    assert counts["ajoutés en séance"] == 1 and counts["issus d'une fusion"] == 1


def test_the_validated_framework_shows_each_indicator_s_lineage(
    demo_reports: dict[str, Report], demo_minutes: dict[str, Path]
) -> None:
    report = demo_reports["fr"]
    text = _text(demo_minutes["fr"])
    framework = text[text.index("Cadre validé") : text.index("Résultats par tour")]
    history = report.lineage
    reworded = next(r for r in history.revisions if r.change == "reword")
    original = history.wording(reworded.code, 1)
    assert original is not None
    block = framework[framework.index(f"{reworded.code} · ") :][:1500]
    assert f"Libellé d'origine : {original.text.fr}" in " ".join(block.split())
    assert "après le tour 1 — " + reworded.reason in block
    assert re.search(r"tour 1 \(version 1\) : [a-z ]+ · tour 2 \(version 2\) : ", block)
    merged = next(r for r in history.revisions if r.change == "merge")
    assert "Libellés fusionnés : " in framework
    gone = next(c for c in merged.sources if c != merged.code)
    assert f"{gone} · Fusionné dans {merged.code}" in framework
    added = next(r for r in history.revisions if r.change == "add")
    assert f"{added.code} · Ajouté en séance" in framework
    # Each rated indicator has its small chart of the last round.
    assert framework.count("Notes du tour ") >= 30


def test_dissent_stays_on_record(demo_minutes: dict[str, Path]) -> None:
    text = _text(demo_minutes["fr"])
    assert re.search(r"Avis divergents au tour \d, notes faibles \(1–3\) : \w+ \d+ %", text)


def test_the_quorum_is_a_rule_with_its_figure_never_a_bare_number(
    demo_minutes: dict[str, Path],
) -> None:
    text = _text(demo_minutes["fr"])
    assert "Quorum : 1," not in text
    assert re.search(
        r"Quorum : un résultat n'est classé que s'il réunit au moins \d+ notes, soit 50 % des "
        r"\d+ participants présents \(la session fixe un minimum de 1\)",
        text,
    )


def test_the_annex_gives_every_figure_of_every_round(
    demo_reports: dict[str, Report], demo_minutes: dict[str, Path]
) -> None:
    report = demo_reports["fr"]
    text = _text(demo_minutes["fr"])
    annex = text[text.index("Annexe — statistiques complètes") :]
    rows = re.findall(
        r"(D\d\.O\d\.I\d+)(?: \(v\d\))? (Pertinence|Faisabilité|Clarté) \d+ \d+ ", annex
    )
    panel = {(r.round, r.indicator, r.criterion) for r in report.results if r.group == "all"}
    assert len(rows) == len(panel)


# --- integrity and typography -------------------------------------------------------------


def test_long_wordings_are_whole_everywhere(tmp_path: Path) -> None:
    report = build_report()
    long = report.framework.indicator("D1.O1.I1")
    assert long is not None and len(long.text.fr) > 160
    text = _text(_minutes(tmp_path, report))
    # Validated framework, round table and comment heading: never shortened.
    assert text.count(long.text.fr) >= 3
    assert "…" not in text


def test_the_longest_wording_is_never_cut(tmp_path: Path) -> None:
    report = build_report(lang="en")
    wording = " ".join(["Share of households reached by the community early-warning network"] * 8)
    framework = report.framework
    indicator = framework.indicator("D1.O2.I2")
    assert indicator is not None
    from hsvalidate.framework import Text

    changed = replace(indicator, text=Text(wording, wording))
    dims = tuple(
        replace(d, outcomes=tuple(
            replace(o, indicators=tuple(changed if i.code == "D1.O2.I2" else i for i in o.indicators))
            for o in d.outcomes
        ))
        for d in framework.dimensions
    )  # fmt: skip
    # No history: the report's framework is the draft, as for a session never revised.
    report = replace(report, framework=replace(framework, dimensions=dims), history=None)
    assert _text(_minutes(tmp_path, report)).count(wording) >= 2


def test_bambara_letters_and_nasty_comments_print_as_written(tmp_path: Path) -> None:
    text = _text(_minutes(tmp_path, build_report()))
    for name in ("Ɲɛlɛni Coulibaly", "Oumar Ŋɔmi Maïga", "Ɔkɔn Adeyemi", "Sɛkuba Dembélé"):
        assert name in text
    for comment in NASTY_COMMENTS:
        assert " ".join(comment.replace("\x07", "").split()) in text


def test_a_french_document_has_no_english_word_outside_the_data(tmp_path: Path) -> None:
    report = build_report()
    text = _text(_minutes(tmp_path, report))
    data = [c.text for c in report.comments] + [d.rationale for d in report.decisions]
    data += [i.text.fr for i in report.framework.indicators()]
    data += [p.organisation for p in report.participants]
    for item in sorted(data, key=len, reverse=True):
        text = text.replace(" ".join(item.replace("\x07", "").split()), " ")
    english = {
        "the", "and", "of", "round", "rounds", "keep", "drop", "dropped", "merged", "reworded",
        "added", "deferred", "retained", "summary", "results", "attendance", "framework",
        "validated", "annex", "chair", "ratings", "rating", "against", "abstain",
        "with", "without", "which", "decision", "plenary", "dissent", "signature:", "name",
        "next", "steps", "page", "not", "rated", "group", "groups", "low", "high",
    }  # fmt: skip
    words = {w.strip(".,;:()«»").casefold() for w in text.split()}
    # « page » and « signature » are French words too; the footer is left out of the text.
    assert sorted(words & english - {"page"}) == []


@pytest.mark.parametrize("width", range(85, 300, 9))
def test_guillemets_and_french_punctuation_never_start_or_end_a_line(width: int) -> None:
    from hsvalidate.exports import pdf

    pdf._register_fonts()
    styles = pdf._make_styles()
    text = "Le rôle du « leader communautaire » dans la prévention : voilà ; 20 % des cas ! Qui ?"
    paragraph = pdf._p(text, styles.body)
    paragraph.wrap(width, 10_000)
    lines = [" ".join(words) for _, words in paragraph.blPara.lines]
    plain = pdf._wrap(pdf._plain(text), width, pdf.FONT, 9.5)
    for line in lines + (plain.split("\n") if plain else []):
        assert not line.rstrip().endswith("«"), line
        assert not line.lstrip().startswith(("»", ":", ";", "!", "?", "%")), line


def test_a_heading_is_never_the_last_thing_on_its_page(
    demo_reports: dict[str, Report], demo_minutes: dict[str, Path]
) -> None:
    report = demo_reports["fr"]
    headings = re.compile(
        r"^(\d+\. [A-ZÉ]|Tour \d+$|D\d+ — |D\d+\.O\d+ — |D\d+\.O\d+\.I\d+ — tour \d|"
        r"Annexe|Indicateurs sortis du cadre|Révisions du cadre)"
    )
    pages = _pages(demo_minutes["fr"])
    assert len(pages) > 10
    for number, (body, _) in enumerate(pages, start=1):
        if body:
            assert not headings.match(body[-1]), f"page {number} ends with {body[-1]!r}"
    # A comment block starts on the page of its heading, with its first comment.
    assert report.comments


def test_no_table_leaves_one_row_alone_at_a_page_break() -> None:
    from hsvalidate.exports import pdf

    pdf._register_fonts()
    rows = [["Code", "Texte"]] + [[f"R{i}", "ligne"] for i in range(1, 11)]
    table = pdf._table(rows, widths=[100, 300])
    _, height = table.wrap(400, 10_000)
    row = height / len(rows)
    # Room for the header and one row only: the table does not start here.
    assert table.split(400, row * 2.5) == []
    # Room for all but the last row: the last two go over together, under the header.
    first, second = table.split(400, row * 10.5)
    assert len(first._cellvalues) == 9 and len(second._cellvalues) == 3


# --- the secretariat's sections -------------------------------------------------------------


@pytest.fixture
def written(tmp_path: Path) -> Iterator[Report]:
    folder = tmp_path / "session" / MINUTES_DIR
    folder.mkdir(parents=True)
    (folder / "ouverture.md").write_text(
        "L'atelier a été ouvert par **Mme Awa Kɔnɛ**, au nom du *Ministère*.\n\n"
        "1. mot de bienvenue ;\n2. rappel du rôle du « leader communautaire ».\n\n"
        "## Objectifs\n\n- valider le cadre ;\n- fixer les étapes.\n\n"
        'Texte brut : <b>pas du gras</b> & <img src="/etc/passwd">\n',
        encoding="utf-8",
    )
    (folder / "ouverture.en.md").write_text("The workshop was opened by **Ms Awa Kɔnɛ**.\n")
    (folder / "recommandations.md").write_text("- Publier le cadre validé avant mars 2027.\n")
    (folder / "prochaines-etapes.md").write_text(
        "| Action | Responsable | Échéance |\n|---|---|---|\n"
        "| Diffuser le procès-verbal | Secrétariat | 15 décembre 2026 |\n",
        encoding="utf-8",
    )
    yield replace(build_report(), folder=str(folder.parent))


def test_the_secretariat_s_markdown_sections_take_their_place(
    written: Report, tmp_path: Path
) -> None:
    text = _text(_minutes(tmp_path, written))
    assert (
        "1. Ouverture de l'atelier L'atelier a été ouvert par Mme Awa Kɔnɛ, au nom du Ministère."
        in text
    )
    assert "1. mot de bienvenue ; 2. rappel du rôle du « leader communautaire »." in text
    assert "Objectifs • valider le cadre ; • fixer les étapes." in text
    assert 'Texte brut : <b>pas du gras</b> & <img src="/etc/passwd">' in text
    assert "2. Liste de présence" in text
    assert "Recommandations • Publier le cadre validé avant mars 2027." in text
    assert (
        "Action Responsable Échéance Diffuser le procès-verbal Secrétariat 15 décembre 2026" in text
    )
    assert t("pdf.next.intro", lang="fr").replace("\u00a0", " ") not in text  # no blank table


def test_the_english_minutes_read_the_english_text_when_there_is_one(
    written: Report, tmp_path: Path
) -> None:
    text = _text(_minutes(tmp_path, replace(written, lang="en")))
    assert "1. Opening of the workshop The workshop was opened by Ms Awa Kɔnɛ." in text
    assert "Recommendations • Publier le cadre validé" in text  # no English file: the French one


def test_without_files_next_steps_is_the_blank_table_to_fill_in(tmp_path: Path) -> None:
    text = _text(_minutes(tmp_path, build_report()))
    assert "Ouverture" not in text and "Recommandations" not in text
    assert (
        "7. Prochaines étapes À compléter en séance : actions, responsables et échéances." in text
    )


def test_the_markdown_files_are_read_from_the_session_folder(
    demo_root: Path, tmp_path: Path
) -> None:
    folder = demo_root / DEMO_SESSION / MINUTES_DIR
    folder.mkdir(exist_ok=True)
    (folder / "recommandations.md").write_text("Une **recommandation** de l'atelier.\n")
    try:
        with Workshop.open(root=demo_root, name=DEMO_SESSION, writable=False) as ws:
            report = ws.build_report()
        assert "Recommandations Une recommandation de l'atelier." in _text(
            _minutes(tmp_path, report)
        )
    finally:
        (folder / "recommandations.md").unlink()


# --- the attendance sheet -----------------------------------------------------------------


def _attendance(text: str) -> str:
    return text[text.index("Liste de présence") : text.index("Objectifs et méthode")]


def test_signatures_add_a_column_to_the_attendance_list(tmp_path: Path) -> None:
    report = build_report()
    plain = _attendance(_text(_minutes(tmp_path, report)))
    signed = _attendance(_text(_minutes(tmp_path, report, signatures=True)))
    assert "Signature" not in plain
    assert "Nom Organisation Groupe Sexe Présent Signature" in signed


def test_export_signatures_reaches_the_minutes_only(demo_root: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["export", "--sessions-dir", str(demo_root), "--session", DEMO_SESSION,
         "--out", str(tmp_path), "--signatures", "--format", "pdf", "--format", "xlsx"],
        catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    minutes = next(tmp_path.glob("*-minutes.pdf"))
    assert "Présent Signature" in _attendance(_text(minutes))


def test_write_exports_gives_signatures_to_the_minutes(tmp_path: Path) -> None:
    [(_, path)] = write_exports(build_report(lang="en"), tmp_path, ["pdf"], signatures=True)
    text = _text(path)
    assert "Present Signature" in text[text.index("Attendance") : text.index("Objectives")]

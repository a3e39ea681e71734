"""The registries (rules, export formats, channels) and the catalogue stay in step.

The command line offers what the catalogue has words for, without importing the
modules that declare the behaviour; these tests make sure both name the same things,
in both languages, so adding one is a declaration and its words and nothing else.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hsvalidate import consensus
from hsvalidate.consensus import RULES, Rule, RuleKind, Scale, compute_stats
from hsvalidate.exports import EXPORTERS, default_formats, export_path, write_exports
from hsvalidate.i18n import LANGS, codes_with_prefix, has, t
from hsvalidate.model import SOURCES, Settings, source_code


def test_every_rule_has_its_name_and_sentence_in_both_languages() -> None:
    assert sorted(RULES) == codes_with_prefix("rule.name")
    for kind in RULES.values():
        for lang in LANGS:
            assert has(kind.name_key, lang) and has(kind.text_key, lang), (kind.code, lang)


def test_every_export_format_has_its_words_in_both_languages() -> None:
    assert sorted(EXPORTERS) == codes_with_prefix("export.format")
    assert default_formats() == ["xlsx", "pdf"]


def test_every_channel_has_its_words_and_is_understood_in_both_languages() -> None:
    assert sorted(SOURCES) == codes_with_prefix("source")
    for code in SOURCES:
        for lang in LANGS:
            assert source_code(t(f"source.{code}", lang=lang)) == code
    assert source_code("Papier") == "paper" and source_code("courriel") == "email"
    assert source_code("fax") is None


@pytest.mark.parametrize(
    ("typed", "code"),
    [("pertinence", "relevance"), ("Relevance", "relevance"), ("FAISABILITE", "feasibility")],
)
def test_criteria_are_understood_in_both_languages(typed: str, code: str) -> None:
    assert Settings().criterion_code(typed) == code
    assert Settings().criterion_code("beauté") is None


def test_a_new_rule_is_one_declaration(monkeypatch: pytest.MonkeyPatch) -> None:
    """A rule added to the registry classifies and is described with no other change."""
    always_in = RuleKind(
        code="ram",  # reuse words that exist; what matters is that classification follows
        classify=lambda stats, rule, scale: consensus.CONSENSUS_IN,
        scales=(9,),
        default_agree_pct=50.0,
        text_values=lambda rule, scale: {"low": "1–3", "high": "7–9"},
    )
    monkeypatch.setitem(RULES, "ram", always_in)
    low = compute_stats([1, 1, 2, 1])
    assert consensus.classify(low, rule=Rule("ram")) == consensus.KEEP
    assert not always_in.allows(Scale(1, 5))


def test_each_rule_classifies_through_its_declaration() -> None:
    high = compute_stats([8, 8, 9, 7, 8, 9, 8])
    low = compute_stats([1, 2, 1, 2, 1, 2, 1])
    for code, kind in RULES.items():
        scale = Scale(1, 9) if 9 in kind.scales else Scale(1, 5)
        if scale.high == 5:
            high, low = (
                compute_stats([5, 5, 4, 5], scale=scale),
                compute_stats([1, 1, 2, 1], scale=scale),
            )
        rule = Rule(code, agree_pct=kind.default_agree_pct)
        assert consensus.classify(high, rule=rule, scale=scale) == consensus.KEEP, code
        assert consensus.classify(low, rule=rule, scale=scale) == consensus.DROP, code


def test_export_formats_write_where_the_registry_says(tmp_path: Path) -> None:
    from report_factory import build_report

    report = build_report(lang="en")
    written = write_exports(report, tmp_path, ["csv", "json"])
    assert [path for _, path in written] == [
        export_path(report, EXPORTERS["csv"], tmp_path),
        export_path(report, EXPORTERS["json"], tmp_path),
    ]
    csv_text = written[0][1].read_text(encoding="utf-8-sig")  # a spreadsheet's CSV has a BOM
    assert csv_text.splitlines()[0].startswith("Round,Indicator,Version,Criterion,Group")
    tidy = write_exports(report, tmp_path / "tidy", ["csv"], tidy=True)[0][1]
    assert tidy.read_text(encoding="utf-8").startswith("round,indicator,version,criterion,group")
    assert written[1][1].read_text(encoding="utf-8").startswith("[")

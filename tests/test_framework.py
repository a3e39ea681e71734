"""The framework model's pure validation: structural checks, years, matrix assembly, summary."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from hsvalidate.framework import (
    Dimension,
    Framework,
    Indicator,
    MatrixRow,
    Outcome,
    Text,
    assemble_matrix,
    describe_node,
    extra_headers,
    framework_from_dict,
    framework_to_dict,
    parse_year,
    summarize_framework,
    validate_framework,
)


def one_sentence(text: str) -> bool:
    return (
        "\n" not in text
        and text.rstrip().endswith((".", "?"))
        and not re.search(r"[.!?] +[A-Z]", text)
    )


def fw_of(*dims: Dimension, title: str = "Cadre") -> Framework:
    return Framework(title=Text(title), dimensions=dims)


def ind(code: str, fr: str = "Indicateur", en: str = "") -> Indicator:
    return Indicator(code=code, text=Text(fr, en))


GOOD = fw_of(
    Dimension(
        "D1",
        Text("Sécurité personnelle"),
        (Outcome("D1.O1", Text("Moins de violences"), (ind("D1.O1.I1"), ind("D1.O1.I2"))),),
    ),
    Dimension("D2", Text("Sécurité politique"), (Outcome("D2.O1", Text("Participation")),)),
)


def test_a_good_framework_has_no_issue() -> None:
    assert validate_framework(GOOD) == []


def test_an_empty_framework_is_reported_once() -> None:
    issues = validate_framework(fw_of())
    assert [(i.node, i.field) for i in issues] == [((), "dimensions")]
    assert one_sentence(issues[0].message)


def test_a_framework_whose_outcomes_have_no_indicator_is_empty() -> None:
    fw = fw_of(Dimension("D1", Text("X"), (Outcome("D1.O1", Text("Y")),)))
    assert [i.field for i in validate_framework(fw)] == ["dimensions"]


def test_missing_title_and_codes_at_every_level() -> None:
    fw = Framework(
        title=Text(),
        dimensions=(Dimension("", Text("X"), (Outcome("", Text("Y"), (ind(""),)),)),),
    )
    found = {(i.node, i.field) for i in validate_framework(fw)}
    assert found == {((), "title"), ((0,), "code"), ((0, 0), "code"), ((0, 0, 0), "code")}


def test_missing_french_text_says_whether_english_exists() -> None:
    fw = fw_of(
        Dimension(
            "D1",
            Text("", "Only English"),
            (Outcome("D1.O1", Text(), (ind("D1.O1.I1", fr="", en="Only English"),)),),
        )
    )
    issues = {(i.node, i.field): i.message for i in validate_framework(fw)}
    assert set(issues) == {((0,), "title"), ((0, 0), "title"), ((0, 0, 0), "text")}
    assert "English" in issues[(0,), "title"]
    assert "English" not in issues[(0, 0), "title"]
    assert all(one_sentence(m) for m in issues.values())


def test_duplicate_codes_are_found_across_levels_and_name_the_first_use() -> None:
    fw = fw_of(
        Dimension(
            "D1",
            Text("X"),
            (
                Outcome("D1", Text("Y"), (ind("D1.O1.I1"), ind("D1.O1.I1"))),
                Outcome("D1.O2", Text("Z"), (ind("D1.O2"),)),
            ),
        )
    )
    issues = validate_framework(fw, lambda node: f"row {10 + len(node)}")
    assert [(i.node, i.field) for i in issues] == [
        ((0, 0), "code"),
        ((0, 0, 1), "code"),
        ((0, 1, 0), "code"),
    ]
    assert "dimension at row 11" in issues[0].message
    assert "indicator at row 13" in issues[1].message
    assert "outcome at row 12" in issues[2].message


def test_describe_node_counts_from_one() -> None:
    assert describe_node((1, 0, 2)) == "dimension 2, outcome 1, indicator 3"
    assert describe_node(()) == "the framework"


@pytest.mark.parametrize(
    ("text", "year"),
    [("2015", 2015), (" 2027 ", 2027), ("2015.0", 2015), ("", None), ("   ", None)],
)
def test_parse_year_accepts(text: str, year: int | None) -> None:
    assert parse_year(text) == year


@pytest.mark.parametrize(
    "text", ["2015-2016", "vers 2027", "2027.5", "15", "3000", "²⁰¹⁵", "-2015"]
)
def test_parse_year_rejects_with_a_sentence(text: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_year(text)
    assert one_sentence(str(info.value))


def row(n: int, dim: str = "", out: str = "", code: str | None = None, **kw: str) -> MatrixRow:
    indicator = ind(code) if code is not None else None
    return MatrixRow(
        row=n,
        dimension=Text(dim),
        outcome=Text(out),
        indicator=indicator,
        dimension_code=kw.get("dim_code", ""),
        outcome_code=kw.get("out_code", ""),
    )


def shape(fw: Framework) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    return [
        (d.code, [(o.code, [i.code for i in o.indicators]) for o in d.outcomes])
        for d in fw.dimensions
    ]


def test_assemble_carries_blank_cells_down_and_derives_codes() -> None:
    result = assemble_matrix(
        [
            row(5, "Économique", "Revenus", "A"),
            row(6, "", "", "B"),
            row(7, "", "Marchés", "C"),
            row(8, "Alimentaire", "Faim", "D"),
            row(9, "Économique", "Revenus", "E"),  # the same block again, further down
        ],
        title=Text("T"),
    )
    assert result.issues == ()
    assert shape(result.framework) == [
        ("D1", [("D1.O1", ["A", "B", "E"]), ("D1.O2", ["C"])]),
        ("D2", [("D2.O1", ["D"])]),
    ]
    assert result.origins[(0,)] == 5
    assert result.origins[(0, 1)] == 7
    assert result.origins[(0, 0, 2)] == 9
    assert result.origins[(1, 0, 0)] == 8


def test_assemble_uses_given_codes_and_derives_around_them() -> None:
    result = assemble_matrix(
        [
            row(2, "A", "a1", "I1", dim_code="D2"),
            row(3, "B", "b1", "I2"),  # no code: must not take D2
            row(4, "", "", "I3", out_code="D1.O1"),
            row(5, "", "b2", "I4"),
        ],
        title=Text("T"),
    )
    assert result.issues == ()
    assert shape(result.framework) == [
        ("D2", [("D2.O1", ["I1"])]),
        ("D1", [("D1.O2", ["I2"]), ("D1.O1", ["I3"]), ("D1.O3", ["I4"])]),
    ]


def test_assemble_finds_a_dimension_by_code_when_its_name_is_blank() -> None:
    result = assemble_matrix(
        [row(2, "A", "a1", "I1", dim_code="P1"), row(3, "", "a1", "I2", dim_code="P1")],
        title=Text("T"),
    )
    assert shape(result.framework) == [("P1", [("P1.O1", ["I1", "I2"])])]


def test_assemble_does_not_carry_an_outcome_into_another_dimension() -> None:
    result = assemble_matrix([row(4, "A", "a1", "I1"), row(5, "B", "", "I2")], title=Text("T"))
    assert [(i.row, i.field) for i in result.issues] == [(5, "outcome")]
    assert one_sentence(result.issues[0].message)


def test_assemble_reports_a_first_row_without_dimension() -> None:
    result = assemble_matrix([row(3, "", "a1", "I1"), row(4, "A", "a", "I2")], title=Text("T"))
    assert [(i.row, i.field) for i in result.issues] == [(3, "dimension")]
    assert shape(result.framework) == [("D1", [("D1.O1", ["I2"])])]


def test_assemble_reports_two_names_for_one_code() -> None:
    result = assemble_matrix(
        [
            row(2, "Santé", "a", "I1", dim_code="D1"),
            row(3, "Sante publique", "a", "I2", dim_code="D1"),
        ],
        title=Text("T"),
    )
    assert [(i.row, i.field) for i in result.issues] == [(3, "dimension")]
    assert "row 2" in result.issues[0].message


def test_assemble_ignores_case_and_spacing_when_matching_names() -> None:
    result = assemble_matrix(
        [row(2, "Sécurité  alimentaire", "a", "I1"), row(3, "sécurité alimentaire", "A", "I2")],
        title=Text("T"),
    )
    assert result.issues == ()
    assert shape(result.framework) == [("D1", [("D1.O1", ["I1", "I2"])])]


def test_assemble_heading_rows_declare_without_adding_indicators() -> None:
    result = assemble_matrix(
        [row(2, "A"), row(3, "", "a1"), row(4, "", "", "I1"), row(5, "B", "b1")],
        title=Text("T"),
    )
    assert result.issues == ()
    assert shape(result.framework) == [("D1", [("D1.O1", ["I1"])]), ("D2", [("D2.O1", [])])]


def test_summary_counts_and_extra_columns_with_repeated_headers() -> None:
    fw = fw_of(
        Dimension(
            "D1",
            Text("X"),
            (
                Outcome(
                    "D1.O1",
                    Text("Y"),
                    (
                        replace(
                            ind("I1", en="In English"), extra=(("Partenaire", "a"), ("Note", "b"))
                        ),
                        replace(ind("I2"), extra=(("Note", "c"), ("Note", "d"))),
                    ),
                ),
                Outcome("D1.O2", Text("Z")),
            ),
        )
    )
    assert extra_headers(fw) == [("Partenaire", 0), ("Note", 0), ("Note", 1)]
    summary = summarize_framework(fw)
    assert (summary.dimensions, summary.outcomes, summary.indicators) == (1, 2, 2)
    assert summary.indicators_missing_english == 1
    assert summary.extra_columns == 3


def test_dict_round_trip_still_holds() -> None:
    assert framework_from_dict(framework_to_dict(GOOD)) == GOOD

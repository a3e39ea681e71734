"""``hsvalidate session``: create, list and show workshop sessions."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from hsvalidate.cli._common import (
    DecimalRange,
    TermChoice,
    argument,
    catalogue_word,
    echo_fields,
    echo_wrapped,
    follow_session_language,
    forced_language,
    group,
    open_workshop,
    option,
    session_options,
    sessions_dir_option,
)
from hsvalidate.i18n import codes_with_prefix, default_language, get_language, t, tn

if TYPE_CHECKING:
    from hsvalidate.model import Settings, WorkshopDetails

RULE_CHOICE = TermChoice(
    {code: catalogue_word(f"rule.name.{code}") for code in codes_with_prefix("rule.name")}
)
"""``--rule``: every rule the catalogue names (``consensus.RULES``, kept in step by a test),
by code or by its name in either language; read from the catalogue so --help stays fast."""

CRITERIA_CHOICE = TermChoice(
    {
        code: catalogue_word(f"criterion.label.{code}")
        for code in codes_with_prefix("criterion.label")
    },
    separator=",",
)
"""``--criteria``: the criteria the catalogue names, by code or by label in either language."""

CRITERIA_SET_CHOICE = TermChoice(
    {
        code: catalogue_word(f"criteria_set.name.{code}")
        for code in codes_with_prefix("criteria_set.name")
    }
)
"""``--criteria-set``: every set the catalogue names (``model.CRITERIA_SETS``, kept in step
by a test), by code or by its name in either language."""


@group(help="help.session")
def session() -> None:
    """Create and inspect sessions; one folder each under the sessions folder."""


F = TypeVar("F", bound=Callable[..., Any])

_DETAIL_OPTIONS = (
    option("--title", default=None, metavar="meta.text", help="help.opt.details_title"),
    option(
        "--place",
        "--lieu",
        "place",
        default=None,
        metavar="meta.text",
        help="help.opt.details_place",
    ),
    option("--date", "dates", multiple=True, metavar="meta.date", help="help.opt.details_date"),
    option(
        "--organiser",
        "--organizer",
        "--organisateur",
        "organisers",
        multiple=True,
        metavar="meta.text",
        help="help.opt.details_organiser",
    ),
    option(
        "--chair",
        "--president",
        "chair",
        default=None,
        metavar="meta.name",
        help="help.opt.details_chair",
    ),
    option("--rapporteur", default=None, metavar="meta.name", help="help.opt.details_rapporteur"),
    option(
        "--logo",
        "logos",
        multiple=True,
        type=click.Path(dir_okay=False, path_type=Path),
        metavar="meta.file",
        help="help.opt.details_logo",
    ),
)


_DETAIL_NAMES = ("title", "place", "dates", "organisers", "chair", "rapporteur", "logos")


def _detail_options(command: F) -> F:
    """The workshop's details, taken by ``session new`` and changed by ``session details``.

    The command receives them as one ``given`` mapping holding only what was typed, so
    neither command repeats the seven parameters.
    """

    @functools.wraps(command)
    def gathered(**values: Any) -> Any:
        given = _given_details(**{name: values.pop(name) for name in _DETAIL_NAMES})
        return command(given=given, **values)

    wrapped: Any = gathered
    for decorate in reversed(_DETAIL_OPTIONS):
        wrapped = decorate(wrapped)
    return cast(F, wrapped)


def _given_details(
    title: str | None,
    place: str | None,
    dates: tuple[str, ...],
    organisers: tuple[str, ...],
    chair: str | None,
    rapporteur: str | None,
    logos: tuple[Path, ...],
) -> dict[str, Any]:
    """Only the details typed, so that the others keep their value."""
    given: dict[str, Any] = {
        "title": title,
        "place": place,
        "chair": chair,
        "rapporteur": rapporteur,
        "dates": list(dates) if dates else None,
        "organisers": list(organisers) if organisers else None,
        "logos": list(logos) if logos else None,
    }
    return {k: v for k, v in given.items() if v is not None}


def _echo_details(details: WorkshopDetails, lang: str) -> None:
    """The details as the cover of the minutes will print them."""
    from hsvalidate.i18n.documents import format_date

    echo_fields(
        [
            (t("cli.details.title"), details.title or "–"),
            (t("cli.details.place"), details.place or "–"),
            (t("cli.details.dates"), ", ".join(format_date(d, lang) for d in details.dates) or "–"),
            (t("cli.details.organisers"), ", ".join(details.organisers) or "–"),
            (t("cli.details.chair"), details.chair or "–"),
            (t("cli.details.rapporteur"), details.rapporteur or "–"),
            (t("cli.details.logos"), ", ".join(details.logos) or "–"),
        ],
        indent="  ",
    )


@session.command("new", help="help.session.new")
@argument("name", metavar="meta.name")
@option(
    "--framework",
    "framework_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="meta.file",
    help="help.opt.framework",
)
@option(
    "--scale",
    type=click.Choice(["9", "5"]),
    default="9",
    show_default=True,
    help="help.opt.scale",
)
@option("--rule", type=RULE_CHOICE, default="ram", show_default=True, help="help.opt.rule")
@option(
    "--agree",
    type=DecimalRange(0, 100),
    default=None,
    metavar="meta.percent",
    help="help.opt.agree",
)
@option(
    "--veto",
    type=DecimalRange(0, 100),
    default=15,
    show_default=True,
    metavar="meta.percent",
    help="help.opt.veto",
)
@option(
    "--quorum",
    type=click.IntRange(1),
    default=1,
    show_default=True,
    metavar="meta.number",
    help="help.opt.quorum",
)
@option(
    "--quorum-share",
    type=DecimalRange(0, 100),
    default=50,
    show_default=True,
    metavar="meta.percent",
    help="help.opt.quorum_share",
)
@option(
    "--group-quorum",
    type=click.IntRange(0),
    default=0,
    show_default=True,
    metavar="meta.number",
    help="help.opt.group_quorum",
)
@option("--per-group", is_flag=True, help="help.opt.per_group")
@option(
    "--stability",
    type=DecimalRange(0, 100),
    default=15,
    show_default=True,
    metavar="meta.percent",
    help="help.opt.stability_pct",
)
@option(
    "--min-group",
    "min_group",
    type=click.IntRange(1),
    default=3,
    show_default=True,
    metavar="meta.number",
    help="help.opt.min_group",
)
@option(
    "--criteria",
    type=CRITERIA_CHOICE,
    default=None,
    help="help.opt.criteria",
)
@option(
    "--criteria-set",
    "criteria_set",
    type=CRITERIA_SET_CHOICE,
    default="default",
    show_default=True,
    help="help.opt.criteria_set",
)
@option(
    "--criteria-file",
    "criteria_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="meta.file",
    help="help.opt.criteria_file",
)
@_detail_options
@sessions_dir_option
def new(
    name: str,
    framework_file: Path,
    scale: str,
    rule: str,
    agree: float | None,
    veto: float,
    quorum: int,
    quorum_share: float,
    group_quorum: int,
    per_group: bool,
    stability: float,
    min_group: int,
    criteria: tuple[str, ...] | None,
    criteria_set: str,
    criteria_file: Path | None,
    given: dict[str, Any],
    sessions_dir: Path | None,
) -> None:
    """Create a session; its settings are fixed now, before round 1, for the minutes."""
    from hsvalidate.consensus import RULES, Rule, Scale
    from hsvalidate.exports import scale_text
    from hsvalidate.framework_io import load_framework
    from hsvalidate.i18n.documents import rule_name
    from hsvalidate.model import CRITERIA_SETS, Settings
    from hsvalidate.readers import read_criteria
    from hsvalidate.sessions import sessions_root
    from hsvalidate.workshop import Workshop

    kind = RULES[rule]
    lang = forced_language() or default_language()
    if criteria_file is not None:
        chosen = read_criteria(criteria_file, lang=lang)
    else:
        chosen = CRITERIA_SETS[criteria_set].build(criteria or ())
    if criteria and criteria_file is not None:
        raise click.UsageError(t("criteria_set.file_and_pick"))
    if criteria:
        outside = [c for c in criteria if c not in CRITERIA_SETS[criteria_set].criteria]
        if outside:
            raise click.BadParameter(
                t(
                    "criteria_set.not_in_set",
                    criteria=CRITERIA_CHOICE.describe(outside),
                    set=CRITERIA_SET_CHOICE.describe(criteria_set),
                    choices=CRITERIA_CHOICE.describe(CRITERIA_SETS[criteria_set].criteria),
                ),
                param_hint=["--criteria"],
            )
    settings = Settings(  # refuses a rule on a scale it is not defined on
        scale=Scale(1, int(scale)),
        rule=Rule(
            kind=rule,
            agree_pct=agree if agree is not None else kind.default_agree_pct,
            veto_pct=veto,
            quorum=quorum,
            quorum_share=quorum_share,
            group_quorum=group_quorum,
            per_group=per_group,
            stability_pct=stability,
        ),
        criteria=chosen,
        lang=lang,
        min_group_size=min_group,
    )
    fw = load_framework(framework_file)
    root = sessions_root(sessions_dir)
    workshop = Workshop.create(root=root, name=name, framework=fw, settings=settings)
    with workshop:
        # From here on the new session's language, not the one chosen for the previous one.
        follow_session_language(settings.lang)
        lang = get_language()
        if given:
            workshop.set_details(**given)
        click.echo(t("cli.session.created", name=workshop.name, folder=root / workshop.name))
        echo_fields(
            [
                (t("cli.show.indicators"), str(len(fw.indicators()))),
                (t("cli.show.scale"), scale_text(settings.scale, lang)),
                (t("cli.show.rule"), rule_name(rule, lang)),
                (t("cli.show.criteria"), _set_and_criteria(settings, lang)),
                (t("cli.show.lang"), t(f"cli.lang.{settings.lang}")),
            ],
            indent="  ",
        )
        echo_wrapped(t("cli.session.next"))


@session.command("details", help="help.session.details")
@_detail_options
@session_options
def details(given: dict[str, Any], session_name: str | None, sessions_dir: Path | None) -> None:
    """Show the workshop's details, or change those given; the documents print them as they stand."""
    with open_workshop(
        session_name, sessions_dir, writable=bool(given), purpose="hsvalidate session details"
    ) as ws:
        current = ws.set_details(**given) if given else ws.details
        if given:
            click.echo(t("cli.details.saved"))
        _echo_details(current, get_language())


@session.command("list", help="help.session.list")
@sessions_dir_option
def list_(sessions_dir: Path | None) -> None:
    """List the sessions; the default one is marked, so the facilitator knows which is used."""
    from hsvalidate.sessions import current_session_name, list_sessions, sessions_root

    root = sessions_root(sessions_dir)
    names = list_sessions(root)
    if not names:
        echo_wrapped(t("cli.session.none", root=root))
        return
    current = current_session_name(root)
    for name in names:
        click.echo(f"{'*' if name == current else ' '} {name}")
    if current in names:
        click.echo(t("cli.session.list_legend"))


@session.command("use", help="help.session.use")
@argument("name", metavar="meta.name")
@sessions_dir_option
def use(name: str, sessions_dir: Path | None) -> None:
    """Make NAME the default session, so later commands need no --session."""
    from hsvalidate.sessions import remember_session, resolve_session, sessions_root

    root = sessions_root(sessions_dir)
    resolved, _ = resolve_session(root, name)
    remember_session(root, resolved)
    click.echo(t("cli.session.default", name=resolved))


@session.command("show", help="help.session.show")
@session_options
def show(session_name: str | None, sessions_dir: Path | None) -> None:
    """Show a session's settings, participants and rounds, in the session's words."""
    from hsvalidate.exports import rule_details, rule_text, scale_text
    from hsvalidate.i18n.documents import format_datetime, status_label

    with open_workshop(session_name, sessions_dir, writable=False) as ws:
        s = ws.settings
        lang = get_language()
        rows = [
            (t("cli.show.session"), ws.name),
            (t("cli.show.created"), format_datetime(ws.created_at, lang)),
            (t("cli.show.framework"), f"{ws.framework.title.get(lang)} [{ws.framework.source}]"),
            (t("cli.show.indicators"), str(len(ws.framework.indicators()))),
            (t("cli.show.scale"), scale_text(ws.scale, lang)),
            (t("cli.show.rule"), rule_text(ws.rule, ws.scale, lang)),
            (t("cli.show.criteria"), _criteria_words(s, lang)),
            (t("cli.show.min_group"), str(s.min_group_size)),
            (t("cli.show.lang"), t(f"cli.lang.{s.lang}")),
            (t("cli.show.participants"), str(len(ws.participants()))),
        ]
        for rnd in ws.rounds():
            raters = len({b.participant for b in ws.ballots(rnd.number)})
            rows.append(
                (
                    t("cli.show.round", round=rnd.number),
                    t(
                        "cli.show.round_summary",
                        status=status_label(rnd.status, lang),
                        indicators=tn("cli.count.indicators", len(rnd.indicators)),
                        raters=tn("cli.count.raters", raters),
                    ),
                )
            )
        echo_fields(rows)
        click.echo("")
        present = sum(1 for p in ws.participants() if p.present)
        for sentence in rule_details(ws.rule, ws.scale, lang, present=present):
            echo_wrapped(sentence)


def _criteria_words(settings: Settings, lang: str) -> str:
    """The session's criteria as participants read them on the ballot screen."""
    return ", ".join(c.label.get(lang) or c.code for c in settings.criteria)


def _set_and_criteria(settings: Settings, lang: str) -> str:
    """The set the criteria come from and the criteria, so the facilitator sees what was chosen."""
    from hsvalidate.model import criteria_set_of

    named = criteria_set_of(settings.criteria)
    return t(
        "criteria_set.words",
        name=t(f"criteria_set.name.{named}") if named else t("criteria_set.own"),
        criteria=_criteria_words(settings, lang),
    )

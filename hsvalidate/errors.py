"""The one family of errors a user may see; each message is a sentence a facilitator can act on.

Why a family: the CLI catches ``HsValidateError`` in one place and prints its message,
so anything else that escapes is, by definition, a bug worth a traceback report.
"""

from __future__ import annotations

from dataclasses import dataclass

from hsvalidate.i18n import Message, t


class HsValidateError(Exception):
    """Base of every expected failure; ``str(error)`` is the sentence shown to the user.

    The sentence is a catalogue ``Message``, written out only when shown, so it comes
    out in the language of the command that shows it.
    """

    def __init__(self, message: str | Message) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an input file, with its place, so the author can go and fix it."""

    file: str
    """File name as the user gave it."""
    message: str | Message
    """What is wrong and what to do, one sentence (a catalogue message)."""
    sheet: str | None = None
    """Worksheet name (XLSX only)."""
    row: int | None = None
    """1-based row number as a spreadsheet shows it, or line number for YAML/CSV."""
    column: str | None = None
    """Column header or letter, or a YAML key path."""
    cell: str | None = None
    """A cell by its name (``F7``), where a form's layout is known to the cell: shown in
    place of the row and column, as the participant sees it in the spreadsheet."""

    def __str__(self) -> str:
        place = [self.file]
        if self.sheet is not None:
            place.append(t("problem.sheet", sheet=self.sheet))
        if self.cell is not None:
            place.append(t("problem.cell", cell=self.cell))
        if self.row is not None:
            # YAML is read by line; spreadsheets and CSV by row, as Excel numbers them.
            is_yaml = self.file.lower().endswith((".yaml", ".yml"))
            place.append(t("problem.line" if is_yaml else "problem.row", n=self.row))
        if self.column is not None:
            place.append(t("problem.column", column=self.column))
        return t("problem.located", place=", ".join(place), message=self.message)


class InputFileError(HsValidateError):
    """A file given by the user cannot be used; carries every problem found, not just the first."""

    def __init__(self, summary: str | Message, problems: tuple[Problem, ...] = ()) -> None:
        super().__init__(summary)
        self.problems = problems


class FrameworkError(InputFileError):
    """A draft framework file is unreadable or invalid."""


class SessionError(HsValidateError):
    """A session cannot be found, created or used as asked."""


class SessionLockedError(SessionError):
    """Another process is writing the same session right now."""


class SessionVersionError(SessionError):
    """The session was written by a newer hsvalidate than this one."""


class StorageError(HsValidateError):
    """The disk refused a write (full, read-only, removed); the last saved state is intact."""


class BallotError(HsValidateError):
    """A ballot or rating does not fit the session (unknown participant, out-of-range score...)."""


class RoundError(HsValidateError):
    """A round cannot be opened or closed as asked."""


class InteractiveError(HsValidateError):
    """An interactive prompt was needed but there is no terminal, or the user cancelled."""


class DecisionError(HsValidateError):
    """A plenary decision does not fit the session (unknown indicator or action, bad count)."""

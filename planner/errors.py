"""Errors and warnings that speak to the user.

Every problem names where it is (file, row, column), what is wrong and how to
fix it. Model functions collect all problems of an input before raising, so a
user sees every mistake in one go rather than one per run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


class PlannerWarning(UserWarning):
    """Something was repaired or assumed on the user's behalf."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input."""

    message: str
    #: A row number, or a ready label such as "line 4 ('DC Venlo')".
    row: object | None = None
    column: str | None = None
    fix: str = ""

    def __str__(self) -> str:
        where = []
        if isinstance(self.row, str):
            where.append(self.row)
        elif self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        text = (", ".join(where) + ": " if where else "") + self.message
        if self.fix:
            text += f" Fix: {self.fix}"
        return text


class InputError(ValueError):
    """An input that cannot be used as it is; lists every problem found."""

    def __init__(self, problems: Iterable[Problem] | Problem | str, source: str | None = None):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        self.source = source
        head = f"{source}: " if source else ""
        if len(self.problems) == 1:
            text = head + str(self.problems[0])
        else:
            lines = "\n".join(f"  - {p}" for p in self.problems)
            text = f"{head}{len(self.problems)} problems:\n{lines}"
        super().__init__(text)

    def with_source(self, source: str) -> InputError:
        """The same error, attributed to a file."""
        return InputError(self.problems, source=source)

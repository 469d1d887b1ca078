"""The one error the data layer raises: it always names the file, and where it can the row and field."""

from __future__ import annotations


class DataError(ValueError):
    """A data file is missing, malformed or implausible.

    ``problems`` holds one ``(row, field, message)`` triple per problem found;
    ``row`` is the line number in a CSV file (the header is line 1) or the
    1-based feature number in a GeoJSON file, ``None`` when the problem concerns
    the whole file.
    """

    def __init__(self, file: str, problems: list[tuple[int | None, str | None, str]]):
        self.file = str(file)
        self.problems = list(problems)
        super().__init__(self._render())

    def _render(self) -> str:
        shown = self.problems[:12]
        lines = [f"{len(self.problems)} problem(s) in data file {self.file}:"]
        for row, field, message in shown:
            where = []
            if row is not None:
                where.append(f"row {row}")
            if field is not None:
                where.append(f"field '{field}'")
            place = ", ".join(where) if where else "whole file"
            lines.append(f"  - {self.file}: {place}: {message}")
        if len(self.problems) > len(shown):
            lines.append(f"  ... and {len(self.problems) - len(shown)} more")
        return "\n".join(lines)

    @property
    def fields(self) -> set[str]:
        return {f for _, f, _ in self.problems if f}

    @property
    def rows(self) -> set[int]:
        return {r for r, _, _ in self.problems if r is not None}

"""Tables and targets of the benchmark: plain values, a text rendering and a JSON form."""
from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Table:
    """One section: a row per measurement, each with at least one ratio to a baseline of the same run.

    ``rows`` hold a label then numbers (``None`` where a column does not apply); ``notes`` are
    printed under the table (what was measured, sizes, anything not measured and why)."""
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Target:
    """A speed target of the issue: ``passed`` is ``None`` when it was not measured (``why`` says)."""
    name: str
    goal: str
    measured: float | None
    passed: bool | None
    why: str = ""


def check(name: str, goal: str, measured, threshold: float, below: bool = False) -> Target:
    """``measured >= threshold`` (or ``<=`` with ``below``) as a :class:`Target`."""
    if measured is None or not math.isfinite(measured):
        return Target(name, goal, None, None, "no finite measurement")
    return Target(name, goal, float(measured), bool(measured <= threshold if below else measured >= threshold))


def missing(name: str, goal: str, why: str) -> Target:
    return Target(name, goal, None, None, why)


def render(table: Table) -> str:
    cells = [[_cell(value) for value in row] for row in table.rows]
    widths = [max([len(name)] + [len(row[i]) for row in cells]) for i, name in enumerate(table.columns)]
    line = lambda items: "  ".join(  # noqa: E731
        item.ljust(width) if i == 0 else item.rjust(width) for i, (item, width) in enumerate(zip(items, widths)))
    out = [f"== {table.title}", line(table.columns)] + [line(row) for row in cells]
    return "\n".join(out + [f"   {note}" for note in table.notes])


def summary(targets: list[Target]) -> str:
    out = ["== targets"]
    for target in targets:
        verdict = "not measured" if target.passed is None else ("pass" if target.passed else "MISS")
        value = "" if target.measured is None else f" (measured {_cell(target.measured)})"
        reason = f": {target.why}" if target.why else ""
        out.append(f"{verdict:<12} {target.name}: {target.goal}{value}{reason}")
    return "\n".join(out)


def as_json(tables: list[Table], targets: list[Target], settings: dict) -> dict:
    return {"settings": settings,
            "sections": [{"title": t.title, "notes": list(t.notes),
                          "rows": [dict(zip(t.columns, row)) for row in t.rows]} for t in tables],
            "targets": [dict(vars(target)) for target in targets]}


def _cell(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, (int,)) and not isinstance(value, bool):
        return f"{value:d}"
    value = float(value)
    if not math.isfinite(value):
        return str(value)
    if value != 0 and (abs(value) >= 1e5 or abs(value) < 1e-3):
        return f"{value:.3g}"
    return f"{value:.4g}"

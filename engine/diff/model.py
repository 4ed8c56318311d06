"""What a release diff reports: changes per entity, the breaking ones marked with the reason."""

from __future__ import annotations

from dataclasses import dataclass

from engine.spec.common import Kind

_KIND_ORDER = {kind: i for i, kind in enumerate(Kind)}


@dataclass(frozen=True, slots=True)
class Change:
    """One change to one entity; `reason` says why a breaking change breaks something."""

    kind: Kind
    id: str
    description: str
    breaking: bool = False
    reason: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": str(self.kind),
            "id": self.id,
            "description": self.description,
            "breaking": self.breaking,
            "reason": self.reason,
        }


def ordered(changes: list[Change]) -> tuple[Change, ...]:
    """Grouped by entity (kinds in model order, ids sorted), each entity's changes in the order found."""
    unique = list(dict.fromkeys(changes))
    return tuple(sorted(unique, key=lambda c: (_KIND_ORDER[c.kind], c.id)))


@dataclass(frozen=True, slots=True)
class ReleaseDiff:
    """The changes from release `old` to release `new`."""

    old: str
    new: str
    changes: tuple[Change, ...]

    @property
    def breaking(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.breaking)

    def to_text(self) -> str:
        """A readable report, entity by entity, breaking changes marked BREAKING with their reason."""
        if not self.changes:
            return f"No changes from {self.old} to {self.new}."
        lines = [
            f"Catalog {self.old} → {self.new}: {len(self.changes)} changes, {len(self.breaking)} breaking",
        ]
        current: tuple[Kind, str] | None = None
        for change in self.changes:
            if (change.kind, change.id) != current:
                current = (change.kind, change.id)
                lines += ["", f"{change.kind} {change.id}"]
            if change.breaking:
                lines.append(f"  BREAKING  {change.description}")
                lines.append(f"            why: {change.reason}")
            else:
                lines.append(f"            {change.description}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, object]:
        return {
            "old": self.old,
            "new": self.new,
            "breakingCount": len(self.breaking),
            "changes": [c.to_dict() for c in self.changes],
        }

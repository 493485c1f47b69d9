"""What the section builders share while they build the view of one interview."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from testimony_app.casefile.gather import Gathered
from testimony_app.casefile.labels import Words
from testimony_app.casefile.model import Block, Column, Item, Row, Table
from testimony_app.casefile.people import Names, place
from testimony_app.casefile.redaction import Policy, Shown
from testimony_app.domain.base import Record
from testimony_app.i18n import N_


@dataclass
class Context:
    gathered: Gathered
    policy: Policy
    words: Words
    names: Names
    shown_ids: dict[str, None] = field(default_factory=dict)

    def show(self, record: Record) -> Shown:
        """The record through the profile; it counts as shown (for the audit excerpt)."""
        self.shown_ids.setdefault(record.id, None)
        return self.policy.show(record)

    def allows(self, entity: str, name: str) -> bool:
        return name in self.policy.allowed(entity)

    def place(self, site_id: str | None) -> str:
        site = self.gathered.sites.get(site_id or "")
        shown = self.show(site) if site is not None else None
        return place(site, shown, self.words, exact=self.policy.profile.exact_places)

    def site_type(self, site_id: str | None) -> str:
        site = self.gathered.sites.get(site_id or "")
        if site is None:
            return ""
        return self.words.term("detention_site_types", self.show(site).site_type)


class Items:
    """Labelled values; an empty value (a dropped or blank field) adds nothing."""

    def __init__(self, words: Words) -> None:
        self.words = words
        self.items: list[Item] = []

    def add(self, key: str, label: str, value: Any) -> None:
        if value is None or value == "" or value == ():
            return
        self.items.append(Item(key, self.words(label), str(value)))

    def result(self) -> tuple[Item, ...]:
        return tuple(self.items)


@dataclass(frozen=True)
class Col:
    """A table column: shown when the profile allows one of ``needs`` (or always, if empty)
    and none of ``unless`` (a column whose content goes elsewhere in richer profiles)."""

    key: str
    label: str
    value: Callable[[Shown, int], str]
    needs: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    when: bool = True


def table(ctx: Context, entity: str, cols: Iterable[Col],
          rows: Iterable[tuple[str, Shown]]) -> Table:
    """Rows of records, with the columns the profile allows (a row number comes first)."""
    allowed = ctx.policy.allowed(entity)
    chosen = [c for c in cols if c.when and (not c.needs or any(n in allowed for n in c.needs))
              and not any(n in allowed for n in c.unless)]
    columns = (Column("no", ctx.words(N_("No."))),
               *(Column(c.key, ctx.words(c.label)) for c in chosen))
    out = [Row(record_id, (str(n), *(c.value(shown, n) for c in chosen)))
           for n, (record_id, shown) in enumerate(rows, start=1)]
    return Table(columns, tuple(out))


def blocks(titled: Iterable[tuple[str, tuple[Item, ...]]]) -> tuple[Block, ...]:
    return tuple(Block(title, items) for title, items in titled if items)

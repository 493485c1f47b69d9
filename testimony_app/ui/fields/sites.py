"""Choosing a detention site: type-ahead over the vault's sites (name, type and settlement),
or a new site made on the spot."""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLineEdit, QPushButton, QWidget

from testimony_app.domain.detention import Site
from testimony_app.domain.vocabularies import vocabularies
from testimony_app.i18n import _, current_language
from testimony_app.ui import labels
from testimony_app.ui.fields.base import Field
from testimony_app.ui.fields.choice import ChoiceCombo, VocabCombo
from testimony_app.ui.widgets import PlainLabel, link_button


class SiteSource(Protocol):
    sites: dict[str, Site]
    sites_changed: Any

    def add_site(self, site: Site) -> Site: ...


def site_text(site: Site) -> str:
    kind = vocabularies()["detention_site_types"].label(site.site_type, current_language()) \
        if site.site_type else ""
    place = ", ".join(p for p in (kind, site.settlement) if p)
    return f"{site.canonical_name} — {place}" if place else site.canonical_name


class NewSiteRow(QFrame):
    created = Signal(object)  # Site

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.name = QLineEdit()
        self.site_type = VocabCombo("detention_site_types")
        self.settlement = QLineEdit()
        self.create_button = QPushButton(_("Create the site"))
        self.cancel_button = QPushButton(_("Cancel"))
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 6, 8, 6)
        for row, (name, widget) in enumerate((("canonical_name", self.name),
                                              ("site_type", self.site_type),
                                              ("settlement", self.settlement))):
            caption = PlainLabel(labels.label("site", name))
            caption.setBuddy(widget)
            grid.addWidget(caption, row, 0)
            grid.addWidget(widget, row, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.create_button)
        grid.addLayout(buttons, 3, 0, 1, 2)
        self.create_button.clicked.connect(self._create)
        self.cancel_button.clicked.connect(self.hide)
        self.name.returnPressed.connect(self._create)
        self.settlement.returnPressed.connect(self._create)

    def start(self, name: str) -> None:
        self.name.setText(name)
        self.site_type.set_value(None)
        self.settlement.clear()
        self.show()
        self.name.setFocus()

    def _create(self) -> None:
        name = self.name.text().strip()
        if not name:
            self.name.setFocus()
            return
        self.hide()
        self.created.emit(Site(canonical_name=name, site_type=self.site_type.value(),
                               settlement=self.settlement.text().strip()))


class SitePicker(Field):
    def __init__(self, source: SiteSource, parent: QWidget | None = None) -> None:
        super().__init__(parent, vertical=True)
        self.source = source
        self.combo = ChoiceCombo(searchable=True)
        self.new_button = link_button(_("New site…"))
        self.new_row = NewSiteRow()
        self.new_row.hide()
        self.box.addWidget(self.combo)
        self.box.addWidget(self.new_button)
        self.box.addWidget(self.new_row)
        self.setFocusProxy(self.combo)
        self.reload()
        self.combo.edited.connect(self._emit)
        self.new_button.clicked.connect(self._new)
        self.new_row.created.connect(self._created)
        source.sites_changed.connect(self.reload)

    def reload(self) -> None:
        items = sorted(((s.id, site_text(s)) for s in self.source.sites.values()),
                       key=lambda item: item[1].casefold())
        self.combo.set_items(items)

    def _new(self) -> None:
        typed = self.combo.combo.currentText().strip()
        known = {site_text(s) for s in self.source.sites.values()}
        self.new_row.start("" if typed in known else typed)

    def _created(self, site: Site) -> None:
        self.source.add_site(site)
        self.combo.choose(site.id)
        self.combo.setFocus()

    def _show(self, value: Any) -> None:
        self.new_row.hide()
        self.combo.set_value(value)

    def value(self) -> str | None:
        return self.combo.value()

    def set_read_only(self, read_only: bool) -> None:
        self.combo.set_read_only(read_only)
        self.new_button.setEnabled(not read_only)

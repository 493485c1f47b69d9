"""Perpetrators: people, units or institutions by name or call sign, linked to the acts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidgetItem

from testimony_app.domain.base import Record
from testimony_app.domain.detention import Act
from testimony_app.domain.person import Actor, Involvement
from testimony_app.i18n import _
from testimony_app.ui.editor.acts_section import LinkList, act_label, actor_label, set_link
from testimony_app.ui.editor.section import ID_ROLE, RecordListSection
from testimony_app.ui.form import Form


class PerpetratorsSection(RecordListSection):
    key = "perpetrators"
    cls = Actor

    @staticmethod
    def title() -> str:
        return _("Perpetrators")

    def add_text(self) -> str:
        return _("Add a perpetrator")

    def empty_text(self) -> str:
        return _("Whoever the interviewee names as responsible: a person (by name or call "
                 "sign), a unit or an institution.")

    def build_form(self) -> Form:
        form = Form(Actor)
        form.add("kind")
        form.add("name")
        form.add("call_signs")
        form.add("unit")
        form.add("rank")
        form.add("position")
        form.add("authority")
        form.add("description", lines=3)
        form.add("known_before_capture")
        form.add("identification_basis")
        self.acts = LinkList()
        self.acts.setAccessibleName(_("Acts"))
        form.add_heading(_("Acts they took part in"))
        form.add_widget(self.acts)
        form.add("notes", lines=2)
        self.acts.itemChanged.connect(self._link_changed)
        return form

    def new_record(self) -> Record:
        return Actor(interview_id=self.ctx.interview.id)

    def item_label(self, record: Record) -> str:
        assert isinstance(record, Actor)  # noqa: S101 - this section's own records
        return actor_label(record)

    def load_extra(self, record: Record | None) -> None:
        self.acts.blockSignals(True)
        self.acts.clear()
        if record is not None:
            linked = {i.act_id for i in self.ctx.records(Involvement)
                      if i.actor_id == record.id}
            for act in self.ctx.records(Act):
                item = QListWidgetItem(act_label(self.ctx, act).replace("\n", " — "))
                item.setData(ID_ROLE, act.id)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                              | Qt.ItemFlag.ItemIsSelectable)
                item.setCheckState(Qt.CheckState.Checked if act.id in linked
                                   else Qt.CheckState.Unchecked)
                self.acts.addItem(item)
        self.acts.setEnabled(not self.ctx.read_only)
        self.acts.blockSignals(False)

    def _link_changed(self, item: QListWidgetItem) -> None:
        actor = self.current()
        if actor is None or not item.data(ID_ROLE):
            return
        set_link(self.ctx, item.data(ID_ROLE), actor.id,
                 item.checkState() == Qt.CheckState.Checked)

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.acts.setEnabled(not read_only)

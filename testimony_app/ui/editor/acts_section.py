"""Ill-treatment: each act with where and when, how, what was said, injuries, who did it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from testimony_app.domain.base import Record
from testimony_app.domain.detention import Act, DetentionEpisode
from testimony_app.domain.person import Actor, Involvement
from testimony_app.i18n import _, current_language
from testimony_app.ui.editor.context import EditorContext, episode_dates
from testimony_app.ui.editor.section import ID_ROLE, RecordListSection
from testimony_app.ui.fields import ChoiceCombo
from testimony_app.ui.fields.sites import SitePicker
from testimony_app.ui.form import Form


def actor_label(actor: Actor) -> str:
    return actor.name or ", ".join(actor.call_signs) or actor.unit


class LinkList(QListWidget):
    """Ticks that link records through Involvement (acts to perpetrators and back)."""

    def __init__(self) -> None:
        super().__init__()
        self.setMaximumHeight(130)


def set_link(ctx: EditorContext, act_id: str, actor_id: str, linked: bool) -> None:
    current = [i for i in ctx.records(Involvement)
               if i.act_id == act_id and i.actor_id == actor_id]
    if linked and not current:
        ctx.add(Involvement(act_id=act_id, actor_id=actor_id, role="perpetrator_direct"))
    elif not linked:
        for involvement in current:
            ctx.remove(involvement)


def act_label(ctx: EditorContext, act: Act) -> str:
    lang = current_language()
    when = act.date.describe(lang) if act.date else _("date unknown")
    how = [ctx.term("ill_treatment_methods", m) for m in act.methods[:2]]
    if act.methods_other:
        how.append(act.methods_other)
    where = ctx.site_name(act.site_id)
    second = ", ".join(how) or _("(methods not chosen)")
    return f"{when}{' · ' + where if where else ''}\n{second}"


class ActsSection(RecordListSection):
    key = "acts"
    cls = Act

    @staticmethod
    def title() -> str:
        return _("Ill-treatment")

    def add_text(self) -> str:
        return _("Add an act")

    def empty_text(self) -> str:
        return _("Each act of ill-treatment the person describes: add the first one.")

    def build_form(self) -> Form:
        form = Form(Act)
        self.episode = ChoiceCombo()
        form.add("episode_id", self.episode)
        form.add("site_id", SitePicker(self.ctx))
        form.add("location_in_site")
        form.add("date")
        form.add("frequency")
        form.add("count_estimate")
        form.add("duration")
        form.add("act_types")
        form.add("methods")
        form.add("methods_other")
        form.add("objects_used", lines=2)
        form.add("questions_or_statements", lines=3)
        form.add("statements_signed", lines=2)
        form.add("injuries", lines=3)
        form.add("medical_involvement", lines=2)
        form.add("psychological_consequences", lines=2)
        form.add("witnesses", lines=2)
        form.add("knowledge_basis")
        self.perpetrators = LinkList()
        self.perpetrators.setAccessibleName(_("Perpetrators"))
        form.add_heading(_("Perpetrators"))
        form.add_widget(self.perpetrators)
        form.add("notes", lines=2)
        self.perpetrators.itemChanged.connect(self._link_changed)
        return form

    def new_record(self) -> Record:
        person = self.ctx.ensure_interviewee()
        return Act(interview_id=self.ctx.interview.id, victim_id=person.id)

    def sort_key(self, record: Record) -> tuple[str, ...]:
        assert isinstance(record, Act)  # noqa: S101 - this section's own records
        return (record.date.earliest.isoformat() if record.date else "9999",
                record.created_at or "~")

    def item_label(self, record: Record) -> str:
        assert isinstance(record, Act)  # noqa: S101
        return act_label(self.ctx, record)

    def refresh(self) -> None:
        episodes = sorted(self.ctx.records(DetentionEpisode),
                          key=lambda e: e.arrival.earliest.isoformat() if e.arrival else "9999")
        self.episode.set_items([(e.id, f"{self.ctx.site_name(e.site_id) or '?'} · "
                                       f"{episode_dates(e)}") for e in episodes])
        super().refresh()

    def _edited(self, name: str) -> None:
        super()._edited(name)
        act = self.current()
        if name == "episode_id" and isinstance(act, Act) and not act.site_id:
            episode = self.ctx.get(DetentionEpisode, act.episode_id)
            if episode is not None and episode.site_id:  # the act took place at that site
                self.form.fields["site_id"].set_value(episode.site_id)
                super()._edited("site_id")

    def load_extra(self, record: Record | None) -> None:
        self.perpetrators.blockSignals(True)
        self.perpetrators.clear()
        if record is not None:
            linked = {i.actor_id for i in self.ctx.records(Involvement) if i.act_id == record.id}
            for actor in self.ctx.records(Actor):
                item = QListWidgetItem(actor_label(actor) or _("(not named yet)"))
                item.setData(ID_ROLE, actor.id)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                              | Qt.ItemFlag.ItemIsSelectable)
                item.setCheckState(Qt.CheckState.Checked if actor.id in linked
                                   else Qt.CheckState.Unchecked)
                self.perpetrators.addItem(item)
            if not self.ctx.records(Actor):
                empty = QListWidgetItem(_("Add perpetrators in their own section."))
                empty.setFlags(Qt.ItemFlag.NoItemFlags)
                self.perpetrators.addItem(empty)
        self.perpetrators.setEnabled(not self.ctx.read_only)
        self.perpetrators.blockSignals(False)

    def _link_changed(self, item: QListWidgetItem) -> None:
        act = self.current()
        if act is None or not item.data(ID_ROLE):
            return
        set_link(self.ctx, act.id, item.data(ID_ROLE),
                 item.checkState() == Qt.CheckState.Checked)

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.perpetrators.setEnabled(not read_only)

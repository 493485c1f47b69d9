"""Consent, one row per scope of the vocabulary: decision, method, conditions, withdrawal.

A row is a draft until its decision is chosen; the summary at the top of the editor follows
every change.
"""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from testimony_app.domain.interview import Consent
from testimony_app.domain.vocabularies import vocabularies
from testimony_app.i18n import _, current_language, ngettext
from testimony_app.ui import labels
from testimony_app.ui.editor.context import EditorContext
from testimony_app.ui.editor.section import Section, scrolling
from testimony_app.ui.fields import Field, LineField, PartialDateEdit, VocabCombo
from testimony_app.ui.widgets import PlainLabel, muted_label

COLUMNS = ("decision", "method", "conditions", "withdrawn_on", "withdrawal_note")


def consent_summary(consents: list[Consent]) -> str:
    """One line for the top of the editor: what was granted, refused or withdrawn."""
    lang = current_language()
    scopes = vocabularies()["consent_scopes"]
    by_decision: dict[str, list[str]] = {}
    for c in consents:
        if c.decision:
            by_decision.setdefault(c.decision, []).append(scopes.label(c.scope or "", lang))
    if not by_decision:
        return _("Consent: nothing recorded yet.")
    parts = []
    granted = len(by_decision.get("granted", []))
    if granted:
        parts.append(ngettext("{n} scope granted", "{n} scopes granted", granted).format(n=granted))
    for decision, text in (("refused", _("refused: {scopes}")),
                           ("withdrawn", _("withdrawn: {scopes}"))):
        if by_decision.get(decision):
            parts.append(text.format(scopes=", ".join(by_decision[decision])))
    not_asked = len(by_decision.get("not_asked", []))
    if not_asked:
        parts.append(ngettext("{n} not asked", "{n} not asked", not_asked).format(n=not_asked))
    return _("Consent: {summary}.").format(summary="; ".join(parts))


class ConsentSection(Section):
    key = "consent"

    @staticmethod
    def title() -> str:
        return _("Consent")

    def __init__(self, ctx: EditorContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.outer.addWidget(muted_label(_(
            "One line per purpose. A line is saved once its decision is chosen; a withdrawal "
            "asks for its date.")))
        body = QWidget()
        self.grid = QGridLayout(body)
        self.grid.setContentsMargins(0, 0, 12, 12)
        self.grid.setHorizontalSpacing(8)
        self.grid.setVerticalSpacing(6)
        self.grid.addWidget(muted_label(labels.label("consent", "scope")), 0, 0)
        for column, name in enumerate(COLUMNS[:3], start=1):
            self.grid.addWidget(muted_label(labels.label("consent", name)), 0, column)
        self.grid.setColumnStretch(0, 5)
        self.grid.setColumnStretch(1, 2)
        self.grid.setColumnStretch(2, 2)
        self.grid.setColumnStretch(3, 4)
        self.rows: dict[str, dict[str, Field]] = {}
        self.withdrawal_rows: dict[str, QWidget] = {}
        lang = current_language()
        for n, term in enumerate(vocabularies()["consent_scopes"]):
            row = 1 + 2 * n
            scope_label = PlainLabel(term.label(lang), wrap=True)
            scope_label.setMinimumWidth(120)
            self.grid.addWidget(scope_label, row, 0)
            editors: dict[str, Field] = {
                "decision": VocabCombo("consent_decision"),
                "method": VocabCombo("consent_method"),
                "conditions": LineField(),
                "withdrawn_on": PartialDateEdit(),
                "withdrawal_note": LineField(),
            }
            for column, name in enumerate(COLUMNS[:3], start=1):
                self.grid.addWidget(editors[name], row, column)
            # Withdrawal: its own line under the scope, shown once consent is withdrawn.
            withdrawal = QWidget()
            line = QHBoxLayout(withdrawal)
            line.setContentsMargins(0, 0, 0, 6)
            for name in COLUMNS[3:]:
                caption = muted_label(labels.label("consent", name))
                caption.setWordWrap(False)
                caption.setBuddy(editors[name])
                line.addWidget(caption)
                line.addWidget(editors[name], 1 if name == "withdrawal_note" else 0)
            withdrawal.hide()
            self.grid.addWidget(withdrawal, row + 1, 1, 1, 3)
            self.withdrawal_rows[term.id] = withdrawal
            for name, editor in editors.items():
                editor.setAccessibleName(f"{term.label(lang)}: {labels.label('consent', name)}")
                editor.edited.connect(lambda scope=term.id, name=name: self._edited(scope, name))
            self.rows[term.id] = editors
        wrapper = QWidget()
        column_layout = QVBoxLayout(wrapper)
        column_layout.setContentsMargins(0, 0, 0, 0)
        column_layout.addWidget(body)
        column_layout.addStretch(1)
        self.outer.addWidget(scrolling(wrapper), 1)

    def count(self) -> int:
        return sum(1 for c in self.ctx.records(Consent) if c.decision)

    def _by_scope(self) -> dict[str, Consent]:
        return {c.scope: c for c in self.ctx.records(Consent) if c.scope}

    def _edited(self, scope: str, name: str) -> None:
        editor = self.rows[scope][name]
        if not editor.valid():
            return
        record = self._by_scope().get(scope)
        if record is None:
            record = self.ctx.add_draft(Consent(interview_id=self.ctx.interview.id, scope=scope))
        value = editor.value()
        if name == "decision" and value is None and self.ctx.saver.is_stored(record.id):
            value = "not_asked"  # a stored decision cannot be blank: it becomes "not asked"
            editor.set_value(value)
        self.ctx.change(record, name, value)
        if name == "decision":
            self._show_withdrawal(scope)

    def _show_withdrawal(self, scope: str) -> None:
        editors = self.rows[scope]
        shown = (editors["decision"].value() == "withdrawn" or editors["withdrawn_on"].value()
                 is not None or bool(editors["withdrawal_note"].value()))
        self.withdrawal_rows[scope].setVisible(shown)

    def refresh(self) -> None:
        by_scope = self._by_scope()
        for scope, editors in self.rows.items():
            record = by_scope.get(scope)
            for name, editor in editors.items():
                editor.set_value(getattr(record, name) if record is not None else None)
            self._show_withdrawal(scope)
        self.set_read_only(self.ctx.read_only)

    def set_read_only(self, read_only: bool) -> None:
        for editors in self.rows.values():
            for editor in editors.values():
                editor.set_read_only(read_only)

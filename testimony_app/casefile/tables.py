"""The tabular sections of an interview: detention timeline, acts, co-detainees seen,
perpetrators, attachments and the audit excerpt."""

from __future__ import annotations

import datetime

from testimony_app.casefile.context import Col, Context, Items, blocks, table
from testimony_app.casefile.labels import NONE_RECORDED, Words
from testimony_app.casefile.model import Column, Item, Row, Section
from testimony_app.casefile.model import Table as TableView
from testimony_app.casefile.people import actor_name, actor_sort_key
from testimony_app.casefile.redaction import Shown
from testimony_app.domain.dates import PartialDate
from testimony_app.i18n import N_

_LATE = datetime.date.max


def _earliest(*dates: PartialDate | None) -> datetime.date:
    return min((d.earliest for d in dates if d is not None), default=_LATE)


def _details(w: Words, fields: list[tuple[str, str, str]]) -> tuple[Item, ...]:
    out = Items(w)
    for key, label, value in fields:
        out.add(key, label, value)
    return out.result()


def timeline_section(ctx: Context) -> Section:
    w = ctx.words
    episodes = sorted(ctx.gathered.episodes, key=lambda e: (_earliest(e.arrival, e.departure),
                                                            e.created_at, e.id))
    cols = (Col("site", N_("Place of detention"), lambda e, _: ctx.place(e.site_id),
                ("site_id",)),
            Col("type", N_("Type"), lambda e, _: ctx.site_type(e.site_id), ("site_id",)),
            Col("period", N_("From – to"), lambda e, _: w.span(e.arrival, e.departure),
                ("arrival", "departure")),
            Col("arrival_mode", N_("How they arrived"),
                lambda e, _: w.term("arrival_mode", e.arrival_mode), ("arrival_mode",)))
    shown = [(e.id, ctx.show(e)) for e in episodes]
    details = []
    for n, (_, e) in enumerate(shown, start=1):
        details.append((w(N_("Detention {n}"), n=n), _details(w, [
            ("unit_label", N_("Cell or block"), e.unit_label),
            ("assigned_number", N_("Number assigned"), e.assigned_number),
            ("regime", N_("Regime"), e.regime),
            ("conditions", N_("Conditions"), w.terms("ill_treatment_methods", e.conditions)),
            ("conditions_text", N_("Conditions (described)"), e.conditions_text),
            ("daily_routine", N_("Daily routine"), e.daily_routine),
            ("legal_process", N_("Legal process"), e.legal_process),
            ("notes", N_("Notes"), e.notes)])))
    return Section("timeline", w(N_("Detention timeline")),
                   table=table(ctx, "episode", cols, shown), blocks=blocks(details),
                   empty=w(NONE_RECORDED))


def _perpetrators(ctx: Context, act_id: str) -> str:
    w = ctx.words
    lines = []
    for link in ctx.gathered.involvements.get(act_id, ()):
        actor = ctx.gathered.actors.get(link.actor_id or "")
        if actor is None:
            continue
        role = w.term("person_roles", ctx.show(link).role)
        name = actor_name(ctx.show(actor), w)
        lines.append(f"{name} ({role})" if role else name)
    return "\n".join(lines)


def acts_section(ctx: Context) -> Section:
    w = ctx.words
    g = ctx.gathered
    acts = sorted(g.acts, key=lambda a: (_earliest(a.date), a.created_at, a.id))

    def methods(a: Shown, _: int) -> str:  # one method a line: easier to read in a column
        labels = [w.term("ill_treatment_methods", m) for m in a.methods]
        return "\n".join(x for x in (*labels, a.methods_other or "") if x)

    def frequency(a: Shown, _: int) -> str:
        return "\n".join(x for x in (w.term("frequency", a.frequency), a.count_estimate or "")
                         if x)

    cols = (Col("date", N_("Date"), lambda a, _: w.date(a.date), ("date",)),
            Col("site", N_("Place"), lambda a, _: ctx.place(a.site_id), ("site_id",)),
            Col("methods", N_("Methods"), methods, ("methods", "methods_other")),
            Col("frequency", N_("Frequency"), frequency, ("frequency", "count_estimate")),
            Col("perpetrators", N_("Perpetrators"), lambda a, _: _perpetrators(ctx, a.id),
                when=bool(ctx.policy.allowed("actor"))))
    shown = [(a.id, ctx.show(a)) for a in acts]
    details = []
    for n, (record, (_, a)) in enumerate(zip(acts, shown, strict=True), start=1):
        victim = None
        if record.victim_id and record.victim_id != g.interview.interviewee_id:
            victim = g.people.get(record.victim_id)
            if victim is not None:
                ctx.show(victim)
        details.append((w(N_("Act {n}"), n=n), _details(w, [
            ("victim", N_("Victim"), ctx.names.person(victim)),
            ("act_types", N_("Kind of act"), w.terms("act_types", a.act_types)),
            ("location_in_site", N_("Where in the place"), a.location_in_site),
            ("duration", N_("Duration"), a.duration),
            ("objects_used", N_("Objects used"), a.objects_used),
            ("questions_or_statements", N_("Questions asked or things said"),
             a.questions_or_statements),
            ("statements_signed", N_("Statements signed"), a.statements_signed),
            ("medical_involvement", N_("Medical involvement"), a.medical_involvement),
            ("injuries", N_("Injuries"), a.injuries),
            ("psychological_consequences", N_("Psychological consequences"),
             a.psychological_consequences),
            ("witnesses", N_("Witnesses"), a.witnesses),
            ("knowledge_basis", N_("Basis of knowledge"), w.term("knowledge_basis",
                                                                  a.knowledge_basis)),
            ("notes", N_("Notes"), a.notes)])))
    return Section("acts", w(N_("Acts of ill-treatment")), table=table(ctx, "act", cols, shown),
                   blocks=blocks(details), empty=w(NONE_RECORDED))


def sightings_section(ctx: Context) -> Section:
    w = ctx.words
    g = ctx.gathered
    sightings = sorted(g.sightings, key=lambda s: (_earliest(s.first_seen, s.last_seen),
                                                   s.created_at, s.id))
    by_id = {s.id: s for s in sightings}

    def heard(s: Shown, _: int) -> str:
        record = by_id[s.id]
        observed = g.people.get(record.observed_person_id or "")
        if observed is not None:
            ctx.show(observed)
        return ctx.names.heard(record, observed)

    def where(s: Shown, _: int) -> str:
        return "\n".join(x for x in (ctx.place(s.site_id), s.unit_label or "") if x)

    cols = (Col("name", N_("Name as heard"), heard),
            Col("site", N_("Place"), where, ("site_id",)),
            Col("seen", N_("Seen"), lambda s, _: w.span(s.first_seen, s.last_seen),
                ("first_seen", "last_seen")),
            Col("condition", N_("Condition"),
                lambda s, _: w.term("observed_condition", s.condition), ("condition",)))
    shown = [(s.id, ctx.show(s)) for s in sightings]
    details = []
    for n, (_, s) in enumerate(shown, start=1):
        details.append((w(N_("Co-detainee {n}"), n=n), _details(w, [
            ("call_sign", N_("Call sign"), s.call_sign),
            ("self_reported_details", N_("What they said about themselves"),
             s.self_reported_details),
            ("identification_basis", N_("How identified"),
             w.term("sighting_identification_basis", s.identification_basis)),
            ("contact_type", N_("Contact"), w.term("sighting_contact_type", s.contact_type)),
            ("injuries_seen", N_("Injuries seen"), s.injuries_seen),
            ("ill_treatment_seen", N_("Ill-treatment seen"), s.ill_treatment_seen),
            ("last_known_movement", N_("Last known movement"), s.last_known_movement),
            ("distinguishing_marks_seen", N_("Distinguishing marks"),
             s.distinguishing_marks_seen),
            ("message_for_family", N_("Message for the family"), s.message_for_family),
            ("match_status", N_("Match to a person"), w.term("match_status", s.match_status)
             if s.match_status and s.match_status != "unreviewed" else ""),
            ("notes", N_("Notes"), s.notes)])))
    return Section("sightings", w(N_("Co-detainees seen")),
                   table=table(ctx, "sighting", cols, shown), blocks=blocks(details),
                   empty=w(NONE_RECORDED))


def perpetrators_section(ctx: Context) -> Section:
    w = ctx.words
    actors = sorted(ctx.gathered.actors.values(), key=actor_sort_key)
    cols = (Col("call_signs", N_("Call sign"), lambda a, _: " / ".join(a.call_signs),
                ("call_signs",)),
            Col("name", N_("Name, if known"), lambda a, _: a.name or "", ("name",)),
            Col("kind", N_("Kind"), lambda a, _: w.term("actor_kind", a.kind), ("kind",),
                unless=("name",)),
            Col("unit", N_("Unit"), lambda a, _: a.unit or "", ("unit",)),
            Col("authority", N_("Authority"),
                lambda a, _: w.term("controlling_authority", a.authority), ("authority",),
                unless=("description",)),
            Col("description", N_("Description"), lambda a, _: a.description or "",
                ("description",)))
    shown = [(a.id, ctx.show(a)) for a in actors]
    details = []
    if ctx.allows("actor", "description"):
        for n, (_, a) in enumerate(shown, start=1):
            details.append((w(N_("Perpetrator {n}"), n=n), _details(w, [
                ("rank", N_("Rank"), a.rank),
                ("position", N_("Position"), a.position),
                ("authority", N_("Authority"), w.term("controlling_authority", a.authority)),
                ("known_before_capture", N_("Known before capture"),
                 w.yes_no(True) if a.known_before_capture else ""),
                ("identification_basis", N_("How identified"), a.identification_basis),
                ("notes", N_("Notes"), a.notes)])))
    return Section("perpetrators", w(N_("Perpetrators")),
                   table=table(ctx, "actor", cols, shown), blocks=blocks(details),
                   empty=w(NONE_RECORDED))


def _custody(ctx: Context, attachment_id: str) -> str:
    w = ctx.words
    lines = []
    for event in ctx.gathered.custody.get(attachment_id, ()):
        c = ctx.show(event)
        parts = [(c.at or "")[:19].replace("T", " "), w.term("custody_action", c.action),
                 c.actor or "", c.medium or ""]
        if c.has("hash_matches") and not c.hash_matches:
            parts.append(w(N_("HASH MISMATCH")))
        lines.append(" · ".join(p for p in parts if p))
    return "\n".join(lines)


def attachments_section(ctx: Context) -> Section:
    w = ctx.words

    def about(a: Shown, _: int) -> str:
        return "\n".join(x for x in (a.original_filename or "", a.description or "",
                                     a.captured_at or "") if x)

    cols = (Col("kind", N_("Kind"), lambda a, _: w.term("attachment_kind", a.kind)),
            Col("file", N_("File"), about, ("original_filename", "description")),
            Col("size", N_("Size"), lambda a, _: w.size(a.size_bytes or 0), ("size_bytes",)),
            Col("sha256", N_("SHA-256 of the file"), lambda a, _: a.sha256 or "", ("sha256",)),
            Col("custody", N_("Chain of custody (UTC)"), lambda a, _: _custody(ctx, a.id)))
    shown = [(a.id, ctx.show(a)) for a in ctx.gathered.attachments]
    return Section("attachments", w(N_("Attachments")),
                   table=table(ctx, "attachment", cols, shown), empty=w(NONE_RECORDED))


_ENTITIES = {"person": N_("person"), "site": N_("site"), "interview": N_("interview"),
             "consent": N_("consent"), "capture": N_("capture"), "episode": N_("detention"),
             "act": N_("act"), "actor": N_("perpetrator"), "involvement": N_("involvement"),
             "sighting": N_("sighting"), "attachment": N_("attachment"),
             "custody": N_("custody event")}
_ACTIONS: dict[str, str] = {"create": N_("created"), "update": N_("edited"),
                            "delete": N_("deleted")}


def _when(at: str) -> str:
    return at[:19].replace("T", " ")


def audit_section(ctx: Context) -> Section:
    """The audit trail of each record shown above: its first and last entries and how many
    there are. Autosave makes one entry per edit, so every entry would be unbounded; the hash
    of the last entry seals the chain up to it, and ``testimony vault verify`` checks it."""
    w = ctx.words
    rows = []
    for record_id in ctx.shown_ids:
        entries = ctx.gathered.audit.get(record_id, ())
        if not entries:
            continue
        first, last = entries[0], entries[-1]
        entity = w(_ENTITIES[first.entity]) if first.entity in _ENTITIES else first.entity
        action = w(_ACTIONS[last.action]) if last.action in _ACTIONS else last.action
        devices = {e.device_id for e in entries}
        changed = f"{_when(last.at)}\n{action}" if len(entries) > 1 else ""
        rows.append(Row(record_id, (f"{entity} {record_id[:8]}", _when(first.at), changed,
                                    str(len(entries)),
                                    " ".join(sorted(d[:8] for d in devices)),
                                    str(last.seq), last.hash)))
    cols = (Column("record", w(N_("Record"))), Column("at", w(N_("Created (UTC)"))),
            Column("changed", w(N_("Last change (UTC)"))),
            Column("entries", w(N_("Entries"))), Column("devices", w(N_("Device"))),
            Column("seq", w(N_("Last entry"))),
            Column("hash", w(N_("Hash of the last entry (SHA-256)"))))
    return Section("audit", w(N_("Audit trail")), table=TableView(cols, tuple(rows)),
                   empty=w(NONE_RECORDED))

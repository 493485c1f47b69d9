"""The first sections of an interview: metadata, interviewee, consent, capture, narrative."""

from __future__ import annotations

import re

from testimony_app.casefile.context import Col, Context, Items, table
from testimony_app.casefile.labels import NONE_RECORDED
from testimony_app.casefile.model import Block, Item, Section
from testimony_app.casefile.redaction import Shown, scope_state, state_label
from testimony_app.domain.vocabularies import vocabularies
from testimony_app.i18n import N_

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_LANGUAGES = {"uk": N_("Ukrainian"), "ru": N_("Russian"), "en": N_("English"),
              "crh": N_("Crimean Tatar"), "be": N_("Belarusian")}


def _when(start: str, end: str, *, date_only: bool) -> str:
    """Interview start and end as stored (ISO text), shortened for the advocacy profile."""
    if date_only:
        return start[:10]
    start, end = start.replace("T", " "), end.replace("T", " ")
    if end and end[:10] == start[:10]:
        end = end[11:]
    return f"{start} – {end}" if start and end else start or end


def interview_section(ctx: Context) -> Section:
    w = ctx.words
    i = ctx.show(ctx.gathered.interview)
    out = Items(w)
    out.add("reference", N_("Reference"), i.reference)
    out.add("id", N_("Record id"), ctx.gathered.interview.id)
    out.add("when", N_("Date and time"),
            _when(i.start_at or "", i.end_at or "", date_only=not i.has("end_at")))
    out.add("place_generalised", N_("Place (general)"), i.place_generalised)
    out.add("place_exact", N_("Place (exact)"), i.place_exact)
    out.add("mode", N_("Mode"), w.term("interview_mode", i.mode))
    out.add("languages", N_("Languages"),
            ", ".join(w(_LANGUAGES[c]) if c in _LANGUAGES else c for c in i.languages))
    out.add("interviewer", N_("Interviewer"), i.interviewer)
    out.add("interpreter", N_("Interpreter"), i.interpreter)
    out.add("others_present", N_("Others present"), i.others_present)
    out.add("status", N_("Status"), w.term("interview_status", i.status))
    out.add("confidentiality", N_("Confidentiality"), w.term("confidentiality",
                                                               i.confidentiality))
    out.add("locked_hash", N_("Locked; SHA-256 of the locked record"), i.locked_hash)
    out.add("prior_accounts", N_("Accounts given elsewhere"), i.prior_accounts)
    out.add("referrals_offered", N_("Referrals offered"),
            w.terms("referral_type", i.referrals_offered))
    out.add("referral_notes", N_("Referral notes"), i.referral_notes)
    out.add("risk_assessment", N_("Risk assessment"), i.risk_assessment)
    out.add("interviewer_observations", N_("Interviewer's observations"),
            i.interviewer_observations)
    out.add("inconsistencies_noted", N_("Inconsistencies noted"), i.inconsistencies_noted)
    return Section("interview", w(N_("Interview")), items=out.result())


def _names(person: Shown, ctx: Context) -> str:
    w = ctx.words
    variants = []
    for name in person.names:
        about = ", ".join(p for p in (w.term("name_kind", name.kind), name.language) if p)
        variants.append(f"{name.full} ({about})" if about else name.full)
    return "; ".join(variants)


def interviewee_section(ctx: Context) -> Section:
    w = ctx.words
    g = ctx.gathered
    person = g.interviewee
    out = Items(w)
    out.add("name", N_("Full name"), ctx.names.interviewee(g.interview, person))
    if person is None:
        return Section("interviewee", w(N_("Interviewee")), items=out.result())
    p = ctx.show(person)
    real = ctx.names.uses_real(person)
    if real:
        out.add("names", N_("Name variants"), _names(p, ctx))
    out.add("sex", N_("Sex"), w.term("sex", p.sex))
    if real:
        out.add("birth_date", N_("Date of birth"), w.date(p.birth_date))
        out.add("place_of_birth", N_("Place of birth"), p.place_of_birth)
        out.add("father_given_name", N_("Father's given name"), p.father_given_name)
        out.add("mother_maiden_name", N_("Mother's maiden name"), p.mother_maiden_name)
        out.add("citizenship", N_("Citizenship"), ", ".join(p.citizenship))
        out.add("home", N_("Home"), ", ".join(x for x in (p.home_settlement, p.home_region)
                                              if x))
        out.add("occupation", N_("Occupation"), p.occupation)
    out.add("legal_category", N_("Legal category"), w.term("legal_category", p.legal_category))
    if real:
        service = ", ".join(x for x in (p.service_branch, p.unit, p.rank, p.position) if x)
        out.add("service", N_("Service (branch, unit, rank, position)"), service)
        out.add("service_number", N_("Service number"), p.service_number)
        out.add("call_sign", N_("Call sign"), p.call_sign)
        out.add("distinguishing_marks", N_("Distinguishing marks"), p.distinguishing_marks)
        out.add("health_notes", N_("Health"), p.health_notes)
        out.add("contacts", N_("Contacts"), p.contacts)
        out.add("next_of_kin", N_("Next of kin"), p.next_of_kin)
        out.add("registrations", N_("Registrations"), p.registrations)
    statuses = []
    for entry in p.status_history:
        line = w.term("person_status", entry.status)
        if entry.as_of is not None:
            line = w(N_("{status}, as of {date}"), status=line, date=w.date(entry.as_of))
        if entry.source and real:
            line = f"{line} ({entry.source})"
        statuses.append(line)
    out.add("status_history", N_("Status"), "\n".join(statuses))
    if real:
        flags = [w.term("priority_categories", f.category) + (f" — {f.basis}" if f.basis else "")
                 for f in p.priority_flags]
        out.add("priority_flags", N_("Priority"), "\n".join(flags))
        out.add("notes", N_("Notes"), p.notes)
    return Section("interviewee", w(N_("Interviewee")), items=out.result())


def _scope_order(scope: str | None) -> int:
    ids = [t.id for t in vocabularies()["consent_scopes"]]
    return ids.index(scope) if scope in ids else len(ids)


def consent_section(ctx: Context) -> Section:
    w = ctx.words
    consents = sorted(ctx.gathered.consents, key=lambda c: (_scope_order(c.scope), c.created_at))

    def decision(c: Shown, _: int) -> str:
        text = w.term("consent_decision", c.decision)
        if c.withdrawn_on is not None:
            text = w(N_("withdrawn on {date}"), date=w.date(c.withdrawn_on))
            if c.withdrawal_note:
                text += f"\n{c.withdrawal_note}"
        return text

    def recorded(c: Shown, _: int) -> str:
        return "\n".join(x for x in (w.date(c.recorded_on), c.recorded_by or "") if x)

    def conditions(c: Shown, _: int) -> str:
        guardian = w(N_("Guardian: {name}"), name=c.guardian) if c.guardian else ""
        return "\n".join(x for x in (c.conditions or "", guardian) if x)

    cols = (Col("scope", N_("Scope"), lambda c, _: w.term("consent_scopes", c.scope)),
            Col("decision", N_("Decision"), decision, ("decision",)),
            Col("method", N_("Method"), lambda c, _: w.term("consent_method", c.method),
                ("method",)),
            Col("recorded", N_("Recorded"), recorded, ("recorded_on", "recorded_by")),
            Col("conditions", N_("Conditions"), conditions, ("conditions", "guardian")))
    rows = [(c.id, ctx.show(c)) for c in consents]
    scopes = ctx.policy.profile.scopes
    states = "; ".join(f"{w.term('consent_scopes', s)}: "
                       f"{state_label(w, scope_state(ctx.gathered.consents, s))}"
                       for s in scopes)
    summary = (Item("admitted_by", w(N_("Consent for this case file")), states),)
    return Section("consent", w(N_("Consent")), items=summary,
                   table=table(ctx, "consent", cols, rows), empty=w(NONE_RECORDED))


def capture_section(ctx: Context) -> Section:
    w = ctx.words
    found = []
    for n, capture in enumerate(sorted(ctx.gathered.captures,
                                       key=lambda c: (c.date.earliest if c.date else
                                                      c.created_at, c.id)), start=1):
        c = ctx.show(capture)
        out = Items(w)
        out.add("date", N_("Date"), w.date(c.date))
        out.add("place", N_("Place"), c.place)
        out.add("capturing_unit", N_("Capturing unit"), c.capturing_unit)
        out.add("circumstances", N_("Circumstances"), c.circumstances)
        out.add("stated_reason", N_("Reason given"), c.stated_reason)
        out.add("witnesses", N_("Witnesses"), c.witnesses)
        out.add("property_taken", N_("Property taken"), c.property_taken)
        found.append(Block(w(N_("Capture {n}"), n=n), out.result()))
    return Section("capture", w(N_("Capture")), blocks=tuple(b for b in found if b.items),
                   empty=w(NONE_RECORDED))


def narrative_section(ctx: Context) -> Section:
    text = ctx.show(ctx.gathered.interview).narrative or ""
    paragraphs = tuple(p.strip() for p in _PARAGRAPH_BREAK.split(text) if p.strip())
    return Section("narrative", ctx.words(N_("Narrative")), paragraphs=paragraphs,
                   empty=ctx.words(NONE_RECORDED))

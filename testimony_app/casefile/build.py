"""From gathered records to the redacted view of a case file (see ``model``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from testimony_app.casefile import redaction, sections, tables
from testimony_app.casefile.context import Context
from testimony_app.casefile.gather import Gathered
from testimony_app.casefile.labels import Words
from testimony_app.casefile.model import CaseFile, InterviewView, Item, LeftOut, Omission, Section
from testimony_app.casefile.people import Names, place
from testimony_app.casefile.redaction import Policy, Profile, Shown
from testimony_app.domain.detention import Site
from testimony_app.domain.person import Person
from testimony_app.i18n import LANGUAGE_NAMES, N_

_BUILDERS: dict[str, Callable[[Context], Section]] = {
    "interview": sections.interview_section,
    "interviewee": sections.interviewee_section,
    "consent": sections.consent_section,
    "capture": sections.capture_section,
    "narrative": sections.narrative_section,
    "timeline": tables.timeline_section,
    "acts": tables.acts_section,
    "sightings": tables.sightings_section,
    "perpetrators": tables.perpetrators_section,
    "attachments": tables.attachments_section,
}


@dataclass(frozen=True)
class Facts:
    """Who made the case file, when, and under which reference."""

    id: str
    reference: str
    title: str  # empty: a title is made from the selection
    generated_at: str  # ISO 8601, UTC
    organisation: str
    device_id: str
    device_fingerprint: str
    device_public_key: str  # hex


def _omissions(ctx: Context) -> tuple[Omission, ...]:
    w = ctx.words
    g = ctx.gathered
    out: list[Omission] = []
    profile = ctx.policy.profile
    if g.interviewee is not None:
        if (not profile.pseudonyms and g.interviewee.id in ctx.names.withheld
                and "surname" in profile.allowed("person")):
            out.append(Omission("identity", w(N_("Identity of the interviewee")),
                                w(N_("Consent refused or withdrawn: {scope}."),
                                  scope=w.term("consent_scopes", redaction.IDENTITY_SCOPE))))
        elif ctx.names.uses_real(g.interviewee):
            for gate in ctx.policy.closed_for(g.interviewee):
                out.append(Omission("+".join(sorted(gate.fields)), w(gate.what),
                                    w(N_("No consent: {scope}."),
                                      scope=w.term("consent_scopes", gate.scope))))
    return tuple(out)


def _interview(ctx: Context) -> InterviewView:
    g = ctx.gathered
    w = ctx.words
    built = [_BUILDERS[key](ctx) for key in ctx.policy.profile.sections if key in _BUILDERS]
    if ctx.policy.profile.has("audit"):
        built.append(tables.audit_section(ctx))
    name = ctx.names.interviewee(g.interview, g.interviewee)
    reference = g.interview.reference or g.interview.id[:8]
    heading = w(N_("Interview {reference}: {name}"), reference=reference, name=name)
    return InterviewView(id=g.interview.id, reference=reference, heading=heading,
                         sections=tuple(built), omitted=_omissions(ctx),
                         records=tuple(ctx.shown_ids))


def _title(profile: Profile, words: Words, names: Names, subject: Person | Site | None,
           shown: set[str]) -> str:
    """A title from the selection. The person or site is named only if the file shows them
    anyway: a file whose interviews were all left out must not name whom they are about."""
    if subject is not None and subject.id not in shown:
        return words(N_("Interviews about a person")) if isinstance(subject, Person) else (
            words(N_("Interviews about a place of detention")))
    if isinstance(subject, Person):
        return words(N_("Interviews about {name}"), name=names.person(subject))
    if isinstance(subject, Site):
        return words(N_("Interviews about {place}"), place=place(
            subject, Shown(subject, profile.allowed("site")), words,
            exact=profile.exact_places))
    return words(N_("Selected interviews"))


def build(gathered: Sequence[Gathered], profile: Profile, lang: str, facts: Facts,
          subject: Person | Site | None = None,
          on_interview: Callable[[int], None] | None = None) -> CaseFile:
    words = Words(lang)
    included: list[Gathered] = []
    left_out: list[LeftOut] = []
    for g in gathered:
        reason = redaction.admission(profile, g.consents, words)
        if reason is None:
            included.append(g)
        else:
            left_out.append(LeftOut(g.interview.id, g.interview.reference or g.interview.id[:8],
                                    reason))
    withheld = frozenset(g.interviewee.id for g in gathered if g.interviewee is not None
                         and redaction.identity_withheld(g.consents))
    names = Names(profile, words, withheld)
    for g in included:  # interviewees are "Witness A, B, ..." in the order of the file
        names.interviewee(g.interview, g.interviewee)
    views = []
    for n, g in enumerate(included, start=1):
        views.append(_interview(Context(g, Policy(profile, g.consents), words, names)))
        if on_interview is not None:
            on_interview(n)
    marking = words(profile.marking)
    if any(g.interview.confidentiality == "highly_sensitive" for g in included):
        marking += " · " + words.term("confidentiality", "highly_sensitive")
    shown = {record_id for view in views for record_id in view.records}
    title = facts.title or _title(profile, words, names, subject, shown)
    cover = (
        Item("reference", words(N_("Reference")), facts.reference),
        Item("title", words(N_("Title")), title),
        Item("generated_at", words(N_("Generated at (UTC)")),
             facts.generated_at[:19].replace("T", " ")),
        Item("organisation", words(N_("Organisation / vault")), facts.organisation),
        Item("device_fingerprint", words(N_("Generated by device (key fingerprint)")),
             facts.device_fingerprint),
        Item("profile", words(N_("Redaction profile")), words(profile.label)),
        Item("lang", words(N_("Language")), LANGUAGE_NAMES.get(words.lang, words.lang)),
        Item("included", words(N_("Interviews included")), str(len(views))),
        Item("left_out", words(N_("Interviews left out")), str(len(left_out))),
        Item("id", words(N_("Case file id")), facts.id),
    )
    return CaseFile(
        id=facts.id, reference=facts.reference, title=title, generated_at=facts.generated_at,
        lang=words.lang, profile=profile.name, profile_label=words(profile.label),
        marking=marking, organisation=facts.organisation, device_id=facts.device_id,
        device_fingerprint=facts.device_fingerprint,
        device_public_key=facts.device_public_key,
        cover=tuple(i for i in cover if i.value), profile_notes=tuple(
            words(n) for n in profile.notes), interviews=tuple(views), left_out=tuple(left_out))

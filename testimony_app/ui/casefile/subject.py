"""What a case file is asked for, and how many interviews of it each profile may show."""

from __future__ import annotations

from dataclasses import dataclass, field

from testimony_app.casefile import redaction
from testimony_app.casefile.selection import Selection, resolve
from testimony_app.domain.interview import Consent
from testimony_app.i18n import _, ngettext
from testimony_app.vault.store import Store


@dataclass(frozen=True)
class Subject:
    """What a case file is asked for: the selection, and how to name it (as on screen)."""

    selection: Selection
    label: str = ""  # an interview's label, a person's name, a site's name (plain text)

    def describe(self) -> str:
        kind, n = self.selection.kind, len(self.selection.ids)
        if kind == "person":
            return _("Everything about {name}").format(name=self.label)
        if kind == "site":
            return _("Everything about {site}").format(site=self.label)
        if n == 1 and self.label:
            return _("Interview {label}").format(label=self.label)
        return ngettext("{n} interview chosen in the list", "{n} interviews chosen in the list",
                        n).format(n=n)

    def scope_hint(self) -> str:
        if self.selection.kind == "person":
            return _("Every interview where this person was interviewed, was seen by someone, "
                     "or is the victim of a recorded act.")
        if self.selection.kind == "site":
            return _("Every interview with a detention, an act or a sighting at this place or "
                     "at a place inside it.")
        return ""


# Vault thread ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Survey:
    """How many interviews the selection covers, and how many each profile may show."""

    interviews: int
    admitted: dict[str, int] = field(default_factory=dict)


def survey(store: Store, selection: Selection) -> Survey:
    found = resolve(store, selection)
    admitted = dict.fromkeys(redaction.PROFILES, 0)
    for interview in found:
        consents = store.list(Consent, interview_id=interview.id)
        for name in redaction.PROFILES:
            if any(redaction.granted(consents, scope)
                   for scope in redaction.profile(name).scopes):
                admitted[name] += 1
    return Survey(len(found), admitted)


# Texts ----------------------------------------------------------------------------------------

def survey_text(found: Survey, profile: str) -> str:
    n, k = found.interviews, found.admitted.get(profile, 0)
    if n == 0:
        return _("No interview matches: there is nothing to export.")
    total = ngettext("{n} interview.", "{n} interviews.", n).format(n=n)
    if k == n:
        share = ngettext("It has consent for this use.", "All of them have consent for this use.",
                         n)
    elif k == 0:
        share = ngettext("It has no consent for this use: the case file will only say that it "
                         "was left out.",
                         "None has consent for this use: the case file will only list them as "
                         "left out.", n)
    else:
        share = ngettext("{k} with consent for this use; the other one will only be listed as "
                         "left out.",
                         "{k} with consent for this use; the other {m} will only be listed as "
                         "left out.", n - k).format(k=k, m=n - k)
    return f"{total} {share}"

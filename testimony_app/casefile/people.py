"""How people, perpetrators and places are named in one case file, by profile.

With pseudonyms, an interviewee is called by the interview's or the person's pseudonym, else
"Witness A", "Witness B", ...; anyone else by their pseudonym, else "Person 1", "Person 2", ...
The same person keeps the same pseudonym throughout the file (a co-detainee heard under the same
name in two interviews included). A person whose interview refused consent to store identifying
data is called by a pseudonym in every profile.
"""

from __future__ import annotations

from testimony_app.casefile.labels import UNKNOWN, Words, letters
from testimony_app.casefile.redaction import Profile, Shown
from testimony_app.domain.detention import Sighting, Site
from testimony_app.domain.interview import Interview
from testimony_app.domain.person import Actor, Person
from testimony_app.i18n import N_


def real_name(person: Person) -> str:
    structured = " ".join(p for p in (person.surname, person.given_name, person.patronymic) if p)
    return structured or (person.names[0].full if person.names else "")


class Names:
    def __init__(self, profile: Profile, words: Words, withheld: frozenset[str]) -> None:
        self.profile = profile
        self.words = words
        self.withheld = withheld
        self._real = not profile.pseudonyms and "surname" in profile.allowed("person")
        self._given: dict[str, str] = {}
        self._witnesses = 0
        self._others = 0

    def uses_real(self, person: Person | None) -> bool:
        return self._real and person is not None and person.id not in self.withheld

    def _allocate(self, key: str, pseudonym: str, *, witness: bool) -> str:
        if key not in self._given:
            if pseudonym:
                self._given[key] = pseudonym
            elif witness:
                self._given[key] = self.words(N_("Witness {letter}"),
                                              letter=letters(self._witnesses))
                self._witnesses += 1
            else:
                self._others += 1
                self._given[key] = self.words(N_("Person {number}"), number=self._others)
        return self._given[key]

    def interviewee(self, interview: Interview, person: Person | None) -> str:
        if person is not None and self.uses_real(person):
            return real_name(person) or self.words(UNKNOWN)
        key = person.id if person is not None else f"interview:{interview.id}"
        pseudonym = interview.pseudonym or (person.pseudonym if person is not None else "")
        return self._allocate(key, pseudonym, witness=True)

    def person(self, person: Person | None) -> str:
        if person is None:
            return ""
        if self.uses_real(person):
            return real_name(person) or self.words(UNKNOWN)
        return self._allocate(person.id, person.pseudonym, witness=False)

    def heard(self, sighting: Sighting, observed: Person | None) -> str:
        """The name a co-detainee was heard under, or their pseudonym."""
        if self._real and (observed is None or observed.id not in self.withheld):
            return sighting.name_as_heard
        if observed is not None:
            return self.person(observed)
        key = "heard:" + " ".join(sighting.name_as_heard.casefold().split())
        return self._allocate(key, "", witness=False)


def actor_name(actor: Shown, words: Words) -> str:
    """A perpetrator as this profile may name them: call signs, name and unit, or only the
    unit or authority when names are dropped."""
    parts = [" / ".join(actor.call_signs), actor.name or "", actor.unit or ""]
    if not parts[0] and not parts[1]:
        parts.append(words.term("controlling_authority", actor.authority))
    named = ", ".join(p for p in parts if p)
    return named or words(N_("unidentified ({kind})"),
                          kind=words.term("actor_kind", actor.kind) or words(UNKNOWN))


def place(site: Site | None, shown: Shown | None, words: Words, *, exact: bool) -> str:
    """A site by name and location, or (advocacy) by region and country only."""
    if site is None or shown is None:
        return words(UNKNOWN)
    detail = (shown.address, shown.settlement) if exact else ()
    where = ", ".join(p for p in (*detail, shown.region, shown.country) if p)
    if not exact:
        return where or words(N_("region not recorded"))
    name = shown.canonical_name or ""
    return f"{name} ({where})" if name and where else (name or where or words(UNKNOWN))


def actor_sort_key(actor: Actor) -> tuple[str, str, str]:
    return (" ".join(actor.call_signs).casefold(), actor.name.casefold(), actor.id)

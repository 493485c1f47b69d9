"""A demo vault of clearly fictional testimonies, for training and for trying the app.

Everything here is generated: people, places, units, call signs and events are invented and
marked as such ("[ДЕМО]"/"[DEMO]" opens every narrative, every site name says "(демо)"). The
content is plausible on purpose, so that trainees meet the shapes real testimonies have
(partial and approximate dates, name variants in several scripts, transfers between sites,
the same co-detainee mentioned by several people) without ever handling a real person's story.

The vault uses a published passphrase and the Argon2 floor so it opens quickly: it must never
hold real testimonies. Generation is deterministic for a given seed.

Run ``python -m testimony_app.services.demo [FOLDER]`` to build one and print where it is.

The fictional tables live beside this module: :mod:`~testimony_app.services.demo_data` (dates,
sites, acts, consents), :mod:`~testimony_app.services.demo_people` (names, co-detainees, one
interviewee) and :mod:`~testimony_app.services.demo_text` (the sentences); the placeholder photo comes from
:mod:`~testimony_app.services.demo_photo`.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import random
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from testimony_app import config, errors, fs
from testimony_app.crypto.kdf import Argon2Params
from testimony_app.domain.dates import PartialDate
from testimony_app.domain.detention import Act, DetentionEpisode, Sighting, Site
from testimony_app.domain.interview import CaptureEvent, Consent, Interview
from testimony_app.domain.person import Actor, Involvement, Person, StatusEntry
from testimony_app.services.attachments import add_attachment
from testimony_app.services.demo_data import (
    _COLONY,
    _CONSENTS,
    _DIGNITY,
    _EPISODE_CONDITIONS,
    _INTERVIEWERS,
    _METHODS,
    _POW_CAMP,
    _PSEUDONYM,
    _SITES,
    _SIZO,
    _TORTURE,
    _add_sites,
    _durations,
    _interview_languages,
    _month,
    _route,
    _When,
    _when,
    _ym,
)
from testimony_app.services.demo_data import LANGS as LANGS  # re-exported
from testimony_app.services.demo_people import _ONE_OFF_NAMES, _SETTLEMENTS, _flags, _person
from testimony_app.services.demo_people import CO_DETAINEES as CO_DETAINEES  # re-exported
from testimony_app.services.demo_photo import tiny_png as tiny_png  # re-exported
from testimony_app.services.demo_text import (
    _OBSERVATIONS,
    _TEXT,
    _VERBS,
    _call_sign_in,
    _methods_text,
    _months,
    _sentence,
)
from testimony_app.vault import header
from testimony_app.vault.store import Store
from testimony_app.vault.vault import Vault

DEMO_PASSPHRASE = "demo passphrase — not for real testimonies"  # noqa: S105 - published on purpose
DEMO_NAME = "Demo (fictional)"
DEMO_MARK = {"uk": "[ДЕМО]", "ru": "[ДЕМО]", "en": "[DEMO]"}
# Most testimonies in Ukrainian, some in Russian, a few in English; every prefix of six
# interviews already holds all three languages.
_LANGUAGE_CYCLE = ("uk", "uk", "ru", "uk", "en", "uk", "ru", "uk")
_LOCKED_INDEX = 1
_ATTACHMENT_EVERY = 6
_ATTACHMENT_AT = 2


# Building -----------------------------------------------------------------------------------

@dataclass
class _Stay:
    site: int
    arrival: _When
    departure: _When


def _build_one(store: Store, rng: random.Random, index: int, sites: list[Site]) -> Interview:
    n = index + 1
    lang = _LANGUAGE_CYCLE[index % len(_LANGUAGE_CYCLE)]
    t = _TEXT[lang]
    mark = DEMO_MARK[lang]
    military = rng.random() < 0.45
    person, given = _person(rng, index, military)
    verbs = _VERBS[lang][given.sex]

    # The journey: capture, then 2-4 stays, each arriving when the previous ended.
    capture_month = _month(2022, rng.randint(3, 6))
    route = _route(rng, military)[:rng.randint(2, 4)]
    stays: list[_Stay] = []
    start = _when(rng, capture_month)
    for site in route:
        end_month = start.month + _durations(site, rng)
        end = _when(rng, end_month)
        stays.append(_Stay(site, start, end))
        start = end
    release = stays[-1].departure
    months_held = release.month - capture_month

    status_history = (
        StatusEntry(status="detained_reported", as_of=stays[0].arrival.date,
                    source="повідомлення родини (демо)"),
        StatusEntry(status="detained_acknowledged", as_of=PartialDate.parse(
            "{:04d}-{:02d}~".format(*_ym(capture_month + 3))), source="вигадане джерело"),
        StatusEntry(status="released_exchange" if military else "released_other",
                    as_of=release.date, source="це інтерв'ю (демо)", confidence="high"),
    )
    person = store.add(dataclasses.replace(
        person, status_history=status_history,
        priority_flags=_flags(person, given, military, months_held, rng)))

    interview_month = release.month + rng.randint(1, 8)
    iy, im = _ym(interview_month)
    day, hour = rng.randint(1, 28), rng.randint(9, 15)
    status = rng.choices(("draft", "complete", "reviewed"), weights=(3, 4, 3))[0]
    if index == _LOCKED_INDEX:
        status = "reviewed"
    home = _SETTLEMENTS[rng.randrange(len(_SETTLEMENTS))][lang]
    place_key = "capture_place_mil" if military else "capture_place_civ"
    capture_place = t[place_key].format(settlement=home)

    # Narrative and observations, built as the stored records are.
    sentences = [t["lead"].format(mark=mark)]
    capture_words = stays[0].arrival.words(lang)
    capture_words = capture_words[:1].upper() + capture_words[1:]
    key = "capture_mil" if military else "capture_civ"
    sentences.append(t[key].format(when=capture_words, place=capture_place,
                                   unit=person.unit or "—"))

    observation_pool = _OBSERVATIONS[lang]
    observations = " ".join([
        t["obs_lead"].format(mark=mark),
        rng.choice(observation_pool[given.sex]),
        *rng.sample(observation_pool["any"], 2),
    ])
    interviewer = _INTERVIEWERS[index % len(_INTERVIEWERS)]
    interview = store.add(Interview(
        reference=f"DEMO-{n:04d}", interviewee_id=person.id,
        pseudonym=_PSEUDONYM[lang].format(n=n), interviewer=interviewer,
        interpreter="перекладач(ка) Демо (вигадана особа)" if lang == "en" else "",
        start_at=f"{iy:04d}-{im:02d}-{day:02d}T{hour:02d}:00:00",
        end_at=f"{iy:04d}-{im:02d}-{day:02d}T{hour + rng.randint(2, 3):02d}:30:00",
        place_generalised=t["place"], place_exact=t["place_exact"],
        mode=rng.choices(("in_person", "remote_video", "remote_phone"), weights=(6, 2, 1))[0],
        languages=_interview_languages(lang, rng),
        prior_accounts=t["prior"] if rng.random() < 0.3 else "",
        referrals_offered=tuple(r for r in ("psychological", "medical", "legal")
                                if rng.random() < 0.6),
        risk_assessment=t["risk"],
        narrative="", interviewer_observations=observations,
        inconsistencies_noted=t["inconsistent"] if rng.random() < 0.25 else "",
        status=status,
        confidentiality=rng.choices(("normal", "sensitive", "highly_sensitive"),
                                    weights=(3, 5, 2))[0],
    ))

    for scope, chance in _CONSENTS:
        decision = "granted" if rng.random() < chance else "refused"
        withdrawn = (decision == "granted" and scope in ("media", "advocacy_anonymous")
                     and rng.random() < 0.15)
        store.add(Consent(
            interview_id=interview.id, scope=scope,
            decision="withdrawn" if withdrawn else decision,
            method=rng.choice(("written", "oral_recorded", "oral_noted")),
            conditions=t["consent_cond"] if scope == "advocacy_anonymous" else "",
            recorded_by=interviewer, recorded_on=PartialDate.parse(f"{iy:04d}-{im:02d}-{day:02d}"),
            withdrawn_on=PartialDate.parse(f"{iy:04d}-{im:02d}~") if withdrawn else None,
            withdrawal_note=t["withdrawn"] if withdrawn else ""))

    store.add(CaptureEvent(
        person_id=person.id, interview_id=interview.id, date=stays[0].arrival.date,
        place=capture_place,
        circumstances=t["circumstances_mil" if military else "circumstances_civ"],
        capturing_unit=t["capturing_unit"], stated_reason=t["reason"],
        property_taken=t["property"]))

    # Episodes, with the story of each.
    episodes: list[DetentionEpisode] = []
    for k, stay in enumerate(stays):
        spec = _SITES[stay.site]
        episode = store.add(DetentionEpisode(
            person_id=person.id, interview_id=interview.id, site_id=sites[stay.site].id,
            unit_label=t["cell"].format(n=rng.randint(1, 40)),
            arrival=stay.arrival.date, departure=stay.departure.date,
            arrival_mode="capture" if k == 0 else "transfer",
            transferred_from_id=episodes[-1].id if episodes else None,
            assigned_number=f"Д-{rng.randint(100, 999)}" if stay.site in (_SIZO, _COLONY) else "",
            conditions=tuple(rng.sample(_EPISODE_CONDITIONS, rng.randint(1, 3))),
            daily_routine=t["routine"] if stay.site in (_SIZO, _COLONY, _POW_CAMP) else ""))
        episodes.append(episode)
        sentences.append(t["first" if k == 0 else "next"].format(
            site=spec.names[lang], was=verbs["was"],
            months=_months(max(1, stay.departure.month - stay.arrival.month), lang)))

    # Acts, their perpetrators, and the sentences about them (one per stay at most).
    actors: dict[str, Actor] = {}
    locations = t["locations"].split("|")
    told: set[int] = set()
    for _ in range(rng.randint(2, 6)):
        k = rng.randrange(len(stays))
        stay, episode = stays[k], episodes[k]
        spec = _SITES[stay.site]
        methods = rng.sample(sorted(_METHODS), rng.randint(1, 3))
        act_types = ["torture" if _TORTURE.intersection(methods) else "inhuman_cruel_treatment"]
        if _DIGNITY.intersection(methods):
            act_types.append("outrage_personal_dignity")
        month = rng.randint(stay.arrival.month, stay.departure.month)
        act = store.add(Act(
            interview_id=interview.id, victim_id=person.id, episode_id=episode.id,
            site_id=episode.site_id, location_in_site=rng.choice(locations),
            date=_when(rng, month).date,
            frequency=rng.choice(("once", "several_times", "repeated", "daily")),
            count_estimate=t["count"], duration=t["duration"], act_types=tuple(act_types),
            methods=tuple(methods),
            injuries=t["injuries"] if rng.random() < 0.4 else "",
            psychological_consequences=t["psych"] if rng.random() < 0.5 else "",
            knowledge_basis="direct_experience"))
        call_sign = rng.choice(spec.guards)
        actor = actors.get(call_sign)
        if actor is None:
            actor = actors[call_sign] = store.add(Actor(
                interview_id=interview.id, kind="individual", call_signs=(call_sign,),
                unit=spec.guard_unit, authority=spec.authority,
                description=t["guard_description"], identification_basis=t["guard_basis"],
                notes="Вигаданий позивний для демо. / Fictional call sign."))
        store.add(Involvement(act_id=act.id, actor_id=actor.id,
                              role=rng.choice(("perpetrator_direct", "interrogator",
                                               "guard_staff"))))
        if k not in told:
            told.add(k)
            sentences.append(t["acts"].format(site=spec.names[lang],
                                              methods=_methods_text(methods, lang),
                                              call_sign=_call_sign_in(call_sign, lang)))

    # Sightings: the recurring co-detainees where paths overlap, then one-off ones.
    count = 0
    limit = rng.randint(2, 5)
    recurring = max(1, limit - rng.randint(1, 2))
    order = rng.sample(CO_DETAINEES, len(CO_DETAINEES))
    for k, stay in enumerate(stays):
        for co in order:
            for site, first, last in co.path:
                lo, hi = max(first, stay.arrival.month), min(last, stay.departure.month)
                if site != stay.site or lo > hi or count >= recurring:
                    continue
                moved = last < stay.departure.month
                _add_sighting(store, rng, interview, person, sites[site], episodes[k], lang,
                              rng.choice(co.variants[lang]), co.call_sign,
                              co.details[lang], lo, hi, moved, sentences, verbs["saw"])
                count += 1
    while count < limit:
        k = rng.randrange(len(stays))
        stay = stays[k]
        lo = rng.randint(stay.arrival.month, stay.departure.month)
        _add_sighting(store, rng, interview, person, sites[stay.site], episodes[k], lang,
                      rng.choice(_ONE_OFF_NAMES[lang]), "", "", lo,
                      rng.randint(lo, stay.departure.month), rng.random() < 0.5, sentences,
                      verbs["saw"])
        count += 1

    release_words = release.words(lang)
    release_words = release_words[:1].upper() + release_words[1:]
    sentences.append(t["release_pow" if military else "release_civ"].format(when=release_words))
    sentences.append(t["close"].format(met=verbs["met"]))
    narrative = " ".join(_sentence(s) for s in sentences)
    return store.edit(Interview, interview.id, narrative=narrative)


def _add_sighting(store: Store, rng: random.Random, interview: Interview, observer: Person,
                  site: Site, episode: DetentionEpisode, lang: str, name: str, call_sign: str,
                  details: str, first: int, last: int, moved: bool, sentences: list[str],
                  saw: str) -> None:
    t = _TEXT[lang]
    first_seen, last_seen = _when(rng, first), _when(rng, last)
    if last_seen.date.earliest < first_seen.date.earliest:
        last_seen = first_seen
    condition = rng.choices(("alive_apparently_well", "injured_untreated", "seriously_ill",
                             "subjected_to_ill_treatment"), weights=(4, 2, 1, 2))[0]
    store.add(Sighting(
        interview_id=interview.id, observer_id=observer.id, name_as_heard=name,
        name_script="Latn" if lang == "en" else "Cyrl", name_language=lang,
        call_sign=call_sign if call_sign and rng.random() < 0.6 else "",
        self_reported_details=details,
        identification_basis=rng.choice(("self_introduced", "roll_call", "by_call_sign_only",
                                         "heard_from_others")),
        contact_type=rng.choice(("same_cell", "same_cell", "same_block", "heard_voice",
                                 "work_detail")),
        site_id=site.id, unit_label=episode.unit_label,
        first_seen=first_seen.date, last_seen=last_seen.date, condition=condition,
        injuries_seen=t["injuries_seen"] if condition == "injured_untreated" else "",
        ill_treatment_seen=(t["ill_treatment_seen"] if condition == "subjected_to_ill_treatment"
                            else ""),
        last_known_movement=(t["movement_left"].format(when=last_seen.words(lang)) if moved
                             else t["movement_stayed"]),
        message_for_family=t["message"] if rng.random() < 0.5 else "",
        notes="Вигадана особа (демо). / Fictional person."))
    site_name = next(n.name for n in site.names if n.language == lang)
    sentences.append(t["sighting"].format(site=site_name, saw=saw, name=name,
                                          when=last_seen.words(lang)))


def build_demo_vault(folder: Path, *, interviews: int = 24, seed: int = 2022,
                     passphrase: str = DEMO_PASSPHRASE) -> None:
    """Create a vault "Demo (fictional)" in ``folder`` (which must be absent or empty)."""
    rng = random.Random(seed)  # noqa: S311 - fictional content, not security
    created = Vault.create(Path(folder), passphrase, name=DEMO_NAME,
                           kdf_params=Argon2Params.floor())
    with created.vault as vault:
        with vault.transaction() as store:
            sites = _add_sites(store)
        made: list[Interview] = []
        for index in range(interviews):
            with vault.transaction() as store:
                made.append(_build_one(store, rng, index, sites))
        for index, interview in enumerate(made):
            if index % _ATTACHMENT_EVERY == _ATTACHMENT_AT:
                lang = _LANGUAGE_CYCLE[index % len(_LANGUAGE_CYCLE)]
                data = tiny_png(seed + index)
                add_attachment(vault, interview.id, io.BytesIO(data),
                               filename=f"demo-photo-{index + 1:04d}.png", kind="photo",
                               total=len(data),
                               description=_TEXT[lang]["photo"].format(mark=DEMO_MARK[lang]))
        if made:
            locked = made[min(_LOCKED_INDEX, len(made) - 1)]
            with vault.transaction() as store:
                store.edit(Interview, locked.id, status="locked")


# The demo vault in the app's data folder ---------------------------------------------------

def demo_dir() -> Path:
    return config.data_dir() / "demo"


def ensure_demo_vault() -> tuple[Path, str]:
    """The demo vault's folder and passphrase, building it first if it is not there.

    A folder with ``vault.json`` is complete (the demo is built beside it and moved into
    place only when finished); anything else in the way is a half-built leftover and goes.
    """
    folder = demo_dir()
    if (folder / header.HEADER_NAME).is_file():
        return folder, DEMO_PASSPHRASE
    building = folder.with_name(folder.name + ".building")
    for leftover in (folder, building):
        if leftover.exists():
            shutil.rmtree(leftover)
    fs.private_mkdir(building.parent)
    build_demo_vault(building)
    building.rename(folder)
    return folder, DEMO_PASSPHRASE


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m testimony_app.services.demo",
        description="Build a vault of fictional demo testimonies (for training only).")
    parser.add_argument("folder", nargs="?", type=Path,
                        help="an empty folder (default: the app's demo folder)")
    parser.add_argument("--interviews", type=int, default=24, help="how many (default 24)")
    parser.add_argument("--seed", type=int, default=2022, help="generator seed")
    args = parser.parse_args(argv)
    try:
        if args.folder is None:
            folder, passphrase = ensure_demo_vault()
        else:
            folder, passphrase = args.folder, DEMO_PASSPHRASE
            build_demo_vault(folder, interviews=args.interviews, seed=args.seed)
    except errors.TestimonyError as exc:
        sys.stderr.write(f"demo: {exc.message()}\n")
        return exc.exit_code
    sys.stdout.write(f"Demo vault (fictional testimonies): {folder}\n"
                     f"Passphrase: {passphrase}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

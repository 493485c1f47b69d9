"""The demo vault's fictional people: name parts in Ukrainian, Russian and Latin forms, the
co-detainees several interviewees saw, and how one interviewee is drawn from them."""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass

from testimony_app.domain.dates import PartialDate
from testimony_app.domain.person import Person, PersonName, PriorityFlag
from testimony_app.services.demo_data import (
    _COLONY,
    _FILTRATION,
    _HOSPITAL,
    _IVS,
    _POW_CAMP,
    _REGION,
    _SIZO,
    _month,
)

# People: name parts in Ukrainian, Russian and Latin forms ----------------------------------

@dataclass(frozen=True)
class _Given:
    uk: str
    ru: str
    latin: str
    sex: str
    diminutive: str


_GIVEN: tuple[_Given, ...] = (
    _Given("Андрій", "Андрей", "Andrii", "male", "Андрійко"),
    _Given("Олександр", "Александр", "Oleksandr", "male", "Сашко"),
    _Given("Сергій", "Сергей", "Serhii", "male", "Сергійко"),
    _Given("Микола", "Николай", "Mykola", "male", "Коля"),
    _Given("Тарас", "Тарас", "Taras", "male", "Тарасик"),
    _Given("Богдан", "Богдан", "Bohdan", "male", "Бодя"),
    _Given("Василь", "Василий", "Vasyl", "male", "Вася"),
    _Given("Дмитро", "Дмитрий", "Dmytro", "male", "Діма"),
    _Given("Ірина", "Ирина", "Iryna", "female", "Іра"),
    _Given("Олена", "Елена", "Olena", "female", "Оленка"),
    _Given("Наталія", "Наталья", "Nataliia", "female", "Наталка"),
)

# (uk masculine, uk feminine, ru masculine, ru feminine, Latin masculine, Latin feminine)
_SURNAMES: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("Вигаданий", "Вигадана", "Выдуманный", "Выдуманная", "Vyhadanyi", "Vyhadana"),
    ("Прикладенко", "Прикладенко", "Примеренко", "Примеренко", "Prykladenko", "Prykladenko"),
    ("Зразковий", "Зразкова", "Образцовый", "Образцовая", "Zrazkovyi", "Zrazkova"),
    ("Умовний", "Умовна", "Условный", "Условная", "Umovnyi", "Umovna"),
    ("Тренувальний", "Тренувальна", "Тренировочный", "Тренировочная", "Trenuvalnyi",
     "Trenuvalna"),
    ("Навчальненко", "Навчальненко", "Учебненко", "Учебненко", "Navchalnenko", "Navchalnenko"),
    ("Макетний", "Макетна", "Макетный", "Макетная", "Maketnyi", "Maketna"),
    ("Демонюк", "Демонюк", "Демонюк", "Демонюк", "Demoniuk", "Demoniuk"),
)

# (uk masculine, uk feminine, ru masculine, ru feminine)
_PATRONYMICS: tuple[tuple[str, str, str, str], ...] = (
    ("Петрович", "Петрівна", "Петрович", "Петровна"),
    ("Іванович", "Іванівна", "Иванович", "Ивановна"),
    ("Миколайович", "Миколаївна", "Николаевич", "Николаевна"),
    ("Васильович", "Василівна", "Васильевич", "Васильевна"),
)

_SETTLEMENTS: tuple[dict[str, str], ...] = (
    {"uk": "смт Вигадане", "ru": "пгт Выдуманное", "en": "Vyhadane"},
    {"uk": "с. Зразкове", "ru": "с. Образцовое", "en": "Zrazkove"},
    {"uk": "м. Умовне", "ru": "г. Условное", "en": "Umovne"},
    {"uk": "с. Тренувальне", "ru": "с. Тренировочное", "en": "Trenuvalne"},
    {"uk": "м. Прикладне", "ru": "г. Примерное", "en": "Prykladne"},
)

_OCCUPATIONS = ("вчитель (демо)", "тракторист (демо)", "медсестра (демо)",
                "водій маршрутки (демо)", "працівник сільради (демо)", "пенсіонер (демо)")
_RANKS = ("солдат", "старший солдат", "сержант", "молодший лейтенант")


@dataclass(frozen=True)
class _CoDetainee:
    """A fictional co-detainee several interviewees saw: their path is fixed, so sightings in
    different testimonies overlap at the same sites and dates (cross-referencing demo)."""

    variants: dict[str, tuple[str, ...]]
    call_sign: str
    details: dict[str, str]
    path: tuple[tuple[int, int, int], ...]  # (site index, first month, last month)


CO_DETAINEES: tuple[_CoDetainee, ...] = (
    _CoDetainee(
        {"uk": ("Остап Вигаданко", "Остап", "Лісник"),
         "ru": ("Остап Выдуманко", "Остап", "Лесник"),
         "en": ("Ostap Vyhadanko", "Ostap")},
        "Лісник",
        {"uk": "казав, що лісник із Демо-області, років 50", "ru": "говорил, что лесник, лет 50",
         "en": "said he was a forester, about 50"},
        ((_SIZO, _month(2022, 4), _month(2023, 1)), (_COLONY, _month(2023, 1), _month(2023, 10))),
    ),
    _CoDetainee(
        {"uk": ("Микола Прикладюк", "дід Микола", "Дід"),
         "ru": ("Николай Прикладюк", "дед Николай", "Дед"),
         "en": ("Mykola Prykladiuk", "Grandpa Mykola")},
        "Дід",
        {"uk": "найстарший у камері, з с. Зразкове", "ru": "самый старший в камере",
         "en": "the oldest in the cell"},
        ((_FILTRATION, _month(2022, 3), _month(2022, 5)), (_SIZO, _month(2022, 5),
                                                           _month(2022, 11)),
         (_POW_CAMP, _month(2022, 11), _month(2023, 8))),
    ),
    _CoDetainee(
        {"uk": ("Ігор «Моряк»", "Моряк"), "ru": ("Игорь «Моряк»", "Моряк"),
         "en": ('Ihor "Sailor"', "Sailor")},
        "Моряк",
        {"uk": "військовий, казав, що з морської піхоти (демо)",
         "ru": "военный, говорил, что из морской пехоты (демо)",
         "en": "a serviceman, said he was a marine (demo)"},
        ((_SIZO, _month(2022, 6), _month(2022, 10)), (_HOSPITAL, _month(2022, 10),
                                                      _month(2023, 3))),
    ),
    _CoDetainee(
        {"uk": ("Оксана Умовна", "Оксана"), "ru": ("Оксана Условная", "Оксана"),
         "en": ("Oksana Umovna", "Oksana")},
        "",
        {"uk": "медсестра з м. Умовне (демо)", "ru": "медсестра из г. Условное (демо)",
         "en": "a nurse from Umovne (demo)"},
        ((_IVS, _month(2022, 3), _month(2022, 5)), (_SIZO, _month(2022, 5), _month(2023, 2)),
         (_COLONY, _month(2023, 2), _month(2024, 1))),
    ),
)

_ONE_OFF_NAMES: dict[str, tuple[str, ...]] = {
    "uk": ("Сашко з Умовного", "Малий", "Борода", "Студент", "Віктор", "Петро Макетний",
           "Художник", "Юрко"),
    "ru": ("Саша из Условного", "Малой", "Борода", "Студент", "Виктор", "Пётр Макетный",
           "Художник", "Юра"),
    "en": ("Sasha from Umovne", "Kid", "Beard", "Student", "Viktor", "Petro Maketnyi",
           "Artist", "Yurko"),
}


# One interviewee -----------------------------------------------------------------------------

def _person(rng: random.Random, index: int, military: bool) -> tuple[Person, _Given]:
    female = rng.random() < (0.1 if military else 0.4)
    pool = [g for g in _GIVEN if (g.sex == "female") == female]
    given = pool[rng.randrange(len(pool))]
    uk_m, uk_f, ru_m, ru_f, lat_m, lat_f = _SURNAMES[rng.randrange(len(_SURNAMES))]
    surname_uk, surname_ru, surname_lat = (uk_f, ru_f, lat_f) if female else (uk_m, ru_m, lat_m)
    pm_uk, pf_uk, pm_ru, pf_ru = _PATRONYMICS[rng.randrange(len(_PATRONYMICS))]
    patr_uk, patr_ru = (pf_uk, pf_ru) if female else (pm_uk, pm_ru)
    names = (
        PersonName(full=f"{surname_uk} {given.uk} {patr_uk}", script="Cyrl", language="uk",
                   surname=surname_uk, given=given.uk, patronymic=patr_uk, kind="ukrainian_form"),
        PersonName(full=f"{surname_ru} {given.ru} {patr_ru}", script="Cyrl", language="ru",
                   surname=surname_ru, given=given.ru, patronymic=patr_ru, kind="russian_form"),
        PersonName(full=f"{given.latin} {surname_lat}", script="Latn", language="en",
                   surname=surname_lat, given=given.latin, kind="latin_form",
                   translit_scheme="KMU 2010"),
        PersonName(full=given.diminutive, script="Cyrl", language="uk", given=given.diminutive,
                   kind="diminutive"),
    )
    year = rng.randint(1975, 2003) if military else rng.randint(1952, 1995)
    home = _SETTLEMENTS[rng.randrange(len(_SETTLEMENTS))]
    person = Person(
        surname=surname_uk, given_name=given.uk, patronymic=patr_uk, names=names,
        sex=given.sex, birth_date=PartialDate.parse(str(year)), citizenship=("UA",),
        home_region=_REGION["uk"], home_settlement=f"{home['uk']} (демо)",
        contacts="+380 00 000 00 00 (вигаданий номер)", next_of_kin="мати (вигадана особа)",
        notes="Вигадана особа для навчального демо-сховища. / Fictional person.",
    )
    if military:
        person = dataclasses.replace(
            person, legal_category="pow", service_branch="ЗСУ (демо)",
            unit=f"в/ч А{rng.randint(0, 99):04d} (вигадана)", rank=rng.choice(_RANKS),
            call_sign=f"Курсант-{index + 1} (демо)", service_number="0000000 (демо)")
    else:
        person = dataclasses.replace(
            person, occupation=rng.choice(_OCCUPATIONS),
            legal_category=rng.choice(("civilian_no_status", "civilian_no_status",
                                       "civilian_prosecuted")))
    return person, given


def _flags(person: Person, given: _Given, military: bool, months_held: int,
           rng: random.Random) -> tuple[PriorityFlag, ...]:
    flags: list[PriorityFlag] = []
    if not military:
        flags.append(PriorityFlag(category="civilian", basis="цивільна особа (демо)"))
    if given.sex == "female":
        flags.append(PriorityFlag(category="woman"))
    if person.birth_date is not None and person.birth_date.earliest.year <= 1962:
        flags.append(PriorityFlag(category="elderly_60_plus", basis="вік на момент полону"))
    if months_held >= 12:
        flags.append(PriorityFlag(category="long_term_captivity",
                                  basis=f"близько {months_held} міс. у неволі (демо)"))
    if rng.random() < 0.25:
        flags.append(PriorityFlag(category="seriously_ill", basis="хронічна хвороба (демо)"))
    return tuple(flags)

"""A demo vault of clearly fictional testimonies, for training and for trying the app.

Everything here is generated: people, places, units, call signs and events are invented and
marked as such ("[ДЕМО]"/"[DEMO]" opens every narrative, every site name says "(демо)"). The
content is plausible on purpose, so that trainees meet the shapes real testimonies have
(partial and approximate dates, name variants in several scripts, transfers between sites,
the same co-detainee mentioned by several people) without ever handling a real person's story.

The vault uses a published passphrase and the Argon2 floor so it opens quickly: it must never
hold real testimonies. Generation is deterministic for a given seed.

Run ``python -m testimony_app.services.demo [FOLDER]`` to build one and print where it is.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import random
import shutil
import struct
import sys
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from testimony_app import config, errors, fs
from testimony_app.crypto.kdf import Argon2Params
from testimony_app.domain.dates import PartialDate
from testimony_app.domain.detention import (
    Act,
    AuthorityPeriod,
    DetentionEpisode,
    Sighting,
    Site,
    SiteName,
)
from testimony_app.domain.interview import CaptureEvent, Consent, Interview
from testimony_app.domain.person import (
    Actor,
    Involvement,
    Person,
    PersonName,
    PriorityFlag,
    StatusEntry,
)
from testimony_app.services.attachments import add_attachment
from testimony_app.vault import header
from testimony_app.vault.store import Store
from testimony_app.vault.vault import Vault

DEMO_PASSPHRASE = "demo passphrase — not for real testimonies"  # noqa: S105 - published on purpose
DEMO_NAME = "Demo (fictional)"
DEMO_MARK = {"uk": "[ДЕМО]", "ru": "[ДЕМО]", "en": "[DEMO]"}
LANGS = ("uk", "ru", "en")
# Most testimonies in Ukrainian, some in Russian, a few in English; every prefix of six
# interviews already holds all three languages.
_LANGUAGE_CYCLE = ("uk", "uk", "ru", "uk", "en", "uk", "ru", "uk")
_LOCKED_INDEX = 1
_ATTACHMENT_EVERY = 6
_ATTACHMENT_AT = 2

_REGION = {"uk": "Демо-область (вигадана)", "ru": "Демо-область (вымышленная)",
           "en": "Demo Oblast (fictional)"}
_FICTIONAL_NOTE = ("Вигадане місце для навчального демо-сховища; не відповідає жодному "
                   "реальному місцю. / Fictional place for the training demo vault.")


# Small month arithmetic: a month is year * 12 + (month - 1) --------------------------------

def _month(year: int, month: int) -> int:
    return year * 12 + month - 1


def _ym(m: int) -> tuple[int, int]:
    return m // 12, m % 12 + 1


_MONTHS = {
    "uk": ("у січні", "у лютому", "у березні", "у квітні", "у травні", "у червні", "у липні",
           "у серпні", "у вересні", "у жовтні", "у листопаді", "у грудні"),
    "ru": ("в январе", "в феврале", "в марте", "в апреле", "в мае", "в июне", "в июле",
           "в августе", "в сентябре", "в октябре", "в ноябре", "в декабре"),
    "en": ("in January", "in February", "in March", "in April", "in May", "in June", "in July",
           "in August", "in September", "in October", "in November", "in December"),
}
_YEAR_SUFFIX = {"uk": " р.", "ru": " г.", "en": ""}
_ABOUT = {"uk": "приблизно ", "ru": "примерно ", "en": "around "}
_UNSURE = {"uk": " (дата непевна)", "ru": " (дата неточная)", "en": " (date uncertain)"}


@dataclass(frozen=True)
class _When:
    """A month as a person might give it: a stored partial date and words for the story."""

    date: PartialDate
    month: int

    def words(self, lang: str) -> str:
        year, month = _ym(self.month)
        text = f"{_MONTHS[lang][month - 1]} {year}{_YEAR_SUFFIX[lang]}"
        if self.date.precision == "day":
            day = int(self.date.edtf[8:10])
            text = (f"on {year}-{month:02d}-{day:02d}" if lang == "en"
                    else f"{day:02d}.{month:02d}.{year}")
        if self.date.approximate:
            if lang == "en":
                text = text.removeprefix("in ").removeprefix("on ")
            text = _ABOUT[lang] + text
        if self.date.uncertain:
            text += _UNSURE[lang]
        return text


def _when(rng: random.Random, m: int) -> _When:
    """The month ``m`` as exact day, month only, approximate (~) or uncertain (?)."""
    year, month = _ym(m)
    style = rng.choices(("day", "month", "approx", "uncertain"), weights=(3, 4, 3, 2))[0]
    day = rng.randint(1, 28)
    text = {"day": f"{year}-{month:02d}-{day:02d}", "month": f"{year}-{month:02d}",
            "approx": f"{year}-{month:02d}~", "uncertain": f"{year}-{month:02d}-{day:02d}?"}[style]
    return _When(PartialDate.parse(text), m)


# Fictional sites ----------------------------------------------------------------------------

@dataclass(frozen=True)
class _SiteSpec:
    names: dict[str, str]
    colloquial: str
    site_type: str
    authority: str
    country: str
    settlement: str
    guards: tuple[str, ...]
    guard_unit: str


_SITES: tuple[_SiteSpec, ...] = (
    _SiteSpec({"uk": "Підвал адмінбудівлі (демо), смт Вигадане",
               "ru": "Подвал админздания (демо), пгт Выдуманное",
               "en": "Administration building basement (demo), Vyhadane"},
              "«Підвал» (демо)", "basement", "armed_forces_unit", "UA", "смт Вигадане (демо)",
              ("Демо-1", "Демо-2"), "комендатура «Демо» (вигадана)"),
    _SiteSpec({"uk": "Фільтраційний пункт (демо), с. Зразкове",
               "ru": "Фильтрационный пункт (демо), с. Образцовое",
               "en": "Filtration point (demo), Zrazkove"},
              "«Фільтр» (демо)", "filtration_point", "fsb", "UA", "с. Зразкове (демо)",
              ("Демо-3", "Демо-4"), "оперативна група (вигадана)"),
    _SiteSpec({"uk": "ІТТ (демо), м. Умовне", "ru": "ИВС (демо), г. Условное",
               "en": "Temporary holding facility (demo), Umovne"},
              "«Ізолятор» (демо)", "ivs", "mvd_police", "UA", "м. Умовне (демо)",
              ("Демо-5",), "відділ поліції (вигаданий)"),
    _SiteSpec({"uk": "СІЗО-№ (демо), м. Приклад", "ru": "СИЗО-№ (демо), г. Пример",
               "en": "Pre-trial detention centre No. (demo), Pryklad"},
              "«Демо-централ»", "sizo", "fsin", "RU", "м. Приклад (демо)",
              ("Демо-6", "Демо-7", "Демо-8"), "спецназ ФСВП «Демо» (вигаданий)"),
    _SiteSpec({"uk": "Виправна колонія № 0 (демо), м. Зразок",
               "ru": "Исправительная колония № 0 (демо), г. Образец",
               "en": "Penal colony No. 0 (demo), Obrazets"},
              "«Нульова» (демо)", "penal_colony", "fsin", "RU", "м. Зразок (демо)",
              ("Демо-9", "Демо-10"), "черговий наряд колонії (вигаданий)"),
    _SiteSpec({"uk": "Табір для військовополонених «Полігон» (демо)",
               "ru": "Лагерь для военнопленных «Полигон» (демо)",
               "en": "POW camp 'Polygon' (demo)"},
              "«Полігон» (демо)", "pow_camp", "mod_military_police", "RU",
              "с. Полігонне (демо)", ("Демо-11", "Демо-12"), "військова поліція (вигадана)"),
    _SiteSpec({"uk": "Гауптвахта (демо), в/ч Б0000", "ru": "Гауптвахта (демо), в/ч Б0000",
               "en": "Guardhouse (demo), unit B0000"},
              "«Губа» (демо)", "guardhouse", "armed_forces_unit", "UA", "с. Тренувальне (демо)",
              ("Демо-13",), "в/ч Б0000 (вигадана)"),
    _SiteSpec({"uk": "Лікарня при колонії (демо), м. Зразок",
               "ru": "Больница при колонии (демо), г. Образец",
               "en": "Prison hospital (demo), Obrazets"},
              "«Лікарка» (демо)", "prison_hospital", "fsin", "RU", "м. Зразок (демо)",
              ("Демо-14",), "медчастина (вигадана)"),
)
_BASEMENT, _FILTRATION, _IVS, _SIZO, _COLONY, _POW_CAMP, _GUARDHOUSE, _HOSPITAL = range(8)


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


# Words and sentences in each language -------------------------------------------------------

_METHODS: dict[str, dict[str, str]] = {
    "beating_body_blows": {"uk": "били руками й ногами", "ru": "били руками и ногами",
                           "en": "beat me with fists and boots"},
    "beating_with_objects": {"uk": "били кийками", "ru": "били дубинками",
                             "en": "beat me with batons"},
    "admission_beating": {"uk": "влаштували «прийомку» після прибуття",
                          "ru": "устроили «приёмку» по прибытии",
                          "en": "gave us a 'welcome' beating on arrival"},
    "stress_positions": {"uk": "змушували годинами стояти в розтяжці",
                         "ru": "заставляли часами стоять в растяжке",
                         "en": "made us stand in stress positions for hours"},
    "daytime_no_sitting": {"uk": "забороняли сідати вдень", "ru": "запрещали садиться днём",
                           "en": "forbade us to sit during the day"},
    "electric_shock": {"uk": "катували струмом на допитах", "ru": "пытали током на допросах",
                       "en": "used electric shocks during interrogations"},
    "forced_anthem_propaganda": {"uk": "змушували співати чужий гімн",
                                 "ru": "заставляли петь чужой гимн",
                                 "en": "forced us to sing the occupiers' anthem"},
    "death_threats": {"uk": "погрожували розстрілом", "ru": "угрожали расстрелом",
                      "en": "threatened to shoot me"},
    "mock_execution": {"uk": "інсценували розстріл", "ru": "инсценировали расстрел",
                       "en": "staged a mock execution"},
    "sleep_deprivation": {"uk": "не давали спати", "ru": "не давали спать",
                          "en": "kept us from sleeping"},
    "food_deprivation": {"uk": "майже не годували", "ru": "почти не кормили",
                         "en": "barely fed us"},
    "medical_care_denial": {"uk": "відмовляли в медичній допомозі",
                            "ru": "отказывали в медицинской помощи",
                            "en": "refused medical care"},
    "hooding_blindfolding": {"uk": "тримали з мішком на голові",
                             "ru": "держали с мешком на голове",
                             "en": "kept a bag over my head"},
    "verbal_abuse": {"uk": "принижували й ображали", "ru": "унижали и оскорбляли",
                     "en": "insulted and humiliated us"},
    "threats_to_family": {"uk": "погрожували моїй родині", "ru": "угрожали моей семье",
                          "en": "threatened my family"},
    "forced_exercise": {"uk": "ганяли до виснаження", "ru": "гоняли до изнеможения",
                        "en": "forced exhausting exercise on us"},
    "coerced_confession_video": {"uk": "змусили записати «зізнання» на відео",
                                 "ru": "заставили записать «признание» на видео",
                                 "en": "forced me to record a 'confession' on video"},
}
_TORTURE = frozenset({"beating_body_blows", "beating_with_objects", "admission_beating",
                      "stress_positions", "electric_shock", "mock_execution"})
_DIGNITY = frozenset({"forced_anthem_propaganda", "verbal_abuse", "coerced_confession_video"})
_EPISODE_CONDITIONS = ("overcrowding", "unsanitary", "no_outdoor_time", "cold_cell_no_bedding",
                       "poor_food_water_quality", "incommunicado", "no_daylight_underground")

# Grammatical gender of the speaker: m and f forms of the few verbs the stories use.
_VERBS = {
    "uk": {"male": {"was": "пробув", "saw": "бачив", "met": "зустрічав"},
           "female": {"was": "пробула", "saw": "бачила", "met": "зустрічала"}},
    "ru": {"male": {"was": "пробыл", "saw": "видел", "met": "встречал"},
           "female": {"was": "пробыла", "saw": "видела", "met": "встречала"}},
    "en": {"male": {"was": "spent", "saw": "saw", "met": "met"},
           "female": {"was": "spent", "saw": "saw", "met": "met"}},
}

_TEXT: dict[str, dict[str, str]] = {
    "uk": {
        "lead": "{mark} Вигадана навчальна розповідь: людей, місць і подій, описаних тут, не "
                "існує; будь-які збіги випадкові.",
        "capture_civ": "{when} мене затримали {place}. Люди в камуфляжі без розпізнавальних "
                       "знаків перевірили телефон, забрали документи й вивезли мене із "
                       "зав'язаними очима.",
        "capture_mil": "{when} мій підрозділ ({unit}) опинився в оточенні {place}. Після бою "
                       "мене взяли в полон разом з іншими побратимами.",
        "first": "Спочатку мене тримали тут: {site}; там я {was} приблизно {months}",
        "next": "Потім мене етапували: {site}; там я {was} близько {months}",
        "acts": "{site}: там {methods}; найчастіше це робив охоронець із позивним «{call_sign}».",
        "sighting": "{site}: там я {saw} людину, яку називали «{name}», востаннє — {when}.",
        "release_pow": "{when} мене звільнили під час обміну полоненими.",
        "release_civ": "{when} мене звільнили й передали на підконтрольну Україні територію.",
        "close": "Прошу передати родинам усе, що я пам'ятаю про людей, яких там {met}.",
        "obs_lead": "{mark} Вигадані спостереження інтерв'юера для навчання.",
        "capture_place_civ": "на блокпосту біля {settlement}",
        "capture_place_mil": "під {settlement}",
        "circumstances_civ": "Затримали на блокпосту під час перевірки телефону; вивезли в "
                             "невідомому напрямку (демо).",
        "circumstances_mil": "Потрапив у полон після бою в оточенні; поранених побратимів "
                             "розділили (демо).",
        "reason": "«перевірка» (вигадане формулювання)",
        "property": "телефон, документи, гроші (демо)",
        "capturing_unit": "підрозділ «Демо» (вигаданий)",
        "injuries": "забої, зламане ребро (демо)",
        "psych": "порушення сну, тривога (демо)",
        "duration": "близько години",
        "count": "кілька разів",
        "cell": "камера № {n}",
        "routine": "підйом о 6:00, перевірки кілька разів на день (демо)",
        "movement_left": "забрали на етап {when}, куди — невідомо",
        "movement_stayed": "коли мене перевели, ця людина залишалася там",
        "message": "Ця людина просила передати рідним, що жива й тримається (демо).",
        "injuries_seen": "синці на обличчі (демо)",
        "ill_treatment_seen": "було чути, як цю людину били на допиті (демо)",
        "guard_description": "високий, у балаклаві, говорив з акцентом (демо)",
        "guard_basis": "чув, як його називали інші охоронці",
        "guard_unit": "{unit}",
        "locations": "кімната допитів|коридор біля камер|прогулянковий двір|душова",
        "consent_cond": "лише без імені та впізнаваних деталей",
        "withdrawn": "відкликано на прохання опитаної особи (демо)",
        "risk": "Ризик для родичів на окупованій території: середній (демо).",
        "place": "м. Приклад (демо), офіс партнерської організації",
        "place_exact": "вигадана адреса: вул. Навчальна, 0 (демо)",
        "prior": "Раніше розповідав(ла) лише родині (демо).",
        "inconsistent": "Дати другого етапу відрізняються на місяць у двох частинах розповіді "
                        "(демо).",
        "photo": "{mark} Згенероване зображення-заглушка, не справжнє фото.",
    },
    "ru": {
        "lead": "{mark} Вымышленный учебный рассказ: людей, мест и событий, описанных здесь, "
                "не существует; любые совпадения случайны.",
        "capture_civ": "{when} меня задержали {place}. Люди в камуфляже без опознавательных "
                       "знаков проверили телефон, забрали документы и вывезли меня с "
                       "завязанными глазами.",
        "capture_mil": "{when} моё подразделение ({unit}) оказалось в окружении {place}. После "
                       "боя меня взяли в плен вместе с другими сослуживцами.",
        "first": "Сначала меня держали здесь: {site}; там я {was} примерно {months}",
        "next": "Потом меня этапировали: {site}; там я {was} около {months}",
        "acts": "{site}: там {methods}; чаще всего это делал охранник с позывным «{call_sign}».",
        "sighting": "{site}: там я {saw} человека, которого называли «{name}», в последний "
                    "раз — {when}.",
        "release_pow": "{when} меня освободили во время обмена пленными.",
        "release_civ": "{when} меня освободили и передали на подконтрольную Украине "
                       "территорию.",
        "close": "Прошу передать семьям всё, что я помню о людях, которых там {met}.",
        "obs_lead": "{mark} Вымышленные наблюдения интервьюера для обучения.",
        "capture_place_civ": "на блокпосту возле {settlement}",
        "capture_place_mil": "под {settlement}",
        "circumstances_civ": "Задержали на блокпосту при проверке телефона; вывезли в "
                             "неизвестном направлении (демо).",
        "circumstances_mil": "Попал в плен после боя в окружении; раненых сослуживцев "
                             "разделили (демо).",
        "reason": "«проверка» (вымышленная формулировка)",
        "property": "телефон, документы, деньги (демо)",
        "capturing_unit": "подразделение «Демо» (вымышленное)",
        "injuries": "ушибы, сломанное ребро (демо)",
        "psych": "нарушения сна, тревожность (демо)",
        "duration": "около часа",
        "count": "несколько раз",
        "cell": "камера № {n}",
        "routine": "подъём в 6:00, проверки несколько раз в день (демо)",
        "movement_left": "забрали на этап {when}, куда — неизвестно",
        "movement_stayed": "когда меня перевели, этот человек оставался там",
        "message": "Этот человек просил передать родным, что жив и держится (демо).",
        "injuries_seen": "синяки на лице (демо)",
        "ill_treatment_seen": "было слышно, как этого человека били на допросе (демо)",
        "guard_description": "высокий, в балаклаве (демо)",
        "guard_basis": "слышал, как его называли другие охранники",
        "guard_unit": "{unit}",
        "locations": "комната допросов|коридор у камер|прогулочный двор|душевая",
        "consent_cond": "только без имени и узнаваемых деталей",
        "withdrawn": "отозвано по просьбе опрошенного лица (демо)",
        "risk": "Риск для родственников на оккупированной территории: средний (демо).",
        "place": "г. Пример (демо), офис партнёрской организации",
        "place_exact": "вымышленный адрес: ул. Учебная, 0 (демо)",
        "prior": "Раньше рассказывал(а) только семье (демо).",
        "inconsistent": "Даты второго этапа отличаются на месяц в двух частях рассказа (демо).",
        "photo": "{mark} Сгенерированное изображение-заглушка, не настоящее фото.",
    },
    "en": {
        "lead": "{mark} A fictional training account: the people, places and events described "
                "here do not exist; any resemblance is coincidental.",
        "capture_civ": "{when} I was detained {place}. Men in camouflage without insignia "
                       "searched my phone, took my documents and drove me away blindfolded.",
        "capture_mil": "{when} my unit ({unit}) was encircled {place}. After the fighting I "
                       "was taken prisoner together with other comrades.",
        "first": "First I was held here: {site}; I {was} about {months} there.",
        "next": "Then I was transferred: {site}; I {was} around {months} there.",
        "acts": "{site}: there they {methods}; most often it was the guard with the call "
                "sign '{call_sign}'.",
        "sighting": "{site}: there I {saw} a person called '{name}', the last time {when}.",
        "release_pow": "{when} I was released in a prisoner exchange.",
        "release_civ": "{when} I was released and handed over to Ukrainian-controlled "
                       "territory.",
        "close": "Please pass on to the families everything I remember about the people I "
                 "{met} there.",
        "obs_lead": "{mark} Fictional interviewer observations for training.",
        "capture_place_civ": "at a checkpoint near {settlement}",
        "capture_place_mil": "near {settlement}",
        "circumstances_civ": "Detained at a checkpoint during a phone search; taken to an "
                             "unknown place (demo).",
        "circumstances_mil": "Captured after fighting in an encirclement; the wounded were "
                             "separated (demo).",
        "reason": "'a check' (fictional wording)",
        "property": "phone, documents, money (demo)",
        "capturing_unit": "'Demo' unit (fictional)",
        "injuries": "bruises, a broken rib (demo)",
        "psych": "sleep problems, anxiety (demo)",
        "duration": "about an hour",
        "count": "several times",
        "cell": "cell No. {n}",
        "routine": "wake-up at 6:00, roll calls several times a day (demo)",
        "movement_left": "taken away on a transfer {when}, destination unknown",
        "movement_stayed": "was still there when I was transferred",
        "message": "Asked to tell the family they are alive and holding on (demo).",
        "injuries_seen": "bruises on the face (demo)",
        "ill_treatment_seen": "could be heard being beaten during interrogation (demo)",
        "guard_description": "tall, wore a balaclava (demo)",
        "guard_basis": "heard other guards call him that",
        "guard_unit": "{unit}",
        "locations": "interrogation room|corridor by the cells|exercise yard|shower room",
        "consent_cond": "only without name or identifying details",
        "withdrawn": "withdrawn at the interviewee's request (demo)",
        "risk": "Risk to relatives in occupied territory: medium (demo).",
        "place": "Pryklad (demo), partner organisation office",
        "place_exact": "fictional address: 0 Training Street (demo)",
        "prior": "Had only told the family before (demo).",
        "inconsistent": "Dates of the second transfer differ by a month between two parts of "
                        "the account (demo).",
        "photo": "{mark} Generated placeholder image, not a real photograph.",
    },
}

_OBSERVATIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "uk": {
        "male": ("Співрозмовник говорив спокійно, але помітно напружувався, коли йшлося про "
                 "допити.",
                 "Співрозмовник кілька разів просив перерву й повертався до розповіді сам.",
                 "Співрозмовник добре пам'ятав імена співкамерників, але не дати."),
        "female": ("Співрозмовниця говорила спокійно, але помітно напружувалася, коли йшлося "
                   "про допити.",
                   "Співрозмовниця кілька разів просила перерву й поверталася до розповіді сама.",
                   "Співрозмовниця добре пам'ятала імена співкамерниць, але не дати."),
        "any": ("Хронологію переїздів відновлювали за подіями (свята, зміна сезону), тому "
                "частина дат приблизна.",
                "Запропоновано контакти психолога; ризики повторної травматизації обговорено "
                "перед записом.",
                "Видимих слідів травм під час інтерв'ю не помічено (демо)."),
    },
    "ru": {
        "male": ("Собеседник говорил спокойно, но заметно напрягался, когда речь шла о "
                 "допросах.",
                 "Собеседник несколько раз просил перерыв и сам возвращался к рассказу.",
                 "Собеседник хорошо помнил имена сокамерников, но не даты."),
        "female": ("Собеседница говорила спокойно, но заметно напрягалась, когда речь шла о "
                   "допросах.",
                   "Собеседница несколько раз просила перерыв и сама возвращалась к рассказу.",
                   "Собеседница хорошо помнила имена сокамерниц, но не даты."),
        "any": ("Хронологию переводов восстанавливали по событиям (праздники, смена сезона), "
                "поэтому часть дат приблизительна.",
                "Предложены контакты психолога; риски повторной травматизации обсуждены до "
                "записи.",
                "Видимых следов травм во время интервью не замечено (демо)."),
    },
    "en": {
        "male": ("He spoke calmly but tensed visibly when interrogations came up.",
                 "He asked for a break several times and returned to the account himself.",
                 "He remembered co-detainees' names well, but not dates."),
        "female": ("She spoke calmly but tensed visibly when interrogations came up.",
                   "She asked for a break several times and returned to the account herself.",
                   "She remembered co-detainees' names well, but not dates."),
        "any": ("The sequence of transfers was rebuilt from events (holidays, seasons), so "
                "several dates are approximate.",
                "Contacts of a psychologist were offered; risks of retraumatisation were "
                "discussed before recording.",
                "No visible signs of injury during the interview (demo)."),
    },
}

_PSEUDONYM = {"uk": "Свідок Д-{n:02d}", "ru": "Свидетель Д-{n:02d}", "en": "Witness D-{n:02d}"}
_INTERVIEWERS = ("Інтерв'юер Демо-А (вигаданий)", "Інтерв'юерка Демо-Б (вигадана)",
                 "Interviewer Demo-C (fictional)")

# Consent scope, chance of "granted" (the rest refused).
_CONSENTS: tuple[tuple[str, float], ...] = (
    ("interview", 1.0), ("store_identity", 0.85), ("share_ua_prosecution", 0.75),
    ("share_icrc", 0.8), ("advocacy_anonymous", 0.7), ("relay_sighting_to_family", 0.85),
    ("share_icc", 0.5), ("media", 0.15),
)


# A tiny PNG from bytes (no imaging library) -------------------------------------------------

def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def tiny_png(seed: int, size: int = 8) -> bytes:
    """A valid ``size`` x ``size`` RGB PNG: a soft gradient whose colour depends on ``seed``."""
    r0, g0, b0 = (seed * 67) % 200, (seed * 131) % 200, (seed * 29) % 200
    rows = bytearray()
    for y in range(size):
        rows.append(0)  # filter type: none
        for x in range(size):
            rows += bytes((r0 + 6 * x, g0 + 6 * y, b0 + 3 * (x + y)))
    ihdr = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr)
            + _png_chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + _png_chunk(b"IEND", b""))


# Building -----------------------------------------------------------------------------------

def _add_sites(store: Store) -> list[Site]:
    sites: list[Site] = []
    for spec in _SITES:
        names = tuple(SiteName(name=spec.names[lang], language=lang, kind="official")
                      for lang in LANGS)
        names += (SiteName(name=spec.colloquial, language="uk", kind="colloquial"),)
        sites.append(store.add(Site(
            canonical_name=spec.names["uk"], names=names, site_type=spec.site_type,
            country=spec.country, region=_REGION["uk"], settlement=spec.settlement,
            authorities=(AuthorityPeriod(authority=spec.authority,
                                         start=PartialDate.parse("2022-02~")),),
            notes=_FICTIONAL_NOTE)))
    return sites


@dataclass
class _Stay:
    site: int
    arrival: _When
    departure: _When


def _route(rng: random.Random, military: bool) -> list[int]:
    """Up to four sites: somewhere near the place of capture, the hub SIZO, then onwards."""
    if military:
        return [rng.choice((_FILTRATION, _GUARDHOUSE)), _SIZO, _POW_CAMP, _HOSPITAL]
    onwards = [_COLONY, _HOSPITAL] if rng.random() < 0.7 else [_HOSPITAL, _COLONY]
    return [rng.choice((_BASEMENT, _FILTRATION, _IVS)), _SIZO, *onwards]


def _durations(site: int, rng: random.Random) -> int:
    if site in (_BASEMENT, _FILTRATION, _IVS, _GUARDHOUSE):
        return rng.randint(1, 2)
    if site == _SIZO:
        return rng.randint(3, 7)
    if site == _HOSPITAL:
        return rng.randint(1, 3)
    return rng.randint(4, 14)


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


def _months(count: int, lang: str) -> str:
    if lang == "en":
        return f"{count} month" if count == 1 else f"{count} months"
    return f"{count} {'міс.' if lang == 'uk' else 'мес.'}"


def _call_sign_in(call_sign: str, lang: str) -> str:
    """A call sign as an English text spells it (stored records keep the Cyrillic)."""
    return call_sign.replace("Демо-", "Demo-") if lang == "en" else call_sign


def _sentence(text: str) -> str:
    """Drop the doubled full stop of a sentence ending in an abbreviation ("2022 р.")."""
    return text[:-1] if text.endswith("..") else text


def _methods_text(methods: Sequence[str], lang: str) -> str:
    return ", ".join(_METHODS[m][lang] for m in methods)


def _interview_languages(lang: str, rng: random.Random) -> tuple[str, ...]:
    if lang == "en":
        return ("en", "uk")
    if lang == "ru":
        return ("ru",) if rng.random() < 0.6 else ("ru", "uk")
    return ("uk",) if rng.random() < 0.8 else ("uk", "ru")


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

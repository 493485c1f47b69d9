"""The demo vault's fictional world: dates as people give them, the sites and the journeys
between them, what was done there, and the interviews' own details (consents, interviewers).

Every value is invented (see :mod:`testimony_app.services.demo`, which builds the vault from
these tables, :mod:`~testimony_app.services.demo_people` and
:mod:`~testimony_app.services.demo_text`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from testimony_app.domain.dates import PartialDate
from testimony_app.domain.detention import AuthorityPeriod, Site, SiteName
from testimony_app.vault.store import Store

LANGS = ("uk", "ru", "en")
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


# What was done, and the interviews' own details ----------------------------------------------

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

_PSEUDONYM = {"uk": "Свідок Д-{n:02d}", "ru": "Свидетель Д-{n:02d}", "en": "Witness D-{n:02d}"}
_INTERVIEWERS = ("Інтерв'юер Демо-А (вигаданий)", "Інтерв'юерка Демо-Б (вигадана)",
                 "Interviewer Demo-C (fictional)")

# Consent scope, chance of "granted" (the rest refused).
_CONSENTS: tuple[tuple[str, float], ...] = (
    ("interview", 1.0), ("store_identity", 0.85), ("share_ua_prosecution", 0.75),
    ("share_icrc", 0.8), ("advocacy_anonymous", 0.7), ("relay_sighting_to_family", 0.85),
    ("share_icc", 0.5), ("media", 0.15),
)


def _interview_languages(lang: str, rng: random.Random) -> tuple[str, ...]:
    if lang == "en":
        return ("en", "uk")
    if lang == "ru":
        return ("ru",) if rng.random() < 0.6 else ("ru", "uk")
    return ("uk",) if rng.random() < 0.8 else ("uk", "ru")

"""The demo vault's words: the sentences its narratives and observations are made of, in
Ukrainian, Russian and English, and the small helpers that put them together."""

from __future__ import annotations

from collections.abc import Sequence

from testimony_app.services.demo_data import _METHODS

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

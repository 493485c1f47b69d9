"""Controlled vocabularies: the shipped files, their validation and the lookup API."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from testimony_app.domain.vocabularies import (
    OTHER,
    Vocabularies,
    Vocabulary,
    VocabularyError,
    load_vocabulary,
    vocabularies,
)
from testimony_app.resources import resources_dir

FOLDER = resources_dir() / "vocabularies"
SHARED = Path("/work/shared/domain/vocabularies.json")
FILES = sorted(FOLDER.glob("*.json"))
NAMES = [path.stem for path in FILES]
CYRILLIC = re.compile(r"[\u0400-\u04ff]")

ORIGINAL_LISTS = {
    "ill_treatment_methods", "act_types", "detention_site_types", "controlling_authority",
    "person_roles", "person_status", "legal_category", "consent_scopes", "date_precision",
    "priority_categories",
}
SUPPORTING_LISTS = {
    "sighting_identification_basis", "sighting_contact_type", "observed_condition",
    "knowledge_basis", "interview_mode", "interview_status", "consent_decision",
    "consent_method", "sex", "attachment_kind", "frequency", "arrival_mode", "match_status",
    "referral_type", "confidentiality", "actor_kind", "name_kind", "script", "custody_action",
}
# Fixed sets of states the program acts on: no `other` (see resources/vocabularies/README.md).
CLOSED_LISTS = {
    "interview_status", "consent_decision", "match_status", "confidentiality", "actor_kind",
    "custody_action",
}
REQUIRED_IDS = {
    "interview_mode": {"in_person", "remote_video", "remote_phone", "other"},
    "interview_status": {"draft", "complete", "reviewed", "locked"},
    "consent_decision": {"granted", "refused", "not_asked", "withdrawn"},
    "consent_method": {"written", "oral_recorded", "oral_noted", "other"},
    "sex": {"female", "male", "other", "unknown"},
    "attachment_kind": {"audio", "video", "photo", "document", "other"},
    "frequency": {"once", "several_times", "repeated", "daily", "constant", "unknown"},
    "arrival_mode": {"capture", "transfer", "self_surrender", "unknown", "other"},
    "match_status": {"unreviewed", "confirmed", "rejected", "uncertain"},
    "referral_type": {"medical", "psychological", "legal", "social", "other"},
    "confidentiality": {"normal", "sensitive", "highly_sensitive"},
    "actor_kind": {"individual", "unit", "institution"},
    "name_kind": {"as_given", "official", "russian_form", "ukrainian_form", "latin_form",
                  "diminutive", "call_sign", "misspelling", "other"},
    "script": {"Cyrl", "Latn", "other"},
    "custody_action": {"ingested", "viewed", "copied", "exported", "transferred", "received",
                       "verified", "derivative_created", "deleted_under_policy"},
    "sighting_identification_basis": {
        "known_before", "self_introduced", "roll_call", "document_or_tag_seen",
        "by_call_sign_only", "description_only", "heard_from_others",
        "photo_recognised_after_release"},
    "sighting_contact_type": {"same_cell", "same_block", "heard_voice", "transfer_together",
                              "work_detail", "medical_unit", "interrogation",
                              "exchange_transport"},
    "observed_condition": {"alive_apparently_well", "injured_untreated", "seriously_ill",
                           "subjected_to_ill_treatment", "taken_away_unknown", "reported_dead",
                           "seen_dead"},
    "knowledge_basis": {"direct_experience", "direct_observation", "heard_directly",
                        "told_by_victim", "hearsay_other", "inference"},
}


@pytest.fixture(scope="module")
def vocabs() -> Vocabularies:
    return Vocabularies(FOLDER)


def test_every_expected_list_is_shipped() -> None:
    assert set(NAMES) == ORIGINAL_LISTS | SUPPORTING_LISTS


@pytest.mark.parametrize("path", FILES, ids=NAMES)
def test_every_file_loads(path: Path) -> None:
    vocabulary = load_vocabulary(path)
    assert vocabulary.name == path.stem
    assert vocabulary.version >= 1
    assert len(vocabulary) > 0
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert [t["id"] for t in raw["terms"]] == [t.id for t in vocabulary.terms]


def test_the_default_singleton_loads_every_list() -> None:
    assert vocabularies() is vocabularies()
    assert set(vocabularies().names()) == set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_every_open_list_has_other(vocabs: Vocabularies, name: str) -> None:
    vocabulary = vocabs[name]
    assert vocabulary.closed == (name in CLOSED_LISTS)
    if not vocabulary.closed:
        # The shared method list already had its own "other" term, whose id stays.
        other = "other_method" if name == "ill_treatment_methods" else OTHER
        assert other in vocabulary
        assert vocabulary.term(other).label("en").startswith("Other")


@pytest.mark.parametrize("name", sorted(REQUIRED_IDS))
def test_supporting_lists_have_the_agreed_ids(vocabs: Vocabularies, name: str) -> None:
    assert REQUIRED_IDS[name] <= vocabs[name].ids()


@pytest.mark.parametrize("name", NAMES)
def test_every_label_in_three_languages(vocabs: Vocabularies, name: str) -> None:
    vocabulary = vocabs[name]
    for term in (*vocabulary.terms, *vocabulary.groups):
        for lang in ("en", "uk", "ru"):
            assert term.labels[lang].strip(), (name, term.id, lang)
            assert term.labels[lang] == term.labels[lang].strip(), (name, term.id, lang)
        assert CYRILLIC.search(term.labels["uk"]), (name, term.id)
        assert CYRILLIC.search(term.labels["ru"]), (name, term.id)
        assert not CYRILLIC.search(term.labels["en"]), (name, term.id)
        assert not re.search("[ёыэъ]", term.labels["uk"], re.IGNORECASE), (name, term.id)
        assert not re.search("[ґєії]", term.labels["ru"], re.IGNORECASE), (name, term.id)


@pytest.mark.parametrize("path", FILES, ids=NAMES)
def test_ids_unique_and_well_formed(path: Path) -> None:
    raw = json.loads(path.read_text(encoding="utf-8"))
    for key in ("terms", "groups"):
        ids = [t["id"] for t in raw.get(key, [])]
        assert len(ids) == len(set(ids)), (path.stem, key)
        for term_id in ids:
            if path.stem == "script":
                assert re.fullmatch(r"[a-z0-9_]+|[A-Z][a-z]{3}", term_id)
            else:
                assert re.fullmatch(r"[a-z0-9_]+", term_id), (path.stem, term_id)


@pytest.mark.skipif(not SHARED.is_file(), reason="shared domain vocabularies not available")
def test_original_lists_keep_every_id_and_field(vocabs: Vocabularies) -> None:
    source: dict[str, Any] = json.loads(SHARED.read_text(encoding="utf-8"))
    assert set(source) == ORIGINAL_LISTS
    for name, body in source.items():
        shipped = json.loads((FOLDER / f"{name}.json").read_text(encoding="utf-8"))
        by_id = {t["id"]: t for t in shipped["terms"]}
        for term in body["terms"]:
            assert term["id"] in vocabs[name], (name, term["id"])
            assert by_id[term["id"]] == term, (name, term["id"])  # every field kept as is
        assert shipped.get("groups", []) == body.get("groups", [])
        # nothing but `other` was added
        added = set(by_id) - {t["id"] for t in body["terms"]}
        assert added <= {OTHER}, (name, added)


def test_search_across_languages(vocabs: Vocabularies) -> None:
    methods = vocabs["ill_treatment_methods"]
    assert [t.id for t in methods.search("фаланга", "uk")] == ["falanga"]
    assert [t.id for t in methods.search("Falanga", "en")] == ["falanga"]
    assert [t.id for t in methods.search("ФАЛАНГ", "ru")] == ["falanga"]
    assert "falanga" in [t.id for t in methods.search("falanga", "uk")]  # by id, any language
    # ё and е, ґ and г, and every apostrophe match each other
    assert "admission_beating" in [t.id for t in methods.search("приемка", "ru")]
    assert "sexual_molestation" not in [t.id for t in methods.search("zzzz", "en")]
    roles = vocabs["priority_categories"]
    assert "political_prisoner" in [t.id for t in roles.search("політв’язень", "uk")]
    assert methods.search("  ", "en") == list(methods.terms)


def test_search_ranks_matches_in_the_chosen_language_first(vocabs: Vocabularies) -> None:
    sites = vocabs["detention_site_types"]
    found = [t.id for t in sites.search("basement", "en")]
    assert found[0] == "basement"
    sex = vocabs["sex"]
    assert [t.id for t in sex.search("ж", "uk")][0] == "female"


def test_lookup_api(vocabs: Vocabularies) -> None:
    methods = vocabs["ill_treatment_methods"]
    assert "falanga" in methods
    assert "nonexistent" not in methods
    assert 3 not in methods
    term = methods.term("falanga")
    assert term.group == "physical"
    assert term.label("uk").startswith("Фаланга")
    assert term.label("uk_UA") == term.label("uk")
    assert term.label("de") == term.label("en")
    assert methods.label("falanga", "ru").startswith("Фаланга")
    assert methods.label("retired_or_future_id", "uk") == "retired_or_future_id"
    assert methods.group("physical").label("en") == "Physical"
    assert term in methods.in_group("physical")
    with pytest.raises(KeyError):
        methods.term("nonexistent")
    with pytest.raises(KeyError):
        vocabs["no_such_list"]
    assert vocabs["ill_treatment_methods"].term("admission_beating").needs_review("uk")
    assert vocabs["priority_categories"].term("woman").extra["derive"] == "sex"
    assert isinstance(vocabs["script"], Vocabulary)
    assert "Cyrl" in vocabs["script"]


# Validation -------------------------------------------------------------------------------------


def _write(folder: Path, name: str, body: Any) -> Path:
    path = folder / f"{name}.json"
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    return path


def _term(term_id: str, **extra: Any) -> dict[str, Any]:
    return {"id": term_id, "en": "Label", "uk": "Мітка", "ru": "Метка", **extra}


GOOD = {"vocabulary": "demo", "version": 1, "terms": [_term("a"), _term("other")]}


def test_a_valid_file_loads(tmp_path: Path) -> None:
    _write(tmp_path, "demo", GOOD)
    assert Vocabularies(tmp_path)["demo"].ids() == {"a", "other"}


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({**GOOD, "terms": [_term("a"), _term("a")]}, "twice"),
        ({**GOOD, "terms": [_term("Bad-Id")]}, "invalid id"),
        ({**GOOD, "terms": [_term("Cyrl")]}, "invalid id"),
        ({**GOOD, "terms": [{**_term("a"), "uk": ""}]}, "no uk label"),
        ({**GOOD, "terms": [{"id": "a", "en": "A", "uk": "А"}]}, "no ru label"),
        ({**GOOD, "terms": [_term("a", group="missing")]}, "group"),
        ({**GOOD, "terms": []}, "non-empty"),
        ({**GOOD, "vocabulary": "other_name"}, "named"),
        ({**GOOD, "version": "1"}, "version"),
        ({**GOOD, "closed": "yes"}, "closed"),
        ({**GOOD, "surprise": 1}, "unknown keys"),
        ({**GOOD, "terms": [_term("a", review_uk="yes")]}, "review_uk"),
        ([1, 2], "one JSON object"),
    ],
)
def test_invalid_files_are_refused(tmp_path: Path, body: Any, problem: str) -> None:
    _write(tmp_path, "demo", body)
    with pytest.raises(VocabularyError) as info:
        Vocabularies(tmp_path)
    assert info.value.params["file"] == "demo.json"
    assert problem in info.value.params["problem"]
    assert problem in str(info.value)


def test_broken_json_and_empty_folder_are_refused(tmp_path: Path) -> None:
    with pytest.raises(VocabularyError):
        Vocabularies(tmp_path)
    with pytest.raises(VocabularyError):
        Vocabularies(tmp_path / "missing")
    (tmp_path / "demo.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(VocabularyError) as info:
        Vocabularies(tmp_path)
    assert "JSON" in info.value.params["problem"]


def test_script_ids_are_only_allowed_in_the_script_list(tmp_path: Path) -> None:
    _write(tmp_path, "script", {"vocabulary": "script", "version": 1,
                                "terms": [_term("Cyrl"), _term("other")]})
    assert "Cyrl" in Vocabularies(tmp_path)["script"]

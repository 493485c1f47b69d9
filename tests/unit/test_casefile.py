"""Case files: the PDF shows records exactly as entered, in the chosen language, with its
fonts embedded; consent and redaction profiles decide what appears; the three files verify."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from test_casefile_sample import RU_NARRATIVE, UK_NARRATIVE, add_rich, marked

from testimony_app import errors
from testimony_app.casefile import redaction
from testimony_app.casefile.selection import Selection
from testimony_app.domain.vocabularies import vocabularies
from testimony_app.i18n import translations_for
from testimony_app.services.casefile import export_casefile, verify_casefile
from testimony_app.vault import audit

ALL_SCOPES = ("share_ua_prosecution", "share_icrc", "advocacy_anonymous",
              "contact_by_investigators")


def pages_text(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(path).pages]


def squeeze(text: str) -> str:
    """Text without any whitespace: a marker wrapped over two lines is found whole."""
    return "".join(text.split())


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def three(vault):
    """A: every scope; B: ICC and ICRC only, Russian narrative; C: ICRC only."""
    return {
        "A": add_rich(vault, tag="A", scopes=ALL_SCOPES),
        "B": add_rich(vault, tag="B", scopes=("share_icc", "share_icrc"),
                      narrative=RU_NARRATIVE),
        "C": add_rich(vault, tag="C", scopes=("share_icrc",)),
    }


def export(vault, three, tmp_path, profile="prosecution", lang="uk", **kw):
    ids = [three[k]["interview"].id for k in ("A", "B", "C")]
    return export_casefile(vault, Selection.interviews(*ids), profile, lang,
                           tmp_path / "out" / f"{profile}-{lang}.pdf", **kw)


@pytest.fixture
def out_dir(tmp_path):
    (tmp_path / "out").mkdir()
    return tmp_path / "out"


def test_ukrainian_and_russian_text_appears_exactly_as_entered(vault, three, tmp_path, out_dir):
    result = export(vault, three, tmp_path)
    text = flat("\n".join(pages_text(result.pdf_path)))
    assert flat(UK_NARRATIVE) in text
    assert flat(RU_NARRATIVE) in text
    assert "Коваленко MKAXSURNAME Андрій MKAXGIVEN Петрович" in text
    assert "Сашко MKAXHEARD" in text
    data = result.data_path.read_text(encoding="utf-8")
    assert UK_NARRATIVE in data and RU_NARRATIVE in data


@pytest.mark.parametrize("lang, date_text", [("uk", "квітень 2022"), ("ru", "апрель 2022"),
                                             ("en", "April 2022")])
def test_vocabulary_labels_and_dates_come_in_the_chosen_language(vault, three, tmp_path,
                                                                 out_dir, lang, date_text):
    result = export(vault, three, tmp_path, lang=lang)
    text = flat("\n".join(pages_text(result.pdf_path)))
    methods = vocabularies()["ill_treatment_methods"]
    assert methods.label("falanga", lang) in text
    for other in {"uk", "ru", "en"} - {lang}:
        assert methods.label("falanga", other) not in text
    assert vocabularies()["detention_site_types"].label("sizo", lang) in text
    assert date_text in text  # the arrival of the detention episode


def words(lang, msgid, **params):
    """A label as the case file in ``lang`` prints it."""
    return translations_for(lang).gettext(msgid).format(**params)


def test_every_page_says_page_x_of_y(vault, three, tmp_path, out_dir):
    result = export(vault, three, tmp_path)  # in Ukrainian
    texts = pages_text(result.pdf_path)
    assert len(texts) == result.pages > 5
    marking = words("uk", "CONFIDENTIAL – for law-enforcement and judicial use only")
    assert marking.startswith("КОНФІДЕНЦІЙНО")
    for n, text in enumerate(texts, start=1):
        assert words("uk", "Page {page} of {pages}", page=n, pages=len(texts)) in text
        assert marking in flat(text)  # the marking on every page


def _fonts(page) -> list:
    fonts = page["/Resources"].get_object().get("/Font", {})
    return [f.get_object() for f in fonts.get_object().values()]


def test_fonts_are_embedded_and_no_base_font_is_used(vault, three, tmp_path, out_dir):
    result = export(vault, three, tmp_path)
    seen = 0
    for page in PdfReader(result.pdf_path).pages:
        for font in _fonts(page):
            descendants = font.get("/DescendantFonts")
            for f in ([d.get_object() for d in descendants] if descendants else [font]):
                descriptor = f["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor, f["/BaseFont"]
                assert "DejaVu" in str(f["/BaseFont"])
                seen += 1
    assert seen


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is not installed "
                    "(Debian package qpdf; CI installs it)")
def test_qpdf_check_passes(vault, three, tmp_path, out_dir):
    result = export(vault, three, tmp_path)
    run = subprocess.run(["qpdf", "--check", str(result.pdf_path)], capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stdout + run.stderr


# Redaction ------------------------------------------------------------------------------------

ADVOCACY_DROPS = ("SURNAME", "GIVEN", "VARIANT", "CONTACTS", "KIN", "SERVICENO", "HEALTH",
                  "PLACEEXACT", "PLACEGEN", "NARRATIVE", "INTERVIEWER", "INTERPRETER",
                  "OBSERVATION", "HEARD", "HEARDCALL", "FAMILYMSG", "INJSEEN", "ACTORNAME",
                  "ACTORCALL", "ACTORDESC", "INJURIES", "QUESTIONS", "OBJECTS", "ACTNOTES",
                  "METHODSOTHER", "FILENAME", "SITENAME", "SETTLEMENT", "ADDRESS",
                  "CAPTUREUNIT", "CIRCUMSTANCES", "RECORDEDBY", "CONDTEXT")
ICRC_DROPS = ("ACTORNAME", "ACTORCALL", "ACTORDESC", "INJURIES", "QUESTIONS", "OBJECTS",
              "ACTNOTES", "METHODSOTHER", "NARRATIVE", "OBSERVATION", "INJSEEN", "FILENAME",
              "CAPTUREUNIT", "CIRCUMSTANCES", "CONDTEXT", "CONTACTS", "KIN", "HEALTH")


def _leaks(result, tags, fields) -> list[str]:
    text = squeeze("\n".join(pages_text(result.pdf_path)))
    data = result.data_path.read_text(encoding="utf-8")
    found = []
    for tag in tags:
        for field in fields:
            marker = marked(tag)[field]
            if marker in text or marker in data:
                found.append(marker)
    return found


def test_advocacy_drops_names_contacts_sensitive_fields_and_exact_places(vault, three, tmp_path,
                                                                         out_dir):
    result = export(vault, three, tmp_path, profile="advocacy", lang="ru")
    assert _leaks(result, "ABC", ADVOCACY_DROPS) == []
    text = flat("\n".join(pages_text(result.pdf_path)))
    assert words("ru", "Witness {letter}", letter="A") in text  # pseudonyms instead of names
    assert vocabularies()["ill_treatment_methods"].label("falanga", "ru") in text
    assert "Ростовская область" in text  # the place, generalised to its region
    assert [i for i in result.interviews] == [three["A"]["interview"].id]


def test_icrc_drops_perpetrators_and_acts_but_keeps_identity_and_sightings(vault, three,
                                                                          tmp_path, out_dir):
    result = export(vault, three, tmp_path, profile="icrc", lang="en")
    assert _leaks(result, "ABC", ICRC_DROPS) == []
    text = squeeze("\n".join(pages_text(result.pdf_path)))
    for tag in "ABC":
        m = marked(tag)
        assert m["SURNAME"] in text and m["HEARD"] in text and m["SITENAME"] in text
    assert squeeze(vocabularies()["ill_treatment_methods"].label("falanga", "en")) not in text


def test_prosecution_leaves_out_an_interview_without_consent_and_says_so(vault, three,
                                                                        tmp_path, out_dir):
    result = export(vault, three, tmp_path, profile="prosecution", lang="en")
    c = three["C"]["interview"]
    assert result.interviews == (three["A"]["interview"].id, three["B"]["interview"].id)
    assert [x.id for x in result.left_out] == [c.id]
    everything_of_c = [f for f in marked("C")]
    assert _leaks(result, "C", everything_of_c) == []
    text = flat("\n".join(pages_text(result.pdf_path)))
    assert "Interviews left out of this case file" in text
    assert "T-C" in text and "No consent for this use" in text
    data = json.loads(result.data_path.read_text(encoding="utf-8"))
    assert [x["id"] for x in data["casefile"]["left_out"]] == [c.id]


def test_prosecution_shows_contacts_only_with_consent_to_pass_them_on(vault, three, tmp_path,
                                                                     out_dir):
    result = export(vault, three, tmp_path, profile="prosecution", lang="en")
    assert _leaks(result, "A", ("CONTACTS", "KIN")) == ["MKAXCONTACTS", "MKAXKIN"]
    assert _leaks(result, "B", ("CONTACTS", "KIN")) == []
    assert "Left out of this interview" in flat("\n".join(pages_text(result.pdf_path)))
    # Everything else of A and B is there, perpetrators and acts included.
    shown = set(marked("A")) - {"FILENAME"}
    assert sorted(_leaks(result, "A", shown)) == sorted(marked("A")[f] for f in shown)


def test_identity_is_withheld_when_its_storage_was_refused(vault, tmp_path, out_dir):
    from testimony_app.domain.interview import Consent

    a = add_rich(vault, tag="A", scopes=("share_ua_prosecution",))
    with vault.transaction() as store:
        store.add(Consent(interview_id=a["interview"].id, scope="store_identity",
                          decision="refused"))
    result = export_casefile(vault, Selection.interviews(a["interview"].id), "prosecution",
                             "en", out_dir / "x.pdf")
    assert _leaks(result, "A", ("SURNAME", "GIVEN", "VARIANT", "SERVICENO")) == []
    assert "Witness A" in flat("\n".join(pages_text(result.pdf_path)))


def test_a_file_whose_interviews_are_all_left_out_does_not_name_its_subject(vault, tmp_path,
                                                                          out_dir):
    a = add_rich(vault, tag="A", scopes=("share_icrc",), attachment=False)
    result = export_casefile(vault, Selection.person(a["person"].id), "prosecution", "en",
                             out_dir / "x.pdf")
    assert result.interviews == () and len(result.left_out) == 1
    assert _leaks(result, "A", list(marked("A"))) == []
    assert "Interviews about a person" in flat("\n".join(pages_text(result.pdf_path)))
    named = export_casefile(vault, Selection.person(a["person"].id), "icrc", "en",
                            out_dir / "y.pdf")
    assert "Interviews about Коваленко MKAXSURNAME" in flat(
        "\n".join(pages_text(named.pdf_path)))


def test_consent_states():
    from testimony_app.domain.dates import PartialDate
    from testimony_app.domain.interview import Consent

    def c(decision, withdrawn=None):
        return Consent(scope="share_icc", decision=decision,
                       withdrawn_on=PartialDate.parse(withdrawn) if withdrawn else None)

    assert redaction.scope_state([], "share_icc") == "not_recorded"
    assert redaction.scope_state([c("granted")], "share_icc") == "granted"
    assert redaction.scope_state([c("granted", "2024-05")], "share_icc") == "withdrawn"
    assert redaction.scope_state([c("granted"), c("refused")], "share_icc") == "disagree"
    assert redaction.scope_state([c("granted"), c("withdrawn")], "share_icc") == "withdrawn"


def test_the_advocacy_profile_lists_no_sensitive_field():
    redaction._check_no_sensitive(redaction.profile("advocacy"))
    with pytest.raises(AssertionError):
        redaction._check_no_sensitive(redaction.profile("prosecution"))


# Markup, long tables ---------------------------------------------------------------------------

def test_markup_in_records_is_printed_as_text(vault, tmp_path, out_dir):
    hostile = 'До <b>жирного</b> & <font name="Courier">x</font> <a href="http://x">y</a>'
    a = add_rich(vault, tag="A", narrative=hostile + "\x00\x07", attachment=False)
    result = export_casefile(vault, Selection.interviews(a["interview"].id), "prosecution",
                             "uk", out_dir / "x.pdf")
    text = flat("\n".join(pages_text(result.pdf_path)))
    assert flat(hostile) in text


def test_a_long_table_splits_across_pages_and_repeats_its_header(vault, tmp_path, out_dir):
    from testimony_app.domain.dates import PartialDate
    from testimony_app.domain.detention import Act

    a = add_rich(vault, tag="A", attachment=False)
    with vault.transaction() as store:
        for n in range(80):
            store.add(Act(interview_id=a["interview"].id, victim_id=a["person"].id,
                          site_id=a["site"].id, date=PartialDate.parse(f"2022-{n % 12 + 1:02d}"),
                          methods=("falanga", "beating_body_blows", "sleep_deprivation"),
                          frequency="daily", methods_other="довгий опис " * (n % 7)))
    result = export_casefile(vault, Selection.interviews(a["interview"].id), "prosecution",
                             "en", out_dir / "x.pdf")
    texts = pages_text(result.pdf_path)
    with_header = [t for t in texts if "Methods" in t and "Perpetrators" in t]
    assert len(with_header) >= 3


# Integrity --------------------------------------------------------------------------------------

def _flip(path: Path, offset: int) -> None:
    raw = bytearray(path.read_bytes())
    raw[offset] ^= 0x01
    path.write_bytes(bytes(raw))


def test_verify_passes_on_a_fresh_file_and_fails_after_a_one_byte_change(vault, three, tmp_path,
                                                                        out_dir):
    result = export(vault, three, tmp_path)
    assert verify_casefile(result.pdf_path) == []
    assert verify_casefile(result.pdf_path, vault.device.fingerprint) == []
    assert verify_casefile(result.pdf_path, "0000 0000") != []
    pristine = {p: p.read_bytes() for p in (result.pdf_path, result.data_path, result.sig_path)}
    for path in (result.pdf_path, result.data_path):
        _flip(path, len(pristine[path]) // 2)
        problems = verify_casefile(result.pdf_path)
        assert len(problems) == 1 and "changed after it was signed" in problems[0]
        path.write_bytes(pristine[path])
    sig = json.loads(pristine[result.sig_path])
    sig["statement"]["pdf_sha256"] = "0" * 64
    result.sig_path.write_text(json.dumps(sig))
    assert "signature does not match" in verify_casefile(result.pdf_path)[0]
    sig["statement"]["reference"] = "\ud800"  # no UTF-8 form: not a signature file
    result.sig_path.write_text(json.dumps(sig))
    assert "not a case-file signature" in verify_casefile(result.pdf_path)[0]
    result.sig_path.unlink()
    assert "Missing file" in verify_casefile(result.pdf_path)[0]


def test_the_data_file_is_canonical_and_its_hash_is_printed_in_the_pdf(vault, three, tmp_path,
                                                                       out_dir):
    result = export(vault, three, tmp_path)
    raw = result.data_path.read_bytes()
    doc = json.loads(raw)
    assert raw == audit.canonical(doc) + b"\n"
    assert doc["format"] == "testimony-casefile-data/1"
    assert hashlib.sha256(raw).hexdigest() == result.data_sha256
    assert result.data_sha256 in squeeze("\n".join(pages_text(result.pdf_path)))
    assert doc["casefile"]["device_fingerprint"] == vault.device.fingerprint


def test_the_export_is_audited(vault, three, tmp_path, out_dir):
    result = export(vault, three, tmp_path)
    entries = [e for e in audit.entries(vault.conn) if e.action == "casefile_export"]
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.entity, entry.entity_id) == ("casefile", result.casefile_id)
    summary = {"profile": "prosecution", "lang": "uk", "reference": result.reference,
               "records": sorted(result.records), "interviews": list(result.interviews),
               "left_out": [x.id for x in result.left_out], "pdf_sha256": result.pdf_sha256,
               "data_sha256": result.data_sha256}
    assert entry.summary_hash == audit.summary_hash(summary)
    assert three["A"]["act"].id in result.records
    assert three["C"]["interview"].id not in result.records
    assert audit.verify(vault.conn) == []


@pytest.mark.parametrize("stop_at", [1, 3, 12])
def test_cancel_leaves_no_file_and_no_audit_entry(vault, three, tmp_path, out_dir, stop_at):
    calls = []

    def cancel():
        calls.append(1)
        return len(calls) >= stop_at

    before = len(audit.entries(vault.conn))
    with pytest.raises(errors.Cancelled):
        export(vault, three, tmp_path, cancel=cancel)
    assert list(out_dir.iterdir()) == []
    assert len(audit.entries(vault.conn)) == before


def test_progress_reaches_the_end(vault, three, tmp_path, out_dir):
    seen = []
    export(vault, three, tmp_path, progress=lambda d, t, s: seen.append((d, t, s)))
    assert seen[-1][0] == seen[-1][1]
    done = [d for d, _, _ in seen]
    assert done == sorted(done)

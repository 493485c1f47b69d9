"""The flowables of each part of a case file (cover, left-out list, interview, appendix)."""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer, Table, TableStyle

from testimony_app.casefile import styles
from testimony_app.casefile.fonts import SANS
from testimony_app.casefile.labels import Words
from testimony_app.casefile.model import CaseFile, Column, InterviewView, Item, Row, Section
from testimony_app.casefile.model import Table as TableView
from testimony_app.casefile.pdf_tables import data_table, items_table
from testimony_app.casefile.styles import markup
from testimony_app.i18n import N_


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(markup(text), style)



def cover(casefile: CaseFile, words: Words) -> list[Flowable]:
    mark = Table([[_p(casefile.marking, styles.MARK)]], colWidths=(styles.WIDTH,))
    mark.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), SANS),
                              ("BOX", (0, 0), (-1, -1), 1.2, styles.MARKING),
                              ("LEFTPADDING", (0, 0), (-1, -1), 8),
                              ("TOPPADDING", (0, 0), (-1, -1), 6),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 7)]))
    flow: list[Flowable] = [
        Spacer(1, 18 * mm),
        _p(words(N_("Case file")), styles.COVER_KIND),
        _p(casefile.title, styles.COVER_TITLE),
        mark, Spacer(1, 8 * mm),
        items_table(casefile.cover, label_share=0.36,
                    mono=frozenset({"device_fingerprint", "id"})),
        Spacer(1, 6 * mm),
        _p(words(N_("What this profile shows")), styles.H3),
    ]
    flow += [_p(note, styles.NOTE) for note in casefile.profile_notes]
    flow += [Spacer(1, 3 * mm), _p(words(N_(
        "Each value is reproduced exactly as recorded. The integrity appendix at the end "
        "gives the SHA-256 of the data file written beside this PDF; a detached signature "
        "by the device key covers both files.")), styles.NOTE)]
    return flow


def left_out(casefile: CaseFile, words: Words) -> list[Flowable]:
    view = TableView((Column("reference", words(N_("Reference"))),
                      Column("id", words(N_("Record id"))),
                      Column("reason", words(N_("Why it is left out")))),
                     tuple(Row(x.id, (x.reference, x.id, x.reason)) for x in casefile.left_out))
    return [_p(words(N_("These interviews were selected but their consent does not allow this "
                        "use. Nothing from them appears in this file.")), styles.BODY),
            data_table(view)]


def section(part: Section) -> list[Flowable]:
    # A heading never ends a page: without room for a few lines after it, start a new page.
    flow: list[Flowable] = [CondPageBreak(32 * mm), _p(part.title, styles.H2)]
    if part.is_empty:
        return [*flow, _p(part.empty, styles.EMPTY)]
    if part.items:
        flow += [items_table(part.items), Spacer(1, 4)]
    flow += [_p(text, styles.BODY) for text in part.paragraphs]
    if part.table is not None and part.table.rows:
        flow.append(data_table(part.table))
    for block in part.blocks:
        flow += [CondPageBreak(22 * mm), _p(block.title, styles.H3),
                 items_table(block.items, label_share=0.26)]
    return flow


def interview(view: InterviewView, words: Words) -> list[Flowable]:
    flow: list[Flowable] = []
    for part in view.sections:
        flow += section(part)
    if view.omitted:
        flow += [CondPageBreak(32 * mm), _p(words(N_("Left out of this interview")), styles.H2)]
        flow.append(items_table([Item(o.key, o.what, o.reason) for o in view.omitted]))
    return flow


def appendix(casefile: CaseFile, words: Words, data_sha256: str, data_name: str,
             sig_name: str) -> list[Flowable]:
    rows = [
        Item("data_file", words(N_("Data file")), data_name),
        Item("data_sha256", words(N_("SHA-256 of the data file")), data_sha256),
        Item("signature_file", words(N_("Signature file")), sig_name),
        Item("device_fingerprint", words(N_("Device key fingerprint")),
             casefile.device_fingerprint),
        Item("device_public_key", words(N_("Device public key (Ed25519)")),
             casefile.device_public_key),
        Item("device_id", words(N_("Device id")), casefile.device_id),
        Item("id", words(N_("Case file id")), casefile.id),
    ]
    mono = frozenset({"data_sha256", "device_fingerprint", "device_public_key", "device_id",
                      "id"})
    return [
        _p(words(N_("The data file holds exactly the data shown in this case file, as canonical "
                    "JSON (keys sorted, no spaces, UTF-8). Its SHA-256 is given below.")),
           styles.BODY),
        _p(words(N_("The signature file holds an Ed25519 signature, made with the key of the "
                    "device named below, over a statement that gives the SHA-256 of this PDF "
                    "and of the data file. Compare the fingerprint with the one your "
                    "organisation holds for this device.")), styles.BODY),
        items_table(rows, mono=mono), Spacer(1, 5 * mm),
        _p(words(N_("To check all three files: {command}"),
                 command=f"testimony casefile verify {data_name.removesuffix('.data.json')}"
                         ".pdf"), styles.BODY),
    ]

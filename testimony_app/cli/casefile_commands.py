"""``testimony casefile ...``: case files for legal teams (docs/casefile.md)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from testimony_app import errors, i18n
from testimony_app.cli.common import passphrase_args, say, unlock
from testimony_app.i18n import _

# `testimony casefile export PATH ...` and `testimony casefile verify FILE.pdf`; the issue's
# short form `testimony casefile PATH ...` is read as `casefile export PATH ...`.

CASEFILE_ACTIONS = ("export", "verify", "-h", "--help")


def casefile_argv(argv: list[str]) -> list[str]:
    """Insert ``export`` after ``casefile`` when the short form is used."""
    i = 0
    while i < len(argv) and argv[i].startswith("-"):
        i += 2 if argv[i] == "--lang" else 1
    if i + 1 < len(argv) and argv[i] == "casefile" and argv[i + 1] not in CASEFILE_ACTIONS:
        return [*argv[:i + 1], "export", *argv[i + 1:]]
    return argv


def cmd_casefile_export(args: argparse.Namespace) -> int:
    from testimony_app.casefile.selection import Selection
    from testimony_app.services import casefile

    if args.interview:
        selection = Selection.interviews(*args.interview)
    elif args.person:
        selection = Selection.person(args.person)
    else:
        selection = Selection.site(args.site)
    out = Path(args.out)
    existing = [p for p in (out, *casefile.companion_paths(out)) if p.exists()]
    if existing and not args.force:
        raise errors.UsageError(_("{path} exists; add --force to replace it."),
                                path=str(existing[0]))
    with unlock(args) as vault:
        result = casefile.export_casefile(vault, selection, args.profile, args.casefile_lang,
                                          out, reference=args.reference or "",
                                          title=args.title or "")
    say(_("Case file written: {path} ({pages} pages)").format(path=result.pdf_path,
                                                              pages=result.pages))
    say(_("Data file: {path} (SHA-256 {sha})").format(path=result.data_path,
                                                      sha=result.data_sha256))
    say(_("Signature: {path}").format(path=result.sig_path))
    say(_("Interviews included: {n}; left out: {m}").format(n=len(result.interviews),
                                                             m=len(result.left_out)))
    for left in result.left_out:
        say(_("  left out: {reference} ({id}): {reason}").format(
            reference=left.reference, id=left.id, reason=left.reason))
    return errors.EXIT_OK


def cmd_casefile_verify(args: argparse.Namespace) -> int:
    from testimony_app.services import casefile

    problems = casefile.verify_casefile(Path(args.file), args.expect_fingerprint or "")
    for problem in problems:
        say(problem)
    if problems:
        say(i18n.ngettext("{n} problem found.", "{n} problems found.",
                           len(problems)).format(n=len(problems)))
        return errors.EXIT_PROBLEMS
    statement = casefile.signature_statement(Path(args.file)) or {}
    say(_("The case file, its data file and its signature check out."))
    say(_("Reference: {reference}").format(reference=statement.get("reference", "")))
    say(_("Signed by device {fpr} at {at}; compare this fingerprint with the one your "
           "organisation holds for the device.").format(
        fpr=statement.get("device_fingerprint", ""), at=statement.get("signed_at", "")))
    return errors.EXIT_OK


def register(sub: Any) -> None:
    cf = sub.add_parser("casefile", help=_("write a signed PDF case file, or verify one"))
    csub = cf.add_subparsers(dest="casefile_command", required=True, metavar="ACTION")
    p = csub.add_parser("export", help=_("write FILE.pdf, FILE.data.json and FILE.pdf.sig"))
    p.add_argument("path")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--interview", nargs="+", action="extend", metavar="ID",
                       help=_("one or more interviews"))
    which.add_argument("--person", metavar="ID", help=_("everything about one person"))
    which.add_argument("--site", metavar="ID", help=_("everything about one site"))
    p.add_argument("--profile", required=True, choices=["prosecution", "icrc", "advocacy"])
    p.add_argument("--lang", dest="casefile_lang", required=True, choices=i18n.LANGUAGES,
                   help=_("language of the case file"))
    p.add_argument("--out", required=True, metavar="FILE.pdf")
    p.add_argument("--reference", help=_("case reference printed on every page"))
    p.add_argument("--title", help=_("title on the cover"))
    p.add_argument("--force", action="store_true", help=_("replace existing files"))
    passphrase_args(p)
    p.set_defaults(handler=cmd_casefile_export)
    p = csub.add_parser("verify", help=_("check a case file against its signature and data "
                                         "file"))
    p.add_argument("file", metavar="FILE.pdf")
    p.add_argument("--expect-fingerprint", metavar="FPR",
                   help=_("fail unless signed by the device with this fingerprint"))
    p.set_defaults(handler=cmd_casefile_verify)

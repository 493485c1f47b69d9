"""The ``testimony`` command: the same services as the app, for coordinators and scripts.

Passphrases come from a prompt, ``--passphrase-file F`` or ``--passphrase-fd N``; never from an
argument (arguments are visible to every user of the machine and land in shell history).
Every error is one translated line on stderr and a documented exit code (docs/cli.md).
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from testimony_app import errors, fs, i18n, log
from testimony_app.i18n import _
from testimony_app.services import attachments, records, vaults
from testimony_app.vault.vault import Vault

MAX_SECRET_FILE = 4096
Handler = Callable[[argparse.Namespace], int]


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _read_secret_file(path: str) -> str:
    try:
        raw = fs.read_limited(Path(path), MAX_SECRET_FILE)
    except OSError as exc:
        raise errors.FileError(path=path, reason=exc.strerror or str(exc)) from exc
    return raw.decode("utf-8").splitlines()[0] if raw.strip() else ""


def _read_secret_fd(fd: int) -> str:
    with os.fdopen(fd, "rb", closefd=False) as fh:
        raw = fh.read(MAX_SECRET_FILE)
    return raw.decode("utf-8").splitlines()[0] if raw.strip() else ""


def _secret(args: argparse.Namespace, prefix: str, prompt: str, *, confirm: bool = False) -> str:
    path = getattr(args, f"{prefix}passphrase_file", None)
    fd = getattr(args, f"{prefix}passphrase_fd", None)
    if path:
        return _read_secret_file(path)
    if fd is not None:
        return _read_secret_fd(fd)
    if not sys.stdin.isatty():
        raise errors.UsageError(_("No terminal to ask for the passphrase: use "
                                  "--{prefix}passphrase-file or --{prefix}passphrase-fd."),
                                prefix=prefix.replace("_", "-"))
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass(_("Repeat the passphrase: ")) != first:
        raise errors.PassphraseMismatch()
    return first


def _unlock(args: argparse.Namespace) -> Vault:
    return vaults.unlock(Path(args.path), _secret(args, "", _("Passphrase: ")))


# Commands ---------------------------------------------------------------------------------

def cmd_vault_create(args: argparse.Namespace) -> int:
    passphrase = _secret(args, "", _("New passphrase: "), confirm=True)
    created = vaults.create_vault(Path(args.path), passphrase, name=args.name or "")
    with created.vault as vault:
        _out(_("Vault created in {path}").format(path=args.path))
        _out(_("Vault id: {id}").format(id=vault.header.vault_id))
        _out(_("Device fingerprint: {fpr}").format(fpr=vault.device.fingerprint))
        _out(_("Recovery code (shown only this once: write it down and keep it in a safe "
               "place; it opens the vault if the passphrase is lost):"))
        _out(f"    {created.recovery_code}")
    return errors.EXIT_OK


def cmd_vault_info(args: argparse.Namespace) -> int:
    about = vaults.info(Path(args.path))
    _out(_("Vault id: {id}").format(id=about.vault_id))
    _out(_("Format version: {v}").format(v=about.format_version))
    _out(_("Key slots: {slots}").format(slots=", ".join(about.slots)))
    _out(_("Passphrase key derivation: Argon2id, {mib} MiB, {t} passes").format(
        mib=about.kdf_memory_kib // 1024, t=about.kdf_time_cost))
    return errors.EXIT_OK


def cmd_vault_passwd(args: argparse.Namespace) -> int:
    with _unlock(args) as vault:
        new = _secret(args, "new_", _("New passphrase: "), confirm=True)
        vault.change_passphrase(new)
    _out(_("Passphrase changed."))
    return errors.EXIT_OK


def cmd_vault_recover(args: argparse.Namespace) -> int:
    code = _read_secret_file(args.recovery_code_file)
    new = _secret(args, "new_", _("New passphrase: "), confirm=True)
    with vaults.recover(Path(args.path), code, new):
        pass
    _out(_("Vault recovered; the new passphrase is set."))
    return errors.EXIT_OK


def cmd_vault_verify(args: argparse.Namespace) -> int:
    with _unlock(args) as vault:
        problems = vaults.verify(vault)
    for problem in problems:
        _out(problem)
    if problems:
        _out(i18n.ngettext("{n} problem found.", "{n} problems found.",
                           len(problems)).format(n=len(problems)))
        return errors.EXIT_PROBLEMS
    _out(_("The vault is intact: audit chain, database pages and every attachment check out."))
    return errors.EXIT_OK


def cmd_records_add(args: argparse.Namespace) -> int:
    try:
        raw = fs.read_limited(Path(args.file), records.MAX_DOCUMENT)
    except OSError as exc:
        raise errors.FileError(path=args.file, reason=exc.strerror or str(exc)) from exc
    records.parse_document(raw)  # refuse a malformed file before asking for the passphrase
    with _unlock(args) as vault:
        result = records.apply_document(vault, raw)
    _out(_("Records: {c} created, {u} updated, {n} unchanged.").format(
        c=result.created, u=result.updated, n=result.unchanged))
    return errors.EXIT_OK


def cmd_records_dump(args: argparse.Namespace) -> int:
    if not args.plaintext:
        raise errors.UsageError(_("This writes testimonies out unencrypted. Add --plaintext "
                                  "if that is really what you want."))
    with _unlock(args) as vault:
        document = records.dump_document(vault)
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if args.out:
        fs.atomic_write(Path(args.out), text.encode("utf-8"))
    else:
        sys.stdout.write(text)
    return errors.EXIT_OK


def cmd_attach(args: argparse.Namespace) -> int:
    with _unlock(args) as vault:
        attachment = attachments.add_attachment_file(vault, args.interview_id, Path(args.file),
                                                     kind=args.kind)
    _out(_("Attachment {id} added: {size} bytes, SHA-256 {sha}").format(
        id=attachment.id, size=attachment.size_bytes, sha=attachment.sha256))
    return errors.EXIT_OK


# Parser -----------------------------------------------------------------------------------

def _passphrase_args(p: argparse.ArgumentParser, prefix: str = "", what: str = "") -> None:
    what = what or _("the passphrase")
    group = p.add_mutually_exclusive_group()
    group.add_argument(f"--{prefix}passphrase-file", metavar="FILE",
                       help=_("read {what} from the first line of FILE").format(what=what))
    group.add_argument(f"--{prefix}passphrase-fd", metavar="N", type=int,
                       help=_("read {what} from file descriptor N").format(what=what))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="testimony", description=_("Encrypted, offline documentation of testimonies."))
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=_("language of messages"))
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    vault = sub.add_parser("vault", help=_("create, inspect, verify or recover a vault"))
    vsub = vault.add_subparsers(dest="vault_command", required=True, metavar="ACTION")
    p = vsub.add_parser("create", help=_("create a new vault in an empty folder"))
    p.add_argument("path")
    p.add_argument("--name", help=_("a label for this vault (stored encrypted)"))
    _passphrase_args(p)
    p.set_defaults(handler=cmd_vault_create)
    p = vsub.add_parser("info", help=_("show the vault's header (no passphrase needed)"))
    p.add_argument("path")
    p.set_defaults(handler=cmd_vault_info)
    p = vsub.add_parser("passwd", help=_("change the passphrase"))
    p.add_argument("path")
    _passphrase_args(p)
    _passphrase_args(p, "new-", _("the new passphrase"))
    p.set_defaults(handler=cmd_vault_passwd)
    p = vsub.add_parser("recover", help=_("open with the recovery code and set a new passphrase"))
    p.add_argument("path")
    p.add_argument("--recovery-code-file", required=True, metavar="FILE")
    _passphrase_args(p, "new-", _("the new passphrase"))
    p.set_defaults(handler=cmd_vault_recover)
    p = vsub.add_parser("verify", help=_("check the audit chain, the database and every "
                                         "attachment"))
    p.add_argument("path")
    _passphrase_args(p)
    p.set_defaults(handler=cmd_vault_verify)

    recs = sub.add_parser("records", help=_("add records from JSON, or dump them"))
    rsub = recs.add_subparsers(dest="records_command", required=True, metavar="ACTION")
    p = rsub.add_parser("add", help=_("create or update records from a JSON document"))
    p.add_argument("path")
    p.add_argument("file")
    _passphrase_args(p)
    p.set_defaults(handler=cmd_records_add)
    p = rsub.add_parser("dump", help=_("write every record as JSON, unencrypted"))
    p.add_argument("path")
    p.add_argument("--plaintext", action="store_true",
                   help=_("confirm that an unencrypted copy is wanted"))
    p.add_argument("--out", metavar="FILE", help=_("write to FILE instead of standard output"))
    _passphrase_args(p)
    p.set_defaults(handler=cmd_records_dump)

    p = sub.add_parser("attach", help=_("encrypt a file into the vault as evidence"))
    p.add_argument("path")
    p.add_argument("interview_id")
    p.add_argument("file")
    p.add_argument("--kind", default="other", choices=["audio", "video", "photo", "document",
                                                       "other"])
    _passphrase_args(p)
    p.set_defaults(handler=cmd_attach)
    _casefile_parser(sub)  # issue 5: case files (see the block below)
    _sync_parser(sub)  # issue 4: organisations, bundles, receipts (see the block below)
    return parser


# Case files (issue 5) ------------------------------------------------------------------------
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
    with _unlock(args) as vault:
        result = casefile.export_casefile(vault, selection, args.profile, args.casefile_lang,
                                          out, reference=args.reference or "",
                                          title=args.title or "")
    _out(_("Case file written: {path} ({pages} pages)").format(path=result.pdf_path,
                                                              pages=result.pages))
    _out(_("Data file: {path} (SHA-256 {sha})").format(path=result.data_path,
                                                      sha=result.data_sha256))
    _out(_("Signature: {path}").format(path=result.sig_path))
    _out(_("Interviews included: {n}; left out: {m}").format(n=len(result.interviews),
                                                             m=len(result.left_out)))
    for left in result.left_out:
        _out(_("  left out: {reference} ({id}): {reason}").format(
            reference=left.reference, id=left.id, reason=left.reason))
    return errors.EXIT_OK


def cmd_casefile_verify(args: argparse.Namespace) -> int:
    from testimony_app.services import casefile

    problems = casefile.verify_casefile(Path(args.file), args.expect_fingerprint or "")
    for problem in problems:
        _out(problem)
    if problems:
        _out(i18n.ngettext("{n} problem found.", "{n} problems found.",
                           len(problems)).format(n=len(problems)))
        return errors.EXIT_PROBLEMS
    statement = casefile.signature_statement(Path(args.file)) or {}
    _out(_("The case file, its data file and its signature check out."))
    _out(_("Reference: {reference}").format(reference=statement.get("reference", "")))
    _out(_("Signed by device {fpr} at {at}; compare this fingerprint with the one your "
           "organisation holds for the device.").format(
        fpr=statement.get("device_fingerprint", ""), at=statement.get("signed_at", "")))
    return errors.EXIT_OK


def _casefile_parser(sub: Any) -> None:
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
    _passphrase_args(p)
    p.set_defaults(handler=cmd_casefile_export)
    p = csub.add_parser("verify", help=_("check a case file against its signature and data "
                                         "file"))
    p.add_argument("file", metavar="FILE.pdf")
    p.add_argument("--expect-fingerprint", metavar="FPR",
                   help=_("fail unless signed by the device with this fingerprint"))
    p.set_defaults(handler=cmd_casefile_verify)

# End of case files (issue 5) -----------------------------------------------------------------


# Organisations, bundles and receipts (issue 4) ---------------------------------------------
# org create|enrollment|age-identity|recipients|add-recipient|retire-recipient, enroll, export,
# import, receipt create|apply, purge, devices list|revoke|label. Services: services/sync.py.


def _sync_print_notices(notices: Sequence[errors.TestimonyError]) -> None:
    for notice in notices:
        _out("  " + _("note: {message}").format(message=notice.message()))


def cmd_org_create(args: argparse.Namespace) -> int:
    from testimony_app.services import sync

    with _unlock(args) as vault:
        created = sync.create_organisation(vault, args.name, Path(args.escrow_out))
    _out(_("Organisation created: {name}").format(name=created.organisation.name))
    _out(_("Organisation fingerprint: {fpr}").format(fpr=created.organisation.fingerprint))
    _out(_("Escrow identity written to {path} (shown only this once: keep it offline, in a "
           "safe; it decrypts every bundle)").format(path=created.escrow_file))
    return errors.EXIT_OK


def cmd_org_enrollment(args: argparse.Namespace) -> int:
    from testimony_app.services import sync

    with _unlock(args) as vault:
        enrolled = sync.write_enrollment(vault, Path(args.out))
    _out(_("Enrollment file (version {v}) written to {path}").format(v=enrolled.version,
                                                                     path=args.out))
    _out(_("Organisation fingerprint: {fpr}").format(fpr=enrolled.fingerprint))
    return errors.EXIT_OK


def cmd_org_age_identity(args: argparse.Namespace) -> int:
    from testimony_app.services import sync

    with _unlock(args) as vault:
        count = sync.write_age_identity(vault, Path(args.out))
    _out(i18n.ngettext("{n} import identity written to {path} (secret: keep it safe).",
                       "{n} import identities written to {path} (secret: keep them safe).",
                       count).format(n=count, path=args.out))
    return errors.EXIT_OK


def cmd_org_recipients(args: argparse.Namespace) -> int:
    from testimony_app.services import sync

    with _unlock(args) as vault:
        if args.org_command == "add-recipient":
            sync.add_recipient(vault, args.recipient)
        elif args.org_command == "retire-recipient":
            sync.retire_recipient(vault, args.recipient)
        info = sync.organisation_info(vault)
    if info.organisation is None:
        raise errors.UsageError(_("This vault has not joined an organisation."))
    _out(_("Organisation {name} ({fpr}), enrollment version {v}").format(
        name=info.organisation.name, fpr=info.organisation.fingerprint,
        v=info.organisation.enrollment_version))
    for key in info.keys:
        state = _("current") if key.current else _("retired")
        _out(f"  {key.recipient}  {key.kind}  {state}")
    return errors.EXIT_OK


def cmd_enroll(args: argparse.Namespace) -> int:
    from testimony_app.services import sync
    from testimony_app.sync import errors as sync_errors

    enrolled = sync.read_enrollment(Path(args.file))
    _out(_("Organisation: {name}").format(name=enrolled.name))
    _out(_("Organisation fingerprint: {fpr}").format(fpr=enrolled.fingerprint))
    _out(_("Enrollment version: {v}").format(v=enrolled.version))
    if not args.yes:
        if not sys.stdin.isatty():
            raise sync_errors.JoinNotConfirmed()
        answer = input(_("Compare the fingerprint with the coordinator (by phone or in "
                         "person). Join this organisation? Type yes: "))
        if answer.strip().lower() not in ("yes", _("yes")):
            raise sync_errors.JoinNotConfirmed()
    with _unlock(args) as vault:
        outcome = sync.join(vault, enrolled)
    messages = {"joined": _("Joined the organisation."),
                "updated": _("Updated to enrollment version {v}."),
                "unchanged": _("Already up to date; nothing changed.")}
    _out(messages[outcome].format(v=enrolled.version))
    return errors.EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from testimony_app.services import sync

    with _unlock(args) as vault:
        result = sync.export_bundle(vault, Path(args.out), interview_ids=args.interview)
    if result is None:
        sys.stderr.write(_("Nothing to send: the organisation has acknowledged everything.")
                         + "\n")
        return errors.EXIT_OK
    _out(str(result.path))
    return errors.EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from testimony_app.services import sync

    with _unlock(args) as vault:
        outcomes = sync.import_bundles(vault, [Path(b) for b in args.bundles],
                                       trust=args.trust_device or (), label=args.label or "")
    code = errors.EXIT_OK
    for outcome in outcomes:
        result = outcome.result
        if result is None:
            assert outcome.error is not None  # noqa: S101
            _out(_("{path}: refused: {message}").format(path=outcome.path,
                                                         message=outcome.error.message()))
            code = code or outcome.error.exit_code
            continue
        if result.already_imported or result.counts is None:
            _out(_("{path}: already imported; nothing changed.").format(path=outcome.path))
        else:
            c = result.counts
            _out(_("{path}: imported bundle {seq} from {device}: {created} new, {updated} "
                   "updated, {unchanged} unchanged, {older} older kept in history, "
                   "{conflicts} conflicts, {files} attachments.").format(
                path=outcome.path, seq=result.sequence, device=result.device,
                created=c.created, updated=c.updated, unchanged=c.unchanged, older=c.older,
                conflicts=c.conflicts, files=c.attachments))
        _sync_print_notices(result.notices)
    return code


def cmd_receipt(args: argparse.Namespace) -> int:
    from testimony_app.services import sync

    with _unlock(args) as vault:
        if args.receipt_command == "create":
            created = sync.create_receipt(vault, Path(args.out), args.device)
            _out(_("Receipt written to {path}: {b} bundles, {r} records.").format(
                path=args.out, b=created.bundles, r=created.records))
            return errors.EXIT_OK
        applied = sync.apply_receipt(vault, Path(args.file))
        purgeable = len(sync.purge_candidates(vault))
    if applied.already_applied:
        _out(_("This receipt was already applied; nothing changed."))
    else:
        _out(_("Receipt applied: {b} bundles acknowledged, {r} records delivered ({c} changed "
               "since and will be sent again).").format(b=applied.bundles, r=applied.delivered,
                                                        c=applied.changed_since))
    if purgeable:
        _out(_("{n} delivered interviews can be removed from this laptop: testimony purge "
               "PATH").format(n=purgeable))
    return errors.EXIT_OK


def cmd_purge(args: argparse.Namespace) -> int:
    from testimony_app.services import sync

    with _unlock(args) as vault:
        candidates = sync.purge_candidates(vault)
        if candidates and not args.yes:
            raise errors.UsageError(_("{n} delivered interviews would be purged from this "
                                      "vault; add --yes to do it.").format(n=len(candidates)))
        purged = sync.purge_delivered(vault)
    _out(_("Purged {i} delivered interviews ({r} records, {a} attachments); tombstones "
           "remain.").format(i=purged.interviews, r=purged.records, a=purged.attachments))
    return errors.EXIT_OK


def cmd_devices(args: argparse.Namespace) -> int:
    from testimony_app.services import sync

    with _unlock(args) as vault:
        if args.devices_command == "revoke":
            sync.revoke_device(vault, args.device)
        elif args.devices_command == "label":
            sync.label_device(vault, args.device, args.label)
        listed = sync.list_devices(vault)
    for device in listed:
        status = {"this vault": _("this vault"), "revoked": _("revoked"),
                  "trusted": _("trusted")}[device.status]
        _out(f"{device.fingerprint}  {device.id}  {status}  {device.label}  "
             + _("bundles: {n}, last sequence: {seq}").format(n=device.bundles,
                                                              seq=device.last_sequence))
    return errors.EXIT_OK


def _sync_parser(sub: Any) -> None:
    def command(parent: Any, name: str, text: str, handler: Handler) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = parent.add_parser(name, help=text)
        p.add_argument("path")
        _passphrase_args(p)
        p.set_defaults(handler=handler)
        return p

    osub = sub.add_parser("org", help=_("create and manage the organisation (coordinator)")
                          ).add_subparsers(dest="org_command", required=True, metavar="ACTION")
    p = command(osub, "create", _("create the organisation in this vault"), cmd_org_create)
    p.add_argument("--name", required=True)
    p.add_argument("--escrow-out", required=True, metavar="FILE",
                   help=_("new file for the escrow identity"))
    command(osub, "enrollment", _("write the enrollment file field vaults join with"),
            cmd_org_enrollment).add_argument("--out", required=True, metavar="FILE.tenroll")
    command(osub, "age-identity", _("write the import identity in age's format"),
            cmd_org_age_identity).add_argument("--out", required=True, metavar="FILE")
    command(osub, "recipients", _("list the organisation's recipients"), cmd_org_recipients)
    command(osub, "add-recipient", _("add a recipient (a new import key if none is given)"),
            cmd_org_recipients).add_argument("recipient", nargs="?", metavar="AGE1...")
    command(osub, "retire-recipient", _("retire a recipient"),
            cmd_org_recipients).add_argument("recipient", metavar="AGE1...")
    p = command(sub, "enroll", _("join an organisation with its enrollment file"), cmd_enroll)
    p.add_argument("file", metavar="FILE.tenroll")
    p.add_argument("--yes", action="store_true",
                   help=_("the fingerprint was compared: do not ask"))
    p = command(sub, "export", _("write a bundle of what the organisation has not "
                                 "acknowledged"), cmd_export)
    p.add_argument("--out", required=True, metavar="DIR")
    p.add_argument("--interview", nargs="+", action="extend", metavar="ID",
                   help=_("only these interviews (and what they refer to)"))
    p = command(sub, "import", _("import bundles (coordinator)"), cmd_import)
    p.add_argument("bundles", nargs="+", metavar="BUNDLE")
    p.add_argument("--trust-device", action="append", metavar="FPR",
                   help=_("confirm a new device's fingerprint"))
    p.add_argument("--label", help=_("label for a newly trusted device"))
    rsub = sub.add_parser("receipt", help=_("create or apply receipts")).add_subparsers(
        dest="receipt_command", required=True, metavar="ACTION")
    p = command(rsub, "create", _("write a signed receipt (coordinator)"), cmd_receipt)
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--device", help=_("the device it is for (id or fingerprint)"))
    command(rsub, "apply", _("apply a receipt (field vault)"), cmd_receipt).add_argument("file")
    command(sub, "purge", _("remove delivered interviews from this vault"),
            cmd_purge).add_argument("--yes", action="store_true")
    dsub = sub.add_parser("devices", help=_("the registry of field devices")).add_subparsers(
        dest="devices_command", required=True, metavar="ACTION")
    command(dsub, "list", _("list devices"), cmd_devices)
    command(dsub, "revoke", _("refuse a device's later bundles"),
            cmd_devices).add_argument("device", metavar="DEVICE")
    p = command(dsub, "label", _("set a device's label"), cmd_devices)
    p.add_argument("device", metavar="DEVICE")
    p.add_argument("label")

# End of organisations, bundles and receipts (issue 4) --------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    log.setup()
    argv = casefile_argv(list(sys.argv[1:] if argv is None else argv))  # issue 5
    lang = next((argv[i + 1] for i, a in enumerate(argv[:-1]) if a == "--lang"), None)
    i18n.set_language(lang or i18n.system_language())
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) and errors.EXIT_USAGE
    handler: Handler = args.handler
    try:
        return handler(args)
    except errors.TestimonyError as exc:
        sys.stderr.write(f"testimony: {exc.message()}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write(f"testimony: {errors.Cancelled().message()}\n")
        return errors.EXIT_CANCELLED
    except Exception as exc:  # never a traceback: it can quote testimony content
        return _unexpected(exc)


def _unexpected(exc: BaseException) -> int:
    import sqlcipher3

    if isinstance(exc, sqlcipher3.DatabaseError):
        err: Any = errors.VaultDatabaseDamaged()
        sys.stderr.write(f"testimony: {err.message()}\n")
        return errors.EXIT_DAMAGED
    reference = os.urandom(4).hex()
    log.get("cli").error("unexpected error %s", reference, exc_info=exc)
    sys.stderr.write("testimony: " + _("Unexpected error (reference {ref}). Nothing was "
                                       "shown to protect the content.").format(ref=reference)
                     + "\n")
    return errors.EXIT_PROBLEMS


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

"""``testimony vault ...``, ``records ...`` and ``attach``: the vault itself and its records."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from testimony_app import errors, fs, i18n
from testimony_app.cli.common import passphrase_args, read_secret_file, say, secret, unlock
from testimony_app.i18n import _
from testimony_app.services import attachments, records, vaults


def cmd_vault_create(args: argparse.Namespace) -> int:
    passphrase = secret(args, "", _("New passphrase: "), confirm=True)
    created = vaults.create_vault(Path(args.path), passphrase, name=args.name or "")
    with created.vault as vault:
        say(_("Vault created in {path}").format(path=args.path))
        say(_("Vault id: {id}").format(id=vault.header.vault_id))
        say(_("Device fingerprint: {fpr}").format(fpr=vault.device.fingerprint))
        say(_("Recovery code (shown only this once: write it down and keep it in a safe "
               "place; it opens the vault if the passphrase is lost):"))
        say(f"    {created.recovery_code}")
    return errors.EXIT_OK


def cmd_vault_info(args: argparse.Namespace) -> int:
    about = vaults.info(Path(args.path))
    say(_("Vault id: {id}").format(id=about.vault_id))
    say(_("Format version: {v}").format(v=about.format_version))
    say(_("Key slots: {slots}").format(slots=", ".join(about.slots)))
    say(_("Passphrase key derivation: Argon2id, {mib} MiB, {t} passes").format(
        mib=about.kdf_memory_kib // 1024, t=about.kdf_time_cost))
    return errors.EXIT_OK


def cmd_vault_passwd(args: argparse.Namespace) -> int:
    with unlock(args) as vault:
        new = secret(args, "new_", _("New passphrase: "), confirm=True)
        vault.change_passphrase(new)
    say(_("Passphrase changed."))
    return errors.EXIT_OK


def cmd_vault_recover(args: argparse.Namespace) -> int:
    code = read_secret_file(args.recovery_code_file)
    new = secret(args, "new_", _("New passphrase: "), confirm=True)
    with vaults.recover(Path(args.path), code, new):
        pass
    say(_("Vault recovered; the new passphrase is set."))
    return errors.EXIT_OK


def cmd_vault_verify(args: argparse.Namespace) -> int:
    with unlock(args) as vault:
        problems = vaults.verify(vault)
    for problem in problems:
        say(problem)
    if problems:
        say(i18n.ngettext("{n} problem found.", "{n} problems found.",
                           len(problems)).format(n=len(problems)))
        return errors.EXIT_PROBLEMS
    say(_("The vault is intact: audit chain, database pages and every attachment check out."))
    return errors.EXIT_OK


def cmd_records_add(args: argparse.Namespace) -> int:
    try:
        raw = fs.read_limited(Path(args.file), records.MAX_DOCUMENT)
    except OSError as exc:
        raise errors.FileError(path=args.file, reason=exc.strerror or str(exc)) from exc
    records.parse_document(raw)  # refuse a malformed file before asking for the passphrase
    with unlock(args) as vault:
        result = records.apply_document(vault, raw)
    say(_("Records: {c} created, {u} updated, {n} unchanged.").format(
        c=result.created, u=result.updated, n=result.unchanged))
    return errors.EXIT_OK


def cmd_records_dump(args: argparse.Namespace) -> int:
    if not args.plaintext:
        raise errors.UsageError(_("This writes testimonies out unencrypted. Add --plaintext "
                                  "if that is really what you want."))
    with unlock(args) as vault:
        document = records.dump_document(vault)
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if args.out:
        fs.atomic_write(Path(args.out), text.encode("utf-8"))
    else:
        sys.stdout.write(text)
    return errors.EXIT_OK


def cmd_attach(args: argparse.Namespace) -> int:
    with unlock(args) as vault:
        attachment = attachments.add_attachment_file(vault, args.interview_id, Path(args.file),
                                                     kind=args.kind)
    say(_("Attachment {id} added: {size} bytes, SHA-256 {sha}").format(
        id=attachment.id, size=attachment.size_bytes, sha=attachment.sha256))
    return errors.EXIT_OK


def register(sub: Any) -> None:
    """Add ``vault``, ``records`` and ``attach``."""

    vault = sub.add_parser("vault", help=_("create, inspect, verify or recover a vault"))
    vsub = vault.add_subparsers(dest="vault_command", required=True, metavar="ACTION")
    p = vsub.add_parser("create", help=_("create a new vault in an empty folder"))
    p.add_argument("path")
    p.add_argument("--name", help=_("a label for this vault (stored encrypted)"))
    passphrase_args(p)
    p.set_defaults(handler=cmd_vault_create)
    p = vsub.add_parser("info", help=_("show the vault's header (no passphrase needed)"))
    p.add_argument("path")
    p.set_defaults(handler=cmd_vault_info)
    p = vsub.add_parser("passwd", help=_("change the passphrase"))
    p.add_argument("path")
    passphrase_args(p)
    passphrase_args(p, "new-", _("the new passphrase"))
    p.set_defaults(handler=cmd_vault_passwd)
    p = vsub.add_parser("recover", help=_("open with the recovery code and set a new passphrase"))
    p.add_argument("path")
    p.add_argument("--recovery-code-file", required=True, metavar="FILE")
    passphrase_args(p, "new-", _("the new passphrase"))
    p.set_defaults(handler=cmd_vault_recover)
    p = vsub.add_parser("verify", help=_("check the audit chain, the database and every "
                                         "attachment"))
    p.add_argument("path")
    passphrase_args(p)
    p.set_defaults(handler=cmd_vault_verify)

    recs = sub.add_parser("records", help=_("add records from JSON, or dump them"))
    rsub = recs.add_subparsers(dest="records_command", required=True, metavar="ACTION")
    p = rsub.add_parser("add", help=_("create or update records from a JSON document"))
    p.add_argument("path")
    p.add_argument("file")
    passphrase_args(p)
    p.set_defaults(handler=cmd_records_add)
    p = rsub.add_parser("dump", help=_("write every record as JSON, unencrypted"))
    p.add_argument("path")
    p.add_argument("--plaintext", action="store_true",
                   help=_("confirm that an unencrypted copy is wanted"))
    p.add_argument("--out", metavar="FILE", help=_("write to FILE instead of standard output"))
    passphrase_args(p)
    p.set_defaults(handler=cmd_records_dump)

    p = sub.add_parser("attach", help=_("encrypt a file into the vault as evidence"))
    p.add_argument("path")
    p.add_argument("interview_id")
    p.add_argument("file")
    p.add_argument("--kind", default="other", choices=["audio", "video", "photo", "document",
                                                       "other"])
    passphrase_args(p)
    p.set_defaults(handler=cmd_attach)

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
    return parser




def main(argv: Sequence[str] | None = None) -> int:
    log.setup()
    argv = list(sys.argv[1:] if argv is None else argv)
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

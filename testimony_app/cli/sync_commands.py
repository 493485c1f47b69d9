"""``testimony org|enroll|export|import|receipt|purge|devices``: organisations and bundles."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from testimony_app import errors, i18n
from testimony_app.cli.common import Handler, passphrase_args, say, unlock
from testimony_app.i18n import _

# org create|enrollment|age-identity|recipients|add-recipient|retire-recipient, enroll, export,
# import, receipt create|apply, purge, devices list|revoke|label. Services: services/sync.py.


def _sync_print_notices(notices: Sequence[errors.TestimonyError]) -> None:
    for notice in notices:
        say("  " + _("note: {message}").format(message=notice.message()))


def cmd_org_create(args: argparse.Namespace) -> int:
    from testimony_app.services import sync

    with unlock(args) as vault:
        created = sync.create_organisation(vault, args.name, Path(args.escrow_out))
    say(_("Organisation created: {name}").format(name=created.organisation.name))
    say(_("Organisation fingerprint: {fpr}").format(fpr=created.organisation.fingerprint))
    say(_("Escrow identity written to {path} (shown only this once: keep it offline, in a "
           "safe; it decrypts every bundle)").format(path=created.escrow_file))
    return errors.EXIT_OK


def cmd_org_enrollment(args: argparse.Namespace) -> int:
    from testimony_app.services import sync

    with unlock(args) as vault:
        enrolled = sync.write_enrollment(vault, Path(args.out))
    say(_("Enrollment file (version {v}) written to {path}").format(v=enrolled.version,
                                                                     path=args.out))
    say(_("Organisation fingerprint: {fpr}").format(fpr=enrolled.fingerprint))
    return errors.EXIT_OK


def cmd_org_age_identity(args: argparse.Namespace) -> int:
    from testimony_app.services import sync

    with unlock(args) as vault:
        count = sync.write_age_identity(vault, Path(args.out))
    say(i18n.ngettext("{n} import identity written to {path} (secret: keep it safe).",
                       "{n} import identities written to {path} (secret: keep them safe).",
                       count).format(n=count, path=args.out))
    return errors.EXIT_OK


def cmd_org_recipients(args: argparse.Namespace) -> int:
    from testimony_app.services import sync

    with unlock(args) as vault:
        if args.org_command == "add-recipient":
            sync.add_recipient(vault, args.recipient)
        elif args.org_command == "retire-recipient":
            sync.retire_recipient(vault, args.recipient)
        info = sync.organisation_info(vault)
    if info.organisation is None:
        raise errors.UsageError(_("This vault has not joined an organisation."))
    say(_("Organisation {name} ({fpr}), enrollment version {v}").format(
        name=info.organisation.name, fpr=info.organisation.fingerprint,
        v=info.organisation.enrollment_version))
    for key in info.keys:
        state = _("current") if key.current else _("retired")
        say(f"  {key.recipient}  {key.kind}  {state}")
    return errors.EXIT_OK


def cmd_enroll(args: argparse.Namespace) -> int:
    from testimony_app.services import sync
    from testimony_app.sync import errors as sync_errors

    enrolled = sync.read_enrollment(Path(args.file))
    say(_("Organisation: {name}").format(name=enrolled.name))
    say(_("Organisation fingerprint: {fpr}").format(fpr=enrolled.fingerprint))
    say(_("Enrollment version: {v}").format(v=enrolled.version))
    if not args.yes:
        if not sys.stdin.isatty():
            raise sync_errors.JoinNotConfirmed()
        answer = input(_("Compare the fingerprint with the coordinator (by phone or in "
                         "person). Join this organisation? Type yes: "))
        if answer.strip().lower() not in ("yes", _("yes")):
            raise sync_errors.JoinNotConfirmed()
    with unlock(args) as vault:
        outcome = sync.join(vault, enrolled)
    messages = {"joined": _("Joined the organisation."),
                "updated": _("Updated to enrollment version {v}."),
                "unchanged": _("Already up to date; nothing changed.")}
    say(messages[outcome].format(v=enrolled.version))
    return errors.EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from testimony_app.services import sync

    with unlock(args) as vault:
        result = sync.export_bundle(vault, Path(args.out), interview_ids=args.interview)
    if result is None:
        sys.stderr.write(_("Nothing to send: the organisation has acknowledged everything.")
                         + "\n")
        return errors.EXIT_OK
    say(str(result.path))
    return errors.EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from testimony_app.services import sync

    with unlock(args) as vault:
        outcomes = sync.import_bundles(vault, [Path(b) for b in args.bundles],
                                       trust=args.trust_device or (), label=args.label or "")
    code = errors.EXIT_OK
    for outcome in outcomes:
        result = outcome.result
        if result is None:
            assert outcome.error is not None  # noqa: S101
            say(_("{path}: refused: {message}").format(path=outcome.path,
                                                         message=outcome.error.message()))
            code = code or outcome.error.exit_code
            continue
        if result.already_imported or result.counts is None:
            say(_("{path}: already imported; nothing changed.").format(path=outcome.path))
        else:
            c = result.counts
            say(_("{path}: imported bundle {seq} from {device}: {created} new, {updated} "
                   "updated, {unchanged} unchanged, {older} older kept in history, "
                   "{conflicts} conflicts, {files} attachments.").format(
                path=outcome.path, seq=result.sequence, device=result.device,
                created=c.created, updated=c.updated, unchanged=c.unchanged, older=c.older,
                conflicts=c.conflicts, files=c.attachments))
        _sync_print_notices(result.notices)
    return code


def cmd_receipt(args: argparse.Namespace) -> int:
    from testimony_app.services import sync

    with unlock(args) as vault:
        if args.receipt_command == "create":
            created = sync.create_receipt(vault, Path(args.out), args.device)
            say(_("Receipt written to {path}: {b} bundles, {r} records.").format(
                path=args.out, b=created.bundles, r=created.records))
            return errors.EXIT_OK
        applied = sync.apply_receipt(vault, Path(args.file))
        purgeable = len(sync.purge_candidates(vault))
    if applied.already_applied:
        say(_("This receipt was already applied; nothing changed."))
    else:
        say(_("Receipt applied: {b} bundles acknowledged, {r} records delivered ({c} changed "
               "since and will be sent again).").format(b=applied.bundles, r=applied.delivered,
                                                        c=applied.changed_since))
    if purgeable:
        say(_("{n} delivered interviews can be removed from this laptop: testimony purge "
               "PATH").format(n=purgeable))
    return errors.EXIT_OK


def cmd_purge(args: argparse.Namespace) -> int:
    from testimony_app.services import sync

    with unlock(args) as vault:
        candidates = sync.purge_candidates(vault)
        if candidates and not args.yes:
            raise errors.UsageError(_("{n} delivered interviews would be purged from this "
                                      "vault; add --yes to do it.").format(n=len(candidates)))
        purged = sync.purge_delivered(vault)
    say(_("Purged {i} delivered interviews ({r} records, {a} attachments); tombstones "
           "remain.").format(i=purged.interviews, r=purged.records, a=purged.attachments))
    return errors.EXIT_OK


def cmd_devices(args: argparse.Namespace) -> int:
    from testimony_app.services import sync

    with unlock(args) as vault:
        if args.devices_command == "revoke":
            sync.revoke_device(vault, args.device)
        elif args.devices_command == "label":
            sync.label_device(vault, args.device, args.label)
        listed = sync.list_devices(vault)
    for device in listed:
        status = {"this vault": _("this vault"), "revoked": _("revoked"),
                  "trusted": _("trusted")}[device.status]
        say(f"{device.fingerprint}  {device.id}  {status}  {device.label}  "
             + _("bundles: {n}, last sequence: {seq}").format(n=device.bundles,
                                                              seq=device.last_sequence))
    return errors.EXIT_OK


def register(sub: Any) -> None:
    def command(parent: Any, name: str, text: str, handler: Handler) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = parent.add_parser(name, help=text)
        p.add_argument("path")
        passphrase_args(p)
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

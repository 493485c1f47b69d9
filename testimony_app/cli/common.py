"""What every command shares: printing, reading passphrases, unlocking.

Passphrases come from a prompt, ``--passphrase-file F`` or ``--passphrase-fd N``; never from an
argument (arguments are visible to every user of the machine and land in shell history).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path

from testimony_app import errors, fs
from testimony_app.i18n import _
from testimony_app.services import vaults
from testimony_app.vault.vault import Vault

MAX_SECRET_FILE = 4096
Handler = Callable[[argparse.Namespace], int]


def say(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def read_secret_file(path: str) -> str:
    try:
        raw = fs.read_limited(Path(path), MAX_SECRET_FILE)
    except OSError as exc:
        raise errors.FileError(path=path, reason=exc.strerror or str(exc)) from exc
    return raw.decode("utf-8").splitlines()[0] if raw.strip() else ""


def read_secret_fd(fd: int) -> str:
    with os.fdopen(fd, "rb", closefd=False) as fh:
        raw = fh.read(MAX_SECRET_FILE)
    return raw.decode("utf-8").splitlines()[0] if raw.strip() else ""


def secret(args: argparse.Namespace, prefix: str, prompt: str, *, confirm: bool = False) -> str:
    path = getattr(args, f"{prefix}passphrase_file", None)
    fd = getattr(args, f"{prefix}passphrase_fd", None)
    if path:
        return read_secret_file(path)
    if fd is not None:
        return read_secret_fd(fd)
    if not sys.stdin.isatty():
        raise errors.UsageError(_("No terminal to ask for the passphrase: use "
                                  "--{prefix}passphrase-file or --{prefix}passphrase-fd."),
                                prefix=prefix.replace("_", "-"))
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass(_("Repeat the passphrase: ")) != first:
        raise errors.PassphraseMismatch()
    return first


def unlock(args: argparse.Namespace) -> Vault:
    return vaults.unlock(Path(args.path), secret(args, "", _("Passphrase: ")))



def passphrase_args(p: argparse.ArgumentParser, prefix: str = "", what: str = "") -> None:
    what = what or _("the passphrase")
    group = p.add_mutually_exclusive_group()
    group.add_argument(f"--{prefix}passphrase-file", metavar="FILE",
                       help=_("read {what} from the first line of FILE").format(what=what))
    group.add_argument(f"--{prefix}passphrase-fd", metavar="N", type=int,
                       help=_("read {what} from file descriptor N").format(what=what))

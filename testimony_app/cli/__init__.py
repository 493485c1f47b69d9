"""The ``testimony`` command: the same services as the app, for coordinators and scripts.

Every error is one translated line on stderr and a documented exit code (docs/cli.md); never a
traceback, which could quote testimony content.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any

from testimony_app import errors, i18n, log
from testimony_app.cli import casefile_commands, sync_commands, vault_commands
from testimony_app.cli.casefile_commands import casefile_argv
from testimony_app.cli.common import Handler
from testimony_app.i18n import _

__all__ = ["build_parser", "casefile_argv", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="testimony", description=_("Encrypted, offline documentation of testimonies."))
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=_("language of messages"))
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    vault_commands.register(sub)
    casefile_commands.register(sub)
    sync_commands.register(sub)
    return parser


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

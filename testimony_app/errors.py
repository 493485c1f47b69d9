"""One exception taxonomy.

Every error carries a stable ``code`` (for scripts and logs), a process exit code for the CLI,
and a message id that is translated only when shown, so the same error reads correctly in
whichever language the person chose. Parameters are formatted into the translated text; they
must never carry testimony content (errors can end up in logs by their code).
"""

from __future__ import annotations

from typing import Any, ClassVar

from testimony_app.i18n import N_, gettext

# Exit codes of the `testimony` command (documented in docs/cli.md).
EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_AUTH = 3
EXIT_DAMAGED = 4
EXIT_VERSION = 5
EXIT_INVALID_INPUT = 6
EXIT_NOT_FOUND = 7
EXIT_CANCELLED = 8


class TestimonyError(Exception):
    """Base of every error a person may see."""

    code: ClassVar[str] = "error"
    exit_code: ClassVar[int] = EXIT_PROBLEMS
    msgid: ClassVar[str] = N_("Something went wrong.")

    def __init__(self, msgid: str | None = None, **params: Any) -> None:
        self._msgid = msgid or self.msgid
        self.params = params
        super().__init__(self._msgid)

    def message(self) -> str:
        """The message in the current language, with its parameters filled in."""
        text = gettext(self._msgid)
        try:
            return text.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return self._msgid.format(**self.params)

    def __str__(self) -> str:
        return self.message()

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled with its parameters (it crosses to and from helper processes)."""
        return _rebuild, (type(self), self._msgid, self.params)


def _rebuild(cls: type[TestimonyError], msgid: str, params: dict[str, Any]) -> TestimonyError:
    error = cls.__new__(cls)
    TestimonyError.__init__(error, msgid, **params)
    return error


class UsageError(TestimonyError):
    code = "usage"
    exit_code = EXIT_USAGE


class WrongPassphrase(TestimonyError):
    code = "wrong_passphrase"
    exit_code = EXIT_AUTH
    msgid = N_("Wrong passphrase. Nothing was changed.")


class WrongRecoveryCode(TestimonyError):
    code = "wrong_recovery_code"
    exit_code = EXIT_AUTH
    msgid = N_("Wrong recovery code. Nothing was changed.")


class WeakPassphrase(TestimonyError):
    code = "weak_passphrase"
    exit_code = EXIT_INVALID_INPUT
    msgid = N_("The passphrase is too short: use at least {min} characters.")


class PassphraseMismatch(TestimonyError):
    code = "passphrase_mismatch"
    exit_code = EXIT_INVALID_INPUT
    msgid = N_("The two passphrases differ.")


class VaultNotFound(TestimonyError):
    code = "vault_not_found"
    exit_code = EXIT_NOT_FOUND
    msgid = N_("No vault was found in this folder.")


class VaultExists(TestimonyError):
    code = "vault_exists"
    exit_code = EXIT_USAGE
    msgid = N_("This folder already holds a vault or other files; choose an empty folder.")


class VaultHeaderDamaged(TestimonyError):
    code = "vault_header_damaged"
    exit_code = EXIT_DAMAGED
    msgid = N_("The vault header (vault.json) is damaged: {detail}")


class VaultDatabaseDamaged(TestimonyError):
    code = "vault_db_damaged"
    exit_code = EXIT_DAMAGED
    msgid = N_("The vault database (vault.db) is damaged or was altered and cannot be read.")


class VaultTooNew(TestimonyError):
    code = "vault_too_new"
    exit_code = EXIT_VERSION
    msgid = N_(
        "This vault was made by a newer version of Testimony (format {found}; this version "
        "reads up to {supported}). Update Testimony; the vault was not changed."
    )


class VaultLocked(TestimonyError):
    code = "vault_locked"
    msgid = N_("The vault is locked.")


class VaultBusy(TestimonyError):
    code = "vault_busy"
    msgid = N_("The vault is in use by another program; close it and try again.")


class BlobDamaged(TestimonyError):
    code = "blob_damaged"
    exit_code = EXIT_DAMAGED
    msgid = N_("Attachment {id} is damaged or was altered.")


class BlobMissing(TestimonyError):
    code = "blob_missing"
    exit_code = EXIT_DAMAGED
    msgid = N_("Attachment {id} is missing from the vault folder.")


class NotFound(TestimonyError):
    code = "not_found"
    exit_code = EXIT_NOT_FOUND
    msgid = N_("No {entity} with id {id}.")


class ValidationError(TestimonyError):
    """A record or an input field is not acceptable; ``field`` names where."""

    code = "invalid"
    exit_code = EXIT_INVALID_INPUT
    msgid = N_("Invalid value.")


class InvalidDate(ValidationError):
    code = "invalid_date"
    msgid = N_(
        "“{value}” is not a date Testimony understands. Use for example 2023, 2023-05, "
        "2023-05-14, 14.05.2023, with ~ for about and ? for uncertain."
    )


class InvalidRecords(ValidationError):
    code = "invalid_records"
    msgid = N_("Records file, {where}: {problem}")


class RecordLocked(ValidationError):
    code = "record_locked"
    msgid = N_("Interview {id} is locked and can no longer be edited.")


class StaleRecord(TestimonyError):
    code = "stale_record"
    msgid = N_("{entity} {id} was changed elsewhere in the meantime; reload it and try again.")


class FileError(TestimonyError):
    code = "file_error"
    exit_code = EXIT_INVALID_INPUT
    msgid = N_("Cannot read or write {path}: {reason}")


class Cancelled(TestimonyError):
    code = "cancelled"
    exit_code = EXIT_CANCELLED
    msgid = N_("Cancelled. Nothing was changed.")

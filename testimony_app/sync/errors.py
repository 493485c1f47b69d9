"""Errors of organisations, enrollment, bundles and receipts.

Each rejection has its own class, stable ``code`` and translatable message, so a coordinator
learns exactly why a bundle was refused (and a script can tell the cases apart). Parameters are
ids, fingerprints, numbers and entry names we made ourselves: never testimony content.

Exit codes: a file that was altered or damaged in transit exits 4 (like a damaged vault); a
file that is intact but not acceptable here (another organisation, an unknown or revoked
device, a hostile ZIP, a passphrase-encrypted file) exits 6; a step that needs another kind
of vault exits 2.
"""

from __future__ import annotations

from testimony_app.errors import (
    EXIT_DAMAGED,
    EXIT_INVALID_INPUT,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    TestimonyError,
)
from testimony_app.i18n import N_


class SyncError(TestimonyError):
    code = "sync"
    exit_code = EXIT_INVALID_INPUT


class Altered(SyncError):
    """Base of the cases where a file was changed after it was made (or damaged)."""

    code = "sync_altered"
    exit_code = EXIT_DAMAGED


# Organisation and enrollment ----------------------------------------------------------------

class NotInOrganisation(SyncError):
    code = "not_in_organisation"
    exit_code = EXIT_USAGE
    msgid = N_("This vault has not joined an organisation: import an enrollment file first.")


class NotCoordinator(SyncError):
    code = "not_coordinator"
    exit_code = EXIT_USAGE
    msgid = N_("Only the organisation's coordinator vault can do this.")


class NotMember(SyncError):
    code = "not_member"
    exit_code = EXIT_USAGE
    msgid = N_("This is the organisation's coordinator vault; only a field vault can do this.")


class AlreadyInOrganisation(SyncError):
    code = "already_in_organisation"
    exit_code = EXIT_USAGE
    msgid = N_("This vault already belongs to an organisation ({fingerprint}).")


class OutputExists(SyncError):
    code = "output_exists"
    exit_code = EXIT_USAGE
    msgid = N_("{path} already exists: choose a new file name (nothing was overwritten).")


class RecipientInvalid(SyncError):
    code = "recipient_invalid"
    msgid = N_("“{recipient}” is not an age X25519 recipient (age1…).")


class RecipientUnknown(SyncError):
    code = "recipient_unknown"
    msgid = N_("{recipient} is not one of the organisation's current recipients.")


class LastImportKey(SyncError):
    code = "last_import_key"
    msgid = N_("This is the coordinator's only current import key; add a new one before "
               "retiring it.")


class EnrollmentInvalid(SyncError):
    code = "enrollment_invalid"
    msgid = N_("This is not a valid Testimony enrollment file ({detail}).")


class EnrollmentBadSignature(Altered):
    code = "enrollment_bad_signature"
    msgid = N_("The enrollment file's signature does not verify: it was altered or was not "
               "made by the organisation it names.")


class EnrollmentOtherOrganisation(SyncError):
    code = "enrollment_other_organisation"
    msgid = N_("This enrollment file is for another organisation ({fingerprint}); this vault "
               "belongs to {ours}.")


class EnrollmentOutdated(SyncError):
    code = "enrollment_outdated"
    msgid = N_("This enrollment file (version {found}) is older than the one this vault holds "
               "(version {held}).")


class EnrollmentConflict(Altered):
    code = "enrollment_conflict"
    msgid = N_("This enrollment file says version {found} but differs from the version {found} "
               "this vault holds.")


class JoinNotConfirmed(SyncError):
    code = "join_not_confirmed"
    exit_code = EXIT_USAGE
    msgid = N_("Joining was not confirmed; nothing was changed.")


# Hostile or broken ZIP files -----------------------------------------------------------------

class ZipProblem(SyncError):
    code = "zip_invalid"
    msgid = N_("The bundle is not a valid Testimony bundle (ZIP structure: {detail}).")


class NotABundle(ZipProblem):
    code = "not_a_bundle"
    msgid = N_("This is not a Testimony bundle, or it is incomplete (no ZIP directory at its "
               "end).")


class ZipTooManyEntries(ZipProblem):
    code = "zip_too_many_entries"
    msgid = N_("The bundle has {count} entries; at most {limit} are accepted.")


class ZipEntryTooLarge(ZipProblem):
    code = "zip_entry_too_large"
    msgid = N_("Entry {name} of the bundle declares {size} bytes, over the limit of {limit}.")


class ZipPathTraversal(ZipProblem):
    code = "zip_path_traversal"
    msgid = N_("The bundle holds an entry whose name leads outside it (“..”): refused.")


class ZipAbsolutePath(ZipProblem):
    code = "zip_absolute_path"
    msgid = N_("The bundle holds an entry with an absolute path: refused.")


class ZipSymlink(ZipProblem):
    code = "zip_symlink"
    msgid = N_("The bundle holds a symbolic link: refused.")


class ZipDuplicateEntry(ZipProblem):
    code = "zip_duplicate_entry"
    msgid = N_("The bundle holds entry {name} twice: refused.")


class ZipUnexpectedEntry(ZipProblem):
    code = "zip_unexpected_entry"
    msgid = N_("The bundle holds an entry that does not belong in a bundle: refused.")


class ZipUnsupported(ZipProblem):
    code = "zip_unsupported"
    msgid = N_("Entry {name} of the bundle is compressed, encrypted or split; bundles hold only "
               "stored entries.")


class ZipSizeMismatch(Altered):
    code = "zip_size_mismatch"
    msgid = N_("The sizes declared in the bundle's ZIP directory do not match its content "
               "({detail}): it was altered or truncated.")


class ZipChecksumMismatch(Altered):
    code = "zip_crc_mismatch"
    msgid = N_("Entry {name} of the bundle fails its ZIP checksum: it was altered or damaged.")


# age files ------------------------------------------------------------------------------------

class AgePassphraseRefused(SyncError):
    code = "age_passphrase_refused"
    msgid = N_("{what} is encrypted with a passphrase; Testimony accepts only files encrypted "
               "to the organisation's keys.")


class AgeMalformed(Altered):
    code = "age_malformed"
    msgid = N_("{what} is not a valid age-encrypted file.")


class NotForThisOrganisation(SyncError):
    code = "not_for_this_organisation"
    msgid = N_("This bundle cannot be opened with this organisation's keys: it was made for "
               "another organisation, or its manifest was altered.")


class AgeDecryptFailed(Altered):
    code = "age_decrypt_failed"
    msgid = N_("{what} could not be decrypted: it was altered or damaged.")


# Manifest and sender ------------------------------------------------------------------------

class ManifestMissing(SyncError):
    code = "manifest_missing"
    msgid = N_("The bundle has no manifest.age.")


class ManifestInvalid(Altered):
    code = "manifest_invalid"
    msgid = N_("The bundle's manifest is not valid ({detail}).")


class UnsupportedFormat(SyncError):
    code = "unsupported_format"
    msgid = N_("{what} has format “{found}”; this version of Testimony reads {supported}. "
               "Update Testimony.")


class BadSignature(Altered):
    code = "bad_signature"
    msgid = N_("The bundle's signature does not verify: it was altered, or signed by a key "
               "other than the device key it names.")


class OtherOrganisation(SyncError):
    code = "other_organisation"
    msgid = N_("This bundle was made for another organisation ({organisation}).")


class ForeignRecipients(SyncError):
    code = "foreign_recipients"
    msgid = N_("This bundle is also encrypted to keys that are not the organisation's: "
               "refused.")


class RetiredRecipient(SyncError):
    code = "retired_recipient"
    msgid = N_("This bundle is encrypted to a retired organisation key; the device must join "
               "with the current enrollment file (version {version}) and export again.")


class UnknownDevice(SyncError):
    code = "unknown_device"
    msgid = N_("The bundle comes from an unknown device {device} with fingerprint "
               "{fingerprint}. Compare the fingerprint with the one shown on the "
               "interviewer's device, then confirm it to import.")


class DeviceRevoked(SyncError):
    code = "device_revoked"
    msgid = N_("The bundle comes from device {device}, which was revoked on {date}: refused.")


class DeviceKeyChanged(SyncError):
    code = "device_key_changed"
    msgid = N_("The bundle names device {device} but is signed with a key other than the one "
               "registered for it: refused.")


class BundleIdReused(Altered):
    code = "bundle_id_reused"
    msgid = N_("A different bundle with the same id {bundle} was already imported: refused.")


# Blobs and records ----------------------------------------------------------------------------

class BlobMissingFromBundle(Altered):
    code = "bundle_blob_missing"
    msgid = N_("Blob {blob} listed in the manifest is missing from the bundle.")


class BlobMismatch(Altered):
    code = "bundle_blob_mismatch"
    msgid = N_("Blob {blob} does not match the manifest ({which}): it was altered, swapped or "
               "damaged.")


class BundleTooLarge(SyncError):
    code = "bundle_too_large"
    msgid = N_("The {what} in the bundle is larger than the {limit} bytes accepted.")


class NotEnoughSpace(SyncError):
    code = "not_enough_space"
    msgid = N_("Not enough free disk space to import this bundle ({needed} bytes needed).")


class StagingFailed(SyncError):
    code = "staging_failed"
    exit_code = EXIT_PROBLEMS
    msgid = N_("Checking the bundle's attached files stopped unexpectedly ({problem}). "
               "Nothing was changed; try the import again.")


class BundleRecordInvalid(SyncError):
    code = "bundle_record_invalid"
    msgid = N_("Record {where} in the bundle is not valid: {problem}")


class ForeignRecord(SyncError):
    code = "bundle_foreign_record"
    msgid = N_("The bundle holds {entity} {id}, which was created on another device; a device "
               "sends only its own records.")


class DanglingReference(SyncError):
    code = "bundle_dangling_reference"
    msgid = N_("{entity} {id} in the bundle refers to {target} {target_id}, which is neither in "
               "the bundle nor in this vault.")


class AttachmentBlobMissing(SyncError):
    code = "bundle_attachment_missing"
    msgid = N_("Attachment {id} arrived without its file, and this vault does not hold it.")


class AttachmentChanged(SyncError):
    code = "bundle_attachment_changed"
    msgid = N_("Attachment {id} arrived with a different file or hash than the one this vault "
               "holds: refused.")


class AuditEntryInvalid(Altered):
    code = "bundle_audit_invalid"
    msgid = N_("Audit entry {seq} of the sending device does not match its hash, or names "
               "another device.")


# Receipts -----------------------------------------------------------------------------------

class ReceiptInvalid(SyncError):
    code = "receipt_invalid"
    msgid = N_("This is not a valid Testimony receipt ({detail}).")


class ReceiptBadSignature(Altered):
    code = "receipt_bad_signature"
    msgid = N_("The receipt's signature does not verify: it was altered or was not made by the "
               "organisation.")


class ReceiptOtherDevice(SyncError):
    code = "receipt_other_device"
    msgid = N_("This receipt is for another device ({device}).")


class ReceiptOtherOrganisation(SyncError):
    code = "receipt_other_organisation"
    msgid = N_("This receipt comes from another organisation ({organisation}).")


class ReceiptDeviceNeeded(SyncError):
    code = "receipt_device_needed"
    exit_code = EXIT_USAGE
    msgid = N_("Several devices have sent bundles: say which one the receipt is for "
               "(--device).")


class DeviceUnknown(SyncError):
    code = "device_not_found"
    msgid = N_("No device {device} in this vault's registry.")


class ConflictNotFound(SyncError):
    code = "conflict_not_found"
    msgid = N_("No open conflict {id}.")


# Notices: not raised; reported with a successful import ---------------------------------------

class SequenceGap(SyncError):
    code = "sequence_gap"
    msgid = N_("bundle {seq} from device {device} not received")


class SequenceReused(SyncError):
    code = "sequence_reused"
    msgid = N_("Device {device} sent another bundle with sequence number {seq} before; both "
               "were kept (was the device's vault restored from a copy?).")


class OldEnrollment(SyncError):
    code = "old_enrollment"
    msgid = N_("Device {device} uses enrollment version {found}; the current version is "
               "{current}. Give it the new enrollment file.")

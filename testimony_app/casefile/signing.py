"""The detached signature beside a case file (``FILE.pdf.sig``).

The signature file is canonical JSON::

    {"format": "testimony-casefile-signature/1",
     "statement": {"format": "testimony-casefile-statement/1", "casefile_id": ...,
                   "reference": ..., "signed_at": ..., "pdf_sha256": ..., "data_sha256": ...,
                   "device_public_key": "<hex>", "device_fingerprint": "..."},
     "signature": "<hex Ed25519 signature over the canonical JSON of the statement>"}

Everything needed to check it travels in the three files. The public key inside proves that
the files have not changed since the holder of that key signed them; whose key it is has to be
confirmed by comparing its fingerprint with the one the organisation holds for the device.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature

from testimony_app.crypto import keys
from testimony_app.i18n import N_, gettext
from testimony_app.vault.audit import canonical

SIGNATURE_FORMAT = "testimony-casefile-signature/1"
STATEMENT_FORMAT = "testimony-casefile-statement/1"
MAX_SIGNATURE_FILE = 64 * 1024
_STATEMENT_KEYS = frozenset({"format", "casefile_id", "reference", "signed_at", "pdf_sha256",
                             "data_sha256", "device_public_key", "device_fingerprint"})


def companion_paths(pdf_path: Path) -> tuple[Path, Path]:
    """``FILE.pdf`` -> (``FILE.data.json``, ``FILE.pdf.sig``)."""
    pdf_path = Path(pdf_path)
    stem = pdf_path.name[:-4] if pdf_path.name.lower().endswith(".pdf") else pdf_path.name
    return pdf_path.with_name(f"{stem}.data.json"), pdf_path.with_name(f"{pdf_path.name}.sig")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def statement(*, casefile_id: str, reference: str, signed_at: str, pdf_sha256: str,
              data_sha256: str, public_key: bytes) -> dict[str, str]:
    return {"format": STATEMENT_FORMAT, "casefile_id": casefile_id, "reference": reference,
            "signed_at": signed_at, "pdf_sha256": pdf_sha256, "data_sha256": data_sha256,
            "device_public_key": public_key.hex(),
            "device_fingerprint": keys.fingerprint(public_key)}


def sign(stmt: dict[str, str], private_key: bytes) -> bytes:
    """The content of the signature file."""
    signature = keys.load_private(private_key).sign(canonical(stmt))
    return canonical({"format": SIGNATURE_FORMAT, "statement": stmt,
                      "signature": signature.hex()}) + b"\n"


def parse(raw: bytes) -> tuple[dict[str, str] | None, list[str]]:
    """The statement of a signature file if its signature is valid, and the problems found."""
    try:
        doc: Any = json.loads(raw.decode("utf-8"))
        stmt = doc["statement"]
        ok = (isinstance(doc, dict) and doc.get("format") == SIGNATURE_FORMAT
              and isinstance(stmt, dict) and set(stmt) == _STATEMENT_KEYS
              and all(isinstance(v, str) for v in stmt.values())
              and stmt["format"] == STATEMENT_FORMAT)
        if not ok:
            raise ValueError("unexpected layout")
        public = bytes.fromhex(stmt["device_public_key"])
        signature = bytes.fromhex(doc["signature"])
        key = keys.load_public(public)
        signed = canonical(stmt)  # UnicodeEncodeError (a ValueError) for a lone surrogate
    except (ValueError, KeyError, TypeError):
        return None, [gettext(N_("The signature file is not a case-file signature."))]
    try:
        key.verify(signature, signed)
    except InvalidSignature:
        return None, [gettext(N_("The signature does not match: the signature file was "
                                 "altered or made with another key."))]
    if keys.fingerprint(public) != stmt["device_fingerprint"]:
        return None, [gettext(N_("The fingerprint in the signature file does not belong to "
                                 "its key."))]
    return stmt, []


def normalise_fingerprint(text: str) -> str:
    return "".join(text.split()).replace("-", "").upper()

"""What an identity document says, as read from its machine-readable zone or its barcode.

Rule sources: ICAO Doc 9303 (8th edition, 2021) parts 3 to 7 for the zone; the AAMVA DL/ID Card
Design Standard (2020) for a driving licence's PDF417. A document that cannot be read, or whose
check digits fail, is a result with a stable reason code (records and the API rely on it) and
words for the watch: never an exception, never a document the reader alone lets through.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from gangway.domain.scan.types import Reason, Severity

MRZ_FORMATS = ("TD1", "TD2", "TD3", "MRVA", "MRVB")
AAMVA_FORMAT = "AAMVA"
RETAKE = "Re-take the photo, or check the document by hand."

NOT_FOUND = Reason("mrz_not_found", f"No machine-readable zone found. {RETAKE}")
NO_BARCODE = Reason("aamva_not_found", "This is not an AAMVA driving licence or ID card barcode.")
_W = Severity.WARNING
# Cautions: the document reads and its check digits hold, but the watch should look.
OCR_CORRECTED = "mrz_ocr_corrected"
UNKNOWN_COUNTRY = "mrz_unknown_country"
NAME_TRUNCATED = "mrz_name_truncated"
BIRTH_DATE_UNKNOWN = "mrz_birth_date_unknown"
NAME_UNSURE = "mrz_name_unsure"

# Plain words for every code a result may carry (the scan reasons' LABELS hold the same).
LABELS = {
    "mrz_not_found": "No machine-readable zone",
    "mrz_bad_length": "Zone lines of the wrong length",
    "mrz_bad_character": "Zone holds characters no document prints",
    "mrz_check_digit": "Check digit does not match",
    "mrz_bad_date": "Date in the zone is not a date",
    "mrz_bad_field": "Zone field out of its rules",
    NAME_UNSURE: "Name did not read the same twice",
    OCR_CORRECTED: "Letters read as digits in a date",
    UNKNOWN_COUNTRY: "Country code not in ICAO's list",
    NAME_TRUNCATED: "Name cut to fit the zone",
    BIRTH_DATE_UNKNOWN: "Birth date not given",
    "aamva_not_found": "Not a driving licence barcode",
    "aamva_missing_element": "Barcode lacks a required item",
    "aamva_bad_date": "Barcode date is not a date",
}


def caution(code: str, message: str) -> Reason:
    """Return a warning that leaves the document valid but asks the watch to look."""
    return Reason(code, message, _W)


@dataclass(frozen=True, slots=True)
class CheckDigit:
    """One check digit of the zone: its name and whether it holds."""

    name: str  # the field it guards (document_number, birth_date...) or "composite"
    valid: bool


@dataclass(frozen=True, slots=True)
class IdentityDocument:
    """A read document; `problem` says why it is not valid (None: every check holds)."""

    format: str = ""  # TD1 TD2 TD3 MRVA MRVB AAMVA; "" when nothing was read
    document_type: str = ""  # as printed: P, PD, I, ID, AC, V... (AAMVA: DL or ID)
    issuing_state: str = ""  # ICAO 9303 code; Germany's "D" read as DEU
    document_number: str = ""
    family_name: str = ""  # transliterated, as printed ("<" read as a space)
    given_names: str = ""
    nationality: str = ""
    birth_date: date | None = None
    sex: str = ""  # M, F or X (unspecified)
    expiry_date: date | None = None  # None when the document prints no expiry
    optional_data: str = ""
    mrz: tuple[str, ...] = ()  # the zone's lines as read (AAMVA: empty)
    check_digits: tuple[CheckDigit, ...] = ()
    problem: Reason | None = None
    cautions: tuple[Reason, ...] = ()
    issuer: str = ""  # AAMVA: the jurisdiction (state or province) that issued the card

    @property
    def valid(self) -> bool:
        """Tell whether the document read whole and every check digit (and the composite) holds."""
        return bool(self.format) and self.problem is None

    def as_json(self) -> dict:
        """Return the document as the API answers it (dates in ISO form)."""
        return {
            "format": self.format,
            "document_type": self.document_type,
            "issuing_state": self.issuing_state,
            "issuer": self.issuer,
            "document_number": self.document_number,
            "family_name": self.family_name,
            "given_names": self.given_names,
            "nationality": self.nationality,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "sex": self.sex,
            "expiry_date": self.expiry_date.isoformat() if self.expiry_date else None,
            "optional_data": self.optional_data,
            "mrz": list(self.mrz),
            "check_digits": [{"name": c.name, "valid": c.valid} for c in self.check_digits],
            "valid": self.valid,
            "reason": self.problem.code if self.problem else None,
            "message": self.problem.message if self.problem else "",
            "cautions": [{"code": c.code, "message": c.message} for c in self.cautions],
        }


def name_unsure(document: IdentityDocument) -> IdentityDocument:
    """Return the document refused: its name, which no check digit guards, read two ways."""
    why = f"The name did not read the same twice: it may be misread. {RETAKE}"
    return replace(document, problem=document.problem or Reason(NAME_UNSURE, why))


def unread(reason: Reason, lines: tuple[str, ...] = ()) -> IdentityDocument:
    """Return the result for a zone or barcode that could not be read at all."""
    return IdentityDocument(mrz=lines, problem=reason)

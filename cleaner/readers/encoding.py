"""Bytes to text: UTF-8 first, then the encodings users still meet, else a reject that says where it broke.

    text, encoding, reject = decode(data, "a.txt")

The ladder, stopping at the first that fits:

    utf-32 / utf-16 (BOM)      a byte-order mark says so
    utf-16-le / utf-16-be      no BOM, but every other byte of the start is NUL
    binary                     a NUL byte anywhere, or mostly control bytes: a reject
    utf-8 / utf-8-sig          valid UTF-8 (a BOM is dropped)
    utf-8+windows-1252         mostly UTF-8 with a few Windows-1252 bytes pasted in
                               (smart quotes, a Latin word); each bad byte is read as Windows-1252
    cp1258 / tcvn3 / vni       Windows Vietnamese (tone marks are combining characters, so the text
                               is NFC-normalized), TCVN3 (ABC) and VNI-Windows (legacy.py, tables
                               in legacy_vi.toml): the one whose accented words are Vietnamese
                               syllables (90%) wins; TCVN3 or VNI text that reads so only in part
                               (60-90%) is a `legacy_encoding` reject, never mojibake
    windows-1252               Western text with no control characters
    decode_error               none of the above: a reject naming the line and byte

The encoding used is returned so that it can be recorded with the document
(the documents table's `encoding` column). Mojibake inside valid UTF-8 (UTF-8
read as Windows-1252 and saved again as UTF-8) is valid UTF-8 here; the
`unicode` pass repairs it with ftfy.
"""
from __future__ import annotations

import codecs
import re
import unicodedata

from . import legacy

BINARY = "binary"
DECODE_ERROR = "decode_error"
LEGACY_ENCODING = "legacy_encoding"

UTF8, UTF8_SIG, MIXED, CP1258, CP1252 = "utf-8", "utf-8-sig", "utf-8+windows-1252", "cp1258", "windows-1252"
# A legacy Vietnamese decoding is taken when this share of its accented words are syllables;
# between PARTLY_VIETNAMESE and it, TCVN3 or VNI text is rejected rather than passed on as mojibake.
VIETNAMESE_SYLLABLES = 0.9
PARTLY_VIETNAMESE = 0.6

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# a valid UTF-8 sequence of two to four bytes
_UTF8_MULTI = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
# letters only Vietnamese uses: ă đ ĩ ơ ũ ư and the tone-marked vowels of the Latin Extended Additional block
_VI_LETTER = re.compile("[ăđĩơũưĂĐĨƠŨƯ\u1ea0-\u1ef9]")
_TEXT_CONTROLS = {9, 10, 12, 13}
_CONTROL_BYTES = bytes(b for b in range(32) if b not in _TEXT_CONTROLS)  # the C0 controls text does not use


def _cp1252_byte(e: UnicodeDecodeError) -> tuple[str, int]:
    """Error handler: the bad bytes read as Windows-1252 (its five unused bytes as Latin-1)."""
    bad = e.object[e.start:e.end]
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in bad), e.end


codecs.register_error("cleaner.cp1252", _cp1252_byte)


def sniff_utf16(head: bytes) -> str | None:
    """The UTF-16/32 codec the start of a stream asks for: by BOM, or by NULs at every other byte."""
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec
    pairs = len(head) // 2
    if pairs < 2:
        return None
    even = head[: pairs * 2: 2].count(0)
    odd = head[1: pairs * 2: 2].count(0)
    if odd >= 0.3 * pairs and even <= 0.02 * pairs:
        return "utf-16-le"
    if even >= 0.3 * pairs and odd <= 0.02 * pairs:
        return "utf-16-be"
    return None


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def binary_reason(data: bytes) -> str | None:
    """Why `data` is not text (a NUL byte anywhere, or over 10% control bytes at the start), or None."""
    nul = data.find(b"\x00")
    if nul >= 0:
        return f"line {_line_of(data, nul)}: a NUL byte at offset {nul}: binary data, not text"
    head = data[:8192]
    if head:
        controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
        if controls / len(head) > 0.1:
            return f"{controls} control bytes in the first {len(head)}: binary data, not text"
    return None


def _controls(text: str) -> int:
    return sum(1 for c in text if (ord(c) < 32 and ord(c) not in _TEXT_CONTROLS) or 0x7F <= ord(c) < 0xA0)


def _reads_as_vietnamese(text: str) -> bool:
    letters = sum(1 for c in text if c.isalpha())
    if not letters:
        return False
    stray_marks = sum(1 for c in text if unicodedata.category(c) == "Mn")  # a tone mark NFC could not place
    return len(_VI_LETTER.findall(text)) >= 0.02 * letters and stray_marks <= 0.01 * letters and not _controls(text)


def _vietnamese_letters(text: str) -> bool:
    letters = sum(1 for c in text if c.isalpha())
    return bool(letters) and len(_VI_LETTER.findall(text)) >= 0.02 * letters


def _legacy(data: bytes) -> tuple[str | None, str, str | None] | None:
    """(text, encoding, None) for bytes that are not UTF-8 but read well in a legacy encoding;
    (None, LEGACY_ENCODING, why) for text that reads as TCVN3 or VNI Vietnamese only in part; else None.

    Windows-1258, TCVN3 and VNI are tried together and the one whose words are Vietnamese syllables
    wins (ties in that order); Windows-1252 comes after them all."""
    bad = data.decode("utf-8", errors="replace").count("\ufffd")
    if len(_UTF8_MULTI.findall(data)) > bad:
        text = data.decode("utf-8", errors="cleaner.cp1252")
        if not _controls(text):
            return text, MIXED, None
    candidates = []
    try:
        text = unicodedata.normalize("NFC", data.decode("cp1258"))
        if _reads_as_vietnamese(text):
            candidates.append((text, CP1258))
    except UnicodeDecodeError:
        pass
    for name in legacy.ENCODINGS:
        text = unicodedata.normalize("NFC", legacy.decode_legacy(data, name))
        if not _controls(text) and _vietnamese_letters(text):
            candidates.append((text, name))
    scored = [(legacy.syllable_ratio(text)[0], -i, text, name) for i, (text, name) in enumerate(candidates)]
    if scored:
        ratio, _, text, name = max(scored)
        if ratio >= VIETNAMESE_SYLLABLES:
            return text, name, None
        if name in legacy.ENCODINGS and ratio >= PARTLY_VIETNAMESE:
            return None, LEGACY_ENCODING, (f"reads as Vietnamese in {name.upper()} only in part ({ratio:.0%} of its "
                                           f"accented words are syllables): a mix of encodings? Convert it to "
                                           f"UTF-8 first")
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    non_ascii = sum(1 for c in text if ord(c) > 127)
    if not _controls(text) and non_ascii <= 0.3 * max(1, sum(1 for c in text if not c.isspace())):
        return text, CP1252, None
    return None


def decode(data: bytes) -> tuple[str | None, str, str | None]:
    """(text, encoding, None), or (None, reason, what went wrong and where) for bytes that are not text."""
    codec = sniff_utf16(data[:4096])
    if codec:
        try:
            return data.decode(codec), codec, None
        except UnicodeDecodeError as e:
            if codec in ("utf-32", "utf-16"):  # a BOM says so: trust it
                return None, DECODE_ERROR, f"not valid {codec} (byte offset {e.start})"
    why = binary_reason(data)
    if why:
        return None, BINARY, why
    try:
        if data.startswith(codecs.BOM_UTF8):
            return data.decode(UTF8_SIG), UTF8_SIG, None
        return data.decode(UTF8), UTF8, None
    except UnicodeDecodeError as e:
        found = _legacy(data)
        if found:
            return found
        return None, DECODE_ERROR, (f"line {_line_of(data, e.start)}: not valid UTF-8 (byte {data[e.start]:#04x} at "
                                    f"offset {e.start}), nor UTF-16, Windows-1258, TCVN3, VNI or Windows-1252 text")

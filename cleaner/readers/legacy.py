"""Legacy Vietnamese 8-bit encodings, TCVN3 (ABC) and VNI-Windows: decoded from the tables in
`legacy_vi.toml`, and told apart from each other and from Windows-1258/1252 by whether the words
read as Vietnamese syllables.

    decode_legacy(data, "tcvn3")   -> text
    encode_legacy(text, "vni")     -> bytes (the tables read backwards; for tests and round trips)
    syllable_ratio(text)           -> (share of the words with a non-ASCII letter that are Vietnamese
                                       syllables, how many such words)

Both encodings put Vietnamese letters where Windows-1252 has Western ones, so their text is
not UTF-8 but decodes "fine" as Windows-1252 into mojibake (`Vi÷t Nam`, `Vieät Nam`), and
the soft hyphen that TCVN3 uses for `ư` would vanish. Vietnamese is written in syllables of a
known shape (an initial consonant, one to three vowels with at most one tone mark, a final
consonant), so the right decoding is the one whose words are syllables.
"""
from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import cache
from pathlib import Path

TCVN3, VNI = "tcvn3", "vni"
ENCODINGS = (TCVN3, VNI)
TABLES = Path(__file__).with_name("legacy_vi.toml")

_TONES = "\u0300\u0301\u0303\u0309\u0323"
_VOWELS = "aăâeêioôơuưy"
_SYLLABLE = re.compile(f"(ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdđghklmnpqrstvx])?[{_VOWELS}]{{1,3}}(ch|ng|nh|[cmnpt])?")
_WORD = re.compile(r"[^\W\d_]+")


@cache
def _tables() -> dict[str, dict[str, str]]:
    return tomllib.loads(TABLES.read_text(encoding="utf-8"))


# Windows-1252 for the bytes 0x80-0x9f (its five undefined ones as Latin-1); Latin-1 elsewhere.
_CP1252 = {b: bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(0x80, 0xA0)}


@cache
def _decoder(name: str):
    """A function bytes -> text for one encoding, built from its table."""
    table = _tables()[name]
    if name == TCVN3:
        by_byte = {int(code, 16): letter for letter, code in table.items()}
        trans = {b: by_byte.get(b) or _CP1252.get(b, chr(b)) for b in range(0x80, 0x100)}
        return lambda data: data.decode("latin-1").translate(trans)
    by_glyphs = {glyphs: letter for letter, glyphs in table.items()}
    pattern = re.compile("|".join(sorted(map(re.escape, by_glyphs), key=len, reverse=True)))
    return lambda data: pattern.sub(lambda m: by_glyphs[m.group()], data.decode("latin-1").translate(_CP1252))


def decode_legacy(data: bytes, name: str) -> str:
    return _decoder(name)(data)


def encode_legacy(text: str, name: str) -> bytes:
    """`text` (NFC) in a legacy encoding; letters without a code there as Windows-1252 (an error if none)."""
    table = _tables()[name]
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ch in table:
            out += bytes([int(table[ch], 16)]) if name == TCVN3 else table[ch].encode("cp1252")
        elif name == TCVN3 and ch.lower() in table and ch.isupper():
            out += bytes([int(table[ch.lower()], 16)])  # ABC capitals: the lowercase code, a capitals font
        else:
            out += ch.encode("cp1252")
    return bytes(out)


def is_syllable(word: str) -> bool:
    """A Vietnamese syllable: initial consonant, vowels, final consonant, and at most one tone mark.

    >>> [is_syllable(w) for w in ("người", "Nguyễn", "quý", "café", "Vieät", "ộtộ")]
    [True, True, True, False, False, False]
    """
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(1 for c in decomposed if c in _TONES) > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    return bool(_SYLLABLE.fullmatch(base))


def syllable_ratio(text: str) -> tuple[float, int]:
    """(share of the words holding a non-ASCII letter that are Vietnamese syllables, how many words)."""
    words = [w for w in _WORD.findall(text) if not w.isascii()]
    if not words:
        return 0.0, 0
    return sum(map(is_syllable, words)) / len(words), len(words)

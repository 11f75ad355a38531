"""Unicode normalization: repair mojibake, NFC, one Vietnamese tone-mark convention, clean spaces.

The convention (written into every dataset card): text is NFC; in the open
syllables `oa`, `oe` and `uy` (no final consonant, `uy` not after `q`) the tone
mark sits on the first vowel, as in `hòa`, `khỏe`, `thủy`, which is the form
used by most Vietnamese news sites today. Tone marks are moved, never dropped.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

import ftfy

from ..document import LINE_BREAK_CHARS, Document, Line

NAME = "unicode"
EMPTY_RULE = "unicode.empty"

# Tone marks as combining characters (NFD): grave, acute, hook above, tilde, dot below.
TONES = "\u0300\u0301\u0309\u0303\u0323"


def _table() -> dict[str, str]:
    """`oà` -> `òa` and the like, for every tone, in lower, Title and UPPER case."""
    out = {}
    for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
        for tone in TONES:
            for f, s in ((first, second), (first.upper(), second), (first.upper(), second.upper())):
                old = unicodedata.normalize("NFC", f + s + tone)
                new = unicodedata.normalize("NFC", f + tone + s)
                out[old] = new
    return out


TONE_TABLE: dict[str, str] = _table()
# An old-style pair at the end of a syllable (not followed by a letter); `quy` is handled in fix_tones.
_OLD_PAIR_RE = re.compile("(" + "|".join(sorted(map(re.escape, TONE_TABLE))) + r")(?![^\W\d_])")

# Spaces of every width, and line breaks: a line is one raw line, so a break that ftfy or an HTML
# entity (`&#10;`, `&#x2028;`) makes inside it becomes a space, never a new line of the text.
SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u205f\u3000\t\v\f"
                                + LINE_BREAK_CHARS + "\x1c\x1d\x1e"), " ")
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_ODD_SPACES = SPACES | ZERO_WIDTH  # one table: none of its targets is another's key
_HAS_ODD_SPACE = re.compile("[" + re.escape("".join(map(chr, _ODD_SPACES))) + "]")  # most lines have none
_MULTI_SPACE = re.compile(r" {2,}")

# Signs that ftfy has something to fix: mojibake of UTF-8 read as Latin-1/cp1252, HTML entities, controls.
_NEEDS_FTFY = re.compile(r"[\u0080-\u00bf\u00c2-\u00c3\u00c4\u00c5\u00e2\u00ef\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u02c6\u02dc\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]{2}|&#?\w+;|[\x00-\x08\x0b\x0e-\x1f\x7f]|\ufffd")


def fix_tones(text: str) -> str:
    """Move tone marks of open `oa`/`oe`/`uy` syllables to the first vowel.

    >>> fix_tones("Hoà bình, uỷ ban, thuý, quý, hoàng, khoẻ")
    'Hòa bình, ủy ban, thúy, quý, hoàng, khỏe'
    """
    def sub(m: re.Match) -> str:
        pair = m.group(1)
        start = m.start(1)
        prev = text[start - 1] if start else " "
        if pair[0] in "uU" and prev in "qQ":
            return pair  # `quý`: the u belongs to the consonant
        return TONE_TABLE[pair]

    return _OLD_PAIR_RE.sub(sub, text)


def _normalize_once(text: str) -> tuple[str, bool]:
    repaired = bool(_NEEDS_FTFY.search(text))
    if repaired:
        text = ftfy.fix_text(text, normalization="NFC", fix_line_breaks=False, uncurl_quotes=False)
    text = unicodedata.normalize("NFC", text)
    if _HAS_ODD_SPACE.search(text):
        text = text.translate(_ODD_SPACES)
    text = fix_tones(text)
    return _MULTI_SPACE.sub(" ", text).strip(), repaired


def normalize_line(text: str) -> str:
    """One line in the house form: mojibake repaired, NFC, tones placed, spaces cleaned, stripped.

    Normalizing twice changes nothing: when ftfy had work to do, the line is
    normalized again until it stops changing (space cleaning can uncover more
    mojibake, as in "Â" followed by a tab).
    """
    text, repaired = _normalize_once(text)
    for _ in range(3):
        if not repaired:
            break
        again, repaired = _normalize_once(text)
        if again == text:
            break
        text = again
    return text


def apply(doc: Document) -> Document:
    """Normalize every line; a line left with nothing is recorded as `unicode.empty`."""
    lines = tuple(Line(line.no, normalize_line(line.text)) for line in doc.lines)
    empty = {line.no: EMPTY_RULE for line in lines if not line.text}
    return replace(doc, lines=lines).drop(empty)

r"""Text bound for a terminal, made unable to drive it.

A scraped line, a file name or a manifest written by someone else may hold terminal control sequences:
`\x1b]0;...\x07` retitles the window, `\x1b[2J` clears the screen, `\r` writes over what was printed,
a bidi override reorders it. Everything the CLI prints that came from data goes through `terminal_safe`,
which writes each such character as a visible escape (`\x1b`, `\r`, `\u202e`); the CLI's own colour
codes are added after, around the escaped text.

    >>> terminal_safe("title\x1b]0;pwned\x07 and \x1b[2J")
    'title\\x1b]0;pwned\\x07 and \\x1b[2J'
    >>> terminal_safe("a\tb\nc\rd")
    'a\tb\nc\\rd'
    >>> terminal_safe("a\nb", keep="")
    'a\\nb'
"""
from __future__ import annotations

import re
from functools import cache

# C0 controls, DEL, C1 controls (0x9b is CSI on its own), bidi embeddings, overrides and isolates
_CONTROL = "\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_NAMED = {"\r": "\\r", "\n": "\\n", "\t": "\\t"}


def _escape(ch: str) -> str:
    code = ord(ch)
    return _NAMED.get(ch) or (f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}")


def terminal_safe(text: str, keep: str = "\n\t") -> str:
    """`text` with every control character but those in `keep` (newline and tab by default) escaped."""
    pattern = _pattern(keep)
    return pattern.sub(lambda m: _escape(m.group()), str(text))


@cache
def _pattern(keep: str) -> re.Pattern:
    kept = "".join(re.escape(c) for c in keep)
    return re.compile(f"(?![{kept}])[{_CONTROL}]" if kept else f"[{_CONTROL}]")

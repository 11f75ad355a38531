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


_LABEL = re.compile(r"^((?:cleaner[\w .-]*: )?)(warning|error)(:)")
_COLOURS = {"warning": "\033[33m", "error": "\033[31m"}


def colour_enabled(stream) -> bool:
    """Colour on a terminal only, and never with NO_COLOR set (https://no-color.org)."""
    import os

    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("NO_COLOR")


def labelled(message: str, colour: bool) -> str:
    """A message whose leading `warning:` or `error:` is in colour when `colour` (the rest as it is).

    >>> labelled("warning: x", True) == "\033[33mwarning\033[0m: x", labelled("error: x", False)
    (True, 'error: x')
    """
    if not colour:
        return message
    return _LABEL.sub(lambda m: f"{m.group(1)}{_COLOURS[m.group(2)]}{m.group(2)}\033[0m{m.group(3)}", message, count=1)

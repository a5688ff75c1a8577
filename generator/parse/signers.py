"""The signer: the name line(s) at the end of a cable (``CLINTON``, ``Crocker``, ``JONES/SMITH``).

The name is the last line of the text, or the last before the furniture the telegram system
and the release put after it: classification lines, ``NNNN``, the release's id line
(``2004CARACA01540 - UNCLASSIFIED``), the review stamp (``Declassified/Released US Department
of State EO Systematic Review 30 JUN 2006``), a page header, a comms centre note
(``NOTE BY OC/T: ...``), lone punctuation. Older cables put it on the line of a closing formula
(``21. BEIRUT MINIMIZE CONSIDERED.  EAGLETON``, ``END OF TEXT. BAKER``).

A name line is told from the last line of text by what stands before it: a blank line, the end
of a sentence, a closing formula (``REGARDS``, ``GP-3``, ``UNQUOTE``), or text in mixed case
above a name in capitals.
"""

from __future__ import annotations

import re

_FOOTER = re.compile(
    r"^(?:NNNN|BT|SIPDIS|[\W_]{1,8}"
    r"|(?:TOP\s+)?(?:UNCLASSIFIED|UNCLAS|CONFIDENTIAL|SECRET|LIMITED\s+OFFICIAL\s+USE)(?:\s*//?\s*[A-Z ]+)*"
    r"|Declassified/Released\b.*|Review\s+\d{1,2}\s+[A-Z]{3}\s+\d{4}"
    r"|NOTE\b(?:\s+BY\b|:\s*NOT\s+PASSED\b).*"
    r"|\d{4}[A-Z]+\d+\s*-\s*(?:Classification:\s*)?[A-Z/ ]+"
    r"|[A-Z][A-Z ]*\s\d{5,}\s+\d{3}(?:\.\d)?\s+OF\s+\d{3}"
    r"|PAGE\s+\d{2,3}\b.*"
    r"|[A-Z][A-Z0-9 ,:;'\-/()]*\.\.\.)$"  # an excerpt cut off with an ellipsis (the subject again)
)
_PUNCTUATION = re.compile(r"^[\W_]{1,8}$")
_NAME = r"[A-Z][A-Z'’\-]+(?:[ /][A-Z][A-Z'’\-]+){0,3}"
_MIXED_NAME = r"[A-Z][a-z'’\-]+(?:[A-Z][a-z'’\-]+)?"  # Crocker, McDonald, LeBaron
_NAME_LINE = re.compile(rf"^(?:{_NAME}|{_MIXED_NAME}(?:/{_MIXED_NAME})*)$")
_CLOSING = r"(?:END\s+(?:OF\s+)?(?:TEXT|MESSAGE|COMMENT|FYI|NOTE|QUOTE|SUMMARY)|MINIMIZE\s+CONSIDERED|UNQUOTE)"
_NAME_AFTER_CLOSING = re.compile(rf"^(?P<before>.*\b{_CLOSING}\.?)\s+(?P<name>[A-Z][A-Z'’\-]+(?:/[A-Z][A-Z'’\-]+)*)$")
_CLOSING_WORD = re.compile(r"END|MINIMIZE|UNQUOTE")  # tried first: most last lines hold none of them
_CLOSING_LINE = re.compile(rf"^(?:{_CLOSING}|REGARDS|BEST\s+REGARDS|GP-\d|[\W_]{{1,8}})\W*$", re.I)
_SENTENCE_END = re.compile(r"[.!?:;\"')\]]\s*$")
_TRAILING_JUNK = " \t\r\f\v#.,*"  # after a name: "GILLESPIE##", "MCNAMARA."
_NOT_NAMES = frozenset(("END", "NNNN", "SUMMARY", "COMMENT", "UNCLASSIFIED", "CONFIDENTIAL", "SECRET",
                        "NOFORN", "SIPDIS", "BT", "REGARDS", "UNQUOTE", "QUOTE", "TEXT", "NOTE", "ACTION",
                        "INFO", "PAGE", "CLASSIFIED", "LIMITED", "OFFICIAL", "USE", "EXDIS", "NODIS",
                        "LIMDIS", "THANKS", "THANK", "YOU", "SENSITIVE", "BUT", "AND", "THE", "MINIMIZE",
                        "CONSIDERED"))
_REDACTION = re.compile(r"^X{5,}$")
_WORD_BREAK = re.compile(r"[ /]")


def split_signature(lines: list[str]) -> tuple[list[str], str | None]:
    """The signer's line taken out of the body: ``(lines, the name as written)``.

    The name's line is blanked (line numbers stay valid for the paragraph starts found before);
    furniture after it stays where it is; a name on a closing formula's line leaves the formula
    (``END OF TEXT.``) in the body."""
    index = len(lines) - 1
    while index >= 0 and (not lines[index].strip() or _FOOTER.match(lines[index].strip())):
        index -= 1
    if index < 1:
        return lines, None
    line = lines[index].strip().rstrip(_TRAILING_JUNK)
    if _is_name(line) and _may_sign(lines[index - 1].strip(), line):
        return [*lines[:index], "", *_without_punctuation(lines[index + 1:])], line
    same_line = _NAME_AFTER_CLOSING.match(line) if _CLOSING_WORD.search(line) else None
    if same_line and _is_name(same_line.group("name")):
        kept = lines[index][: lines[index].rfind(same_line.group("name"))].rstrip()
        return [*lines[:index], kept, *_without_punctuation(lines[index + 1:])], same_line.group("name")
    return lines, None


def _without_punctuation(lines: list[str]) -> list[str]:
    """The furniture after a signature, lone punctuation (``.``, ``>``) blanked."""
    return ["" if _PUNCTUATION.match(line.strip()) else line for line in lines]


def _is_name(text: str) -> bool:
    if len(text) > 40 or not _NAME_LINE.match(text):
        return False
    if _REDACTION.match(text):
        return True  # a signer's name the release blacked out: still the signature line
    words = _WORD_BREAK.split(text.upper())
    return not any(w in _NOT_NAMES or _REDACTION.match(w) for w in words)


def _may_sign(before: str, line: str) -> bool:
    """Whether the line above leaves ``line`` standing alone as a name."""
    if not before or _CLOSING_LINE.match(before):
        return True
    if _SENTENCE_END.search(before):
        return True
    # "Visit London's Classified Website: http://...\nSUSMAN": one word in capitals under mixed case
    return line.isupper() and " " not in line and any(c.islower() for c in before)


def signer_names(signature: str | None) -> list[str]:
    """``JONES/SMITH`` -> ``['JONES', 'SMITH']``: several signers are written with a slash. A name
    the telegram doubled (``PARDEW PARDEW``) is one name; a blacked-out one is none."""
    names: list[str] = []
    for name in (signature or "").split("/"):
        words = name.split()
        if len(words) == 2 and words[0] == words[1]:
            words = words[:1]
        name = " ".join(words)
        if name and not _REDACTION.match(name) and name not in names:
            names.append(name)
    return names


__all__ = ["signer_names", "split_signature"]

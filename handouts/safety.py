"""What a reader will see: text as printed, and what must never be smuggled into it.

Checks run on the *seen* text: HTML character references decoded, Unicode
NFKC-normalized (fullwidth digits and dots become ASCII) and invisible format
characters removed, so ``&commat;``, ``９１１`` or a zero-width space between
digits cannot hide what the checks look for. Addresses are found by shape
(``name@host.tld``, ``scheme://``, ``host.tld/path``, any top-level domain),
not from a list of domains.
"""

from __future__ import annotations

import html
import re
import unicodedata

#: Characters never printed as they are stored: controls, format characters (bidi
#: overrides and isolates, zero-width spaces and joiners), surrogates, private use,
#: and line or paragraph separators. Tab and newline are layout, not content.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})
_LAYOUT = frozenset("\n\t")

_DOT = r"[.\u3002\uff0e\uff61]"  # dots that browsers read as a host's label separator
_HOST = rf"(?:[^\W_](?:[\w-]*[^\W_])?{_DOT})+[^\W\d_]{{2,}}"
_EMAIL = re.compile(r"[\w.+'-]+\s*@\s*[\w.-]+")
_WEB = re.compile(
    rf"\b[a-z][a-z0-9+.-]*://\S*|\bwww{_DOT}\S*|(?<![\w@.-]){_HOST}(?![\w-])(?:/\S*)?",
    re.I,
)
#: A number spelled in pieces, as a phone number is: three or more digit groups joined by one
#: space, dash or dot ("9 1 1", "800-843-5678"); ranges such as "5–8" are two groups.
_PIECES = re.compile(r"\d+(?:[ \-.\u2010-\u2015]\d+){2,}")
#: Digit groups joined by one space, dot or dash, as many as there are ("1 19", "01 23 45 67").
_JOINED = re.compile(r"\d+(?:[ \-.\u2010-\u2015]\d+)+")
#: A number grouped in thousands, in any language's way: "1,000", "1 000", "1.000", "1’000".
_THOUSANDS = re.compile(r"(?<![\d,.'’])\d{1,3}(?:[,. \u00a0\u202f'’]\d{3})+(?![\d]|[,. \u00a0\u202f'’-]\d)")
#: Two groups joined by a dash are a range ("5–8 ans", "10-12"): two short numbers, not one.
_RANGE = re.compile(r"\d+[\-\u2010-\u2015]\d+")
#: Longest number a translation may bring of its own: grade names and ages ("CM1", "6e", "5–8 ans").
SHORT_NUMBER = 2
#: Capitals in dotted pairs are abbreviations, not hosts: "EE.UU", "U.S.A".
_ABBREVIATION = re.compile(r"(?:[A-Z]{1,2}\.)+[A-Z]{1,2}")
#: Chinese and Japanese sentences end in "。", which browsers also read as a host's dot: text
#: joined by it is an address only when its last label starts in ASCII ("example。com",
#: "example。com获得帮助"), else sentences ("你可以来找我。你不会有麻烦", "照片。他们用AI").
#: A host in CJK script joined by "。" is therefore not caught.
_CJK_SENTENCES = re.compile(r"[^/]*\u3002[^\x00-\x7f/][^/\u3002]*")
#: "照片。Take It Down": a sentence, then a name the source text has; not "example。com".
_CJK_THEN_NAME = re.compile(r"[^/]*\u3002([\x00-\x7f]+)")
_TRAILING = ".,;:!?)]}»”’'\"…"
_REFERENCE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?")


def hidden_characters(text: str) -> list[str]:
    """Characters in ``text`` a reader cannot see, as ``U+202E`` names, in order of first use."""
    found = (c for c in text if c not in _LAYOUT and unicodedata.category(c) in _HIDDEN_CATEGORIES)
    return [f"U+{ord(char):04X}" for char in dict.fromkeys(found)]


def seen(text: str) -> str:
    """``text`` as a reader sees it: references decoded, NFKC, invisible characters gone."""
    decoded = unicodedata.normalize("NFKC", html.unescape(text))
    return "".join(
        char for char in decoded if char in _LAYOUT or unicodedata.category(char) not in _HIDDEN_CATEGORIES
    )


def numbers(text: str) -> set[str]:
    """Digit runs, numbers spelled in pieces and numbers grouped in thousands (as digits only:
    "1,000", "1 000" and "1.000" are all ``1000``, as English, French and Vietnamese write it),
    in seen text."""
    found = set(re.findall(r"\d+", text))
    found.update(re.sub(r"\D", "", match) for match in _PIECES.findall(text))
    found.update(re.sub(r"\D", "", match) for match in _THOUSANDS.findall(text))
    return found


def phone_like(text: str) -> set[str]:
    """What could be dialled in seen text (as digits): runs of three or more digits, and digit
    groups joined by spaces, dots or dashes whose digits together are three or more."""
    found = {run for run in numbers(text) if len(run) > SHORT_NUMBER}
    for match in _JOINED.findall(text):
        digits = re.sub(r"\D", "", match)
        if len(digits) > SHORT_NUMBER and not _RANGE.fullmatch(match):
            found.add(digits)
    return found


def addresses(text: str) -> tuple[set[str], set[str]]:
    """E-mail and web addresses in seen text, lower-cased: ``a@b``, any ``scheme://``, ``www.``,
    ``host.tld`` with any top-level domain, with or without a path."""
    emails = {match.group().lower() for match in _EMAIL.finditer(text)}
    found = (match.group().rstrip(_TRAILING) for match in _WEB.finditer(_EMAIL.sub(" ", text)))
    return emails, {
        address.lower()
        for address in found
        if not _ABBREVIATION.fullmatch(address) and not _CJK_SENTENCES.fullmatch(address)
    }


def _names_after_sentence(address: str, words: set[str]) -> bool:
    """Whether a "host" joined by "。" is a sentence followed by a word of the source text
    ("照片。take", the source saying "Take It Down"), not an address the translation brings."""
    joined = _CJK_THEN_NAME.fullmatch(address)
    return joined is not None and joined.group(1) in words


def unsafe_translation(msgid: str, msgstr: str) -> str | None:
    """Why ``msgstr`` may not stand for ``msgid`` on the page, or None.

    It may not bring characters the reader cannot see, character references,
    addresses, markup, or anything that could be dialled (:func:`phone_like`) that the
    source text lacks, nor drop or change a number of three or more digits that it has.
    Numbers of one or two digits are a language's own: grade names ("CM1", "6e"), ages
    ("5–8 ans"), school years (``Grades 3–5`` is ``Years 4–6`` in England).
    """
    hidden = [name for name in hidden_characters(msgstr) if name not in hidden_characters(msgid)]
    if hidden:
        return (
            f"the translation contains invisible or control characters ({', '.join(hidden)}) "
            "that the source text lacks; remove them"
        )
    references = set(_REFERENCE.findall(msgstr)) - set(_REFERENCE.findall(msgid))
    if references:
        return (
            f"the translation contains character references ({', '.join(sorted(references))}); "
            "write the characters themselves"
        )
    source, shown = seen(msgid), seen(msgstr)
    words = set(re.findall(r"\w+", source.lower()))
    for what, new, old in zip(("an e-mail", "a web"), addresses(shown), addresses(source), strict=True):
        new = {address for address in new - old if not _names_after_sentence(address, words)}
        if new:
            return (
                f"the translation brings {what} address ({', '.join(sorted(new))}); "
                "addresses come from curriculum/resources"
            )
    new_numbers = phone_like(shown) - numbers(source) - phone_like(source)
    if new_numbers:
        return (
            f"the translation brings its own digits ({', '.join(sorted(new_numbers))}), which could be "
            "read as a phone number; numbers come from curriculum/resources, not from translations "
            f"(numbers of up to {SHORT_NUMBER} digits, such as ages and grade names, may be written)"
        )
    lost = phone_like(source) - numbers(shown) - phone_like(shown)
    if lost:
        return (
            f"the translation drops or changes the number(s) {', '.join(sorted(lost))} of the source text; "
            "write every number of three or more digits as the source has it"
        )
    if re.search(r"<\s*/?\s*[A-Za-z!?]", shown) and not re.search(r"<\s*/?\s*[A-Za-z!?]", source):
        return "the translation contains markup (<…>); translate the words only"
    return None


#: Longest text a data file may hold in one string (the shipped files stay under 1,000;
#: a test fills a handout past its budget with 16,000).
MAX_TEXT_CHARS = 20_000


def text_problem(text: str) -> str | None:
    """Why a string from a data file may not be printed (too long, hidden characters), or None."""
    if len(text) > MAX_TEXT_CHARS:
        return f"text too long ({len(text):,} characters; at most {MAX_TEXT_CHARS:,})"
    hidden = hidden_characters(text)
    if hidden:
        return (
            f"contains invisible or control characters ({', '.join(hidden)}) that could hide "
            "or reverse what is printed; remove them"
        )
    return None

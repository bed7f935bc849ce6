"""The glyph-coverage gate: no character reaches paper that the fonts cannot draw (no tofu).

Fontconfig chooses the fonts as WeasyPrint will: the stylesheet's family list for the
reader's language, then fontconfig's fallback for ``sans-serif`` (``fc-match -s``, the
fonts that add coverage, in order). fontTools reads each font's character map, and only as
many fonts are opened as it takes to cover the text (two for Arabic: Noto Sans, then Noto
Sans Arabic). A character no font covers is an error naming it, its string and its PO line.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont

from .errors import Problem

#: The stylesheet's font families, first to last: Latin, then each script's Noto face.
FONT_FAMILIES = (
    "Noto Sans",
    "Noto Sans Arabic",
    "Noto Sans Hebrew",
    "Noto Sans Devanagari",
    "Noto Sans Bengali",
    "Noto Sans Thai",
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Sans CJK KR",
)
#: The CJK face a language reads first (Traditional Chinese has its own glyph shapes), keyed by
#: CSS ``:lang()`` ranges, most specific first; Simplified Chinese uses the stack as it is.
CJK_FACES = {
    "zh-Hant-HK": "Noto Sans CJK HK",
    "zh-Hant": "Noto Sans CJK TC",
    "ja": "Noto Sans CJK JP",
    "ko": "Noto Sans CJK KR",
}


def font_families(language: str) -> tuple[str, ...]:
    """The families a reader of ``language`` (``zh-hant``, ``ar``) gets, in the order tried."""
    tag = language.lower()
    face = next(
        (face for key, face in CJK_FACES.items() if tag == key.lower() or tag.startswith(key.lower() + "-")),
        None,
    )
    if face is None:
        return FONT_FAMILIES
    rest = [family for family in FONT_FAMILIES if family != face]
    at = rest.index("Noto Sans CJK SC")
    return (*rest[:at], face, *rest[at:])


#: Languages drawn with one CJK weight: a second CJK face (bold) costs about 130 KB in every PDF
#: (45% of a Chinese flyer), so their headings stand out by size and colour and their emphasised
#: lines by colour; numbers and Latin names keep their bold (Noto Sans Bold).
ONE_WEIGHT = ("zh", "ja", "ko")
_KEEP_BOLD = ".number, .card-number, .service, .card-name, .flyer-name"
_EMPHASIS = ".closing, .flyer-closing, .salutation, .slip-statement, .card-promise"


def one_weight(language: str) -> bool:
    """Whether ``language`` (a BCP 47 tag) is drawn with its CJK face's regular weight only."""
    return language.split("-")[0].lower() in ONE_WEIGHT


def font_css() -> str:
    """The stylesheet's font rules: the stack, each CJK language's own face first, one CJK weight."""

    def stack(families: Iterable[str]) -> str:
        return ", ".join(f'"{family}"' for family in families) + ", sans-serif"

    rules = [f"html {{ font-family: {stack(FONT_FAMILIES)}; }}"]
    for key in reversed(CJK_FACES):  # the most specific range last, so it wins
        rules.append(f":lang({key}) {{ font-family: {stack(font_families(key))}; }}")
    langs = ", ".join(f":lang({language})" for language in ONE_WEIGHT)
    rules.append(f":is({langs}), :is({langs}) * {{ font-weight: normal !important; }}")
    keep = f":is({langs}) :is({_KEEP_BOLD})"
    rules.append(f"{keep}, {keep} * {{ font-weight: bold !important; }}")
    rules.append(f":is({langs}) :is({_EMPHASIS}) {{ color: var(--accent); }}")  # instead of bold
    return "\n".join(rules) + "\n"


#: Characters every font of the stack's first family draws (Latin, combining marks, general
#: punctuation, currency): text made only of these needs no font opened.
_SURE = (range(0x20, 0x370), range(0x1E00, 0x1F00), range(0x2000, 0x2070), range(0x20A0, 0x20C1))
#: Fontconfig's language tags for scripts the CSS ``:lang()`` names differently.
_FC_LANG = {"zh-hans": "zh-cn", "zh-hant": "zh-tw", "zh-hant-hk": "zh-hk"}


def _sure(char: str) -> bool:
    return char in "\n\t" or any(ord(char) in block for block in _SURE)


@cache
def _fonts(families: tuple[str, ...], language: str) -> tuple[tuple[str, int], ...]:
    """The font files fontconfig would use for ``families`` then ``sans-serif``, in order."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return ()
    lang = _FC_LANG.get(language, language.split("-")[0])
    pattern = ",".join([*families, "sans-serif"]) + f":lang={lang}"
    found = subprocess.run(
        [fc_match, "-s", "--format", "%{file}|%{index}\n", pattern],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    fonts = []
    for line in found.splitlines():
        file, _, index = line.rpartition("|")
        if file and Path(file).suffix.lower() in (".ttf", ".otf", ".ttc", ".otc"):
            fonts.append((file, int(index or 0)))
    return tuple(dict.fromkeys(fonts))


@cache
def _charmap(file: str, index: int) -> frozenset[int]:
    """The characters a font has glyphs for (its best cmap)."""
    try:
        with TTFont(file, fontNumber=index, lazy=True) as font:
            return frozenset(font.getBestCmap() or ())
    except Exception:  # an unreadable font draws nothing
        return frozenset()


def undrawable(chars: Iterable[str], families: tuple[str, ...], language: str) -> set[str]:
    """The characters of ``chars`` that no font fontconfig chooses can draw."""
    left = {char for char in chars if not _sure(char) and unicodedata.category(char)[0] != "Z"}
    for file, index in _fonts(families, language) if left else ():
        left -= {char for char in left if ord(char) in _charmap(file, index)}
        if not left:
            break
    return left


def glyph_problems(
    entries: Iterable[tuple[str, str, int]], shown: Path, families: tuple[str, ...], language: str
) -> list[Problem]:
    """Problems for translations (msgid, msgstr, PO line) holding characters the fonts lack."""
    entries = list(entries)
    missing = undrawable({char for _, msgstr, _ in entries for char in msgstr}, families, language)
    problems = []
    for msgid, msgstr, line in entries:
        lacking = [char for char in dict.fromkeys(msgstr) if char in missing]
        if lacking:
            named = ", ".join(f"U+{ord(c):04X} {c!r} ({unicodedata.name(c, 'unnamed')})" for c in lacking)
            text = msgstr if len(msgstr) <= 60 else msgstr[:59] + "…"
            problems.append(
                Problem(
                    shown,
                    line,
                    0,
                    f"msgid {msgid[:60]!r}: no font can draw {named} in {text!r}; "
                    "write another character, or install a font that has it (fontconfig)",
                )
            )
    return problems

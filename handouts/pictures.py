"""The pictures layouts may print: line drawings made for this project, in ``layouts/pictures/``.

Each is a small SVG drawn by hand for this project (no image from the web): black lines,
a few greys that stay distinct when printed in black and white. Its alt text is
translated like every other string, and WeasyPrint tags each ``<img>`` as a Figure
with that text as its ``/Alt`` (PDF/UA).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from .resources import N_

#: Picture id → its alt text (source language). The file is ``layouts/pictures/<id>.svg``.
PICTURES: dict[str, str] = {
    "swimsuit": N_("A simple outline of a child in a one-piece swimsuit."),
    "hug": N_("Two children hugging, both smiling."),
    "high-five": N_("Two children giving each other a high five."),
    "wave": N_("A child smiling and waving hello."),
    "feelings": N_("Four faces: happy, sad, scared and angry."),
    "stop": N_("A stop sign and a hand held up: stop."),
    "go": N_("A green light with a check mark: yes, go."),
    "tell": N_("A child telling a grown-up, who listens."),
    "hand": N_("A large outline of a hand to trace, one finger for each trusted grown-up."),
    "grown-ups": N_(
        "Trusted grown-ups of different ages and families: a grandparent, a parent, a teacher and a helper."
    ),
    "phone-stop": N_("A tablet showing a friendly stop sign."),
    "phone-cutout": N_("A paper phone to cut out, with an X button to close a chat and a Block button."),
    "thumbs-up": N_("A thumbs-up hand."),
    "thumbs-down": N_("A thumbs-down hand."),
    "gift": N_("A wrapped gift with a bow."),
    "warning": N_("A warning sign."),
    "red-flag": N_("A flag: a red flag."),
    "say": N_("A speech bubble."),
    "help": N_("A hand reaching out to help."),
}


class AltTexts(Mapping[str, str]):
    """Pictures' alt texts in the reader's language, each translated when a layout prints it
    (so a document counts only the alt texts it uses among its strings)."""

    def __init__(self, gettext: Callable[[str], str]):
        self._gettext = gettext

    def __getitem__(self, picture: str) -> str:
        return self._gettext(PICTURES[picture])

    def __iter__(self) -> Iterator[str]:
        return iter(PICTURES)

    def __len__(self) -> int:
        return len(PICTURES)


def alt_texts(gettext: Callable[[str], str]) -> AltTexts:
    """Every picture's alt text in the reader's language, translated on use."""
    return AltTexts(gettext)

"""Typed, frozen models of everything the curriculum folder holds.

The models validate what authors write; their JSON Schema (``schema_json``) is
exported to ``curriculum/schema.json`` so editors can check YAML as it is typed.
Strings are strict: a value YAML reads as a number or boolean is refused, not
silently turned into text.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict, StringConstraints, model_validator

# Strict: YAML values read as numbers or booleans are refused, not turned into text.
Text = Annotated[str, Strict(), StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, Strict(), StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]


class Model(BaseModel):
    """Base: frozen, unknown keys refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")


# --- bands -----------------------------------------------------------------


class Band(Model):
    """An audience: an age band of children, or the adults around them."""

    id: Slug
    label: Text = Field(description="Name printed on every page, e.g. 'Grades 3–5'.")
    ages: tuple[int, int] = Field(description="Youngest and oldest age, e.g. [8, 11].")
    audience: Annotated[str, Strict(), Field(pattern=r"^(children|adults)$")]
    min_font_pt: float = Field(gt=6, le=24, description="Smallest body text size its readers need.")
    read_aloud: Annotated[bool, Strict()] = Field(
        default=False, description="Texts are read aloud by an adult."
    )
    max_grade_level: float | None = Field(
        default=None, description="Highest reading grade level for its texts (content linter)."
    )
    denied_words: tuple[Text, ...] = Field(
        default=(), description="Words that must not appear in texts for this band."
    )

    @model_validator(mode="after")
    def _ages_in_order(self) -> Band:
        if self.ages[0] > self.ages[1]:
            raise ValueError("'ages' must be [youngest, oldest]")
        return self

    @property
    def for_children(self) -> bool:
        """Whether the band's readers are children (child-facing pages)."""
        return self.audience == "children"


class Bands(Model):
    """The file ``curriculum/bands.yaml``."""

    bands: tuple[Band, ...] = Field(min_length=1)


# --- handouts ---------------------------------------------------------------


class Block(Model):
    """One piece of a section: a paragraph, a bullet list, or words to say."""

    text: Text | None = Field(default=None, description="A paragraph.")
    bullets: tuple[Text, ...] | None = Field(default=None, min_length=1)
    say: tuple[Text, ...] | None = Field(
        default=None, min_length=1, description="'Say this' scripts, printed as quotes."
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> Block:
        given = [name for name in ("text", "bullets", "say") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("a block needs exactly one of 'text', 'bullets' or 'say'")
        return self


#: Kinds of section that carry an icon beside their heading on older bands' and adults' handouts:
#: warning signs (in a child), red flags (of a scammer), what to say, where to get help.
SECTION_ICONS = ("warning", "red-flag", "say", "help")
SectionIcon = Literal["warning", "red-flag", "say", "help"]


class Section(Model):
    """A headed part of a handout."""

    heading: Text
    picture: Slug | None = Field(
        default=None, description="A picture printed beside the section (handouts/pictures.py names them)."
    )
    icon: SectionIcon | None = Field(
        default=None,
        description="The kind of section, shown by a small icon beside its heading (grades 3 and up, "
        "adults): warning (warning signs), red-flag (a scammer's red flags), say (what to say), "
        "help (where to get help).",
    )
    blocks: tuple[Block, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _picture_or_icon(self) -> Section:
        if self.picture is not None and self.icon is not None:
            raise ValueError("a section has a 'picture' (young bands) or an 'icon' (older bands), not both")
        return self


class Handout(Model):
    """A one- or two-page handout for one band."""

    title: Text
    lead: Text = Field(description="One or two sentences under the title.")
    sections: tuple[Section, ...] = Field(min_length=1)
    closing: Text | None = Field(default=None, description="Last words, before the help block.")


# --- lesson plans -----------------------------------------------------------


class Term(Model):
    """A vocabulary word and what it means, in the band's words."""

    term: Text
    meaning: Text


class Step(Model):
    """One timed step of a lesson."""

    title: Text
    minutes: int = Field(gt=0, le=120)
    script: Text = Field(description="What the teacher says.")
    activity: Text | None = Field(default=None, description="What the class does.")


class Practice(Model):
    """Skill practice or role-play."""

    title: Text
    instructions: Text
    scenarios: tuple[Text, ...] = Field(default=())


class AssessmentItem(Model):
    """One item of the pre-/post-assessment, with its answer for the teacher's key."""

    question: Text
    answer: Text = Field(description="What a correct answer says (printed in the teacher's answer key).")


#: Products a lesson may send home, by kind (each must exist for the lesson's module and band).
HOME_KINDS = ("handout", "letter", "flyer", "cards")
HomeKind = Annotated[str, Strict(), Field(pattern=r"^(handout|letter|flyer|cards)$")]
#: A region whose frameworks a lesson cites: an ISO 3166 code, e.g. US or GB.
RegionCode = Annotated[str, Strict(), StringConstraints(pattern=r"^[A-Z]{2}$")]


class FamilyLetter(Model):
    """What the family letter says about a lesson, written to parents and caregivers."""

    learn: Text = Field(description="What the class will learn and why, in one to three sentences.")
    at_home: tuple[Text, ...] = Field(
        min_length=2, max_length=3, description="Two or three ways to talk about it at home."
    )


#: Kinds of classroom material a module can provide (the materials product prints each).
MATERIAL_KINDS = ("cards", "worksheet", "story-strips", "sheet", "picture", "checklist", "exit-ticket")
MaterialKind = Annotated[str, Strict(), Field(pattern="^(" + "|".join(MATERIAL_KINDS) + ")$")]


class MaterialUse(Model):
    """One line of a lesson's materials: a material the module provides, or a common classroom item."""

    text: Text = Field(description="What the lesson plan prints for it.")
    provided: Slug | None = Field(default=None, description="A material of the module.")
    common: Slug | None = Field(default=None, description="An item of common-materials.yaml.")

    @model_validator(mode="after")
    def _one_source(self) -> MaterialUse:
        if (self.provided is None) == (self.common is None):
            raise ValueError("a material needs exactly one of 'provided' or 'common'")
        return self


class Card(Model):
    """One card of a card set: its front, maybe a back (the answer) and a picture."""

    front: Text
    back: Text | None = None
    picture: Slug | None = None


class Prompt(Model):
    """One box of a worksheet or exit ticket: a prompt, with lines to write on or room to draw."""

    label: Text
    lines: int = Field(default=3, ge=0, le=14, description="Lines to write on (0: none).")
    draw: Annotated[bool, Strict()] = Field(default=False, description="A box to draw in instead of lines.")


class ChatLine(Model):
    """One message of a made-up chat: who sent it (them or you) and what it says."""

    sender: Annotated[str, Strict(), Field(pattern=r"^(them|you)$")]
    text: Text


class Profile(Model):
    """A made-up profile and chat, drawn like a generic app (no real brand)."""

    name: Text = Field(description="An invented username.")
    bio: Text
    details: tuple[Text, ...] = Field(default=(), max_length=4, description="Followers, joined, photos…")
    messages: tuple[ChatLine, ...] = Field(min_length=1, max_length=9)


class Material(Model):
    """A classroom material a module provides, printed by the materials product."""

    kind: MaterialKind
    title: Text
    copies: Text = Field(description="How many to print, e.g. 'One sheet per 4 students'.")
    instructions: Text | None = Field(default=None, description="What to do with it.")
    picture: Slug | None = Field(default=None, description="A picture (picture sheets, worksheets).")
    cards: tuple[Card, ...] = Field(default=(), description="Cards (cards).")
    from_lesson: Annotated[str, Strict(), Field(pattern=r"^(scenarios|check)$")] | None = Field(
        default=None,
        description="Take the cards from the lesson's practice scenarios, or an exit ticket's prompts "
        "from its check for understanding.",
    )
    per_page: int = Field(default=8, description="Cards to a page: 8 or 12.")
    fill: Annotated[bool, Strict()] = Field(default=False, description="Repeat the cards to fill the page.")
    prompts: tuple[Prompt, ...] = Field(default=(), description="Boxes (worksheets, exit tickets).")
    strips: tuple[Text, ...] = Field(default=(), description="The parts of a story (story-strips).")
    items: tuple[Text, ...] = Field(default=(), description="What to tick (checklist).")
    profiles: tuple[Profile, ...] = Field(default=(), description="Made-up profiles and chats (sheet).")

    @model_validator(mode="after")
    def _has_content(self) -> Material:
        needs = {
            "cards": bool(self.cards) or self.from_lesson == "scenarios",
            "worksheet": bool(self.prompts),
            "story-strips": len(self.strips) >= 2,
            "sheet": bool(self.profiles),
            "picture": self.picture is not None,
            "checklist": bool(self.items),
            "exit-ticket": bool(self.prompts) or self.from_lesson == "check",
        }
        if not needs[self.kind]:
            what = {
                "cards": "'cards' (or from_lesson: scenarios)",
                "worksheet": "'prompts'",
                "story-strips": "two or more 'strips'",
                "sheet": "'profiles'",
                "picture": "'picture'",
                "checklist": "'items'",
                "exit-ticket": "'prompts' (or from_lesson: check)",
            }[self.kind]
            raise ValueError(f"a {self.kind} material needs {what}")
        if self.per_page not in (8, 12):
            raise ValueError("'per_page' must be 8 or 12")
        return self


class Lesson(Model):
    """A lesson plan for one band."""

    title: Text
    duration_minutes: int = Field(gt=0, le=240)
    essential_question: Text
    objectives: tuple[Text, ...] = Field(min_length=1)
    standards: dict[RegionCode, tuple[Text, ...]] = Field(
        default_factory=dict,
        description="Frameworks the lesson aligns with, by region (e.g. US, GB), named with their year and "
        "without invented codes; a region not listed prints none.",
    )
    vocabulary: tuple[Term, ...] = Field(default=())
    materials: tuple[MaterialUse | Text, ...] = Field(
        default=(),
        description="Each a material the module provides ('provided') or a common classroom item ('common'); "
        "plain text is refused by 'handouts check'.",
    )
    facilitator_note: Text
    ground_rules: tuple[Text, ...] = Field(default=())
    steps: tuple[Step, ...] = Field(min_length=1)
    practice: Practice | None = None
    discussion: tuple[Text, ...] = Field(default=())
    discussion_minutes: int | None = Field(
        default=None, gt=0, le=60, description="Time for the discussion questions (counted in the duration)."
    )
    check_for_understanding: tuple[Text, ...] = Field(default=())
    accommodations: tuple[Text, ...] = Field(
        default=(),
        description="How to adapt the lesson for students with disabilities, English learners and "
        "students who may have been harmed (a quiet exit, a buddy, no forced sharing).",
    )
    assessment: tuple[AssessmentItem, ...] = Field(
        default=(), max_length=5, description="A pre-/post-assessment of 3 to 5 items with an answer key."
    )
    sends_home: tuple[HomeKind, ...] = Field(
        default=(), description="The products the lesson sends home, by kind (handout, letter, flyer, cards)."
    )
    family_connection: Text | None = None
    family_letter: FamilyLetter | None = Field(
        default=None, description="What the family letter of this lesson says (letter product)."
    )


# --- modules ----------------------------------------------------------------


class FlyerText(Model):
    """A one-page sheet in large type: what to do, step by step (e.g. a teen's 'right now' card)."""

    title: Text
    lead: Text
    steps: tuple[Text, ...] = Field(min_length=3, max_length=9, description="Numbered steps, short.")
    closing: Text | None = None


class Variant(Model):
    """What a module offers one band: a handout, maybe a lesson plan, maybe a flyer of its own."""

    handout: Handout
    lesson: Lesson | None = None
    flyer: FlyerText | None = Field(
        default=None,
        description="A one-page flyer for this band; without it, the adults' flyer is made from the handout.",
    )


class Module(Model):
    """One curriculum module, e.g. ``body-safety``, with a variant per band."""

    id: Slug
    title: Text
    summary: Text
    sources: tuple[Text, ...] = Field(min_length=1, description="Where the facts come from.")
    bands: dict[Slug, Variant] = Field(min_length=1, description="Keyed by band id.")
    materials: dict[Slug, Material] = Field(
        default_factory=dict, description="Classroom materials the lessons use, by id (materials product)."
    )


class CommonMaterials(Model):
    """The file ``curriculum/common-materials.yaml``: classroom items a school already has, by id."""

    items: dict[Slug, Text] = Field(min_length=1)


# --- the plan ---------------------------------------------------------------


class Planned(Model):
    """What ``matrix.yaml`` plans for one module: its bands, and which of them have a lesson plan."""

    bands: tuple[Slug, ...] = ()
    lessons: tuple[Slug, ...] = ()


class Matrix(Model):
    """The file ``curriculum/matrix.yaml``: the planned curriculum, in teaching order."""

    modules: dict[Slug, Planned] = Field(default_factory=dict)


def schema_json(model: type[BaseModel] = Module, title: str = "handouts curriculum module") -> str:
    """The JSON Schema of a file kind, e.g. a module (``curriculum/schema.json``)."""
    schema: dict[str, Any] = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = title
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"

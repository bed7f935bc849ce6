"""The help directory: regional help lines, chosen by region, sourced and dated.

Numbers, SMS keywords and URLs live here, in ``curriculum/resources/<REGION>.yaml``,
and never pass through translation. A region without a file falls back to the
world file ``001.yaml``. Entries not confirmed by the research are kept but not
printed unless a build asks for them (and then they carry a visible mark).
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    Field,
    Strict,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .branding import LocalContact
from .curriculum import load_valid
from .errors import Problem
from .models import Model, Text
from .sources import Source

if TYPE_CHECKING:
    from .i18n import ReaderLocale, Translator

WORLD = "001"
#: The date local entries carry; they are the organization's own and never age in the checks.
LOCAL_CHECKED = "9999-12-31"


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return message


#: What each kind of service is called on the page (translated at render time).
KIND_LABELS = {
    "emergency": N_("In an emergency"),
    "report_exploitation": N_("Report online exploitation"),
    "report_content": N_("Report abuse images online"),
    "image_removal": N_("Get pictures taken down (under 18)"),
    "image_removal_adult": N_("Get pictures taken down (adults)"),
    "youth_helpline": N_("Talk to someone (young people)"),
    "adult_support": N_("Advice for worried adults"),
    "crisis_line": N_("Crisis support"),
    "directory": N_("Find a service in your country"),
    "local": N_("Local contact"),
}

Kind = Literal[
    "local",
    "report_exploitation",
    "report_content",
    "image_removal",
    "image_removal_adult",
    "youth_helpline",
    "adult_support",
    "crisis_line",
    "emergency",
    "directory",
]
Audience = Literal["children", "adults", "both"]


def _real_date(text: str) -> str:
    """``text`` if it names a day of the calendar (``2026-02-30`` does not)."""
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a date of the calendar (YYYY-MM-DD)") from None
    return text


DateText = Annotated[
    str, Strict(), StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$"), AfterValidator(_real_date)
]

#: What child-facing pages show, and what adult pages show, in this order.
CHILD_KINDS: tuple[str, ...] = (
    "emergency",
    "youth_helpline",
    "image_removal",
    "crisis_line",
    "report_exploitation",
    "directory",
)
ADULT_KINDS: tuple[str, ...] = (
    "emergency",
    "report_exploitation",
    "report_content",
    "image_removal",
    "image_removal_adult",
    "adult_support",
    "youth_helpline",
    "crisis_line",
    "directory",
)


class Contact(Model):
    """A number or keyword exactly as the operator prints it."""

    number: Annotated[str, Strict(), StringConstraints(pattern=r"^[0-9+() .\-]+$")] = Field(
        description="Digits as printed, e.g. '1-800-843-5678' or '116 123'."
    )
    note: Text | None = Field(default=None, description="e.g. '1-800-THE-LOST', 'WhatsApp', 'text HOME'.")
    confirmed: Annotated[bool, Strict()] = True


class Resource(Model):
    """One service of the help directory."""

    kind: Kind
    organization: Text
    service: Text | None = Field(
        default=None, description="The service's own name, as the operator prints it (never translated)."
    )
    description: Text = Field(description="What the reader can do there, in plain English (translated).")
    phones: tuple[Contact, ...] = ()
    sms: tuple[Contact, ...] = ()
    url: Annotated[str, Strict(), StringConstraints(pattern=r"^https://\S+$")] | None = None
    hours: Text | None = Field(default=None, description="Opening hours where not 24/7.")
    languages: tuple[Text, ...] = ()
    audience: Audience
    source: Text
    source_date: Text = Field(description="Date of the source as the research gives it, or 'n/d'.")
    checked: DateText = Field(description="ISO date this entry was last checked.")
    confirmed: Annotated[bool, Strict()]
    caveat: Text | None = Field(
        default=None,
        description="What a reader needs to know: who it is not for, languages, costs (printed).",
    )
    research_note: Text | None = Field(
        default=None,
        description="What is uncertain, for whoever maintains the data: shown by 'handouts resources', "
        "never printed and never translated.",
    )

    @field_validator("checked")
    @classmethod
    def _not_in_the_future(cls, value: str, info: ValidationInfo) -> str:
        tomorrow = dt.date.today() + dt.timedelta(days=1)  # "today" east of here is still today
        if info.data.get("kind") != "local" and dt.date.fromisoformat(value) > tomorrow:
            raise ValueError(f"'{value}' is in the future; write the day the entry was last checked")
        return value

    @model_validator(mode="after")
    def _reachable(self) -> Resource:
        if not (self.phones or self.sms or self.url):
            raise ValueError("an entry needs at least one of 'phones', 'sms' or 'url'")
        return self

    @property
    def checked_date(self) -> dt.date:
        """``checked`` as a date."""
        return dt.date.fromisoformat(self.checked)


class Directory(Model):
    """One region's file."""

    region: Annotated[str, Strict(), StringConstraints(pattern=r"^([A-Z]{2}|001)$")]
    name: Text
    resources: tuple[Resource, ...] = Field(min_length=1)


@dataclass(frozen=True)
class Selection:
    """What a page shows: the entries, and whether they come from the world fallback."""

    region: str
    resources: tuple[Resource, ...]
    fallback: bool
    include_unconfirmed: bool = False


def load_directories(files: Iterable[Source], problems: list[Problem]) -> dict[str, Directory]:
    """Every ``<REGION>.yaml`` help-line file, by region; problems are appended."""
    directories: dict[str, Directory] = {}
    for source in files:
        shown = source.shown
        loaded = load_valid(source.path, shown, Directory, problems)
        if loaded is None:
            continue
        directory, document = loaded
        if directory.region != source.path.stem:
            line, col = document.locate(("region",))
            problems.append(
                Problem(
                    shown,
                    line,
                    col,
                    f"region '{directory.region}' must match the file name '{source.path.stem}'",
                )
            )
            continue
        directories[directory.region] = directory
    return directories


def select(
    directories: dict[str, Directory],
    region: str,
    for_children: bool,
    include_unconfirmed: bool = False,
    kinds: Sequence[str] = (),
    local: Sequence[LocalContact] = (),
) -> Selection:
    """The entries a page for ``region`` shows to children or to adults.

    ``kinds`` narrows the list to those kinds, in that order of importance
    (a flyer or a card has room for a few). The organization's ``local`` entries
    for this audience come first, whatever the kinds.
    """
    directory = directories.get(region)
    fallback = directory is None
    if directory is None:
        directory = directories.get(WORLD)
    if directory is None:
        own = tuple(
            as_resource(entry) for entry in local if not (for_children and entry.audience == "adults")
        )
        return Selection(region, own, True, include_unconfirmed)
    order: Sequence[str] = kinds or (CHILD_KINDS if for_children else ADULT_KINDS)

    def shows(resource: Resource) -> bool:
        return (
            resource.kind in order
            and (resource.confirmed or include_unconfirmed)
            and not (for_children and resource.audience == "adults")
        )

    chosen = [resource for resource in directory.resources if shows(resource)]
    if not fallback and region != WORLD and WORLD in directories:
        # The world file adds what a region lacks, e.g. image removal for under-18s.
        present = {resource.kind for resource in chosen}
        chosen += [
            resource
            for resource in directories[WORLD].resources
            if shows(resource) and resource.kind not in present and resource.kind != "directory"
        ]
    chosen.sort(key=lambda resource: order.index(resource.kind))
    ours = [as_resource(entry) for entry in local if not (for_children and entry.audience == "adults")]
    return Selection(region, (*ours, *chosen), fallback, include_unconfirmed)


def as_resource(entry: LocalContact) -> Resource:
    """An organization's own help entry as a directory entry of kind ``local``."""
    return Resource(
        kind="local",
        organization=entry.name,
        description=entry.description,
        phones=(Contact(number=entry.phone),) if entry.phone else (),
        sms=(Contact(number=entry.sms),) if entry.sms else (),
        url=entry.url,
        hours=entry.hours,
        audience=entry.audience,
        source="handouts.toml",
        source_date="n/d",
        checked=LOCAL_CHECKED,
        confirmed=True,
    )


def _tel(number: str) -> str:
    return re.sub(r"[^0-9+]", "", number)


def _contacts(
    contacts: Sequence[Contact], scheme: str, include_unconfirmed: bool, translator: Translator
) -> list[dict[str, Any]]:
    """Numbers as printed, each with its ``tel:``/``sms:`` link; unconfirmed ones only on request."""
    return [
        {
            "number": c.number,
            "link": f"{scheme}:{_tel(c.number)}",
            # A note with digits is the number's own spelling (1-800-THE-LOST): never translated.
            "note": c.note if not c.note or re.search(r"\d", c.note) else translator.gettext(c.note),
            "confirmed": c.confirmed,
        }
        for c in contacts
        if c.confirmed or include_unconfirmed
    ]


@cache
def _qr(url: str) -> str:
    """A QR code for ``url`` as a gray PNG of one pixel a module, which compact.py draws as a
    1-bit image mask (about 0.2 KB of a PDF; segno's SVG drew each run of modules as a stroke,
    0.7 KB a code); ``image-rendering: pixelated`` (style.css) for a PDF it leaves as it is."""
    import segno
    from PIL import Image

    rows = [
        bytes(0 if dark else 255 for dark in row) for row in segno.make(url, error="m").matrix_iter(border=2)
    ]
    png = io.BytesIO()
    Image.frombytes("L", (len(rows[0]), len(rows)), b"".join(rows)).save(png, format="PNG")
    return "data:image/png;base64," + base64.b64encode(png.getvalue()).decode("ascii")


def help_context(selection: Selection, locale: ReaderLocale, translator: Translator) -> dict[str, Any]:
    """The help block's data: names, numbers and links as printed; only prose translated."""
    from babel.dates import format_date

    _ = translator.gettext
    entries = []
    for resource in selection.resources:
        entries.append(
            {
                "kind": resource.kind,
                "local": resource.kind == "local",
                # The service's name, and its organization unless that already says the name.
                "name": resource.service or resource.organization,
                "organization": (
                    resource.organization
                    if resource.service and resource.service not in resource.organization
                    else None
                ),
                # What a screen reader says a link calls: emergency numbers' names are not printed.
                "spoken": (
                    _("emergency services")
                    if resource.kind == "emergency"
                    else resource.service or resource.organization
                ),
                "description": _(resource.description),
                "phones": _contacts(resource.phones, "tel", selection.include_unconfirmed, translator),
                "sms": _contacts(resource.sms, "sms", selection.include_unconfirmed, translator),
                "url": resource.url,
                "qr": _qr(resource.url) if resource.url else None,
                "hours": _(resource.hours) if resource.hours else None,
                "caveat": _(resource.caveat) if resource.caveat else None,
                "confirmed": resource.confirmed,
                "checked": format_date(resource.checked_date, format="long", locale=locale.babel),
            }
        )
    researched = [resource for resource in selection.resources if resource.kind != "local"]
    oldest = min((resource.checked_date for resource in researched), default=None)
    return {
        "entries": entries,
        "fallback": selection.fallback,
        "region": selection.region,
        "checked": format_date(oldest, format="long", locale=locale.babel) if oldest else None,
        "kind_labels": {kind: _(label) for kind, label in KIND_LABELS.items()},
    }

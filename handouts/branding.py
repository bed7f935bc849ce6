"""An organization's own look and contacts: name, logo, accent colour, contact line, local help lines.

Settings come from ``handouts.toml``; this module checks them (contrast, logo file)
and turns them into what layouts print. Names, numbers and addresses are printed
as written and never pass through translation.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, Strict, StringConstraints

from .errors import Problem
from .models import Model, Text

Color = Annotated[str, Strict(), StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]
Number = Annotated[str, Strict(), StringConstraints(pattern=r"^[0-9+() .\-]+$")]
WebAddress = Annotated[str, Strict(), StringConstraints(pattern=r"^https://\S+$")]
Email = Annotated[str, Strict(), StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
#: WCAG AA for normal text: the accent colour carries headings and small labels on white.
MIN_CONTRAST = 4.5
LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}


class ContactLine(Model):
    """How to reach the organization, printed on every product."""

    phone: Number | None = None
    email: Email | None = None
    website: WebAddress | None = None
    address: Text | None = None

    def parts(self) -> list[str]:
        """The pieces that are set, in print order."""
        return [part for part in (self.phone, self.email, self.website, self.address) if part]


class LocalContact(Model):
    """One of the organization's own help entries, printed first in every help block."""

    name: Text = Field(
        description="As the service writes it, e.g. 'Riverside School counselor' (not translated)."
    )
    description: Text = Field(description="What the reader can do there, in English (translated).")
    phone: Number | None = None
    sms: Number | None = None
    url: WebAddress | None = None
    hours: Text | None = Field(default=None, description="Opening hours (translated).")
    audience: Literal["children", "adults", "both"] = "both"


def relative_luminance(color: str) -> float:
    """WCAG relative luminance of ``#rrggbb``."""
    channels = [int(color[index : index + 2], 16) / 255 for index in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    light, dark = sorted((relative_luminance(one), relative_luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def tint(color: str, amount: float = 0.9) -> str:
    """``color`` mixed with white (for the soft background of boxes)."""
    channels = [int(color[index : index + 2], 16) for index in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in channels)


def check_branding(
    root: Path, accent: str | None, logo: str | None, line_of: Any, problems: list[Problem]
) -> None:
    """Problems with the accent colour and the logo, each naming its setting and line."""
    shown = Path("handouts.toml")
    if accent:
        ratio = contrast(accent, "#ffffff")
        if ratio < MIN_CONTRAST:
            problems.append(
                Problem(
                    shown,
                    line_of("accent_color"),
                    0,
                    f"[handouts] accent_color {accent} has a contrast of {ratio:.1f}:1 against white; "
                    f"headings and labels need at least {MIN_CONTRAST}:1, choose a darker colour",
                )
            )
    if logo:
        why = logo_problem(root, logo)
        if why:
            problems.append(Problem(shown, line_of("logo"), 0, f"[handouts] logo '{logo}': {why}"))


def logo_problem(root: Path, logo: str) -> str | None:
    """Why the logo cannot be printed, or None."""
    path = (root / logo).resolve()
    if not path.is_relative_to(root.resolve()):
        return "must be a file inside the project folder"
    if not path.is_file():
        return "no such file in the project folder"
    if path.suffix.lower() not in LOGO_TYPES:
        return "must be an SVG or PNG image"
    size = path.stat().st_size
    if size > LOGO_MAX_BYTES:
        return f"is {size / 1024 / 1024:.1f} MB; a logo may be at most 2 MB"
    head = path.read_bytes()[:512]
    if path.suffix.lower() == ".png" and not head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "is not a PNG image (its content is something else)"
    if path.suffix.lower() == ".svg" and not re.search(rb"<svg[\s>]", path.read_bytes()[:4096]):
        return "is not an SVG image (no <svg> element at its start)"
    return None


def logo_uri(root: Path, logo: str | None) -> str | None:
    """The logo as a data URI (layouts embed it; nothing is fetched at render time)."""
    if not logo:
        return None
    path = root / logo
    kind = LOGO_TYPES[path.suffix.lower()]
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode()}"

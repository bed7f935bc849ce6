"""The date printed in and on every PDF, reproducible with ``SOURCE_DATE_EPOCH``.

Kept apart from ``render`` so planning and hashing never import the PDF engine.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime


def source_date() -> datetime:
    """Creation date for PDFs: ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(tz=UTC).replace(microsecond=0)

"""handouts: localized, age-banded PDF handouts and lesson plans for sextortion prevention.

The public API is small: load a project, plan targets, build them.
"""

__version__ = "0.1.0"

from .build import Report, build, plan  # noqa: E402
from .errors import ContentErrors, HandoutsError, Problem  # noqa: E402
from .products import Options, Target  # noqa: E402
from .project import Project, load_project  # noqa: E402

__all__ = [
    "ContentErrors",
    "HandoutsError",
    "Options",
    "Problem",
    "Project",
    "Report",
    "Target",
    "__version__",
    "build",
    "load_project",
    "plan",
]

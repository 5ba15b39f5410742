"""Event transformations: conditions, rules over events and field sets."""

from .condition_list import *  # noqa: F403
from .condition_transform import *  # noqa: F403
from .condition_util import *  # noqa: F403
from .transform_list import *  # noqa: F403
from .transform_meta import *  # noqa: F403

"""Production settings: base settings with DEBUG forced off (SECRET_KEY is then required)."""

import os

os.environ["DEBUG"] = "0"

from .base import *  # noqa: F403

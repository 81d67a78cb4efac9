"""Single-machine settings for ``make run``: SQLite, filesystem broker, console email, DEBUG on."""
from .base import *  # noqa: F401,F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)

"""Django's makemessages, also extracting the project's own gettext aliases.

Some modules import ``gettext_lazy as _l`` or ``as _lazy`` (labels defined at import time next to ``gettext as _``
used per request). xgettext knows ``_``, ``gettext`` and Django's lazy names but not these aliases, so without
this the strings they mark never reach the catalogue and stay Indonesian in the English interface.
"""
from django.core.management.commands import makemessages

# Aliases of django.utils.translation functions used in the project that xgettext does not know by default.
EXTRA_KEYWORDS = ("_l", "_lazy")


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, *(f"--keyword={k}" for k in EXTRA_KEYWORDS)]

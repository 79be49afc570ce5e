"""Division codes (统计用区划代码): the levels, their code lengths, and a code's ancestors by prefix.

Shared by areas (which stores the divisions) and by scope, statistics and routing (which only need
the codes), so that none of them has to import the areas app to read a prefix.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township")
    VILLAGE = "village", _("Village")


# Official code lengths per level: a child's code starts with its parent's.
CODE_LENGTH = {Level.PROVINCE: 2, Level.CITY: 4, Level.COUNTY: 6, Level.TOWNSHIP: 9, Level.VILLAGE: 12}
PARENT_LEVEL = {
    Level.CITY: Level.PROVINCE,
    Level.COUNTY: Level.CITY,
    Level.TOWNSHIP: Level.COUNTY,
    Level.VILLAGE: Level.TOWNSHIP,
}


def ancestor_codes(code: str) -> list[str]:
    """The division itself and every division above it, by code prefix:
    330903100201 → 33, 3309, 330903, 330903100, 330903100201."""
    return [code[:n] for n in sorted(CODE_LENGTH.values()) if n <= len(code)]

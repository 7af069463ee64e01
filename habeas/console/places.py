"""Where a case is, in words for staff: one wording of habeas.cases.models.Case.place."""

from django.utils.translation import gettext as _


def place_label(case) -> str:
    """The station holding the person, "near <station>" when only the nearest is known, or ""."""
    station = case.place
    if station is None:
        return ""
    if case.place_is_known:
        return station.name
    return _("near %(station)s") % {"station": station.name}

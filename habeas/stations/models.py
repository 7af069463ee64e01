from django.db import models
from django.utils.translation import gettext_lazy as _

from habeas.lib import geo


class StationQuerySet(models.QuerySet):
    def within_box(self, lat: float, lon: float, radius_m: float) -> "StationQuerySet":
        """Stations inside the bounding box of a circle: a cheap, indexed prefilter."""
        min_lat, max_lat, min_lon, max_lon = geo.bounding_box(lat, lon, radius_m)
        return self.filter(lat__gte=min_lat, lat__lte=max_lat, lon__gte=min_lon, lon__lte=max_lon)


class PoliceStation(models.Model):
    """A place where detainees are taken. Public facts only."""

    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    # Where the row came from (file and its id), so a re-import updates instead of duplicating.
    source = models.CharField(_("source"), max_length=100, blank=True)
    source_id = models.CharField(_("source id"), max_length=64, blank=True)
    # The city's key (habeas.lib.places.city_key): a case with no location but a city is
    # offered to the lawyers covering that city's stations.
    city = models.CharField(_("city"), max_length=100, blank=True, db_index=True)
    # Detainees seen there historically: a weight for the simulator and demo, not a live count.
    weight = models.PositiveIntegerField(_("historical weight"), default=0)

    objects = StationQuerySet.as_manager()

    class Meta:
        verbose_name = _("police station")
        verbose_name_plural = _("police stations")
        ordering = ["name"]
        indexes = [models.Index(fields=["lat", "lon"])]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=~models.Q(source_id=""),
                name="station_unique_source_row",
            )
        ]

    def __str__(self) -> str:
        return self.name

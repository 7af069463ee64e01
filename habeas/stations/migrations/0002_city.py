from django.db import migrations, models

from habeas.lib.places import cities_by_nearest, city_of_address


def read_cities(apps, schema_editor):
    """Give stations imported before cities existed the city their address names, or that of
    the nearest station whose address names one (Moscow's rows give only the street)."""
    Station = apps.get_model("stations", "PoliceStation")
    stations = list(Station.objects.only("lat", "lon", "address"))
    points = [(s.lat, s.lon, city_of_address(s.address)) for s in stations]
    for station, city in zip(stations, cities_by_nearest(points), strict=True):
        if city:
            Station.objects.filter(pk=station.pk).update(city=city)


class Migration(migrations.Migration):
    dependencies = [
        ("stations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="policestation",
            name="city",
            field=models.CharField(blank=True, db_index=True, max_length=100, verbose_name="city"),
        ),
        migrations.RunPython(read_cities, migrations.RunPython.noop),
    ]

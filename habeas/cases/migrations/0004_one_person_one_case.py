from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0003_hash_idempotency_keys"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="name_index",
            field=models.CharField(blank=True, db_index=True, max_length=64),
        ),
        migrations.AlterField(
            model_name="caseevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("reported", "SOS received"),
                    ("offered", "Offered to a lawyer"),
                    ("offer_declined", "A lawyer declined the offer"),
                    ("offer_expired", "An offer ran out"),
                    ("escalated", "No lawyer accepted: dispatchers alerted"),
                    ("accepted", "A lawyer took the case"),
                    ("lawyer_en_route", "The lawyer is on the way"),
                    ("lawyer_arrived", "The lawyer is at the station"),
                    ("admitted", "The lawyer was let in"),
                    ("refused_entry", "The lawyer was refused entry"),
                    ("held_at", "Held at a police station"),
                    ("transferred", "Moved to another police station"),
                    ("protocol", "Protocol drawn up"),
                    ("released", "Released"),
                    ("court_date", "Court date set"),
                    ("note", "Note"),
                    ("closed", "Case closed"),
                    ("withdrawn", "Withdrawn: false alarm"),
                    ("merged", "Another report about this person joined the case"),
                    ("merged_into", "Merged into another case"),
                    ("split", "A report was moved into a case of its own"),
                ],
                max_length=24,
            ),
        ),
        migrations.CreateModel(
            name="PersonClaim",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("blind_index", models.CharField(max_length=64, unique=True)),
                (
                    "case",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="cases.case",
                    ),
                ),
            ],
        ),
    ]

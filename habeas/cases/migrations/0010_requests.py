from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_outcome")]

    operations = [
        # A summons's day becomes any request's day: a hearing, a consultation's date.
        migrations.RenameField("case", "summons_at", "due_at"),
        migrations.AlterField(
            model_name="case",
            name="kind",
            field=models.CharField(
                choices=[
                    ("detention", "Detention"),
                    ("summons", "Summons"),
                    ("search", "Search"),
                    ("other", "Other"),
                    ("consultation", "Consultation"),
                    ("court", "Court representation"),
                    ("appeal", "Help with an appeal"),
                ],
                default="detention",
                max_length=16,
                verbose_name="kind",
            ),
        ),
    ]

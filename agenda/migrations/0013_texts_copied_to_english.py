"""The texts written before there was a column per language are the English ones."""

from django.db import migrations
from django.db.models import F

TEXTS = {'Summit': ['name', 'tagline', 'description'], 'Venue': ['name', 'description'], 'Room': ['name'], 'Track': ['name', 'description'], 'Session': ['title', 'abstract']}


def to_english(apps, schema_editor):
    for model, fields in TEXTS.items():
        apps.get_model("agenda", model).objects.update(
            **{f"{field}_en": F(field) for field in fields}
        )



class Migration(migrations.Migration):
    dependencies = [("agenda", "0012_texts_in_english_and_french")]

    operations = [migrations.RunPython(to_english, migrations.RunPython.noop)]

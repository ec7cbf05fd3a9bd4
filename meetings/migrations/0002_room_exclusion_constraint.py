"""On PostgreSQL, refuse overlapping meetings in one room in the database itself (see
agenda 0002 for sessions; between a session and a meeting the room row lock decides)."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE meetings_meeting ADD CONSTRAINT meeting_room_one_at_a_time
    EXCLUDE USING gist (room_id WITH =, tstzrange("start", "end", '[)') WITH &&)
    WHERE (status IN ('proposed', 'confirmed') AND room_id IS NOT NULL AND start IS NOT NULL);
"""
DROP = "ALTER TABLE meetings_meeting DROP CONSTRAINT IF EXISTS meeting_room_one_at_a_time;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]
    operations = [migrations.RunPython(create, drop, elidable=False)]

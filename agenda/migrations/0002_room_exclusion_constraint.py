"""On PostgreSQL, refuse overlapping bookings of one room in the database itself, so two
concurrent saves cannot both land. SQLite has no exclusion constraints; there the
application check in agenda.scheduling (under the room lock) is the guard."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE agenda_session ADD CONSTRAINT session_room_one_at_a_time
    EXCLUDE USING gist (room_id WITH =, tstzrange("start", "end", '[)') WITH &&)
    WHERE (status = 'scheduled' AND room_id IS NOT NULL);
"""
DROP = "ALTER TABLE agenda_session DROP CONSTRAINT IF EXISTS session_room_one_at_a_time;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("agenda", "0001_initial")]
    operations = [migrations.RunPython(create, drop, elidable=False)]

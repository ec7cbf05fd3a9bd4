"""Writers for the backup test, run in a process of their own against the test's database.

`python -m tests.ops.backup_load seed` makes a summit a few weeks ahead with five workshops
and one panel per writer. `... write` starts twenty writers, threads with a database
connection each: every round makes an attendee, registers them for a workshop (a seat or a
place in line), stars a session and edits the writer's own panel. It prints "writing" once
every writer has committed a round, stops when its standard input closes (or after a bound
of time and rounds) and prints what was done as JSON.
"""

import json
import random
import sys
import threading
from datetime import date, datetime, timedelta
from datetime import time as clock

WRITERS = 20
WORKSHOPS = 5
MAX_ROUNDS = 400
MAX_SECONDS = 60


def seed():
    from zoneinfo import ZoneInfo

    from tests.factories import RoomFactory, SessionFactory, SummitFactory, UserFactory

    paris = ZoneInfo("Europe/Paris")
    first = date.today() + timedelta(weeks=6)
    summit = SummitFactory(start_date=first, end_date=first + timedelta(days=1))

    def at(hour):
        return datetime.combine(first, clock(hour), tzinfo=paris)

    for n in range(WORKSHOPS):
        SessionFactory(
            room=RoomFactory(venue__summit=summit),
            title=f"Workshop {n}",
            kind="workshop",
            capacity=25,
            start=at(9 + n),
            end=at(10 + n),
        )
    for n in range(WRITERS):
        SessionFactory(
            room=RoomFactory(venue__summit=summit), title=f"Panel {n}", start=at(15), end=at(16)
        )
        UserFactory(username=f"writer{n}")
    print(json.dumps({"summit": summit.pk}))


def write():
    from django.contrib.auth import get_user_model
    from django.db import connection

    from agenda import seats
    from agenda.models import Session

    user_model = get_user_model()
    stop = threading.Event()
    started = threading.Barrier(WRITERS + 1)
    done = {"rounds": 0, "seats": 0, "waitlisted": 0, "stars": 0, "edits": 0}
    errors = []
    lock = threading.Lock()

    def writer(number):
        chance = random.Random(number)
        try:
            workshops = list(Session.objects.filter(kind="workshop"))
            panel = Session.objects.get(title=f"Panel {number}")
            others = list(Session.objects.all())
            for round_ in range(MAX_ROUNDS):
                user = user_model.objects.create_user(f"attendee-{number}-{round_}")
                person = seats.person_for(user)
                outcome = seats.register(
                    session=chance.choice(workshops), person=person, actor=user
                )
                seats.star(session=chance.choice(others), user=user)
                panel.title = f"Panel {number} edit {round_}"
                panel.save()
                with lock:
                    done["rounds"] += 1
                    done["seats" if outcome.status == "confirmed" else "waitlisted"] += 1
                    done["stars"] += 1
                    done["edits"] += 1
                if round_ == 0:
                    started.wait(timeout=MAX_SECONDS)
                if stop.is_set():
                    break
        except Exception as error:  # reported to the test, which fails on it
            errors.append(f"writer {number}: {error!r}")
            started.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    try:
        started.wait(timeout=MAX_SECONDS)
        print("writing", flush=True)
    except threading.BrokenBarrierError:
        pass
    # The test closes our standard input when the backup is done; a bound of time otherwise.
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    stop.wait(timeout=MAX_SECONDS)
    stop.set()
    for thread in threads:
        thread.join(timeout=MAX_SECONDS)
    print(json.dumps({**done, "errors": errors}), flush=True)


if __name__ == "__main__":
    import django

    django.setup()
    {"seed": seed, "write": write}[sys.argv[1]]()

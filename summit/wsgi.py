import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "summit.settings")
application = get_wsgi_application()

GC_THRESHOLD = 10_000

# What starting made (modules, settings, URL patterns, compiled templates) lives as long as
# the process: the cycle collector need never walk it again. And a large programme, feed or
# export makes a hundred thousand short-lived objects: at the default threshold of 700 the
# collector ran 40 times in each, with pauses of up to 100 ms when it reached the oldest
# generation, about a fifth of a cold render at 2,000 sessions (README, Performance).
gc.freeze()
gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])

from datetime import timedelta

import pytest

from agenda.models import Summit, TravelTime
from common.text import LONG_TEXT_LENGTH
from tests.constraints import refused
from tests.factories import SessionFactory, SummitFactory, TrackFactory, VenueFactory, paris

pytestmark = pytest.mark.django_db


def test_the_database_refuses_bad_summits_venues_tracks_and_travel():
    refused(lambda: SummitFactory(start_date=paris(11, 0).date(), end_date=paris(10, 0).date()))
    venue = VenueFactory()
    refused(lambda: TravelTime.objects.create(origin=venue, destination=venue, minutes=5))
    refused(lambda: VenueFactory(summit=venue.summit, slug=venue.slug))
    refused(lambda: VenueFactory(latitude="91.000000"))
    refused(lambda: TrackFactory(colour="blue"))
    refused(lambda: SessionFactory(capacity=0))


def test_the_database_refuses_descriptions_longer_than_a_few_pages():
    pages = "x" * (LONG_TEXT_LENGTH + 1)
    refused(lambda: SummitFactory(description=pages))
    refused(lambda: VenueFactory(description=pages))
    refused(lambda: TrackFactory(description=pages))
    assert SummitFactory(description=pages[:-1]).description == pages[:-1]


def test_the_current_summit_is_the_one_under_way_or_next():
    past = SummitFactory(start_date=paris(10, 0).date(), end_date=paris(11, 0).date())
    assert Summit.objects.current(today=paris(10, 0).date() + timedelta(days=400)) == past
    later = SummitFactory(
        start_date=paris(10, 0).date() + timedelta(days=365),
        end_date=paris(11, 0).date() + timedelta(days=365),
    )
    assert Summit.objects.current(today=paris(11, 0).date()) == past
    assert Summit.objects.current(today=paris(11, 0).date() + timedelta(days=1)) == later

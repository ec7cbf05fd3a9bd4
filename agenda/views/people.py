"""The people on a summit's programme: the directory and a person's page."""

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe
from django_countries import countries

from agenda import cached, calendar_links, timetable
from agenda.forms import DirectoryFilterForm
from agenda.models import Session, SessionRole
from common.search import fold, matching
from people.models import Organisation, Person


@require_safe
def directory(request, summit):
    summit = cached.summit(request, summit)
    filters = DirectoryFilterForm(request.GET)

    def build():
        visible_sessions = Session.objects.visible_to(request.user).filter(summit=summit)
        on_programme = SessionRole.objects.filter(
            person=OuterRef("pk"), session__in=visible_sessions
        )
        people = (
            Person.objects.visible_to(request.user)
            .filter(Exists(on_programme))
            .select_related("organisation")
        )
        organisations = Organisation.objects.filter(people__in=people).distinct().order_by("name")
        country_codes = sorted({code for code in people.values_list("country", flat=True) if code})
        if not filters.is_valid():
            people = people.none()
        name = filters.cleaned_data.get("name", "").strip()
        organisation = filters.cleaned_data.get("organisation", "")
        country = filters.cleaned_data.get("country", "")
        if name:
            people = people.filter(matching(["name"], name))
        if organisation:
            people = people.filter(organisation__slug=organisation)
        if country:
            people = people.filter(country=country)
        page = Paginator(people.order_by("name"), 60).get_page(request.GET.get("page"))
        return "", render_to_string(
            "agenda/_people.html",
            {
                "summit": summit,
                "page": page,
                "organisations": organisations,
                # By name in the reader's language, accents aside: “États-Unis” among the E.
                "countries": sorted(
                    ((code, countries.name(code)) for code in country_codes),
                    key=lambda c: fold(str(c[1])) or "",
                ),
                "filters": filters,
                "chosen_name": name,
                "chosen_organisation": organisation,
                "chosen_country": country,
                # What the page links keep: the filters in use.
                "kept": urlencode(
                    [
                        (key, value)
                        for key, value in (
                            ("name", name),
                            ("organisation", organisation),
                            ("country", country),
                        )
                        if value
                    ]
                ),
            },
            request=request,
        )

    names = ("name", "organisation", "country", "page")
    parts = tuple((name, request.GET.get(name, "")) for name in names)
    return cached.page(
        request,
        summit,
        "agenda/people.html",
        parts=parts,
        build=build,
        context={"nav": "people"},
        # A name typed is free text: each would fill the cache once.
        shareable=not request.GET.get("name"),
        params=names,
    )


@require_safe
def person_detail(request, summit, slug):
    summit = cached.summit(request, summit)
    person = cached.person(request, slug)

    def build():
        sessions = list(
            Session.objects.visible_to(request.user)
            .filter(summit=summit)
            .with_person(person)
            .with_people(request.user)
        )
        path = reverse("person-feed", args=[summit.slug, person.slug])
        return cached.head(timetable.tracks_of(sessions)), render_to_string(
            "agenda/_person.html",
            {
                "summit": summit,
                "person": person,
                "days": timetable.group_by_day_and_time(sessions, summit),
                "feed": calendar_links.for_path(request, path, f"{person.name} — {summit.name}"),
            },
            request=request,
        )

    return cached.page(
        request,
        summit,
        "agenda/person.html",
        parts=(slug,),
        build=build,
        context={"person": person},
    )

"""The programme's pages: the summit's home, the programme by day, the timetable grid and
a session's page."""

from collections import defaultdict
from datetime import date, timedelta

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from agenda import cached, calendar_links, home, timetable
from agenda.filters import ProgrammeFilter
from agenda.models import Registration, Session, Star, Summit
from meetings.models import Meeting


def mark_starred(sessions, user):
    """Set `is_starred` on each session for the user, in one query."""
    starred = set()
    if user.is_authenticated:
        starred = set(
            Star.objects.filter(user=user, session__in=[s.pk for s in sessions]).values_list(
                "session_id", flat=True
            )
        )
    for session in sessions:
        session.is_starred = session.pk in starred
    return sessions


def announced_meetings(summit, user, filters):
    """Public meetings shown like sessions, unless a filter they cannot match is in use."""
    data = filters.form.cleaned_data if filters.form.is_valid() else {}
    if any(data.get(name) for name in ("track", "kind", "person", "q", "venue")):
        return []
    meetings = Meeting.objects.visible_to(user).filter(summit=summit).announced()
    if data.get("day"):
        meetings = meetings.overlapping(*summit.day_bounds(date.fromisoformat(data["day"])))
    return list(meetings.with_participants(user))


def subscription(request, summit, filters) -> tuple[calendar_links.FeedLinks, str]:
    """The feed that holds what a filtered programme shows, and what it holds: "all" (no
    filter), "track" or "person" (a feed of exactly that), or "whole" (the filters have no
    feed of their own: the whole programme, said plainly)."""
    chosen = (
        {name: value for name, value in filters.form.cleaned_data.items() if value}
        if filters.form.is_valid()
        else None
    )
    if chosen is not None and set(chosen) == {"track"}:
        track = chosen["track"]
        path = reverse("track-feed", args=[summit.slug, track.slug])
        return calendar_links.for_path(request, path, f"{summit.name} — {track.name}"), "track"
    if chosen is not None and set(chosen) == {"person"}:
        person = chosen["person"]
        path = reverse("person-feed", args=[summit.slug, person.slug])
        return calendar_links.for_path(request, path, f"{person.name} — {summit.name}"), "person"
    path = reverse("programme-feed", args=[summit.slug])
    return calendar_links.for_path(request, path, summit.name), "all" if chosen == {} else "whole"


@require_safe
def current_summit(request):
    summit = Summit.objects.current()
    if summit is None:
        raise Http404("No summit yet.")
    return redirect("agenda:home", summit=summit.slug)


@require_safe
def summit_home(request, summit):
    summit = get_object_or_404(Summit, slug=summit)
    now = timezone.now()
    first, last = summit.bounds
    on_now = on_next = None
    if first <= now < last:
        scheduled = (
            Session.objects.visible_to(request.user)
            .filter(summit=summit)
            .scheduled()
            .select_related("summit", "room__venue")
        )
        on_now = list(scheduled.filter(start__lte=now, end__gt=now))
        on_next = [
            (home.day_label(session.start, now=now, zone=summit.tz), session)
            for session in scheduled.filter(start__gt=now)[:5]
        ]
    return render(
        request,
        "agenda/summit_home.html",
        {
            "summit": summit,
            "venues": summit.venues.prefetch_related("rooms"),
            "routes": home.travel_routes(summit),
            "tracks": summit.tracks.all(),
            "key_people": home.key_people(summit, request.user),
            "session_count": home.programme_size(summit, request.user),
            "on_now": on_now,
            "on_next": on_next,
            "feed": calendar_links.for_path(
                request, reverse("programme-feed", args=[summit.slug]), summit.name
            ),
        },
    )


@require_safe
def programme(request, summit):
    summit = cached.summit(request, summit)
    chosen = cached.filter_key(request, ProgrammeFilter)

    def build():
        sessions = Session.objects.visible_to(request.user).filter(summit=summit)
        filters = ProgrammeFilter(request.GET, sessions, request=request, summit=summit)
        found: list = cached.placed(
            request,
            filters.qs,
            viewer=request.user,
            templates={"card": "agenda/_session_card.html"},
        )
        found += announced_meetings(summit, request.user, filters)
        feed, feed_scope = subscription(request, summit, filters)
        return cached.head(cached.tracks_of(summit, found)), render_to_string(
            "agenda/_programme.html",
            {
                "summit": summit,
                "filters": filters,
                "days": timetable.group_by_day_and_time(found, summit),
                "found": len(found),
                "feed": feed,
                "feed_scope": feed_scope,
                "without_person": urlencode(
                    [
                        (name, value)
                        for name, values in chosen
                        if name != "person"
                        for value in values
                    ]
                ),
            },
            request=request,
        )

    return cached.page(
        request,
        summit,
        "agenda/programme.html",
        parts=chosen,
        build=build,
        context={"nav": "programme"},
        shareable=not request.GET.get("q"),
        params=ProgrammeFilter.base_filters,
    )


@require_safe
def grid(request, summit):
    summit = cached.summit(request, summit)
    day = timetable.chosen_day(summit, request.GET.get("day"), today=timezone.localdate())

    def build():
        sessions: list = cached.placed(
            request,
            Session.objects.visible_to(request.user).filter(summit=summit).on_day(summit, day),
            viewer=request.user,
            templates={"card": "agenda/_session_card.html", "cell": "agenda/_grid_cell.html"},
        )
        rooms = list(timetable.rooms_of(summit))
        # Rooms held by meetings: announced ones for everyone; staff also see confidential
        # ones, as reserved.
        meetings = Meeting.objects.filter(summit=summit, room__isnull=False).overlapping(
            *summit.day_bounds(day)
        )
        meetings = (
            meetings.holding_time()
            if request.user.is_staff
            else meetings.visible_to(request.user).announced()
        )
        placed = sessions + list(meetings.select_related("room__venue", "venue"))
        grid = timetable.build(day=day, zone=summit.tz, rooms=rooms, sessions=placed)
        tracks = list(summit.tracks.all())
        styles = cached.head(tracks, "agenda/_grid_head.html", grid=grid)
        return styles, render_to_string(
            "agenda/_grid.html",
            {
                "summit": summit,
                "day": day,
                "grid": grid,
                "days": timetable.group_by_day_and_time(sessions, summit),
                "tracks": tracks,
            },
            request=request,
        )

    return cached.page(
        request,
        summit,
        "agenda/grid.html",
        parts=(day,),
        build=build,
        context={"nav": "grid", "day": day},
        params=("day",),
    )


@require_safe
def session_detail(request, summit, slug):
    if not request.user.is_authenticated:
        # Visitors all get the same page: kept whole (with the seats left) until the session
        # is over, when registration closes.
        def build():
            context = session_context(request, summit, slug)
            session = context["session"]
            html = render_to_string(
                "agenda/session_detail.html",
                {**context, "csrf_token": cached.TOKEN},
                request=request,
            )
            return html, None if session.is_over else session.end

        return cached.visitors_page(request, cached.summit(request, summit), build)
    return render(request, "agenda/session_detail.html", session_context(request, summit, slug))


def session_context(request, summit, slug) -> dict:
    session = get_object_or_404(
        Session.objects.visible_to(request.user).with_people(request.user),
        summit__slug=summit,
        slug=slug,
    )
    summit = session.summit
    mark_starred([session], request.user)
    registration = None
    person = getattr(request.user, "person", None) if request.user.is_authenticated else None
    if person is not None:
        registration = (
            Registration.objects.active()
            .with_positions()
            .filter(session=session, person=person)
            .first()
        )
    path = reverse("session-feed", args=[summit.slug, session.slug])
    roles = defaultdict(list)
    for role in session.roles.all():
        roles[role.get_role_display()].append(role.person)
    return {
        "summit": summit,
        "session": session,
        "registration": registration,
        "roles": dict(roles),
        "duration": (session.end - session.start) // timedelta(minutes=1),
        "tracks": timetable.tracks_of([session]),
        "feed": calendar_links.for_path(request, path, session.title),
        "event": calendar_links.for_session(request, session),
    }

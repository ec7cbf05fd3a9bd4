"""The search across a summit's sessions and people."""

from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from agenda import cached, timetable
from agenda.forms import SearchForm
from agenda.models import Session, SessionRole
from people.models import Person

# Enough to find someone by a few letters; a longer list asks for a better search.
PEOPLE_SHOWN = 30


@require_safe
def search(request, summit):
    summit = cached.summit(request, summit)
    form = SearchForm(request.GET)
    text = form.cleaned_data["q"].strip() if form.is_valid() else ""

    def build():
        sessions: list = []
        people: list = []
        if text:
            visible = Session.objects.visible_to(request.user).filter(summit=summit)
            sessions = cached.placed(
                request,
                visible.search(text, request.user),
                viewer=request.user,
                templates={"card": "agenda/_session_card.html"},
            )
            on_programme = SessionRole.objects.filter(person=OuterRef("pk"), session__in=visible)
            people = list(
                Person.objects.visible_to(request.user)
                .filter(Exists(on_programme))
                .search(text)
                .select_related("organisation")
                .order_by("name")[: PEOPLE_SHOWN + 1]
            )
        return cached.head(cached.tracks_of(summit, sessions)), render_to_string(
            "agenda/_search.html",
            {
                "summit": summit,
                "form": form,
                "text": text,
                "days": timetable.group_by_day_and_time(sessions, summit),
                "session_count": len(sessions),
                "people": people[:PEOPLE_SHOWN],
                "more_people": len(people) > PEOPLE_SHOWN,
            },
            request=request,
        )

    # Free text of unbounded variety: rendered for each request, never kept.
    return cached.page(
        request,
        summit,
        "agenda/search.html",
        parts=(text,),
        build=build,
        context={"nav": "search"},
        shareable=False,
    )

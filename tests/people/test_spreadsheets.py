"""The people list as a spreadsheet in the admin: round trips in CSV, XLSX and JSON, bad
files writing nothing, permissions."""

import pytest
import tablib
from django.contrib.auth.models import Permission
from django.urls import reverse
from import_export.formats.base_formats import CSV, JSON, XLSX

from people.models import Person
from people.spreadsheets import PersonResource
from tests.factories import OrganisationFactory, PersonFactory, UserFactory
from tests.hostile import stored_rows

pytestmark = pytest.mark.django_db

FORMATS = {"csv": CSV, "xlsx": XLSX, "json": JSON}
HEADERS = [
    *("id", "name", "slug", "position_en", "position_fr", "organisation", "country", "email"),
    *("is_public", "language", "bio_en", "bio_fr"),
]


def people():
    return {
        (
            *(person.name, person.slug, person.position_en, person.position_fr),
            *(person.organisation_id, person.country.code, person.email, person.is_public),
            *(person.language, person.bio_en, person.bio_fr),
        )
        for person in Person.objects.all()
    }


def imported(kind, content, dry_run=False):
    if isinstance(content, str):
        content = content.encode()
    dataset = FORMATS[kind](encoding="utf-8-sig").create_dataset(content)
    return PersonResource().import_data(
        dataset, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True
    )


@pytest.fixture
def directory(db):
    commission = OrganisationFactory(name="European Commission", slug="ec")
    PersonFactory(
        name="Henna Virkkunen",
        slug="virkkunen",
        position_en="Executive Vice-President",
        position_fr="Vice-présidente exécutive",
        organisation=commission,
        country="FI",
        email="evp@example.org",
        language="fr",
        bio_en="Tech sovereignty.",
    )
    PersonFactory(
        name="Quiet Adviser", slug="adviser", is_public=False, organisation=None, country=""
    )
    PersonFactory(
        name="Stéphane Séjourné", slug="sejourne", position_en="=1+1", organisation=commission
    )


@pytest.mark.parametrize("kind", FORMATS)
def test_an_export_imported_after_deleting_the_people_reproduces_them(directory, kind):
    before = people()
    content = FORMATS[kind]().export_data(PersonResource().export())
    Person.objects.all().delete()

    result = imported(kind, content)

    assert (result.has_errors(), result.has_validation_errors()) == (False, False)
    assert people() == before


def test_the_export_names_organisations_by_slug_and_quotes_formulas(directory):
    dataset = PersonResource().export()

    assert dataset.headers == HEADERS
    assert {row["slug"]: (row["organisation"], row["position_en"]) for row in dataset.dict} == {
        "virkkunen": ("ec", "Executive Vice-President"),
        "adviser": ("", "Minister"),
        "sejourne": ("ec", "'=1+1"),
    }


def test_a_bad_people_csv_writes_nothing(directory):
    rows = tablib.Dataset(headers=["name", "slug", "organisation", "country", "email", "language"])
    rows.append(
        ["Amélie Durand", "durand", "European Commission", "FR", "amelie@example.org", "fr"]
    )
    rows.append(["Rahul Mehta", "mehta", "No such organisation", "XX", "not an email", "de"])
    before = stored_rows()

    result = imported("csv", rows.export("csv"))

    assert {invalid.number: sorted(invalid.error_dict) for invalid in result.invalid_rows} == {
        2: ["country", "email", "language", "organisation"]
    }
    assert stored_rows() == before


def test_only_staff_who_add_and_change_people_import_them(directory, client):
    clerk = UserFactory(is_staff=True)
    clerk.user_permissions.set(
        Permission.objects.filter(codename__in=["view_person", "add_person"])
    )
    client.force_login(clerk)

    assert client.get(reverse("admin:people_person_import")).status_code == 403
    assert client.get(reverse("admin:people_person_export")).status_code == 200
    clerk.user_permissions.add(Permission.objects.get(codename="change_person"))
    assert client.get(reverse("admin:people_person_import")).status_code == 200


@pytest.mark.parametrize("count", [1, 5])
def test_the_people_export_takes_the_same_queries_for_one_person_or_five(
    db, django_assert_num_queries, count
):
    PersonFactory.create_batch(count)

    with django_assert_num_queries(1):
        dataset = PersonResource().export(Person.objects.all())

    assert len(dataset) == count

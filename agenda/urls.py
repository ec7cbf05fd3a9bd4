from django.urls import path

from agenda.views import changes, people, programme, search

app_name = "agenda"

urlpatterns = [
    path("<slug:summit>/", programme.summit_home, name="home"),
    path("<slug:summit>/programme/", programme.programme, name="programme"),
    path("<slug:summit>/programme/grid/", programme.grid, name="grid"),
    path("<slug:summit>/sessions/<slug:slug>/", programme.session_detail, name="session"),
    path("<slug:summit>/people/", people.directory, name="people"),
    path("<slug:summit>/people/<slug:slug>/", people.person_detail, name="person"),
    path("<slug:summit>/changes/", changes.changes, name="changes"),
    path("<slug:summit>/search/", search.search, name="search"),
]

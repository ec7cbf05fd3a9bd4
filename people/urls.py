from django.urls import path

from people import views

app_name = "people"

urlpatterns = [
    path("<slug:summit>/people/", views.directory, name="directory"),
    path("<slug:summit>/people/<slug:slug>/", views.person_detail, name="person"),
]

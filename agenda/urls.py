from django.urls import path

from agenda import views

app_name = "agenda"

urlpatterns = [
    path("<slug:summit>/", views.summit_home, name="home"),
    path("<slug:summit>/programme/", views.programme, name="programme"),
    path("<slug:summit>/programme/grid/", views.grid, name="grid"),
    path("<slug:summit>/sessions/<slug:slug>/", views.session_detail, name="session"),
]

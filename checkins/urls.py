from django.urls import path

from checkins import views

urlpatterns = [
    path("today/", views.today, name="today"),
    path("flares/", views.flares, name="flares"),
    path("history/", views.history, name="history"),
]

from django.urls import path

from reports.api import views

urlpatterns = [
    path("me/report/", views.MyReport.as_view(), name="my-report"),
]

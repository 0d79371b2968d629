from django.urls import path

from checkins.api import views

urlpatterns = [
    path("checkins/", views.CheckInListCreate.as_view(), name="checkin-list"),
    path("checkins/<isodate:day>/", views.CheckInDetail.as_view(), name="checkin-detail"),
    path("flares/", views.FlareListCreate.as_view(), name="flare-list"),
    path("trends/", views.Trends.as_view(), name="trends"),
]

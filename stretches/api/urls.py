from django.urls import path

from stretches.api import views

urlpatterns = [
    path("videos/", views.VideoList.as_view(), name="stretch-video-list"),
    path("videos/<slug:slug>/", views.VideoDetail.as_view(), name="stretch-video-detail"),
    path("recommended/", views.Recommended.as_view(), name="stretch-recommended"),
    path("relief/", views.Relief.as_view(), name="stretch-relief"),
    path("sessions/", views.SessionListCreate.as_view(), name="stretch-session-list"),
    path("sessions/<uuid:session_id>/", views.SessionDetail.as_view(), name="stretch-session-detail"),
]

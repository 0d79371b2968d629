from django.urls import path, re_path

from stretches import views

app_name = "stretches"

urlpatterns = [
    path("stretches/", views.library, name="library"),
    path("stretches/<slug:slug>/", views.player, name="player"),
    # The file names match StretchVideo.MEDIA_KINDS; anything else is no match (404).
    re_path(
        r"^stretches/(?P<slug>[-a-zA-Z0-9_]+)/(?P<kind>video\.mp4|video\.webm|captions\.vtt|poster\.jpg)$",
        views.media,
        name="media",
    ),
]

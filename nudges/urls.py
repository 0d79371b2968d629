from django.urls import path

from nudges import views

app_name = "nudges"

urlpatterns = [
    path("settings/reminders/", views.reminder_settings, name="reminder-settings"),
    path("notices/<uuid:notice_id>/read/", views.read_notice, name="read-notice"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]

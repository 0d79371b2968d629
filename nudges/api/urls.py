from django.urls import path

from nudges.api import views

urlpatterns = [
    path("me/reminders/", views.ReminderSettingsView.as_view(), name="reminders"),
    path("me/notifications/", views.NotificationList.as_view(), name="notification-list"),
    path("me/notifications/read-all/", views.NotificationsReadAll.as_view(), name="notifications-read-all"),
    path("me/notifications/<uuid:pk>/", views.NotificationDetail.as_view(), name="notification-detail"),
]

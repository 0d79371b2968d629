from django.urls import path

from accounts.api import views

urlpatterns = [
    path("auth/register/", views.RegisterView.as_view(), name="register"),
    path("me/", views.MeView.as_view(), name="me"),
]

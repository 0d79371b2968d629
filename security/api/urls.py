from django.urls import path

from security.api import views

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("auth/logout/", views.LogoutView.as_view(), name="logout"),
]

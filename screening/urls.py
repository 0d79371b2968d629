from django.urls import path

from screening import views

urlpatterns = [
    path("screening/", views.screening, name="screening"),
    path("screening/<uuid:response_id>/", views.result, name="screening-result"),
]

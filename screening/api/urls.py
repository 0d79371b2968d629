from django.urls import path

from screening.api import views

urlpatterns = [
    path("questions/", views.QuestionnaireView.as_view(), name="screening-questions"),
    path("responses/", views.ResponseListCreate.as_view(), name="screening-response-list"),
    path("responses/latest/", views.LatestResponse.as_view(), name="screening-response-latest"),
    path("doctor-checked/", views.DoctorChecked.as_view(), name="screening-doctor-checked"),
    path("responses/<uuid:response_id>/", views.ResponseDetail.as_view(), name="screening-response-detail"),
]

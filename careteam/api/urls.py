from django.urls import path

from careteam.api import views

urlpatterns = [
    path("me/share-codes/", views.ShareCodes.as_view(), name="share-codes"),
    path("me/clinicians/", views.MyClinicians.as_view(), name="my-clinicians"),
    path("me/clinicians/<uuid:clinician_id>/", views.MyClinician.as_view(), name="my-clinician"),
    path("me/access-log/", views.MyAccessLog.as_view(), name="access-log"),
    path("me/export/", views.MyExport.as_view(), name="my-export"),
    path("clinician/links/", views.Links.as_view(), name="clinician-links"),
    path("clinician/patients/", views.Patients.as_view(), name="clinician-patients"),
    path(
        "clinician/patients/<uuid:patient_id>/trends/", views.PatientTrends.as_view(), name="clinician-trends"
    ),
    path("clinician/patients/<uuid:patient_id>/review/", views.Review.as_view(), name="clinician-review"),
    path("clinician/patients/<uuid:patient_id>/notes/", views.Notes.as_view(), name="clinician-notes"),
    path("clinician/patients/<uuid:patient_id>/export/", views.Export.as_view(), name="clinician-export"),
    path(
        "clinician/patients/<uuid:patient_id>/report/", views.PatientReport.as_view(), name="clinician-report"
    ),
]

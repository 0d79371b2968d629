from django.urls import path

from careteam import views

urlpatterns = [
    path("clinic/", views.clinic_list, name="clinic"),
    path("clinic/links/", views.redeem, name="clinic-redeem"),
    path("clinic/patients/<uuid:patient_id>/", views.patient_record, name="clinic-patient"),
    path("clinic/patients/<uuid:patient_id>/notes/", views.add_note, name="clinic-note"),
    path("clinic/patients/<uuid:patient_id>/review/", views.review, name="clinic-review"),
    path("settings/share-code/", views.make_code, name="settings-share-code"),
    path("settings/clinicians/<uuid:clinician_id>/unlink/", views.unlink, name="settings-unlink"),
]

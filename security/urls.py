from django.urls import path

from security import views

urlpatterns = [
    path("accounts/two-factor/", views.two_factor, name="two-factor"),
    path("accounts/two-factor/setup/", views.two_factor_setup, name="two-factor-setup"),
    path("accounts/confirm-password/", views.confirm_password, name="confirm-password"),
    path("settings/two-factor/new-app/", views.replace_app, name="two-factor-replace"),
    path("settings/two-factor/backup-codes/", views.backup_codes, name="two-factor-backup-codes"),
]

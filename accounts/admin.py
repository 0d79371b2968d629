from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "role", "timezone", "is_active", "date_joined")
    list_filter = ("role", "is_active", "is_staff")
    readonly_fields = ("public_id",)
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Vida", {"fields": ("public_id", "role", "display_name", "timezone")}),
    )

from django.contrib import admin

from nudges.models import Nudge, NudgePreferences


@admin.register(NudgePreferences)
class NudgePreferencesAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "reminder_time",
        "timezone",
        "quiet_hours_start",
        "quiet_hours_end",
        "email",
        "in_app",
    ]
    search_fields = ["user__username", "user__email"]
    raw_id_fields = ["user"]


@admin.register(Nudge)
class NudgeAdmin(admin.ModelAdmin):
    """The outbox, to look at: nudges are written by the dispatch pass, never by hand."""

    list_display = [
        "recipient",
        "kind",
        "local_date",
        "status",
        "created_at",
        "sent_at",
        "attempts",
        "read_at",
    ]
    list_filter = ["kind", "status", "email", "in_app"]
    search_fields = ["recipient__username", "recipient__email"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

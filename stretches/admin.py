from django.contrib import admin
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html

from stretches.forms import StretchVideoForm
from stretches.models import StretchStep, StretchVideo


class StretchStepInline(admin.TabularInline):
    model = StretchStep
    extra = 1
    fields = ("position", "text", "hold_seconds")


@admin.register(StretchVideo)
class StretchVideoAdmin(admin.ModelAdmin):
    class Media:
        css = {"all": ["css/admin.css"]}  # no inline styles: the Content-Security-Policy forbids them

    form = StretchVideoForm
    inlines = [StretchStepInline]
    list_display = ("title", "region", "intensity", "length", "published", "updated_at")
    list_filter = ("published", "region", "intensity")
    search_fields = ("title", "slug", "description")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("length", "poster_preview", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("title", "slug", "description", "region", "intensity", "cautions", "published")}),
        (
            "Files",
            {
                "description": "An H.264 MP4 is required, a VP9/VP8 WebM is optional, captions are WebVTT. "
                "The length and the poster are read from the MP4 when it is uploaded.",
                "fields": ("video_mp4", "video_webm", "captions", "length", "poster_preview"),
            },
        ),
        ("Record", {"fields": ("created_at", "updated_at")}),
    )

    @admin.display(description="Length", ordering="duration_seconds")
    def length(self, video):
        if not video.duration_seconds:
            return "–"
        minutes, seconds = divmod(round(video.duration_seconds), 60)
        return f"{minutes}:{seconds:02d}"

    @admin.display(description="Poster")
    def poster_preview(self, video):
        if not video.poster:
            return "Made from the video when it is uploaded."
        url = reverse("stretches:media", kwargs={"slug": video.slug, "kind": "poster.jpg"})
        return format_html('<img src="{}" alt="" class="poster-preview">', url)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        replaced = form.replaced_files(obj)
        storage = obj.video_mp4.storage
        # Only once the new names are committed: a rolled-back save keeps the old files.
        transaction.on_commit(lambda: [storage.delete(name) for name in replaced])

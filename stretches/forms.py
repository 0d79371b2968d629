"""The staff upload form: every file is checked before anything is stored."""

from django import forms
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile

from stretches import uploads
from stretches.models import END_TOLERANCE_SECONDS, StretchVideo, format_length

# The MP4 and the WebM are the same video in two encodings; encoders pad or
# trim a few frames, so this much difference in length is not a mismatch.
SAME_LENGTH_TOLERANCE_SECONDS = 2.0

FILE_FIELDS = ("video_mp4", "video_webm", "captions", "poster")


class StretchVideoForm(forms.ModelForm):
    class Meta:
        model = StretchVideo
        fields = [
            "title",
            "slug",
            "description",
            "region",
            "intensity",
            "video_mp4",
            "video_webm",
            "captions",
            "cautions",
            "published",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.checked = {}  # container -> uploads.CheckedVideo, for files uploaded with this form
        self.cues = None
        # What the video pointed at before this form, so replaced files can be
        # removed once the change is saved.
        self.previous_files = {name: getattr(self.instance, name).name for name in FILE_FIELDS}

    def _check_video(self, name, container):
        upload = self.cleaned_data.get(name)
        if isinstance(upload, UploadedFile):  # a new file; an unchanged one was checked when it came
            self.checked[container] = uploads.check_video(upload, container, with_poster=container == "mp4")
        return upload

    def clean_video_mp4(self):
        return self._check_video("video_mp4", "mp4")

    def clean_video_webm(self):
        return self._check_video("video_webm", "webm")

    def clean_captions(self):
        upload = self.cleaned_data.get("captions")
        if isinstance(upload, UploadedFile):
            self.cues = uploads.check_captions(upload)
        return upload

    def duration(self):
        """The video's length: from the new MP4 if one came with this form, else as saved."""
        if "mp4" in self.checked:
            return self.checked["mp4"].probe.duration
        return self.instance.duration_seconds if self.instance.pk else None

    def clean(self):
        cleaned = super().clean()
        duration = self.duration()
        if duration and "webm" in self.checked:
            webm_duration = self.checked["webm"].probe.duration
            if abs(webm_duration - duration) > SAME_LENGTH_TOLERANCE_SECONDS:
                self.add_error(
                    "video_webm",
                    f"The WebM is {format_length(webm_duration)} long but the MP4 is "
                    f"{format_length(duration)}; upload the same video in both formats.",
                )
        if duration and self.cues and self.cues[-1].start > duration + END_TOLERANCE_SECONDS:
            self.add_error(
                "captions",
                f"The last caption starts at {format_length(self.cues[-1].start)}, after the video "
                f"ends ({format_length(duration)}); are these the captions for another video?",
            )
        return cleaned

    def save(self, commit=True):
        video = super().save(commit=False)
        if "mp4" in self.checked:
            checked = self.checked["mp4"]
            video.duration_seconds = round(checked.probe.duration, 3)
            video.poster.save("poster.jpg", ContentFile(checked.poster), save=False)
        if commit:
            video.save()
            self.save_m2m()
        return video

    def replaced_files(self, video):
        """Storage names this save left behind."""
        return [old for name, old in self.previous_files.items() if old and old != getattr(video, name).name]

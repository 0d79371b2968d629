"""What each kind of nudge says and where it leads: the in-app notice and the email share it.

No health details, ever: a name, the kind of nudge and a link. Not the pain
figures, not the screening answers. The clinician's digest also names each
flagged patient's flags, in words.
"""

from dataclasses import dataclass

from django.urls import reverse

from nudges.models import Kind


@dataclass(frozen=True)
class Wording:
    title: str  # the email's subject and the notice's heading
    text: str  # one or two plain sentences
    link_name: str  # URL name of the page the nudge leads to
    link_label: str
    unsubscribe_label: str  # "Stop <these>" on the unsubscribe page and in the email
    template: str = "nudges/email/nudge"  # the email's subject/text/html triplet


WORDING = {
    Kind.CHECKIN_REMINDER: Wording(
        title="Time for today's check-in",
        text="How are your back and hips today? Checking in takes a few seconds.",
        link_name="today",
        link_label="Check in now",
        unsubscribe_label="daily check-in reminders",
    ),
    Kind.STRETCH_NUDGE: Wording(
        title="A gentle stretch today?",
        text="It has been a few days without a stretch. A short, gentle one for your hips takes a minute or two.",
        link_name="stretches:library",
        link_label="Choose a stretch",
        unsubscribe_label="stretch nudges",
    ),
    Kind.REENGAGEMENT: Wording(
        title="Ready when you are",
        text="It has been a few days without a check-in. Whenever you are ready, one takes a few seconds.",
        link_name="today",
        link_label="Check in",
        unsubscribe_label="welcome-back messages",
    ),
    Kind.CLINICIAN_DIGEST: Wording(
        title="Your patients this morning",
        text="Some of your patients have a flag. They are at the top of your clinic list.",
        link_name="clinic",
        link_label="Open the clinic list",
        unsubscribe_label="morning digests",
        template="nudges/email/digest",
    ),
    Kind.RED_FLAG_ALERT: Wording(
        title="A patient's screening needs checking",
        text="{patient}'s latest screening raised a red flag that needs checking. Please review it.",
        link_name="clinic",
        link_label="Open their record",
        unsubscribe_label="red-flag alerts",
    ),
}


@dataclass(frozen=True)
class Presented:
    """One nudge as its notice and its email show it."""

    title: str
    text: str
    url: str  # a site path
    link_label: str


def alert_patient(nudge):
    """The patient a red-flag alert is about, while its recipient may still see them (vida.access):
    (name, public id), or None once they have unlinked or are gone.

    Read from the ``alert_patient_*`` annotations of ``Nudge.objects.notifications_for``
    when present, else looked up.
    """
    if hasattr(nudge, "alert_patient_id"):
        return (nudge.alert_patient_name, nudge.alert_patient_id) if nudge.alert_patient_id else None
    from screening.models import ScreeningResponse

    visible = ScreeningResponse.objects.for_user(nudge.recipient).select_related("patient")
    row = visible.filter(pk=nudge.reference).first()
    return (str(row.patient), row.patient.public_id) if row else None


def present(nudge):
    """Title, text, link and its label. An alert names its patient and links to their record;
    once they are out of the recipient's sight it says "A patient" and links to the clinic list."""
    wording = WORDING[nudge.kind]
    text, url = wording.text, reverse(wording.link_name)
    if nudge.kind == Kind.RED_FLAG_ALERT:
        patient = alert_patient(nudge)
        text = wording.text.format(patient=patient[0] if patient else "A patient")
        if patient:
            url = reverse("clinic-patient", kwargs={"patient_id": patient[1]})
    return Presented(title=wording.title, text=text, url=url, link_label=wording.link_label)

"""What each kind of nudge says and where it leads: the in-app notice and the email share it.

No health details, ever: a name, the kind of nudge and a link. Not the pain
figures, not the screening answers.
"""

from dataclasses import dataclass

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
}

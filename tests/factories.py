import datetime as dt

import factory

from accounts.models import User
from checkins.models import CheckIn, Flare

TEST_PASSWORD = "a-long-test-passphrase"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = User.Role.PATIENT
    timezone = "Europe/London"
    password = factory.django.Password(TEST_PASSWORD)


class PatientFactory(UserFactory):
    role = User.Role.PATIENT


class ClinicianFactory(UserFactory):
    role = User.Role.CLINICIAN


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    patient = factory.SubFactory(PatientFactory)
    date = factory.LazyAttribute(lambda c: c.patient.local_today())
    back_pain = 4
    hip_pain = 5


class FlareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Flare

    patient = factory.SubFactory(PatientFactory)
    region = Flare.Region.BACK
    intensity = 7


def days_ago(patient, n):
    return patient.local_today() - dt.timedelta(days=n)

from celery import shared_task

from accounts import password_reset
from vida.emails import backoff_seconds, is_transient_mail_error


# Not acks_late: a second run would send a second email with a second link.
@shared_task(bind=True, ignore_result=True, acks_late=False, max_retries=4)
def send_password_reset(self, email):
    """Email a password reset link, if an account uses ``email``; transient mail errors retry with back-off."""
    try:
        password_reset.send_reset_email(email)
    except Exception as error:
        if is_transient_mail_error(error):
            raise self.retry(countdown=backoff_seconds(self.request.retries)) from error
        raise

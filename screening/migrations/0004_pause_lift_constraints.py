# The constraints come in their own migration, so the backfill in 0003 has
# committed before the table is altered again.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('screening', '0003_pause_lift_and_doctor_check'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='screeningresponse',
            constraint=models.CheckConstraint(condition=models.Q(('doctor_checked_on__isnull', True), ('urgency', 'urgent'), _connector='OR'), name='screening_doctor_checked_only_urgent'),
        ),
        migrations.AddConstraint(
            model_name='screeningresponse',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('pause_lifted_at__isnull', True), ('pause_lifted_how', '')), models.Q(('pause_lifted_at__isnull', False), ('pause_lifted_how__in', ['clinician_review', 'doctor_checked', 'clear_screening']), models.Q(('urgency', 'none'), _negated=True)), _connector='OR'), name='screening_pause_lifted_how_valid'),
        ),
        migrations.AddConstraint(
            model_name='screeningresponse',
            constraint=models.CheckConstraint(condition=models.Q(('doctor_checked_on__isnull', True), ('pause_lifted_how', 'doctor_checked'), _connector='OR'), name='screening_doctor_checked_lifts_pause'),
        ),
    ]

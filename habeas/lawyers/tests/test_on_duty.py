"""set_on_duty puts a lawyer on or off duty and remembers since when."""

from habeas.lawyers import services as lawyers
from habeas.lawyers.models import Lawyer


def test_going_on_duty_records_since_when_and_going_off_clears_it(lawyer_a):
    lawyers.set_on_duty(lawyer_a, False)
    lawyer = Lawyer.objects.get(user=lawyer_a)
    assert (lawyer.on_duty, lawyer.on_duty_since) == (False, None)
    lawyers.set_on_duty(lawyer_a, True)
    lawyer.refresh_from_db()
    assert lawyer.on_duty and lawyer.on_duty_since is not None
    assert Lawyer.objects.on_duty().filter(user=lawyer_a).exists()


def test_a_staff_member_without_a_profile_gets_one_on_duty(dispatcher):
    lawyers.set_on_duty(dispatcher, True)
    assert Lawyer.objects.get(user=dispatcher).on_duty

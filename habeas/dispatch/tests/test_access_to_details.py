from habeas.cases.models import Case
from habeas.dispatch import services
from habeas.dispatch.models import Offer


def test_a_lawyer_sees_details_only_while_offered_or_assigned(
    detainee, lawyer_a, lawyer_b, dispatcher, run_tasks
):
    case = Case.objects.get(public_id=detainee.case_id)
    assert services.may_see_details(dispatcher, case)
    assert not services.may_see_details(lawyer_a, case)
    run_tasks()  # offered to one of them
    offer = Offer.objects.get(case=case)
    other = lawyer_b if offer.lawyer == lawyer_a else lawyer_a
    assert services.may_see_details(offer.lawyer, case)
    assert not services.may_see_details(other, case)
    case = services.accept(offer.pk, offer.lawyer)
    assert services.may_see_details(offer.lawyer, case)
    assert not services.may_see_details(other, case)


def test_the_audit_log_is_append_only(dispatcher, db):
    import pytest

    from habeas.accounts import audit

    entry = audit.record(dispatcher, "view", "ABCDEF2345", "case page")
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()

from django.urls import path

from . import (
    callbacks,
    duty,
    newcase,
    offers,
    outbox,
    profile,
    push,
    roster,
    summons,
    twofactor,
    views,
    welcome,
)

app_name = "console"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("two-factor/", twofactor.verify, name="verify"),
    path("two-factor/setup/", twofactor.setup, name="setup"),
    path("welcome/<str:token>/", welcome.welcome, name="welcome"),
    path("two-factor/recovery-codes/", twofactor.new_recovery_codes, name="recovery_codes"),
    path("", views.queue, name="queue"),
    path("queue/list/", views.queue_fragment, name="queue_fragment"),
    # Before the case's own path, which would read "new" as a case id.
    path("cases/new/", newcase.new_case, name="new_case"),
    path("cases/<str:public_id>/", views.case_detail, name="case"),
    path("cases/<str:public_id>/live/", views.case_live, name="case_live"),
    path("cases/<str:public_id>/act/", views.act, name="act"),
    path("cases/<str:public_id>/merge/", views.merge, name="case_merge"),
    path("cases/<str:public_id>/reports/<int:report_id>/split/", views.split, name="case_split"),
    path("offers/<int:offer_id>/", offers.offer, name="offer"),
    path("offers/<int:offer_id>/answer/", offers.offer_answer, name="offer_answer"),
    path("duty/", duty.duty, name="duty"),
    path("callbacks/", callbacks.callback_list, name="callbacks"),
    path("callbacks/record/", callbacks.callback_record, name="callback_record"),
    path("profile/", profile.profile, name="profile"),
    path("roster/", roster.roster, name="roster"),
    path("summons/", summons.upcoming, name="summons"),
    path("outbox/", outbox.outbox, name="outbox"),
    path("outbox/retry/", outbox.outbox_retry, name="outbox_retry"),
    path("push/subscribe/", push.push_subscribe, name="push_subscribe"),
    path("sw.js", push.service_worker, name="service_worker"),
]

import datetime

from interns import selectors, services
from interns.models import Intern, MonthlyEvaluation
from rutan.core.roles import Role
from tests.factories import member


def test_logs_awaiting_review_for_mentor_and_head(intern, mentor, kepala, make_intern, make_log):
    other_mentor = member(Role.MENTOR, facility=intern.batch.facility, username="mentor2")
    mine = make_log(intern, submit=True)
    theirs = make_log(make_intern("m2", mentor=other_mentor), submit=True)
    nobody = make_log(make_intern("m3", mentor=None), submit=True)
    make_log(intern)  # draft
    assert set(selectors.logs_awaiting_review(user=mentor)) == {mine, nobody}
    assert set(selectors.logs_awaiting_review(user=kepala)) == {mine, theirs, nobody}
    services.log_approve(log=mine, by=mentor)
    assert set(selectors.logs_awaiting_review(user=mentor)) == {nobody}
    assert not selectors.logs_awaiting_review(user=intern.user).exists()


def test_evaluations_due_reminds_from_a_week_before(batch, mentor, make_intern):
    batch.start_on = datetime.date(2025, 12, 18)
    batch.end_on = datetime.date(2026, 6, 17)
    batch.save()
    intern = make_intern("eval")
    due = selectors.evaluations_due(user=mentor, on=datetime.date(2025, 12, 20))
    assert due == []
    due = selectors.evaluations_due(user=mentor, on=datetime.date(2025, 12, 26))
    assert [(d.month, d.due_on, d.overdue) for d in due] == [
        (datetime.date(2025, 12, 1), datetime.date(2026, 1, 1), False)
    ]
    due = selectors.evaluations_due(user=mentor, on=datetime.date(2026, 2, 3))
    assert [(d.month, d.overdue) for d in due] == [
        (datetime.date(2025, 12, 1), True),
        (datetime.date(2026, 1, 1), True),
    ]
    MonthlyEvaluation.objects.create(
        intern=intern,
        month=datetime.date(2025, 12, 1),
        mentor=mentor,
        discipline=4,
        initiative=4,
        competence=4,
        teamwork=4,
    )
    due = selectors.evaluations_due(user=mentor, on=datetime.date(2026, 2, 3))
    assert [d.month for d in due] == [datetime.date(2026, 1, 1)]
    other = member(Role.MENTOR, facility=batch.facility)
    assert selectors.evaluations_due(user=other, on=datetime.date(2026, 2, 3)) == []


def test_missing_days_are_weekdays_without_check_in(intern):
    intern.batch.start_on = datetime.date(2026, 1, 5)  # a Monday
    monday = datetime.date(2026, 1, 5)
    intern.attendance.create(
        on=monday, check_in=datetime.datetime(2026, 1, 5, 0, 30, tzinfo=datetime.UTC)
    )
    missing = selectors.attendance_missing_days(
        intern=intern, start=monday, end=datetime.date(2026, 1, 11)
    )
    assert missing == [datetime.date(2026, 1, d) for d in (6, 7, 8, 9)]


def test_intern_for_user(intern, mentor):
    assert selectors.intern_for_user(user=intern.user) == intern
    assert selectors.intern_for_user(user=mentor) is None
    assert isinstance(intern, Intern)

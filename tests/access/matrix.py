"""What each URL asks of its user: the permission (an action on an object, from the one table
`rutan.core.roles.ROLE_PERMS`) and the records its URL names.

A page, API operation or admin view without an entry here fails `test_every_url_has_an_entry`.
The expected answer follows from the entry and the role alone:

- anonymous: 302 to the login page (pages, admin) or 401 (API), unless the entry is public;
- a role that holds the permission, on a record of its own facility (or region): the entry's
  `ok` statuses (200 for a page; a redirect or a form error for a POST);
- anyone else, and everyone on another facility's record except the national admin: 404,
  the same answer whether the record exists or not.
"""

from dataclasses import dataclass

from rutan.core.roles import ROLE_PERMS, Perm, Role

P = Perm


@dataclass(frozen=True)
class Entry:
    # Any one of these permissions is enough; () means any signed-in user.
    perms: tuple[Perm, ...] = ()
    # URL kwargs in order, each the key of a record in tests/access/world.py (or a literal
    # given as "=value").
    args: tuple[str, ...] = ()
    method: str = "get"
    ok: frozenset[int] = frozenset({200})
    public: bool = False
    # The intern who owns the record may use it without the permission.
    owner: Role | None = None
    # Only a national admin reaches it (rules of law, facilities: national data).
    national: bool = False
    variant: str = ""
    # Permissions needed besides one of `perms` (all of them).
    also: tuple[Perm, ...] = ()
    # POST data: field -> world record key (its pk) or "=literal".
    data: tuple[tuple[str, str], ...] = ()
    # What anonymous gets instead of the redirect to the login page (an API-style answer).
    anonymous: int | None = None
    # What a signed-in user gets instead of `ok` (the login page sends them home).
    signed_in: frozenset[int] | None = None

    def allowed(self, role: Role | None, side: str) -> bool:
        if self.public:
            return True
        if role is None:
            return False
        if self.national:
            return role == Role.NATIONAL_ADMIN
        if side == "other" and self.args and role != Role.NATIONAL_ADMIN:
            return False
        if self.owner is not None and role == self.owner:
            return True
        held = ROLE_PERMS[role]
        return (not self.perms or bool(held & set(self.perms))) and set(self.also) <= held


def e(*perms, **kw) -> Entry:
    return Entry(perms=tuple(perms), **kw)


POST_OK = frozenset({200, 302})
FORM = frozenset({200})
DOWNLOAD = frozenset({200})

# Pages: URL name -> entry (or a list of entries, one per variant of its kwargs).
PAGES: dict[str, Entry | list[Entry]] = {
    "dashboard:home": e(),
    "dashboard:facility_panel": e(P.FACILITY_VIEW, args=("facility",)),
    "dashboard:regional_table": e(P.FACILITY_VIEW),
    "login": e(public=True, signed_in=frozenset({302})),
    "healthz": e(public=True),
    "readyz": e(public=True),
    "logout": e(method="post", public=True, ok=frozenset({302})),
    "password_change": e(),
    "password_change_done": e(),
    "password_reset": e(public=True),
    "password_reset_done": e(public=True),
    "password_reset_confirm": e(args=("=MQ", "=bad-token"), public=True),
    "password_reset_complete": e(public=True),
    "second_factor": e(),
    "second_factor_setup": e(),
    "second_factor_verify": e(),
    "second_factor_backup_codes": e(),
    "second_factor_codes_renew": e(method="post", ok=frozenset({302})),
    "second_factor_remove": e(method="post", ok=FORM),
    # Anonymous: 401 for the page's script; signed in: back to the page it came from.
    "session_keepalive": e(method="post", ok=frozenset({302}), anonymous=401),
    "set_language": e(method="post", public=True, ok=frozenset({302})),
    # For Prometheus, by bearer token only (METRICS_TOKEN); unset in tests, so it is absent.
    "metrics": e(public=True, ok=frozenset({404})),
    "inmates:list": e(P.INMATE_VIEW),
    "inmates:create": e(P.INMATE_MANAGE, args=("facility",)),
    "inmates:detail": e(P.INMATE_VIEW, args=("inmate",)),
    "inmates:update": e(P.INMATE_MANAGE, args=("inmate",)),
    "inmates:move_block": e(P.INMATE_MOVE, args=("inmate",)),
    "inmates:transfer": e(P.INMATE_MOVE, args=("inmate",)),
    "inmates:release": e(P.INMATE_MOVE, args=("inmate",)),
    "inmates:custody_alerts": e(P.INMATE_VIEW),
    "inmates:detention_add": e(P.INMATE_MANAGE, args=("inmate",)),
    "inmates:verdict_record": e(P.INMATE_MANAGE, args=("inmate",)),
    "inmates:remisi_create": e(P.INMATE_MANAGE, args=("inmate",)),
    "inmates:detention_remove": e(
        P.INMATE_MANAGE, args=("inmate", "detention"), method="post", ok=POST_OK
    ),
    "inmates:remisi_remove": e(
        P.INMATE_MANAGE, args=("inmate", "remisi"), method="post", ok=POST_OK
    ),
    "inmates:verdict_remove": e(P.INMATE_MANAGE, args=("inmate",), method="post", ok=POST_OK),
    "inmates:disciplinary_create": e(P.DISCIPLINE_MANAGE, args=("inmate",)),
    "inmates:disciplinary_close": e(
        P.DISCIPLINE_MANAGE, args=("inmate", "discipline"), method="post", ok=POST_OK
    ),
    # Everything held about one inmate (UU 27/2022 access right): facility head, data
    # protection officer, directorate.
    "inmates:subject_export": e(P.AUDIT_VIEW, args=("inmate",)),
    "audit:list": e(P.AUDIT_VIEW),
    "audit:detail": e(P.AUDIT_VIEW, args=("audit",)),
    "inmates:facility_list": e(P.FACILITY_VIEW),
    "inmates:facility_detail": e(P.FACILITY_VIEW, args=("facility",)),
    "imports:index": e(
        P.INMATE_MANAGE,
        P.PROGRAMME_MANAGE,
        P.ATTENDANCE_RECORD,
        P.ASSESSMENT_MANAGE,
        P.PARTNER_MANAGE,
        P.INTERN_MANAGE,
        args=("facility",),
    ),
    "imports:start": [
        e(P.INMATE_MANAGE, args=("=register", "facility"), variant="register"),
        e(P.PROGRAMME_MANAGE, args=("=enrolments", "facility"), variant="enrolments"),
        e(P.ATTENDANCE_RECORD, args=("=attendance", "facility"), variant="attendance"),
        e(P.ASSESSMENT_MANAGE, args=("=sppn", "facility"), variant="sppn"),
        e(P.PARTNER_MANAGE, args=("=partners", "facility"), variant="partners"),
        e(P.INTERN_MANAGE, args=("=intern_members", "facility"), variant="intern_members"),
    ],
    # Blank templates: column names and examples, no records.
    "imports:template_csv": e(args=("=register",)),
    "imports:template_xlsx": e(args=("=register",)),
    "imports:detail": e(P.INMATE_MANAGE, args=("import",)),
    "imports:progress": e(P.INMATE_MANAGE, args=("import",)),
    "imports:map": e(P.INMATE_MANAGE, args=("import",), method="post", ok=POST_OK),
    "imports:confirm": e(P.INMATE_MANAGE, args=("import",), method="post", ok=POST_OK),
    "programmes:list": e(P.PROGRAMME_VIEW),
    "programmes:create": e(P.PROGRAMME_MANAGE, args=("facility",)),
    "programmes:detail": e(P.PROGRAMME_VIEW, args=("programme",)),
    "programmes:update": e(P.PROGRAMME_MANAGE, args=("programme",)),
    "programmes:status": e(P.PROGRAMME_MANAGE, args=("programme",), method="post", ok=POST_OK),
    "programmes:slot_create": e(P.PROGRAMME_MANAGE, args=("programme",)),
    "programmes:slot_delete": e(
        P.PROGRAMME_MANAGE, args=("programme", "slot"), method="post", ok=POST_OK
    ),
    "programmes:sessions_generate": e(P.PROGRAMME_MANAGE, args=("programme",)),
    "programmes:session_create": e(P.PROGRAMME_MANAGE, args=("programme",)),
    "programmes:enrol": e(P.PROGRAMME_MANAGE, args=("programme",)),
    "programmes:enrol_bulk": e(P.PROGRAMME_MANAGE, args=("programme",)),
    "programmes:product_create": e(P.PROGRAMME_MANAGE, args=("programme",)),
    "programmes:session_list": e(P.PROGRAMME_VIEW),
    "programmes:today": e(P.ATTENDANCE_RECORD),
    "programmes:session_register": e(P.PROGRAMME_VIEW, args=("session",)),
    "programmes:session_update": e(P.PROGRAMME_MANAGE, args=("session",)),
    "programmes:session_cancel": e(P.PROGRAMME_MANAGE, args=("session",)),
    "programmes:enrolment_detail": e(P.PROGRAMME_VIEW, args=("enrolment",)),
    "programmes:enrolment_withdraw": e(P.PROGRAMME_MANAGE, args=("enrolment",)),
    "programmes:enrolment_complete": e(P.PROGRAMME_MANAGE, args=("enrolment",)),
    "programmes:evaluation_record": e(P.PROGRAMME_MANAGE, args=("enrolment",)),
    "programmes:certificate_issue": e(P.PROGRAMME_MANAGE, args=("enrolment",)),
    "programmes:certificate_pdf": e(P.PROGRAMME_VIEW, args=("certificate",), ok=DOWNLOAD),
    "programmes:certificate_revoke": e(P.PROGRAMME_MANAGE, args=("certificate",)),
    # Public by design: a holder's employer checks a certificate by its QR code (initials only).
    "programmes:verify": e(args=("certificate.code",), public=True),
    "programmes:assimilation_list": e(P.PROGRAMME_VIEW),
    "programmes:assimilation_create": e(P.ASSIMILATION_MANAGE),
    "programmes:assimilation_detail": e(P.PROGRAMME_VIEW, args=("placement",)),
    "programmes:assimilation_log": e(
        P.ASSIMILATION_MANAGE, args=("placement",), method="post", ok=POST_OK
    ),
    "programmes:assimilation_end": e(P.ASSIMILATION_MANAGE, args=("placement",)),
    "assessments:list": e(P.ASSESSMENT_VIEW, P.PSYCH_DRAFT),
    "assessments:sppn": e(P.ASSESSMENT_MANAGE),
    "assessments:worklist": e(P.ASSESSMENT_VIEW),
    # Facility surveys (kitchen, electricity) hold no personal data: every member reads them.
    "assessments:survey_list": e(P.FACILITY_VIEW),
    "assessments:survey_create": e(P.SURVEY_MANAGE, args=("facility",)),
    "assessments:survey_detail": e(P.FACILITY_VIEW, args=("survey",)),
    "assessments:inmate": e(P.ASSESSMENT_VIEW, args=("inmate",)),
    "assessments:enrol": e(
        P.PROGRAMME_MANAGE,
        also=(P.ASSESSMENT_VIEW,),
        args=("inmate",),
        method="post",
        ok=POST_OK,
        data=(("programme", "programme"),),
    ),
    "assessments:right_step": e(
        P.ASSESSMENT_MANAGE, args=("inmate", "=asimilasi"), method="post", ok=POST_OK
    ),
    "assessments:create": [
        e(P.PSYCH_DRAFT, args=("=psikologis",), variant="psikologis"),
        e(P.ASSESSMENT_MANAGE, args=("=literasi",), variant="literasi"),
        e(P.ASSESSMENT_MANAGE, args=("=minat",), variant="minat"),
        e(P.PSYCH_MANAGE, args=("=konseling",), variant="konseling"),
    ],
    "assessments:detail": [
        e(P.ASSESSMENT_VIEW, args=("=psikologis", "psych"), variant="psikologis"),
        e(P.ASSESSMENT_VIEW, args=("=literasi", "literacy"), variant="literasi"),
        e(P.ASSESSMENT_VIEW, args=("=minat", "interest"), variant="minat"),
        e(P.ASSESSMENT_VIEW, args=("=konseling", "counselling"), variant="konseling"),
        e(P.ASSESSMENT_VIEW, args=("=sppn", "behaviour"), variant="sppn"),
    ],
    # The records are final: whoever may edit is sent back to the record with a message.
    "assessments:update": [
        e(
            P.PSYCH_MANAGE,
            also=(P.PSYCH_CONFIDENTIAL_VIEW,),
            args=("=psikologis", "psych"),
            variant="psikologis",
            ok=POST_OK,
        ),
        e(P.ASSESSMENT_MANAGE, args=("=literasi", "literacy"), variant="literasi", ok=POST_OK),
    ],
    "assessments:finalise": [
        e(
            P.PSYCH_MANAGE,
            args=("=psikologis", "psych"),
            method="post",
            ok=POST_OK,
            variant="psikologis",
        ),
    ],
    "partners:list": e(P.PARTNER_VIEW),
    "partners:detail": e(P.PARTNER_VIEW, args=("partner",)),
    "partners:agreement_list": e(P.PARTNER_VIEW),
    "partners:agreement_detail": e(P.PARTNER_VIEW, args=("agreement",)),
    "partners:agreement_document": e(P.PARTNER_VIEW, args=("agreement",), ok=DOWNLOAD),
    "partners:guarantee_letter": e(
        P.PARTNER_VIEW, also=(P.INMATE_VIEW,), args=("guarantee",), ok=DOWNLOAD
    ),
    "partners:guarantee_create": e(P.PARTNER_MANAGE, args=("inmate",)),
    "reports:list": e(P.REPORT_VIEW),
    "reports:jobs": e(P.REPORT_VIEW),
    "reports:detail": e(P.REPORT_VIEW, args=("report",)),
    "reports:progress": e(P.REPORT_VIEW, args=("report",)),
    "reports:retry": e(P.REPORT_REQUEST, args=("report",), method="post", ok=POST_OK),
    "reports:download": e(P.REPORT_VIEW, args=("report",), ok=DOWNLOAD),
    # Staff who follow interns are sent on to the intern list.
    "interns:home": e(P.INTERN_LOG_OWN, P.INTERN_VIEW, ok=frozenset({200, 302})),
    "interns:attendance": e(P.INTERN_LOG_OWN, method="post", ok=POST_OK),
    "interns:log_create": e(P.INTERN_LOG_OWN),
    "interns:log_autosave": e(P.INTERN_LOG_OWN, method="post", ok=frozenset({200, 400})),
    "interns:log_detail": e(P.INTERN_VIEW, P.INTERN_REVIEW, args=("log",), owner=Role.INTERN),
    "interns:log_edit": e(P.INTERN_LOG_OWN, args=("log",), ok=frozenset({200, 302})),
    "interns:log_submit": e(P.INTERN_LOG_OWN, args=("log",), method="post", ok=POST_OK),
    "interns:log_review": e(P.INTERN_REVIEW, args=("log",), method="post", ok=POST_OK),
    "interns:photo": e(P.INTERN_VIEW, P.INTERN_REVIEW, args=("photo",), owner=Role.INTERN),
    "interns:review_queue": e(P.INTERN_REVIEW),
    "interns:intern_list": e(P.INTERN_VIEW),
    "interns:intern_detail": e(
        P.INTERN_VIEW, args=("intern",), owner=Role.INTERN, ok=frozenset({200, 302})
    ),
    "interns:intern_resend_invite": e(P.INTERN_MANAGE, args=("intern",), method="post", ok=POST_OK),
    "interns:evaluation": e(P.INTERN_REVIEW, args=("intern", "=2026", "=11")),
    "interns:logbook_pdf": e(P.INTERN_VIEW, args=("intern",), owner=Role.INTERN),
    "interns:logbook_xlsx": e(P.INTERN_VIEW, args=("intern",), owner=Role.INTERN),
    "interns:intern_create": e(P.INTERN_MANAGE, args=("batch",)),
    "interns:batch_summary": e(P.INTERN_VIEW, args=("batch",)),
    # Reached from the invitation e-mail; a made-up token is refused (tests/interns).
    "interns:set_password": e(args=("=MQ", "=bad-token"), public=True),
    "interns:set_password_done": e(public=True),
    "interns:followup_list": e(P.FOLLOWUP_MANAGE),
    "interns:followup_detail": e(P.FOLLOWUP_MANAGE, args=("followup",)),
    "api-docs": e(),
    "api-schema": e(anonymous=401),
}


def page_entries():
    for name, entry in PAGES.items():
        for one in entry if isinstance(entry, list) else [entry]:
            yield name, one


ROLES: list[Role | None] = [None, *Role]

# API operations: (URL name, method) -> entry. Lists answer 200 with only the caller's
# records; a role without the permission gets an empty list (its scope holds nothing).
LIST = frozenset({200})
BAD_BODY = frozenset({400})

API: dict[tuple[str, str], Entry | list[Entry]] = {
    ("api-root", "get"): e(anonymous=401),
    ("api-token", "post"): e(public=True, ok=BAD_BODY, anonymous=400),
    # Ends the token it is called with: a session (the walk's sign-in) is no token.
    ("api-logout", "post"): e(public=True, ok=frozenset({401}), anonymous=401),
    ("facility-list", "get"): e(P.FACILITY_VIEW, anonymous=401),
    ("facility-detail", "get"): e(P.FACILITY_VIEW, args=("facility",), anonymous=401),
    ("inmate-list", "get"): e(P.INMATE_VIEW, anonymous=401),
    ("inmate-list", "post"): e(P.INMATE_MANAGE, ok=BAD_BODY, anonymous=401),
    ("inmate-detail", "get"): e(P.INMATE_VIEW, args=("inmate",), anonymous=401),
    ("inmate-detail", "put"): e(P.INMATE_MANAGE, args=("inmate",), ok=BAD_BODY, anonymous=401),
    ("inmate-detail", "patch"): e(P.INMATE_MANAGE, args=("inmate",), anonymous=401),
    ("inmate-detention-periods", "get"): e(P.INMATE_VIEW, args=("inmate",), anonymous=401),
    ("inmate-detention-periods", "post"): e(
        P.INMATE_MANAGE, args=("inmate",), ok=BAD_BODY, anonymous=401
    ),
    ("inmate-remisi", "get"): e(P.INMATE_VIEW, args=("inmate",), anonymous=401),
    ("inmate-remisi", "post"): e(P.INMATE_MANAGE, args=("inmate",), ok=BAD_BODY, anonymous=401),
    ("inmate-verdict", "get"): e(P.INMATE_VIEW, args=("inmate",), anonymous=401),
    ("inmate-verdict", "post"): e(P.INMATE_MANAGE, args=("inmate",), ok=BAD_BODY, anonymous=401),
    ("inmate-recommendations", "get"): e(P.ASSESSMENT_VIEW, args=("inmate",), anonymous=401),
    ("inmate-eligibility", "get"): e(P.ASSESSMENT_VIEW, args=("inmate",), anonymous=401),
    ("inmate-right-step", "post"): e(
        P.ASSESSMENT_MANAGE, args=("inmate", "=asimilasi"), ok=BAD_BODY, anonymous=401
    ),
    ("import-list", "get"): e(P.INMATE_MANAGE, anonymous=401),
    ("import-list", "post"): e(P.INMATE_MANAGE, ok=BAD_BODY, anonymous=401),
    ("import-detail", "get"): e(P.INMATE_MANAGE, args=("import",), anonymous=401),
    ("import-confirm", "post"): e(P.INMATE_MANAGE, args=("import",), ok=BAD_BODY, anonymous=401),
    ("import-mapping", "post"): e(P.INMATE_MANAGE, args=("import",), ok=BAD_BODY, anonymous=401),
    ("programme-list", "get"): e(P.PROGRAMME_VIEW, anonymous=401),
    ("programme-list", "post"): e(P.PROGRAMME_MANAGE, ok=BAD_BODY, anonymous=401),
    ("programme-detail", "get"): e(P.PROGRAMME_VIEW, args=("programme",), anonymous=401),
    ("programme-detail", "put"): e(
        P.PROGRAMME_MANAGE, args=("programme",), ok=BAD_BODY, anonymous=401
    ),
    ("programme-detail", "patch"): e(P.PROGRAMME_MANAGE, args=("programme",), anonymous=401),
    ("programme-generate-sessions", "post"): e(
        P.PROGRAMME_MANAGE, args=("programme",), ok=BAD_BODY, anonymous=401
    ),
    ("programme-set-status", "post"): e(
        P.PROGRAMME_MANAGE, args=("programme",), ok=BAD_BODY, anonymous=401
    ),
    ("session-list", "get"): e(P.PROGRAMME_VIEW, anonymous=401),
    ("session-list", "post"): e(P.PROGRAMME_MANAGE, ok=BAD_BODY, anonymous=401),
    ("session-detail", "get"): e(P.PROGRAMME_VIEW, args=("session",), anonymous=401),
    ("session-detail", "put"): e(P.PROGRAMME_MANAGE, args=("session",), ok=BAD_BODY, anonymous=401),
    ("session-detail", "patch"): e(P.PROGRAMME_MANAGE, args=("session",), anonymous=401),
    ("session-cancel", "post"): e(
        P.PROGRAMME_MANAGE, args=("session",), ok=BAD_BODY, anonymous=401
    ),
    ("enrolment-list", "get"): e(P.PROGRAMME_VIEW, anonymous=401),
    ("enrolment-list", "post"): e(P.PROGRAMME_MANAGE, ok=BAD_BODY, anonymous=401),
    ("enrolment-detail", "get"): e(P.PROGRAMME_VIEW, args=("enrolment",), anonymous=401),
    ("enrolment-complete", "post"): e(
        P.PROGRAMME_MANAGE, args=("enrolment",), ok=frozenset({200, 400}), anonymous=401
    ),
    ("enrolment-evaluation", "post"): e(
        P.PROGRAMME_MANAGE, args=("enrolment",), ok=BAD_BODY, anonymous=401
    ),
    ("enrolment-withdraw", "post"): e(
        P.PROGRAMME_MANAGE, args=("enrolment",), ok=BAD_BODY, anonymous=401
    ),
    ("attendance-list", "get"): e(P.PROGRAMME_VIEW, anonymous=401),
    ("attendance-list", "post"): e(P.ATTENDANCE_RECORD, ok=BAD_BODY, anonymous=401),
    ("certificate-list", "get"): e(P.PROGRAMME_VIEW, anonymous=401),
    ("certificate-list", "post"): e(P.PROGRAMME_MANAGE, ok=BAD_BODY, anonymous=401),
    ("certificate-detail", "get"): e(P.PROGRAMME_VIEW, args=("certificate",), anonymous=401),
    ("product-list", "get"): e(P.PROGRAMME_VIEW, anonymous=401),
    ("product-list", "post"): e(P.PROGRAMME_MANAGE, ok=BAD_BODY, anonymous=401),
    ("product-detail", "get"): e(P.PROGRAMME_VIEW, args=("product",), anonymous=401),
    ("product-detail", "put"): e(P.PROGRAMME_MANAGE, args=("product",), ok=BAD_BODY, anonymous=401),
    ("product-detail", "patch"): e(P.PROGRAMME_MANAGE, args=("product",), anonymous=401),
    ("assimilation-placement-list", "get"): e(P.PROGRAMME_VIEW, anonymous=401),
    ("assimilation-placement-list", "post"): e(P.ASSIMILATION_MANAGE, ok=BAD_BODY, anonymous=401),
    ("assimilation-placement-detail", "get"): e(
        P.PROGRAMME_VIEW, args=("placement",), anonymous=401
    ),
    ("assimilation-placement-check-in", "post"): e(
        P.ASSIMILATION_MANAGE, args=("placement",), ok=BAD_BODY, anonymous=401
    ),
    ("assimilation-placement-check-out", "post"): e(
        P.ASSIMILATION_MANAGE, args=("placement",), ok=frozenset({200, 201, 400}), anonymous=401
    ),
    ("assimilation-placement-end", "post"): e(
        P.ASSIMILATION_MANAGE, args=("placement",), ok=BAD_BODY, anonymous=401
    ),
    ("partner-list", "get"): e(P.PARTNER_VIEW, anonymous=401),
    ("partner-detail", "get"): e(P.PARTNER_VIEW, args=("partner",), anonymous=401),
    ("agreement-list", "get"): e(P.PARTNER_VIEW, anonymous=401),
    ("agreement-detail", "get"): e(P.PARTNER_VIEW, args=("agreement",), anonymous=401),
    ("contribution-list", "get"): e(P.PARTNER_VIEW, anonymous=401),
    ("contribution-detail", "get"): e(P.PARTNER_VIEW, args=("contribution",), anonymous=401),
    ("guarantee-list", "get"): e(P.PARTNER_VIEW, also=(P.INMATE_VIEW,), anonymous=401),
    ("guarantee-list", "post"): e(P.PARTNER_MANAGE, ok=BAD_BODY, anonymous=401),
    ("guarantee-detail", "get"): e(
        P.PARTNER_VIEW, also=(P.INMATE_VIEW,), args=("guarantee",), anonymous=401
    ),
    ("report-list", "get"): e(P.REPORT_VIEW, anonymous=401),
    ("report-list", "post"): e(P.REPORT_REQUEST, ok=BAD_BODY, anonymous=401),
    ("report-detail", "get"): e(P.REPORT_VIEW, args=("report",), anonymous=401),
    ("report-download", "get"): e(P.REPORT_VIEW, args=("report",), anonymous=401),
    # The world's run is done: a retry is refused (400); a failed or stuck one gives 202.
    ("report-retry", "post"): e(
        P.REPORT_REQUEST, args=("report",), ok=frozenset({202, 400}), anonymous=401
    ),
    ("intern-log-list", "get"): e(P.INTERN_LOG_OWN, P.INTERN_VIEW, anonymous=401),
    ("intern-log-list", "post"): e(P.INTERN_LOG_OWN, ok=frozenset({201, 400}), anonymous=401),
    ("intern-log-detail", "get"): e(
        P.INTERN_VIEW, P.INTERN_REVIEW, args=("log",), owner=Role.INTERN, anonymous=401
    ),
    ("intern-log-detail", "put"): e(P.INTERN_LOG_OWN, args=("log",), ok=BAD_BODY, anonymous=401),
    ("intern-log-detail", "patch"): e(P.INTERN_LOG_OWN, args=("log",), ok=BAD_BODY, anonymous=401),
    ("intern-log-approve", "post"): e(P.INTERN_REVIEW, args=("log",), anonymous=401),
    ("intern-log-return-", "post"): e(P.INTERN_REVIEW, args=("log",), ok=BAD_BODY, anonymous=401),
    ("intern-log-submit", "post"): e(P.INTERN_LOG_OWN, args=("log",), ok=BAD_BODY, anonymous=401),
    ("intern-attendance-list", "get"): e(P.INTERN_LOG_OWN, P.INTERN_VIEW, anonymous=401),
    ("intern-attendance-check-in", "post"): e(
        P.INTERN_LOG_OWN, ok=frozenset({200, 201, 400}), anonymous=401
    ),
    ("intern-attendance-check-out", "post"): e(
        P.INTERN_LOG_OWN, ok=frozenset({200, 201, 400}), anonymous=401
    ),
    ("intern-attendance-detail", "get"): e(
        P.INTERN_VIEW, args=("intern_attendance",), owner=Role.INTERN, anonymous=401
    ),
    ("psychological-list", "get"): e(P.ASSESSMENT_VIEW, P.PSYCH_DRAFT, anonymous=401),
    ("psychological-list", "post"): e(P.PSYCH_DRAFT, ok=BAD_BODY, anonymous=401),
    ("psychological-detail", "get"): e(P.ASSESSMENT_VIEW, args=("psych",), anonymous=401),
    ("literacy-list", "get"): e(P.ASSESSMENT_VIEW, anonymous=401),
    ("literacy-list", "post"): e(P.ASSESSMENT_MANAGE, ok=BAD_BODY, anonymous=401),
    ("literacy-detail", "get"): e(P.ASSESSMENT_VIEW, args=("literacy",), anonymous=401),
    ("interest-list", "get"): e(P.ASSESSMENT_VIEW, anonymous=401),
    ("interest-list", "post"): e(P.ASSESSMENT_MANAGE, ok=BAD_BODY, anonymous=401),
    ("interest-detail", "get"): e(P.ASSESSMENT_VIEW, args=("interest",), anonymous=401),
    ("behaviour-list", "get"): e(P.ASSESSMENT_VIEW, anonymous=401),
    ("behaviour-list", "post"): e(P.ASSESSMENT_MANAGE, ok=BAD_BODY, anonymous=401),
    ("behaviour-detail", "get"): e(P.ASSESSMENT_VIEW, args=("behaviour",), anonymous=401),
}


def api_entries():
    for (name, method), entry in API.items():
        for one in entry if isinstance(entry, list) else [entry]:
            yield name, method, one


# The Django admin. A role reaches it only with ADMIN_SITE (directorate, facility head,
# registry); then each model as below. NATIONAL: the directorate only; SUPERUSER: the
# technical operator only (no role of DESIGN.md). Deleting is never offered.
NATIONAL = "national"
SUPERUSER = "superuser"


@dataclass(frozen=True)
class AdminEntry:
    view: tuple = ()
    manage: tuple = ()
    # The world record shown on change/history pages; "shared:<label>" for national data
    # without a facility (one row for both sides).
    record: str = ""
    add: bool = False
    history: bool = False
    # Extra admin URLs: (URL name suffix[/literal argument], "view" | "manage", needs the record).
    extra: tuple[tuple[str, str, bool], ...] = ()
    also: tuple[Perm, ...] = ()

    def allowed(self, role: Role | None, side: str, need: str, scoped: bool) -> bool:
        if role is None:
            return False
        held = ROLE_PERMS[role]
        if P.ADMIN_SITE not in held:
            return False
        perms = self.view if need == "view" else self.manage
        if not perms or SUPERUSER in perms:
            return False
        if NATIONAL in perms:
            return role == Role.NATIONAL_ADMIN
        if scoped and side == "other" and role != Role.NATIONAL_ADMIN:
            return False
        return bool(held & set(perms)) and set(self.also) <= held


def a(view=(), manage=(), **kw) -> AdminEntry:
    return AdminEntry(view=tuple(view), manage=tuple(manage), **kw)


ADMIN_ONLY = (SUPERUSER,)
ADMIN: dict[str, AdminEntry] = {
    "auth.group": a(ADMIN_ONLY, ADMIN_ONLY),
    "django_celery_beat.periodictask": a(ADMIN_ONLY, ADMIN_ONLY),
    "django_celery_beat.clockedschedule": a(ADMIN_ONLY, ADMIN_ONLY),
    "django_celery_beat.crontabschedule": a(ADMIN_ONLY, ADMIN_ONLY),
    "django_celery_beat.solarschedule": a(ADMIN_ONLY, ADMIN_ONLY),
    "django_celery_beat.intervalschedule": a(ADMIN_ONLY, ADMIN_ONLY),
    "axes.accessattempt": a(ADMIN_ONLY, ADMIN_ONLY),
    "axes.accesslog": a(ADMIN_ONLY, ADMIN_ONLY),
    "axes.accessfailurelog": a(ADMIN_ONLY, ADMIN_ONLY),
    "core.auditentry": a([P.AUDIT_VIEW], record="audit", extra=(("export/csv", "view", False),)),
    "core.jobrun": a([P.AUDIT_VIEW], record="jobrun"),
    "core.outboxmessage": a([NATIONAL], record="shared:outboxmessage"),
    "core.heartbeat": a([NATIONAL], record="shared:heartbeat"),
    "core.literacylevel": a(
        [P.ASSESSMENT_VIEW, P.PROGRAMME_VIEW], [NATIONAL], record="shared:literacylevel", add=True
    ),
    "facilities.regionaloffice": a([P.FACILITY_VIEW], ADMIN_ONLY, record="region"),
    "facilities.facility": a([P.FACILITY_VIEW], ADMIN_ONLY, record="facility"),
    "facilities.block": a([P.FACILITY_VIEW], [P.INMATE_MANAGE], record="block", add=True),
    "facilities.followupitem": a(
        [P.FACILITY_VIEW], [P.FOLLOWUP_MANAGE], record="followup", add=True
    ),
    "accounts.user": a(
        [NATIONAL],
        [NATIONAL],
        record="user",
        add=True,
        extra=(("password_change", "manage", True),),
    ),
    "inmates.inmate": a([P.INMATE_VIEW], [P.INMATE_MANAGE], record="inmate", add=True),
    "inmates.disciplinaryentry": a(
        [P.DISCIPLINE_VIEW], [P.DISCIPLINE_MANAGE], record="discipline", add=True
    ),
    "inmates.stagerule": a(
        [P.FACILITY_VIEW], [P.STAGE_RULES_MANAGE], record="shared:stagerule", add=True
    ),
    "inmates.detentioncredit": a(
        [P.ADMIN_SITE], [NATIONAL], record="shared:detentioncredit", add=True
    ),
    "inmates.warrantlimit": a([P.ADMIN_SITE], [NATIONAL], record="shared:warrantlimit", add=True),
    "inmates.registerrule": a([P.ADMIN_SITE], [NATIONAL], record="shared:registerrule", add=True),
    "inmates.reckoningsetting": a(
        [P.ADMIN_SITE], [NATIONAL], record="shared:reckoningsetting", add=True
    ),
    "reports.reportrun": a(ADMIN_ONLY, ADMIN_ONLY, record="report"),
    "programmes.programme": a(
        [P.PROGRAMME_VIEW], [P.PROGRAMME_MANAGE], record="programme", add=True
    ),
    "programmes.session": a([P.PROGRAMME_VIEW], record="session"),
    "programmes.enrolment": a([P.PROGRAMME_VIEW], record="enrolment"),
    "programmes.enrolmentevent": a([P.PROGRAMME_VIEW], record="enrolmentevent"),
    "programmes.attendance": a([P.PROGRAMME_VIEW], record="attendance", history=True),
    "programmes.evaluation": a([P.PROGRAMME_VIEW], record="evaluation"),
    "programmes.certificate": a([P.PROGRAMME_VIEW], record="certificate"),
    "programmes.product": a([P.PROGRAMME_VIEW], [P.PROGRAMME_MANAGE], record="product", add=True),
    "programmes.assimilationplacement": a([P.PROGRAMME_VIEW], record="placement"),
    "assessments.psychologicalassessment": a([P.ASSESSMENT_VIEW], record="psych"),
    "assessments.literacyassessment": a([P.ASSESSMENT_VIEW], record="literacy"),
    "assessments.interestassessment": a([P.ASSESSMENT_VIEW], record="interest"),
    "assessments.behaviourscore": a([P.ASSESSMENT_VIEW], record="behaviour"),
    "assessments.counsellingsession": a([P.ASSESSMENT_VIEW], record="counselling"),
    "assessments.facilitysurvey": a([P.FACILITY_VIEW], record="survey"),
    "assessments.eligibilityrule": a(
        [P.ASSESSMENT_VIEW], [P.STAGE_RULES_MANAGE], record="shared:eligibilityrule", add=True
    ),
    "assessments.rightproposal": a([P.ASSESSMENT_VIEW], record="proposal"),
    "assessments.eligibilitybook": a([P.ASSESSMENT_VIEW], record="book"),
    "partners.partner": a(
        [P.PARTNER_VIEW], [P.PARTNER_MANAGE], record="partner", add=True, history=True
    ),
    "partners.agreement": a(
        [P.PARTNER_VIEW],
        [P.PARTNER_MANAGE],
        record="agreement",
        add=True,
        history=True,
        extra=(
            ("activate", "manage", True),
            ("terminate", "manage", True),
            ("renew", "manage", True),
            ("import", "manage", False),
            ("process_import", "manage", False),
            ("export", "view", False),
        ),
    ),
    "partners.contribution": a(
        [P.PARTNER_VIEW],
        [P.PARTNER_MANAGE],
        record="contribution",
        add=True,
        extra=(("export", "view", False),),
    ),
    "partners.guarantee": a(
        [P.PARTNER_VIEW],
        [P.PARTNER_MANAGE],
        also=(P.INMATE_VIEW,),
        record="guarantee",
        add=True,
        history=True,
        extra=(("revoke", "manage", True),),
    ),
    "interns.batch": a([P.INTERN_VIEW], [P.INTERN_MANAGE], record="batch", add=True),
    # Interns are added on the staff page (it opens the account and mails the link).
    "interns.intern": a([P.INTERN_VIEW], [P.INTERN_MANAGE], record="intern"),
}

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def end_enrolments_on_leaving(sender, *, inmate, on, by, reason, **kwargs):
    """Receiver of `inmate_left_facility`: a transferred or released inmate leaves every
    programme and assimilation placement (module level: signals hold receivers weakly)."""
    from . import services

    services.enrolments_end_for_inmate(inmate=inmate, reason=reason, on=on, by=by)


def anonymise_programme_rows(sender, *, inmate, **kwargs):
    """Receiver of `inmate_anonymising`."""
    from . import services

    return services.programme_rows_anonymise(inmate=inmate)


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = _("Program pembinaan")

    def ready(self):
        from rutan.core import panels
        from rutan.core import subject as subject_access
        from rutan.core.roles import Perm
        from rutan.core.scoping import user_can
        from rutan.inmates.signals import inmate_anonymising, inmate_left_facility

        from . import selectors

        inmate_left_facility.connect(
            end_enrolments_on_leaving, dispatch_uid="programmes-end-enrolments"
        )
        inmate_anonymising.connect(anonymise_programme_rows, dispatch_uid="programmes-anonymise")

        def inmate_panel(request, inmate):
            if not user_can(request.user, Perm.PROGRAMME_VIEW, inmate.facility):
                return None
            return {
                "programme_events": selectors.inmate_programme_events(inmate=inmate),
                "inmate": inmate,
            }

        panels.register(
            "inmate_detail",
            order=20,
            template="programmes/inmate_programmes.html",
            context=inmate_panel,
        )

        from . import subject

        subject_access.register(order=20, collect=subject.collect)

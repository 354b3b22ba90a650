from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def anonymise_assessments(sender, *, inmate, **kwargs):
    """Receiver of `inmate_anonymising` (module level: signals hold receivers weakly)."""
    from . import services

    return services.assessment_rows_anonymise(inmate=inmate)


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Asesmen")

    def ready(self):
        from rutan.core import panels, providers
        from rutan.core import subject as subject_access
        from rutan.inmates.signals import inmate_anonymising

        from . import eligibility, selectors
        from .selectors import inmate_assessment_summary

        inmate_anonymising.connect(anonymise_assessments, dispatch_uid="assessments-anonymise")
        providers.provide("inmate_literacy_level", selectors.latest_literacy_level)
        providers.provide("inmate_interest_areas", selectors.interest_areas)
        providers.provide("inmate_literacy_levels", selectors.latest_literacy_levels)
        providers.provide("inmate_interest_areas_of", selectors.interest_areas_of)
        providers.provide(
            "assimilation_eligibility",
            lambda *, inmate, on: eligibility.evaluate(inmate=inmate, kind="asimilasi", on=on),
        )

        def summary(request, inmate):
            data = inmate_assessment_summary(user=request.user, inmate=inmate)
            return {"summary": data} if data.get("visible") else None

        panels.register(
            "inmate_detail",
            order=30,
            template="assessments/includes/inmate_assessments.html",
            context=summary,
        )

        from . import subject

        subject_access.register(order=30, collect=subject.collect)

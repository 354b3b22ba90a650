from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def anonymise_guarantees(sender, *, inmate, **kwargs):
    """Receiver of `inmate_anonymising` (module level: signals hold receivers weakly)."""
    from . import services

    return services.guarantees_anonymise(inmate=inmate)


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Mitra dan kerja sama")

    def ready(self):
        from rutan.core import panels
        from rutan.core import subject as subject_access
        from rutan.core.roles import Perm
        from rutan.core.scoping import user_can
        from rutan.core.services import job_kinds_register
        from rutan.inmates.signals import inmate_anonymising

        from . import selectors
        from .models import PartnerJob

        job_kinds_register(PartnerJob.choices)
        inmate_anonymising.connect(anonymise_guarantees, dispatch_uid="partners-anonymise")

        def guarantees(request, inmate):
            # The only place a guarantor's NIK is shown in full (the inmate's own page).
            if not user_can(request.user, Perm.PARTNER_VIEW, inmate.facility):
                return None
            return {
                "inmate": inmate,
                "guarantees": list(selectors.guarantee_list(user=request.user, inmate=inmate)),
                "can_manage": user_can(request.user, Perm.PARTNER_MANAGE, inmate.facility),
            }

        panels.register(
            "inmate_detail",
            order=40,
            template="partners/includes/inmate_guarantees.html",
            context=guarantees,
        )

        from . import subject

        subject_access.register(order=40, collect=subject.collect)

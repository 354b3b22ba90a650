from django.contrib import admin

from rutan.core.admin import ScopedAdminMixin
from rutan.core.roles import Perm
from rutan.core.scoping import user_can

from . import services
from .models import Batch, Intern


@admin.register(Batch)
class BatchAdmin(ScopedAdminMixin, admin.ModelAdmin):
    view_perm = Perm.INTERN_VIEW
    manage_perm = Perm.INTERN_MANAGE
    list_display = ["name", "facility", "start_on", "end_on"]
    list_filter = ["facility"]
    search_fields = ["name"]
    list_select_related = ["facility"]
    fields = ["facility", "name", "programme_name", "start_on", "end_on"]

    def save_model(self, request, obj, form, change):
        services.batch_save(batch=obj, by=request.user)


@admin.register(Intern)
class InternAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Interns are created on the staff page (it opens the account and mails the link);
    here their campus, unit and mentor can be corrected."""

    view_perm = Perm.INTERN_VIEW
    manage_perm = Perm.INTERN_MANAGE
    scoped_fk_fields = ("batch",)
    list_display = ["user", "batch", "campus", "study_programme", "mentor", "unit"]
    list_filter = ["batch"]
    search_fields = ["user__full_name", "user__username", "campus"]
    list_select_related = ["user", "batch", "mentor"]
    fields = ["user", "batch", "campus", "study_programme", "unit", "mentor"]
    readonly_fields = ["user", "batch"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        if not request.user.is_staff:
            return False
        facility = obj.batch.facility_id if obj is not None else None
        return user_can(request.user, Perm.INTERN_MANAGE, facility)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "mentor" and field is not None:
            field.queryset = field.queryset.filter(
                memberships__role__in=["mentor", "facility_head"]
            ).distinct()
        return field

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        services.intern_update(
            intern=obj,
            by=request.user,
            campus=data["campus"],
            study_programme=data["study_programme"],
            unit=data["unit"],
            mentor=data["mentor"],
        )

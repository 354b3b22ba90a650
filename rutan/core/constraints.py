"""Model validation with every check constraint of a row judged in one query.

Django validates each `CheckConstraint` with a query of its own (`Q.check`), inside a
savepoint when a transaction is open: three statements per constraint, on every
`full_clean` of every service save. `validate_constraints` judges all of a row's check
constraints in one SELECT, each condition a column, with Django's own reading: a condition
that is NULL passes, one that names an excluded field is not judged, and a database error
falls back to Django's one-by-one check. Unique and other constraints are Django's.
"""

from contextlib import nullcontext

from django.core.exceptions import FieldError, ValidationError
from django.db import DatabaseError, connections, router, transaction
from django.db.models import BooleanField, CheckConstraint, ExpressionWrapper, Q, Value
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE


def _check_results(instance, model, checks, exclude, using) -> dict[int, bool] | None:
    """{index: passed} of `checks` on `instance` (one query); None on a database error.
    A constraint that names an excluded field is absent (Django skips it)."""
    against = instance._get_field_expression_map(meta=model._meta, exclude=exclude)
    query = Query(None)
    for name, value in against.items():
        if not hasattr(value, "resolve_expression"):
            value = Value(value)
        query.add_annotation(value, name, select=False)
    judged = []
    for index, constraint in checks:
        expression = ExpressionWrapper(Q(constraint.condition), output_field=BooleanField())
        try:
            query.add_annotation(expression, f"_check_{index}")
        except FieldError:
            continue
        judged.append(index)
    if not judged:
        return {}
    connection = connections[using]
    atomic = transaction.atomic(using=using) if connection.in_atomic_block else nullcontext()
    try:
        with atomic:
            row = query.get_compiler(using=using).execute_sql(SINGLE)
    except DatabaseError:
        return None
    # NULL passes, as a CHECK constraint does in the database.
    return {index: value is not False for index, value in zip(judged, row, strict=True)}


def validate_constraints(instance, exclude=None) -> None:
    """`Model.validate_constraints`, raising the same errors."""
    using = router.db_for_write(instance.__class__, instance=instance)
    errors = {}
    for model_class, model_constraints in instance.get_constraints():
        checks = [(i, c) for i, c in enumerate(model_constraints) if type(c) is CheckConstraint]
        results = _check_results(instance, model_class, checks, exclude, using) if checks else {}
        for index, constraint in enumerate(model_constraints):
            try:
                if results is not None and type(constraint) is CheckConstraint:
                    if not results.get(index, True):
                        raise ValidationError(
                            constraint.get_violation_error_message(),
                            code=constraint.violation_error_code,
                        )
                else:
                    constraint.validate(model_class, instance, exclude=exclude, using=using)
            except ValidationError as e:
                if getattr(e, "code", None) == "unique" and len(constraint.fields) == 1:
                    errors.setdefault(constraint.fields[0], []).append(e)
                else:
                    errors = e.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)

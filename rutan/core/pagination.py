"""The API's pagination (settings name it; this module imports no view)."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework import pagination
from rest_framework.exceptions import NotFound


class PageNumberPagination(pagination.PageNumberPagination):
    """DRF's page numbers, given at most once; the schema says where they start."""

    def get_page_number(self, request, paginator):
        if len(request.query_params.getlist(self.page_query_param)) > 1:
            raise NotFound(self.invalid_page_message)
        return super().get_page_number(request, paginator)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
                parameter["description"] = (
                    "A page number within the paginated result set; past the last page is a 404."
                )
        return parameters


COUNT_CAP = 5_000


class CappedPaginator(Paginator):
    """Django's paginator counting at most `COUNT_CAP` rows: a national list of 275,000 is
    not counted on every page. Past the cap `count` is the cap + 1 and `capped` is True
    (pages say "more than 5,000"; narrow the filters to count exactly)."""

    cap = COUNT_CAP

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if hasattr(rows, "query"):
            # Unordered: counting needs no sort of the whole table.
            return rows.order_by()[: self.cap + 1].count()
        return min(len(rows), self.cap + 1)

    @property
    def capped(self) -> bool:
        return self.count > self.cap


class CappedPageNumberPagination(PageNumberPagination):
    """The API's pages over `CappedPaginator`: `count` is exact unless `count_exact` is
    false, when there are more than `COUNT_CAP` rows."""

    django_paginator_class = CappedPaginator

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_exact"] = not self.page.paginator.capped
        return response

    def get_paginated_response_schema(self, schema):
        result = super().get_paginated_response_schema(schema)
        result["properties"]["count"]["description"] = (
            f"Rows in the list, counted up to {COUNT_CAP:,}; past that {COUNT_CAP + 1:,} and "
            "count_exact is false."
        )
        result["properties"]["count_exact"] = {"type": "boolean", "example": True}
        result["required"] = [*result.get("required", ["count", "results"]), "count_exact"]
        return result

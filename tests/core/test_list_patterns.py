"""The list patterns every page shares: numbered pagination (includes/pagination.html) and
the filter form with its fold (includes/filter_form.html)."""

import pytest
from django import forms
from django.core.paginator import Paginator
from django.template.loader import render_to_string

from rutan.core.pagination import CappedPaginator
from rutan.core.templatetags.rutan_forms import filter_parts, page_links
from tests.html import parse, text


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        (1, [1, 2, 3, None, 20]),
        (4, [1, 2, 3, 4, 5, 6, None, 20]),
        (10, [1, None, 8, 9, 10, 11, 12, None, 20]),
        (20, [1, None, 18, 19, 20]),
    ],
)
def test_page_links_show_the_ends_and_a_window(current, expected):
    page = Paginator(range(200), 10).get_page(current)
    assert page_links(page) == expected


def test_a_capped_count_shows_no_last_page():
    class Small(CappedPaginator):
        cap = 50

    page = Small(list(range(500)), 10).get_page(3)
    assert page.paginator.capped
    assert page_links(page) == [1, 2, 3, 4]


def test_the_pagination_names_every_page_and_marks_the_current_one():
    page = Paginator(range(200), 10).get_page(10)
    html = render_to_string("includes/pagination.html", {"page_obj": page, "query": "q=ab"})
    nav = parse(html).find(".//nav")
    links = [(a.attrib["href"], text(a), a.get("aria-current")) for a in nav.iter("a")]
    assert links[0] == ("?q=ab&page=9", "← Sebelumnya", None)
    assert ("?q=ab&page=10", "10", "page") in links and ("?q=ab&page=20", "20", None) in links
    assert links[-1] == ("?q=ab&page=11", "Berikutnya →", None)
    assert text(nav.find(".//p")) == "Halaman 10 dari 20"


class _Filters(forms.Form):
    kind = forms.CharField(required=False, widget=forms.HiddenInput)
    q = forms.CharField(label="Cari", required=False)
    block = forms.ChoiceField(label="Blok", choices=[("", "Semua"), ("a", "A")], required=False)
    stage = forms.ChoiceField(label="Tahap", choices=[("", "Semua"), ("b", "B")], required=False)


def test_filters_other_than_the_search_fold_until_one_is_set():
    parts = filter_parts(_Filters({"q": "budi"}))
    assert [f.name for f in parts["primary"]] == ["q"]
    assert [f.name for f in parts["more"]] == ["block", "stage"]
    assert [f.name for f in parts["hidden"]] == ["kind"] and parts["active"] == 0
    assert filter_parts(_Filters({"block": "a", "stage": "b"}))["active"] == 2
    assert filter_parts(_Filters({"block": "zz"}))["active"] == 1  # an error opens it too
    html = render_to_string(
        "includes/filter_form.html", {"form": _Filters({"block": "a"}), "label": "Saring"}
    )
    details = parse(html).find(".//details")
    assert "open" in details.attrib and text(details.find("summary")) == "Saringan lain (1 aktif)"

"""A person's name refuses markup everywhere it is typed (the register, users, partners'
people), with the character named; the marks real names have pass."""

import pytest
from django.core.exceptions import ValidationError

from rutan.core.validators import validate_person_name
from rutan.inmates.models import Inmate


@pytest.mark.parametrize(
    "name",
    # … and one that looks like a spreadsheet formula: kept as typed, neutralised on export.
    [
        "Ma'ruf Amin",
        "Maria Goreti Jelahu",
        "I Gusti Ngurah Rai",
        "Siti (Ani) Nur-Aini",
        "A. Yani, S.H.",
        "=cmd|' /C calc'!A0",
    ],
)
def test_the_marks_names_have_pass(name):
    validate_person_name(name)


@pytest.mark.parametrize(
    ("name", "char"),
    [
        ("<b>Budi</b>", "“<”"),
        ("{{ user.password }}", "“{”"),
        ("Budi\x00", "kendali"),
        ("Budi>", "“>”"),
    ],
)
def test_markup_is_refused_with_the_character_named(name, char):
    with pytest.raises(ValidationError) as exc:
        validate_person_name(name)
    assert exc.value.messages == [f"Nama tidak boleh berisi tanda {char}."]


def test_the_register_refuses_markup_in_a_name_and_saves_nothing(make_inmate, balikpapan):
    with pytest.raises(ValidationError) as exc:
        make_inmate(balikpapan, name='<img src=x onerror="alert(1)">')
    assert "name" in exc.value.message_dict
    assert not Inmate.objects.exists()


def test_the_api_refuses_markup_in_a_name(client, registrasi, balikpapan, make_inmate):
    inmate = make_inmate(balikpapan, name="Budi Santoso")
    client.force_login(registrasi)
    response = client.patch(
        f"/api/v1/inmates/{inmate.pk}/",
        {"name": "<script>x</script>"},
        content_type="application/json",
        HTTP_IF_MATCH=client.get(f"/api/v1/inmates/{inmate.pk}/")["ETag"],
    )
    assert response.status_code == 400, response.content
    inmate.refresh_from_db()
    assert inmate.name == "Budi Santoso"

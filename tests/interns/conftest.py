import datetime
import io
import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from interns import services
from interns.models import Batch, Intern
from rutan.core.roles import Role
from tests.factories import member

_n = itertools.count(1)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def today():
    return timezone.localdate(timezone.now(), datetime.timezone(datetime.timedelta(hours=8)))


@pytest.fixture
def batch(balikpapan, today):
    return Batch.objects.create(
        facility=balikpapan,
        name="Magang Nasional Batch III",
        start_on=today - datetime.timedelta(days=120),
        end_on=today + datetime.timedelta(days=60),
    )


@pytest.fixture
def mentor(balikpapan):
    return member(Role.MENTOR, facility=balikpapan, username="mentor")


@pytest.fixture
def make_intern(batch, mentor):
    """An intern account with profile (made directly: the service is tested on its own)."""

    def make(username=None, *, mentor=mentor, batch=batch):
        user = member(Role.INTERN, facility=batch.facility, username=username or f"m{next(_n)}")
        return Intern.objects.create(
            batch=batch,
            user=user,
            campus="Universitas Mulawarman",
            study_programme="Psikologi",
            mentor=mentor,
        )

    return make


@pytest.fixture
def intern(batch, mentor, magang):
    return Intern.objects.create(
        batch=batch,
        user=magang,
        campus="Universitas Mulawarman",
        study_programme="Psikologi",
        mentor=mentor,
    )


def log_data(**overrides):
    data = {
        "on": timezone.localdate() - datetime.timedelta(days=1),
        "start_time": datetime.time(9, 0),
        "end_time": datetime.time(11, 30),
        "log_type": "asesmen_literasi",
        "place": "Ruang pembinaan",
        "people_reached": 12,
        "description": "Asesmen buta aksara bersama Pembina Kepribadian.",
        "findings": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def make_log(today):
    def make(intern, *, submit=False, **overrides):
        log = services.log_save_draft(intern=intern, by=intern.user, data=log_data(**overrides))
        if submit:
            log = services.log_submit(log=log, by=intern.user)
        return log

    return make


def image_bytes(fmt="JPEG", size=(2400, 1800), exif=None):
    buf = io.BytesIO()
    image = Image.new("RGB", size, (30, 120, 200))
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buf, format=fmt, **kwargs)
    return buf.getvalue()


def upload(name="foto.jpg", content=None, content_type="image/jpeg"):
    return SimpleUploadedFile(name, content if content is not None else image_bytes(), content_type)

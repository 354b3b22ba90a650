from tests.reports.conftest import october, october_programmes, private_media  # noqa: F401

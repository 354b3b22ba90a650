"""The shared PDF renderer: fonts and static stylesheets are loaded once, not per document."""

import io
import threading

from pypdf import PdfReader

from rutan.core import pdf

HTML = "<html><body><p style=\"font-family: 'Rutan Sans'\">Laporan <b>bulanan</b></p></body></html>"


def _fonts(data: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(data))
    fonts = reader.pages[0]["/Resources"]["/Font"].values()
    return {str(font.get_object()["/BaseFont"]).split("+", 1)[-1] for font in fonts}


def test_fonts_and_stylesheets_are_fetched_once_per_thread(monkeypatch):
    monkeypatch.setattr(pdf, "_local", threading.local())
    fetched = []
    fetch = pdf.StaticOnlyFetcher.fetch

    def counting(self, url, headers=None):
        fetched.append(url)
        return fetch(self, url, headers)

    monkeypatch.setattr(pdf.StaticOnlyFetcher, "fetch", counting)
    first = pdf.html_to_pdf(HTML, stylesheets=("pdf/report.css",))
    assert set(fetched) == {
        "static:pdf/fonts.css",
        "static:pdf/document.css",
        "static:pdf/report.css",
        "static:fonts/LiberationSans-Regular.ttf",
        "static:fonts/LiberationSans-Bold.ttf",
        "static:fonts/LiberationSans-Italic.ttf",
    }
    fetched.clear()
    second = pdf.html_to_pdf(HTML, stylesheets=("pdf/report.css",))
    assert fetched == []
    # Both embed the bundled fonts, never a system font.
    assert _fonts(first) == _fonts(second) == {"Rutan-Sans", "Rutan-Sans-Bold"}


def test_another_thread_has_its_own_font_configuration():
    mine = pdf._shared().font_config
    theirs = []
    thread = threading.Thread(target=lambda: theirs.append(pdf._shared().font_config))
    thread.start()
    thread.join()
    assert theirs and theirs[0] is not mine

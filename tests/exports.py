"""Helpers to read the files the list pages export."""

import csv
import io

import openpyxl


def body(response) -> bytes:
    assert response.streaming
    return b"".join(response.streaming_content)


def csv_rows(response) -> list[list[str]]:
    data = body(response)
    assert data.startswith(b"\xef\xbb\xbf"), "CSV starts with a UTF-8 BOM for Excel"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(body(response)), read_only=True)
    return [list(row) for row in book.active.iter_rows(values_only=True)]

"""The HTML report: self-contained, escaped, and rendered by a real headless browser (Chromium)."""

from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from policylint.report import build_report, render
from policylint.report.model import Report

from conftest import SAMPLE, run_lint

Edit = Callable[[Path, str, str], None]


def html_of(root: Path, lang: str = "en") -> str:
    out = io.StringIO()
    render(build_report(run_lint(root, lang=lang), repository="repo"), "html", out)
    return out.getvalue()


@pytest.fixture(scope="module", params=["en", "ja"])
def page(request: pytest.FixtureRequest) -> tuple[str, str]:
    return request.param, html_of(SAMPLE, request.param)


def test_self_contained(page: tuple[str, str]) -> None:
    lang, text = page
    assert text.startswith("<!DOCTYPE html>") and f'<html lang="{lang}">' in text
    assert "<style>" in text and "@media print" in text and "<svg" in text
    # no scripts, no external resources: the only URL is the SVG namespace
    assert "<script" not in text.lower() and "<link" not in text.lower()
    assert re.findall(r"https?://[^\s\"'<>)]+", text) == ["http://www.w3.org/2000/svg"]
    assert not re.search(r"""\s(src|srcset)=""", text)
    assert "@import" not in text and "url(" not in text


def test_every_item_and_chapter(page: tuple[str, str]) -> None:
    _, text = page
    rows = re.findall(r'<tr class="item" id="item-(II\.\d\.\d\.\d)"', text)
    assert len(rows) == 22 == len(set(rows))
    for n in range(1, 9):
        assert f">II.{n}</text>" in text  # a bar of the chart per chapter


def test_japanese_and_english_words(page: tuple[str, str]) -> None:
    lang, text = page
    if lang == "ja":
        assert "準拠状況報告書" in text and "適合" in text and "今後 90 日以内の期限" in text
    else:
        assert "Compliance report" in text and "Due in the next 90 days" in text


def test_long_evidence_lists_are_capped(page: tuple[str, str]) -> None:
    lang, text = page
    classification = text.split('id="item-II.4.2.1"')[1].split("</tr>")[0]
    assert 'class="evidence-compact"' in classification
    assert classification.count("<a href=") == 24
    assert ("and 8 more" if lang == "en" else "ほか 8 件") in classification  # 32 files


def test_repository_text_is_escaped(sample: Path, edit: Edit) -> None:
    evil = "<script>alert(1)</script>&\"'"
    edit(
        sample / "policies/information-security-policy.md",
        "title: 情報セキュリティ基本方針",
        "title: '" + evil.replace("'", "''") + "'",
    )
    edit(
        # a partner whose report review falls due within the horizon (the timeline shows it)
        sample / "registers/external-parties.yaml",
        "name: ぎんこうリンク株式会社",
        'name: "<img src=x onerror=alert(1)>"',
    )
    text = html_of(sample)
    assert "<script" not in text and "<img" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#x27;" in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text


# ---------------------------------------------------------------------------------------------
# a real browser

CHROMIUM = next((c for c in ("chromium", "chromium-browser") if shutil.which(c)), None)
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed (apt-get install -y chromium; .ci/run installs it "
    "where apt-get exists)",
)


def chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess[bytes]:
    assert CHROMIUM is not None
    cmd = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *args,
    ]
    return subprocess.run(cmd, capture_output=True, timeout=120, check=False)


def decode_png(data: bytes) -> tuple[int, int, int, list[bytes]]:
    """(width, height, bytes per pixel, unfiltered rows) of an 8-bit RGB/RGBA PNG (stdlib only)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    width = height = bpp = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        ftype, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 0xFF
            elif ftype == 2:
                line[i] = (line[i] + b) & 0xFF
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("html")
    out = folder / "report.html"
    report: Report = build_report(run_lint(SAMPLE, lang="en"), repository="sample-repo")
    with open(out, "w", encoding="utf-8") as fh:
        render(report, "html", fh)
    return out


@needs_chromium
def test_browser_dom_shows_every_item(written: Path, tmp_path: Path) -> None:
    proc = chromium(["--dump-dom", written.as_uri()], tmp_path / "profile")
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-2000:]
    dom = proc.stdout.decode("utf-8")
    items = re.findall(r'<tr class="item" id="item-(II\.\d\.\d\.\d)" data-item="[^"]+" '
                       r'data-status="([a-z-]+)"', dom)  # fmt: skip
    assert len(items) == 22
    assert {s for _, s in items} <= {"met", "excepted", "not-assessed"}
    assert dom.count('class="chart"') == 1 and "<rect" in dom
    assert "II.1.1.1/policy-exists" in dom


@needs_chromium
def test_browser_screenshot_is_not_blank(written: Path, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    proc = chromium(
        [f"--screenshot={shot}", "--window-size=1280,2000", written.as_uri()], tmp_path / "profile"
    )
    assert proc.returncode == 0 and shot.is_file(), proc.stderr.decode(errors="replace")[-2000:]
    width, height, bpp, rows = decode_png(shot.read_bytes())
    assert (width, height) == (1280, 2000)
    colours: set[bytes] = set()
    non_white = 0
    for row in rows[::7]:
        for x in range(0, width * bpp, bpp * 5):
            px = row[x : x + 3]
            colours.add(px)
            non_white += px != b"\xff\xff\xff"
    assert len(colours) > 20, "the page looks blank"
    # the status colours of the chart and the badges are on the page
    assert b"\x2e\x7d\x32" in colours  # met (green)
    assert non_white > 500


@needs_chromium
def test_browser_prints_to_pdf(written: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    proc = chromium(
        ["--no-pdf-header-footer", f"--print-to-pdf={pdf}", written.as_uri()], tmp_path / "p"
    )
    assert proc.returncode == 0 and pdf.is_file(), proc.stderr.decode(errors="replace")[-2000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) >= 2  # A4 landscape: several pages


def test_png_decoder_on_a_tiny_image() -> None:
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    raw = b"\x00" + b"\xff\x00\x00" + b"\x00\xff\x00" + b"\x01" + b"\x00\x00\xff" + b"\x00\x00\x00"
    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    assert decode_png(png) == (2, 2, 3, [b"\xff\x00\x00\x00\xff\x00", b"\x00\x00\xff\x00\x00\xff"])

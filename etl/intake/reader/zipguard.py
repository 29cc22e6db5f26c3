"""ZIP helpers and the guards that run before any spreadsheet library sees the file.

Declared sizes, entry count and compression ratios are checked on the central directory;
then every member is decompressed from its raw bytes in 1 MiB chunks, counting real bytes
and checking each member's CRC. :class:`_TagScan` is the interface for scanners that want
to look at a member's decompressed XML while it streams past (see :mod:`etl.intake.reader.ooxml`).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator

from etl.core.errors import WorkbookRejected
from etl.intake.reader.messages import (
    MSG_BOMB_RATIO,
    MSG_DAMAGED,
    MSG_PASSWORD,
    MSG_UNREADABLE,
    MiB,
    _msg_too_large_unpacked,
)

CHUNK_SIZE = MiB
MAX_ZIP_ENTRIES = 10_000
MAX_RATIO = 200  # uncompressed : compressed, checked on members larger than 1 MiB
_SMALL_PART_LIMIT = MiB  # [Content_Types].xml, mimetype, manifest

ZIP_MAGIC = b"PK\x03\x04"


def _open_zip(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as exc:
        raise WorkbookRejected(MSG_DAMAGED) from exc


def _read_small(zf: zipfile.ZipFile, name: str) -> bytes:
    """Read a small member (at most 1 MiB are decompressed); damaged file on error."""
    try:
        with zf.open(name) as member:
            content = member.read(_SMALL_PART_LIMIT + 1)
    except RuntimeError as exc:  # member encrypted with a ZIP password
        raise WorkbookRejected(MSG_PASSWORD) from exc
    except (
        zipfile.BadZipFile,
        ValueError,
        EOFError,
        OSError,
        zlib.error,
        NotImplementedError,
    ) as exc:
        raise WorkbookRejected(MSG_DAMAGED) from exc
    if len(content) > _SMALL_PART_LIMIT:
        raise WorkbookRejected(MSG_DAMAGED)
    return content


def _check_declared_sizes(infos: list[zipfile.ZipInfo], max_unpacked: int) -> None:
    """Cheap checks on the central directory, before anything is decompressed."""
    if len(infos) > MAX_ZIP_ENTRIES:
        raise WorkbookRejected(MSG_BOMB_RATIO)
    if sum(info.file_size for info in infos) > max_unpacked:
        raise WorkbookRejected(_msg_too_large_unpacked(max_unpacked))
    for info in infos:
        if info.flag_bits & 0x1:
            raise WorkbookRejected(MSG_PASSWORD)
        if info.file_size > MiB and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise WorkbookRejected(MSG_BOMB_RATIO)


def _member_chunks(data: memoryview, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """Decompress one member from its raw bytes, ignoring its declared uncompressed size."""
    offset = info.header_offset
    header = bytes(data[offset : offset + 30])
    if len(header) < 30 or not header.startswith(ZIP_MAGIC):
        raise WorkbookRejected(MSG_DAMAGED)
    start = offset + 30 + int.from_bytes(header[26:28], "little")
    start += int.from_bytes(header[28:30], "little")
    raw = data[start : start + info.compress_size]
    if len(raw) < info.compress_size:
        raise WorkbookRejected(MSG_DAMAGED)
    if info.compress_type == zipfile.ZIP_STORED:
        for pos in range(0, len(raw), CHUNK_SIZE):
            yield bytes(raw[pos : pos + CHUNK_SIZE])
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        yield from _inflate(raw)
    else:  # Excel and LibreOffice only write stored or deflated members
        raise WorkbookRejected(MSG_UNREADABLE)


def _inflate(raw: memoryview) -> Iterator[bytes]:
    """Raw-deflate ``raw``, yielding at most CHUNK_SIZE bytes at a time."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        for pos in range(0, len(raw), 64 * 1024):
            pending = bytes(raw[pos : pos + 64 * 1024])
            while pending and not inflater.eof:
                yield inflater.decompress(pending, CHUNK_SIZE)
                pending = inflater.unconsumed_tail
        rest = inflater.flush()
    except zlib.error as exc:
        raise WorkbookRejected(MSG_DAMAGED) from exc
    if rest:
        yield rest
    if not inflater.eof:
        raise WorkbookRejected(MSG_DAMAGED)


class _TagScan:
    """Feeds decompressed XML chunk by chunk; ``_scan`` only ever sees whole start tags."""

    _MAX_TAIL = 64 * 1024

    def __init__(self) -> None:
        self._tail = b""

    def feed(self, chunk: bytes) -> None:
        buffer = self._tail + chunk
        cut = buffer.rfind(b"<")
        if cut < 0 or buffer.find(b">", cut) >= 0:
            cut = len(buffer)  # the last tag is complete
        self._scan(buffer[:cut])
        self._tail = buffer[cut:]
        if len(self._tail) > self._MAX_TAIL:  # no legitimate tag is this long
            self._scan(self._tail)
            self._tail = b""

    def finish(self) -> None:
        self._scan(self._tail)
        self._tail = b""

    def _scan(self, text: bytes) -> None:
        raise NotImplementedError


def _stream_members(
    data: bytes, infos: list[zipfile.ZipInfo], max_unpacked: int, scans: dict[str, _TagScan]
) -> None:
    """Decompress every member in chunks, counting real bytes and checking CRC and size."""
    view = memoryview(data)
    total = 0
    for info in infos:
        produced, crc, scan = 0, 0, scans.get(info.filename)
        for chunk in _member_chunks(view, info):
            produced += len(chunk)
            total += len(chunk)
            if total > max_unpacked:
                raise WorkbookRejected(_msg_too_large_unpacked(max_unpacked))
            crc = zlib.crc32(chunk, crc)
            if scan is not None:
                scan.feed(chunk)
        if produced != info.file_size or crc != info.CRC:
            raise WorkbookRejected(MSG_DAMAGED)
        if scan is not None:
            scan.finish()

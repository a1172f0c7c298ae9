#!/usr/bin/env python3
"""Generates the seed data's pictures (PNG, standard library only): an album cover per version, a lightstick, a
polaroid and a stage. Run it again to get the same files; the seed uploads them through the Catalog's API."""
import math
import struct
import zlib

W, H = 480, 360


def png(path, pixel):
    rows = bytearray()
    for y in range(H):
        rows.append(0)
        for x in range(W):
            rows.extend(pixel(x, y))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, 8, 2, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(bytes(rows), 9)))
        f.write(chunk(b"IEND", b""))


def mix(a, b, t):
    return tuple(int(a[i] + (b[i] - a[i]) * t) for i in range(3))


def album(top, bottom, ring):
    def pixel(x, y):
        d = math.hypot(x - W / 2, y - H / 2)
        if d < 18:
            return (250, 250, 250)
        if d < 130 and int(d) % 12 < 2:
            return ring
        if d < 130:
            return mix((20, 20, 28), (45, 45, 60), d / 130)
        return mix(top, bottom, y / H)
    return pixel


def lightstick(x, y):
    glow = max(0.0, 1 - math.hypot(x - W / 2, y - 120) / 110)
    if abs(x - W / 2) < 14 and 170 < y < 330:
        return (235, 235, 240)
    return mix((24, 16, 48), (190, 120, 255), glow)


def polaroid(x, y):
    if 110 < x < 370 and 30 < y < 330:
        if 125 < x < 355 and 45 < y < 260:
            return mix((255, 170, 200), (120, 170, 255), (x - 125) / 230)
        return (250, 248, 240)
    return (60, 52, 70)


def stage(x, y):
    beam = max(0.0, 1 - abs((x - W / 2) - (y - H) * 0.35) / 60) + max(0.0, 1 - abs((x - W / 2) + (y - H) * 0.35) / 60)
    base = mix((10, 8, 30), (60, 20, 90), y / H)
    return mix(base, (255, 240, 200), min(1.0, beam * 0.6))


png("album-a.png", album((255, 196, 214), (255, 120, 160), (255, 220, 230)))
png("album-b.png", album((170, 220, 255), (80, 140, 230), (200, 230, 255)))
png("album-c.png", album((220, 255, 200), (110, 200, 120), (230, 255, 220)))
png("lightstick.png", lightstick)
png("polaroid.png", polaroid)
png("stage.png", stage)

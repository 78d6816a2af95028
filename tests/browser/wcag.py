"""Colour arithmetic of WCAG 2 for the browser tests: relative luminance, contrast ratio,
and a colour with alpha drawn over an opaque one. Colours are lists of 0-255 sRGB
channels, with alpha (0 to 1) as a fourth value where it matters."""

from __future__ import annotations


def luminance(rgb: list[float]) -> float:
    """WCAG relative luminance of 0-255 sRGB values."""

    def channel(c: float) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: list[float], b: list[float]) -> float:
    """WCAG contrast ratio of two opaque colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def over(top: list[float], bottom: list[float]) -> list[float]:
    """``top`` (with alpha 0 to 1) composited over the opaque ``bottom``."""
    a = top[3] if len(top) > 3 else 1.0
    return [top[i] * a + bottom[i] * (1 - a) for i in range(3)] + [1.0]

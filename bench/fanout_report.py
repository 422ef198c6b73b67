"""The fan-out benchmark's targets (issue 20), met or missed, and its one summary line."""

from __future__ import annotations

TARGET_RATIO_P50 = 1.5
TARGET_RATIO_THROUGHPUT = 0.8
TARGET_ACK_P50_MS = 15.0
TARGET_PDF_RISE = 1.5


def targets(figures: dict, modes: list[str]) -> list[tuple[str, bool]]:
    """Each target of issue 20 this run measured, worded, and whether it is met."""
    checks = []
    for mode in modes:
        p = "fanout" if mode == "eventlet" else f"fanout_{mode}"
        if f"{p}_ratio_p50" not in figures:
            continue
        p50, throughput = figures[f"{p}_ratio_p50"], figures[f"{p}_ratio_throughput"]
        ack = figures[f"{p}_ack_p50_ms"]
        alone = figures.get(f"{p}_solo_ack_p50_ms")
        alone_text = f"; {alone:.1f} ms with one room posting" if alone is not None else ""
        checks += [
            (
                f"{mode}: p50 {p50:.2f}x bare (target <= {TARGET_RATIO_P50}x)",
                p50 <= TARGET_RATIO_P50,
            ),
            (
                f"{mode}: throughput {throughput:.2f}x bare (target >= {TARGET_RATIO_THROUGHPUT}x)",
                throughput >= TARGET_RATIO_THROUGHPUT,
            ),
            (
                f"{mode}: ack p50 {ack:.1f} ms{alone_text} (target <= {TARGET_ACK_P50_MS:.0f} ms)",
                ack <= TARGET_ACK_P50_MS,
            ),
        ]
    if "fanout_under_pdf_ratio_p99" in figures:
        rise = figures["fanout_under_pdf_ratio_p99"]
        checks.append(
            (
                f"under PDFs: p99 {rise:.2f}x plain (target <= {TARGET_PDF_RISE}x)",
                rise <= TARGET_PDF_RISE,
            )
        )
    return checks


def summary(figures: dict) -> str:
    parts = [f"fanout {figures['fanout_sizes']}"]
    for p, name in (("fanout", "eventlet"), ("fanout_gevent", "gevent")):
        if f"{p}_p50_ms" in figures:
            parts.append(
                f"{name} p50 {figures[f'{p}_p50_ms']:.1f} ms"
                f" = {figures[f'{p}_ratio_p50']:.2f}x bare,"
                f" throughput {figures[f'{p}_ratio_throughput']:.2f}x,"
                f" CPU per post {figures[f'{p}_ratio_cpu_per_post']:.2f}x,"
                f" ack p50 {figures[f'{p}_ack_p50_ms']:.1f} ms"
            )
    if "fanout_big_room_ratio_p50" in figures:
        parts.append(
            f"{figures['fanout_big_room_phones']} phones:"
            f" p50 {figures['fanout_big_room_ratio_p50']:.2f}x bare,"
            f" throughput {figures['fanout_big_room_ratio_throughput']:.2f}x"
        )
    if "fanout_two_process_ratio_throughput" in figures:
        parts.append(f"2 processes/1: {figures['fanout_two_process_ratio_throughput']:.2f}x")
    if "fanout_under_pdf_ratio_p99" in figures:
        parts.append(f"p99 under PDFs {figures['fanout_under_pdf_ratio_p99']:.2f}x")
    return "; ".join(parts)

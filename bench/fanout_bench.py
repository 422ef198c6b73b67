"""Fan-out of a live room: the app against a bare python-socketio server, in one run.

    .venv/bin/python bench/fanout_bench.py            # what `make bench` runs
    .venv/bin/python bench/fanout_bench.py --quick    # small sizes, a minute or two

R rooms of C phones (10 x 40 by default) on a real server process (`python -m
app.serve`, on a released instance); the phones are asyncio websockets in this process
(bench/sio_phone.py), joined through the join form, let in by the tutor's console,
posting through the app's own `post` event. Each room's first phone posts 50 cards,
each once the previous one reached every phone of the room; every room posts at once.
Figures: post-to-last-phone latency (p50, p90, p99), the poster's ack (p50), and
deliveries per second. The same client program then puts the same load, in the same
async mode, on bench/bare_server.py, and the ratios are printed: the clients share the
machine's two cores with the server, so read ratios, not times.

Also measured: both async modes; one room of 200 phones; two server processes on Redis
and PostgreSQL against one (throughput ratio); the room while five portfolio PDFs are
asked for (`fanout_under_pdf_*`, against plain rounds alternated with those). With
`--profile FILE`, one more round on the app with py-spy attached (not in the figures).

Prints the targets (met or missed), the figures as JSON and one summary line; merges the
figures into bench/results.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.fanout_load import LiveRoom, Round, connect_all, run_round  # noqa: E402
from bench.fanout_pdfs import PdfRequests  # noqa: E402
from bench.fanout_report import summary, targets  # noqa: E402
from bench.fanout_rooms import Room, app_rooms, bare_rooms  # noqa: E402
from bench.fanout_servers import (  # noqa: E402
    BareServer,
    postgres_database,
    services_missing,
    start_bare,
)
from bench.profile_top import Sampling, top_entries  # noqa: E402
from tests.fixtures.servers import ServerProcess, start_server  # noqa: E402

RESULTS = ROOT / "bench" / "results.json"
# Raised through the environment only (README, "Configuration"): at this load every
# per-phone, per-tutor and per-address budget would bite; the app's code is untouched.
# The socket guard's own per-address caps (50 unentered connections, 150 new a minute)
# have no setting: the phones come from one loopback address per 40 (fanout_rooms.py).
UNLIMITED = {
    "MIGRAPASS_RATE_LIMIT_PARTICIPANT": "1000000/10 seconds",
    "MIGRAPASS_RATE_LIMIT_STAFF": "1000000/10 seconds",
    "MIGRAPASS_RATE_LIMIT_KNOCKS_PER_ADDRESS": "1000000/10 minutes",
    "MIGRAPASS_RATE_LIMIT_PORTFOLIO_READS_PER_PERSON": "1000000/minute",
    "MIGRAPASS_RATE_LIMIT_EXPORTS_PER_PERSON": "1000000/10 minutes",
    "MIGRAPASS_SOCKET_MESSAGE_RATE": "1000000/3 seconds",
    "MIGRAPASS_REQUEST_RATE_PER_CLIENT": "1000000/5 seconds",
    "MIGRAPASS_REQUEST_RATE_PER_ADDRESS": "1000000/15 seconds",
    "MIGRAPASS_MAX_CONNECTIONS": "4096",
    "MIGRAPASS_MAX_CONNECTIONS_PER_ADDRESS": "4096",
}


@dataclass
class Sizes:
    rooms: int
    phones: int
    posts: int
    warmup: int
    rounds: int
    deflate: bool


# -- one comparison ---------------------------------------------------------------------------


@dataclass
class Crowd:
    """Connected rooms, and the server processes they load."""

    rooms: list[LiveRoom]
    pids: list[int]

    async def round(self, tag: str, sizes: Sizes) -> Round:
        return await run_round(self.rooms, tag, sizes.posts, sizes.warmup, self.pids)

    async def solo(self, tag: str, sizes: Sizes) -> Round:
        return await run_round(self.rooms[:1], tag, sizes.posts, sizes.warmup, self.pids)

    async def close(self) -> None:
        await asyncio.gather(*(room.close() for room in self.rooms))


def merged(rounds: list[Round]) -> Round:
    return Round(
        [ms for r in rounds for ms in r.latencies_ms],
        [ms for r in rounds for ms in r.acks_ms],
        sum(r.deliveries for r in rounds),
        sum(r.seconds for r in rounds),
        sum(r.client_cpu_s for r in rounds),
        sum(r.server_cpu_s for r in rounds),
    )


def keyed(prefix: str, figures: dict[str, float]) -> dict[str, float]:
    return {f"{prefix}_{name}": round(value, 2) for name, value in figures.items()}


def ratios(prefix: str, app: dict[str, float], bare: dict[str, float]) -> dict[str, float]:
    return {
        f"{prefix}_ratio_p50": round(app["p50_ms"] / bare["p50_ms"], 2),
        f"{prefix}_ratio_p99": round(app["p99_ms"] / bare["p99_ms"], 2),
        f"{prefix}_ratio_ack_p50": round(app["ack_p50_ms"] / bare["ack_p50_ms"], 2),
        f"{prefix}_ratio_throughput": round(app["deliveries_per_s"] / bare["deliveries_per_s"], 2),
        f"{prefix}_ratio_cpu_per_post": round(
            app["server_cpu_ms_per_post"] / bare["server_cpu_ms_per_post"], 2
        ),
    }


async def _against_bare(app: Crowd, bare: Crowd, sizes: Sizes, prefix: str) -> dict[str, float]:
    """Rounds on the bare server and on the app, alternated: drift hits both alike."""
    bare_rounds, app_rounds = [], []
    for n in range(sizes.rounds):
        bare_rounds.append(await bare.round(f"bare{n}", sizes))
        app_rounds.append(await app.round(f"app{n}", sizes))
    app_figures, bare_figures = merged(app_rounds).figures(), merged(bare_rounds).figures()
    figures = {
        **keyed(prefix, app_figures),
        **keyed(f"{prefix}_bare", bare_figures),
        **ratios(prefix, app_figures, bare_figures),
    }
    if len(app.rooms) > 1:
        # One room posting while the others only listen: the ack and the latency of a
        # post that queues behind nobody else's (the delayed-ACK stall showed here).
        bare_solo = (await bare.solo("bare-solo", sizes)).figures()
        app_solo = (await app.solo("app-solo", sizes)).figures()
        figures |= keyed(f"{prefix}_solo", app_solo) | keyed(f"{prefix}_bare_solo", bare_solo)
    return figures


async def _under_pdf(app: Crowd, url: str, sizes: Sizes, pdfs: int, repeat: bool) -> dict:
    """Plain rounds and rounds as `pdfs` phones ask for their portfolio PDF (bench/
    fanout_pdfs.py), alternated, a plain round first and last: `sizes.rounds` rounds under
    PDFs pooled, against the plain ones pooled, so that neither the board's growth from
    round to round nor one round's bad luck on a busy machine decides the ratio."""
    posters = [room.room.phone_cookies[0] for room in app.rooms]
    others = [room.room.phone_cookies[1] for room in app.rooms]
    plain, under, made = [await app.round("plain-0", sizes)], [], []
    for n in range(sizes.rounds):
        requesters = PdfRequests(url, [*posters, *others][:pdfs], repeat)
        await asyncio.to_thread(requesters.start)
        under.append(await app.round(f"under-pdf-{n}", sizes))
        made += await asyncio.to_thread(requesters.stop)
        plain.append(await app.round(f"plain-{n + 1}", sizes))
    plain_figures, under_figures = merged(plain).figures(), merged(under).figures()
    return {
        **keyed("fanout_under_pdf", under_figures),
        "fanout_plain_pdf_rounds_p99_ms": round(plain_figures["p99_ms"], 2),
        "fanout_under_pdf_ratio_p99": round(under_figures["p99_ms"] / plain_figures["p99_ms"], 2),
        "fanout_under_pdf_pdfs_made": len(made),
        "fanout_under_pdf_pdf_s": round(sum(made) / len(made), 2) if made else 0.0,
    }


def compare(
    mode: str, sizes: Sizes, prefix: str, folder: Path, options: argparse.Namespace
) -> dict:
    """The app (one process, SQLite, as `make run` serves) against the bare server."""
    print(f"{prefix}: {sizes.rooms} x {sizes.phones} phones, {mode}", flush=True)
    work = folder / prefix
    work.mkdir()
    app = start_server(work, mode, **UNLIMITED)
    bare = start_bare(mode, work / "bare.log")
    try:
        rooms, _tutor = app_rooms(app.url, sizes.rooms, sizes.phones, prefix)
        extras = prefix == "fanout" and mode == "eventlet"
        return asyncio.run(_compare(app, bare, rooms, sizes, prefix, options if extras else None))
    finally:
        app.stop()
        bare.stop()


async def _compare(
    app: ServerProcess,
    bare: BareServer,
    rooms: list[Room],
    sizes: Sizes,
    prefix: str,
    options: argparse.Namespace | None,
) -> dict:
    app_crowd = Crowd(await connect_all(rooms, [app.url], sizes.deflate), [app.process.pid])
    bare_crowd = Crowd(
        await connect_all(bare_rooms(sizes.rooms, sizes.phones), [bare.url], sizes.deflate),
        [bare.process.pid],
    )
    try:
        figures = await _against_bare(app_crowd, bare_crowd, sizes, prefix)
        if options is not None and options.pdfs:
            figures |= await _under_pdf(app_crowd, app.url, sizes, options.pdfs, options.pdf_repeat)
        if options is not None and options.profile:
            with Sampling(app.process.pid, options.profile) as sampled:
                await app_crowd.round("profiled", sizes)
            report = top_entries(options.profile, sampled.seconds)
            options.profile.with_suffix(".top.txt").write_text(report + "\n")
            print(report, flush=True)
        return figures
    finally:
        await app_crowd.close()
        await bare_crowd.close()


# -- two processes ----------------------------------------------------------------------------


def scale(sizes: Sizes, folder: Path, options: argparse.Namespace) -> dict:
    """One process against two, both on PostgreSQL and the Redis queue, the phones of
    every room spread over the two; throughput ratio."""
    queue = f"redis://127.0.0.1:6379/{options.redis_db}"
    missing = services_missing(queue, options.postgres)
    if missing is not None:
        print(f"fanout_two_process: skipped: {missing}", flush=True)
        return {"fanout_two_process_skipped": missing}
    secret = secrets.token_hex(32)  # both processes sign and read the same cookies
    shared = {**UNLIMITED, "SOCKETIO_MESSAGE_QUEUE": queue, "SECRET_KEY": secret}
    result = {}
    for processes in (1, 2):
        label = "fanout_one_process_pg" if processes == 1 else "fanout_two_process"
        print(f"{label}: {sizes.rooms} x {sizes.phones} phones, {processes} process(es)")
        with postgres_database(options.postgres) as database:
            servers = []
            try:
                for n in range(processes):
                    work = folder / f"{label}-{n}"
                    work.mkdir()
                    servers.append(start_server(work, "eventlet", DATABASE_URL=database, **shared))
                rooms, _tutor = app_rooms(servers[0].url, sizes.rooms, sizes.phones, label)
                urls = [server.url for server in servers]
                pids = [server.process.pid for server in servers]
                result[label] = asyncio.run(_alone(rooms, urls, pids, sizes, label))
            finally:
                for server in servers:
                    server.stop()
    one, two = result["fanout_one_process_pg"], result["fanout_two_process"]
    figures = {**keyed("fanout_one_process_pg", one), **keyed("fanout_two_process", two)}
    figures["fanout_two_process_ratio_throughput"] = round(
        two["deliveries_per_s"] / one["deliveries_per_s"], 2
    )
    figures["fanout_two_process_ratio_p50"] = round(two["p50_ms"] / one["p50_ms"], 2)
    return figures


async def _alone(
    rooms: list[Room], urls: list[str], pids: list[int], sizes: Sizes, tag: str
) -> dict[str, float]:
    crowd = Crowd(await connect_all(rooms, urls, sizes.deflate), pids)
    try:
        return merged(
            [await crowd.round(f"{tag}{n}", sizes) for n in range(sizes.rounds)]
        ).figures()
    finally:
        await crowd.close()


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rooms", type=int, help="rooms (10; --quick: 3)")
    parser.add_argument("--phones", type=int, help="phones per room (40; --quick: 10)")
    parser.add_argument("--posts", type=int, help="measured posts per room (50; --quick: 10)")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured posts per round")
    parser.add_argument("--rounds", type=int, default=2, help="app/bare rounds, alternated")
    parser.add_argument("--modes", default="eventlet,gevent")
    parser.add_argument("--big-room", type=int, help="its phones (200; --quick: 30); 0 skips")
    parser.add_argument("--pdfs", type=int, default=5, help="PDFs asked for at once; 0 skips")
    parser.add_argument(
        "--pdf-repeat", action="store_true", help="each asks again once its PDF is down"
    )
    parser.add_argument("--no-scale", dest="scale", action="store_false")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis-db", type=int, default=14)
    parser.add_argument("--no-deflate", dest="deflate", action="store_false")
    parser.add_argument("--profile", type=Path, help="py-spy's raw output of one more round")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a try")
    parser.add_argument(
        "--results", type=Path, default=RESULTS, help="where the figures are merged"
    )
    args = parser.parse_args()
    # Sizes given on the command line win over --quick's, which win over the defaults.
    small = {"rooms": 3, "phones": 10, "posts": 10, "big_room": 30}
    full = {"rooms": 10, "phones": 40, "posts": 50, "big_room": 200}
    for name, value in (small if args.quick else full).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    return args


def main() -> None:
    args = arguments()
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    sizes = Sizes(args.rooms, args.phones, args.posts, args.warmup, args.rounds, args.deflate)
    figures: dict = {"fanout_sizes": f"{sizes.rooms}x{sizes.phones}x{sizes.posts}"}
    # The machine's other load takes cores from the server and the clients: kept with
    # the figures, so that a run on a busy machine reads as one.
    loads = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory(prefix="fanout-") as folder:
        for mode in modes:
            prefix = "fanout" if mode == "eventlet" else f"fanout_{mode}"
            figures |= compare(mode, sizes, prefix, Path(folder), args)
            loads.append(os.getloadavg()[0])
        if args.big_room:
            big = Sizes(1, args.big_room, args.posts, args.warmup, args.rounds, args.deflate)
            figures |= compare("eventlet", big, "fanout_big_room", Path(folder), args)
            figures["fanout_big_room_phones"] = args.big_room
        if args.scale:
            figures |= scale(sizes, Path(folder), args)
    loads.append(os.getloadavg()[0])
    figures["fanout_machine_load_max"] = round(max(loads), 2)
    for text, met in targets(figures, modes):
        print(f"{'met   ' if met else 'MISSED'}  {text}")
    print(json.dumps(figures, indent=2, sort_keys=True))
    results = json.loads(args.results.read_text()) if args.results.exists() else {}
    if "fanout_two_process_ratio_throughput" in figures:  # an earlier run's skip is stale
        results.pop("fanout_two_process_skipped", None)
    results.update(figures)
    args.results.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    print(summary(figures))


if __name__ == "__main__":
    main()

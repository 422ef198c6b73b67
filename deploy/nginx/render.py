"""Write deploy/nginx/migrapass.conf for one site: its public address, its certificate
and its app processes. Standard library only, so it runs with the system's python3:

    python3 deploy/nginx/render.py --public-url https://live.example.org/live \\
        --certificate /etc/letsencrypt/live/live.example.org/fullchain.pem \\
        --certificate-key /etc/letsencrypt/live/live.example.org/privkey.pem \\
        --app 127.0.0.1:5001 --app 127.0.0.1:5002 > /etc/nginx/sites-available/migrapass

The public URL is the app's PUBLIC_URL: the same address, path prefix included.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from string import Template
from urllib.parse import urlsplit

TEMPLATE = Path(__file__).with_name("migrapass.conf")


def render(
    public_url: str,
    certificate: str,
    certificate_key: str,
    apps: list[str],
    http_port: int = 80,
    template: Path = TEMPLATE,
) -> str:
    """The configuration for this site; refuses what nginx would misread."""
    parts = urlsplit(public_url)
    if parts.scheme != "https" or not parts.hostname:
        raise ValueError(f"the public URL must be https://host[:port][/prefix], not {public_url!r}")
    prefix = parts.path.rstrip("/")
    if prefix and not re.fullmatch(r"(/[A-Za-z0-9._~-]+)+", prefix):
        raise ValueError(f"the path prefix {prefix!r} must be plain path segments")
    if not apps:
        raise ValueError("name at least one app process (host:port)")
    for app in apps:
        if not re.fullmatch(r"[A-Za-z0-9.:\[\]-]+:\d+", app):
            raise ValueError(f"an app process is host:port, not {app!r}")
    port = parts.port or 443
    origin = f"https://{parts.netloc}"
    servers = "\n".join(f"    server {app} max_fails=1 fail_timeout=10s;" for app in apps)
    text = Template(template.read_text()).safe_substitute(
        SERVER_NAME=parts.hostname,
        HTTPS_PORT=str(port),
        HTTP_PORT=str(http_port),
        PUBLIC_ORIGIN=origin,
        PREFIX=prefix,
        CERTIFICATE=certificate,
        CERTIFICATE_KEY=certificate_key,
        APP_SERVERS=servers,
        # Under a prefix, the host's bare address (typed by hand) leads to the app too.
        ROOT_REDIRECT=f"location = / {{ return 302 {prefix}/; }}" if prefix else "",
    )
    left = re.findall(r"\$\{\w+\}", text)
    if left:
        raise ValueError(f"the template names what render() does not fill: {left}")
    return text


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write the nginx site of Migrapass Live.")
    parser.add_argument("--public-url", required=True, help="PUBLIC_URL, e.g. https://host/live")
    parser.add_argument("--certificate", required=True, help="the certificate chain (PEM)")
    parser.add_argument("--certificate-key", required=True, help="its private key (PEM)")
    parser.add_argument(
        "--app", action="append", required=True, help="an app process, host:port (repeat)"
    )
    parser.add_argument("--http-port", type=int, default=80, help="redirected to https")
    args = parser.parse_args(argv)
    try:
        site = render(
            args.public_url, args.certificate, args.certificate_key, args.app, args.http_port
        )
    except ValueError as exc:
        parser.error(str(exc))  # the reason and the usage, exit status 2, no traceback
    sys.stdout.write(site)


if __name__ == "__main__":
    main()

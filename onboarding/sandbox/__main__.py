"""``python -m onboarding.sandbox``: run the sandbox until interrupted."""

from __future__ import annotations

import argparse
import logging
import sys

from .config import Config
from .http import make_server
from .provider import Sandbox


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m onboarding.sandbox", description="Run the payment provider sandbox."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--api-key", default="sandbox-key")
    parser.add_argument("--webhook-url", default=None, help="where the signed events go")
    parser.add_argument("--webhook-secret", default="whsec_sandbox")
    parser.add_argument("--activation-delay", type=float, default=1.0, help="seconds")
    parser.add_argument("--webhook-max-attempts", type=int, default=5)
    parser.add_argument("--webhook-backoff", type=float, default=0.5, help="seconds, doubling")
    parser.add_argument("--refund-delay", type=float, default=0.5, help="seconds")
    parser.add_argument("--dispute-delay", type=float, default=2.0, help="seconds")
    parser.add_argument(
        "--payout-interval", type=float, default=86400.0, help="seconds between payouts; 0: none"
    )
    parser.add_argument("--session-lifetime", type=float, default=1800.0, help="seconds")
    parser.add_argument("--state-file", default=None, help="JSON file that keeps accounts")
    parser.add_argument("--log-level", default="INFO")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), stream=sys.stderr, format="%(asctime)s %(message)s"
    )
    config = Config(
        api_key=args.api_key,
        webhook_url=args.webhook_url,
        webhook_secret=args.webhook_secret,
        activation_delay=args.activation_delay,
        webhook_max_attempts=args.webhook_max_attempts,
        webhook_backoff=args.webhook_backoff,
        refund_delay=args.refund_delay,
        dispute_delay=args.dispute_delay,
        session_lifetime=args.session_lifetime,
        payout_interval=args.payout_interval,
    )
    server = make_server(args.host, args.port, Sandbox(config, args.state_file))
    host, port = server.socket.getsockname()[:2]
    # The one line on stdout: tests read it to learn the port when started with --port 0.
    sys.stdout.write(f"Payments sandbox listening on http://{host}:{port}\n")
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

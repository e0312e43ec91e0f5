"""`fanarchive serve`: the production server — gunicorn on every core, static files by
whitenoise — after collecting static files."""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


class Command(BaseCommand):
    help = "Run the archive with a production server (gunicorn, one worker process per core)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers",
            type=int,
            default=default_workers(),
            help="worker processes (default: one per core)",
        )
        parser.add_argument("--threads", type=int, default=4, help="threads per worker")
        parser.add_argument("--timeout", type=int, default=60)
        parser.add_argument(
            "--max-queue-ms",
            type=int,
            default=1500,  # under the 2 s at which clients such as wrk give up
            metavar="MS",
            help="answer 503 + Retry-After at once to a request that waited longer than this "
            "for a free thread (default 1500; 0: never)",
        )
        parser.add_argument(
            "--max-in-flight",
            type=int,
            default=0,
            metavar="N",
            help="requests one worker runs at once; more are answered 503 at once "
            "(default 0: as many as threads)",
        )
        parser.add_argument(
            "--no-guest-cache",
            action="store_true",
            help="do not keep guests' work pages and listing blurbs in memory",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not start the background-task worker (ebook conversions) beside the server",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stderr.write(
                self.style.WARNING(
                    "The database has unapplied migrations: run `fanarchive migrate` first."
                )
            )
        call_command("collectstatic", interactive=False, verbosity=0)
        connection.close()  # each worker opens its own
        # Load shedding (fanarchive/core/loadshed.py), read when the application loads below.
        settings.FANARCHIVE_MAX_QUEUE_MS = max(0, options["max_queue_ms"])
        settings.FANARCHIVE_MAX_IN_FLIGHT = max(0, options["max_in_flight"])
        settings.FANARCHIVE_GUEST_CACHE = not options["no_guest_cache"]

        from gunicorn.app.base import BaseApplication

        from config.wsgi import application

        bind = f"[{options['host']}]" if ":" in options["host"] else options["host"]
        config = {
            "bind": f"{bind}:{options['port']}",
            "workers": options["workers"],
            "threads": options["threads"],
            # gthread, recording when each request was queued (for the load shedding).
            "worker_class": "fanarchive.core.server.QueueTimedWorker",
            "timeout": options["timeout"],
            "graceful_timeout": 10,
            "accesslog": "-" if settings.DEBUG else None,
            "errorlog": "-",
            "loglevel": "warning",
            "proc_name": "fanarchive",
        }

        class Server(BaseApplication):  # type: ignore[misc]
            def load_config(self) -> None:
                for key, value in config.items():
                    if value is not None:
                        self.cfg.set(key, value)

            def load(self) -> Any:
                return application

        worker = None if options["no_worker"] else _start_worker()
        url = f"http://{bind}:{options['port']}/"
        self.stdout.write(
            self.style.SUCCESS(
                f"fanarchive is serving at {url} "
                f"({options['workers']} workers x {options['threads']} threads; Ctrl-C stops it)"
            )
        )
        try:
            Server().run()
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)


def _start_worker() -> subprocess.Popen[bytes]:
    """The background-task worker (django-tasks' database backend), as a child process that
    ends with the server: slow work such as calibre conversions runs there."""
    worker = subprocess.Popen(
        [sys.executable, "-m", "fanarchive.core.cli", "db_worker"],
    )
    atexit.register(worker.terminate)
    return worker

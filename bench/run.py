"""Benchmark of the portal's key pages at pilot and national scale, against DATABASE_URL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/run.py
    .venv/bin/python bench/run.py                      # SQLite files under bench/results/

For each scale it prepares a database of its own once (SQLite: a file beside the results;
PostgreSQL: a database `ksr_bench_<scale>` on the same server): migrate, the pilot fixture, the
demo accounts, `generate_synthetic --scale <scale>`. Then, in a fresh process per scale, it opens
every page as the role that uses it, several times, and records the median and 95th percentile time
and the number of queries: every report page for the calendar periods (month, quarter, year, year to
date) and for a range of days (reports keep no cache, so every request computes its figures); it
times the raw SQL behind the national dashboard (the floor the page cannot beat) and a 10,000-row
Windows-1250 participant file through its import job (rolled back). Last, it serves the portal with gunicorn and counts
requests per second of the dashboard under concurrent clients, against the home page as the floor,
and runs the mixed load: readers on the national dashboard, a region report and the home page while
a KIS coordinator saves an attendance sheet through its page at 0, 0.5 and 2 writes a second,
reporting the readers' median and p95 and the save's at each rate. It writes
bench/results/<database>.json and a Markdown table with the ratio national ÷ pilot.
"""

import argparse
import datetime
import io
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SCALES = ["pilot", "national"]
PERIOD = "od=2025-01-01&do=2026-11-02"  # a range of days
CALENDAR = {
    "month": "od=2026-10-01&do=2026-10-31",
    "quarter": "od=2026-07-01&do=2026-09-30",
    "year": "od=2025-01-01&do=2025-12-31",
    "year to date": "",
}
WORKERS = 3
WRITE_RATES = [0, 0.5, 2]


def database_for(scale):
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        parts = urlparse(url)
        return urlunparse(parts._replace(path=f"/ksr_bench_{scale}"))
    return f"sqlite:///{RESULTS / f'{scale}.sqlite3'}"


def run(args, env, **kwargs):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs)


def prepare(scale):
    url = database_for(scale)
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1"}
    if url.startswith("postgres"):
        import psycopg

        server = urlunparse(urlparse(url)._replace(path="/postgres"))
        with psycopg.connect(server, autocommit=True) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [f"ksr_bench_{scale}"]
            ).fetchone()
            if not exists:
                connection.execute(f'CREATE DATABASE "ksr_bench_{scale}"')
    run(["migrate", "--noinput", "--verbosity", "0"], env)
    marker = "[SYNT]" if scale != "pilot" else "[DEMO]"
    check = (
        "from stakeholders.models import Organization as O; "
        f"print(O.objects.filter(name__startswith='{marker}').exists())"
    )
    present = run(["shell", "-c", check], env, capture_output=True, text=True).stdout.split()[-1] == "True"
    if not present:
        started = time.monotonic()
        run(["loaddata", "pilot", "--verbosity", "0"], env)
        run(["create_demo_accounts"], env, capture_output=True)
        run(["generate_synthetic", "--scale", scale], env)
        print(f"{scale}: generated in {time.monotonic() - started:.0f} s", flush=True)
    return url


def measure(scale, runs, import_only=False):
    """In this process, against this scale's database: every page, the dashboard's floor, the import job."""
    import django

    os.environ.update(
        DEBUG="0", SECRET_KEY="bench-only-key-0123456789-abcdefghijklmnopqrstuvwxyz", SECURE_SSL_REDIRECT="0"
    )
    os.environ.update(ALLOWED_HOSTS="127.0.0.1", DJANGO_SETTINGS_MODULE="ksr_portal.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from clubs.models import Club
    from networks.models import Network
    from participants.models import Participant

    club = Club.objects.order_by("pk").first()
    person = Participant.objects.filter(enrollments__club=club).order_by("pk").first()
    network = Network.objects.filter(kind="local", hub_club=club).first()
    reports = [
        ("national dashboard", "analityk", "/raporty/?"),
        ("region report", "rops", "/raporty/region/26/?"),
        ("EU indicators", "analityk", "/raporty/wskazniki-ue/?"),
    ]
    pages = [(f"{name}: days", user, f"{path}{PERIOD}") for name, user, path in reports]
    pages += [(f"{name}: {kind}", user, f"{path}{q}") for name, user, path in reports for kind, q in CALENDAR.items()]
    pages += [
        ("annual club report (national)", "analityk", "/raporty/sprawozdanie-roczne/?rok=2025"),
        ("annual club report (region)", "rops", "/raporty/sprawozdanie-roczne/?rok=2025"),
        ("club page", "koordynator.kis", f"/admin/clubs/club/{club.pk}/change/"),
        ("coordinator worklist", "koordynator.kis", "/klub/"),
        ("participant timeline", "koordynator.kis", f"/uczestnicy/{person.pk}/"),
        ("coverage matrix", "rops", f"/sieci/{network.pk}/"),
        ("public directory", None, "/katalog/"),
    ]
    for model in ("participant", "enrollment", "attendance"):
        base = f"/admin/participants/{model}/"
        filtered = {"participant": "sex=female", "enrollment": "status=active", "attendance": "status=present"}[model]
        pages += [
            (f"admin {model}s: first page", "admin", base),
            (f"admin {model}s: filtered", "admin", f"{base}?{filtered}"),
            (f"admin {model}s: surname search", "admin", f"{base}?q=Demo-Nowak"),
        ]
    client = Client(HTTP_HOST="127.0.0.1")
    if import_only:
        return {"participant import": import_job(User.objects.get(username="koordynator.kis"), client)}
    results = {}
    for name, username, url in pages:
        client.logout()
        if username:
            verified_login(client, User.objects.get(username=username))
        started = time.perf_counter()
        client.get(url)  # the first request
        first = time.perf_counter() - started
        times, queries = [], 0
        for _i in range(runs):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - started)
            assert response.status_code == 200, (name, response.status_code)
            queries = len(captured)
        results[name] = summary(times) | {"queries": queries, "first_ms": round(first * 1000, 1)}
    # The floor of the dashboard: its own SQL, run directly.
    verified_login(client, User.objects.get(username="analityk"))
    with CaptureQueriesContext(connection) as captured:
        client.get(f"/raporty/?{PERIOD}")
    statements = [q["sql"] for q in captured if q["sql"].lstrip().upper().startswith("SELECT")]
    floor = []
    for _i in range(runs):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()
        floor.append(time.perf_counter() - started)
    results["dashboard SQL floor"] = summary(floor) | {"queries": len(statements)}
    results["participant import"] = import_job(User.objects.get(username="koordynator.kis"), client)
    return results


def import_job(user, client):
    """A 10,000-row Windows-1250 semicolon participant file through its import job, rolled back: the upload
    request, the worker's preview, the job's page, the confirmation request and the worker's write."""
    from django.db import transaction
    from django.test import override_settings
    from django.urls import reverse
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    from demo.pilot import make_pesel
    from ksr_portal.models import ImportJob

    rows = ["pesel;imie;nazwisko;plec;data_zgloszenia;wyksztalcenie;kategorie"]
    for n in range(10_000):
        born = datetime.date(2000 - n % 40, n % 12 + 1, n % 28 + 1)
        pesel = make_pesel(born, male=n % 2 == 0, serial=4000 + n // 480)
        rows.append(f"{pesel};Łucja;Żółkiewska-{n};{'M' if n % 2 == 0 else 'K'};05.11.2026;isced_3;5")
    upload = io.BytesIO("\n".join(rows).encode("cp1250"))
    upload.name = "uczestnicy.csv"
    worker = Worker(
        queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False, max_tasks=None,
        worker_id="bench", excluded_queue_names=[],
    )  # fmt: skip

    def work():
        """The worker's own run of the task waiting, without its polling loop (which would end the transaction)."""
        task = DBTaskResult.objects.ready().get_locked()
        task.claim(worker.worker_id)
        started, cpu = time.perf_counter(), time.process_time()
        worker.run_task(task)
        # The process's own CPU time beside the wall-clock time: on a shared machine the latter waits for others.
        return time.perf_counter() - started, time.process_time() - cpu

    def timed(method, url, data=None):
        started = time.perf_counter()
        response = getattr(client, method)(url, data or {})
        assert response.status_code in (200, 302), (url, response.status_code)
        return time.perf_counter() - started

    client.force_login(user)
    # Signed in as force_login signs in, without the second step: what this measures is the import.
    with override_settings(TWO_FACTOR=None), transaction.atomic():
        upload_url = reverse("admin:participants_enrollment_import")
        upload_request = timed("post", upload_url, {"import_file": upload, "format": 0})
        job = ImportJob.objects.latest("pk")
        preview, preview_cpu = work()
        page = timed("get", reverse("admin:importjob_detail", args=[job.pk]))
        job.refresh_from_db()
        assert job.status == "ready" and job.preview["totals"]["new"] == 10_000, job.message or job.preview
        confirm_request = timed("post", reverse("admin:importjob_confirm", args=[job.pk]))
        write, write_cpu = work()
        job.refresh_from_db()
        assert job.status == "imported" and job.rows_written == 10_000, job.message
        transaction.set_rollback(True)
    return {
        "rows": 10_000,
        "upload_request_ms": round(upload_request * 1000, 1),
        "preview_seconds": round(preview, 2),
        "job_page_ms": round(page * 1000, 1),
        "confirm_request_ms": round(confirm_request * 1000, 1),
        "confirm_seconds": round(write, 2),
        "rows_per_second": round(10_000 / write),
        "preview_cpu_seconds": round(preview_cpu, 2),
        "confirm_cpu_seconds": round(write_cpu, 2),
    }


def verified_login(client, user):
    """Sign `client` in as `user` with the second factor given, as the user would have."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(user=user, name="bench")
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def timed(opener, request):
    """Seconds one request took, and whether it answered 200 (or the redirect after a saved form)."""
    started = time.perf_counter()
    try:
        ok = opener.open(request, timeout=120).status == 200
    except urllib.error.HTTPError as error:
        ok = error.code == 302
    except OSError:
        ok = False
    return time.perf_counter() - started, ok


def serve_load(url, seconds, clients, mixed_seconds):
    """Served as `make serve` does (gunicorn): requests per second of the dashboard under `clients`
    concurrent clients against the home page as the floor, then the mixed run of readers and writers."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    login = (
        "from django.contrib.auth.models import User; from django.test import Client; "
        "from bench.run import verified_login; from clubs.models import Activity; "
        "from participants.models import Attendance; "
        "cookies = []\n"
        "for name in ('analityk', 'koordynator.kis'):\n"
        "    c = Client(); verified_login(c, User.objects.get(username=name))\n"
        "    cookies.append(c.cookies['sessionid'].value)\n"
        "club = User.objects.get(username='koordynator.kis').scope.club_id\n"
        "sheet = Attendance.objects.filter(activity__club=club).order_by('-activity__held_on').first().activity_id\n"
        "print(*cookies, sheet)"
    )
    out = run(["shell", "-c", login], env, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    analyst, coordinator, sheet = out.split()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [gunicorn, "ksr_portal.wsgi", "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}", "--timeout", "120"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _i in range(100):
            try:
                urllib.request.urlopen(f"{base}/katalog/", timeout=5)
                break
            except OSError:
                time.sleep(0.2)
        results = throughput(base, analyst, seconds, clients)
        results["mixed"] = mixed(base, analyst, coordinator, sheet, mixed_seconds)
        return results
    finally:
        server.terminate()
        server.wait()


def throughput(base, session, seconds, clients):
    results = {}
    for name, path in [("home page (floor)", "/"), ("national dashboard", f"/raporty/?{PERIOD}")]:
        done, failed = [0], [0]
        lock = threading.Lock()

        request = urllib.request.Request(base + path, headers={"Cookie": f"sessionid={session}"})

        def client(deadline, request=request, done=done, failed=failed, lock=lock):
            while time.monotonic() < deadline:
                try:
                    ok = urllib.request.urlopen(request, timeout=120).status == 200
                except OSError:
                    ok = False
                with lock:
                    (done if ok else failed)[0] += 1

        # Every worker opens the page once before the clock starts.
        warm = [threading.Thread(target=urllib.request.urlopen, args=(request,)) for _w in range(2 * WORKERS)]
        for thread in warm:
            thread.start()
        for thread in warm:
            thread.join()
        started = time.monotonic()
        deadline = started + seconds
        threads = [threading.Thread(target=client, kwargs={"deadline": deadline}) for _c in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        results[name] = {"requests_per_second": round(done[0] / elapsed, 1), "failed": failed[0]}
    return results


def mixed(base, analyst, coordinator, sheet, seconds):
    """{rate: {what: median and p95}}: readers of the dashboard, a region report and the home page (one
    client each, as the analyst) while the coordinator saves an attendance sheet `rate` times a second,
    each save changing every mark on it."""
    readers = {
        "national dashboard": f"/raporty/?{PERIOD}",
        "region report": f"/raporty/region/26/?{PERIOD}",
        "home page": "/",
    }
    opener = urllib.request.build_opener(NoRedirect)
    page = opener.open(
        urllib.request.Request(f"{base}/klub/zajecia/{sheet}/obecnosc/", headers={"Cookie": f"sessionid={coordinator}"})
    )
    html = page.read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    csrf_cookie = re.search(r"csrftoken=([^;]+)", page.headers.get("Set-Cookie", "")).group(1)
    people = sorted(set(re.findall(r'name="status-(\d+)"', html)))
    results = {}
    for rate in WRITE_RATES:
        times = {name: [] for name in [*readers, "attendance save"]}
        failed = [0]
        deadline = time.monotonic() + seconds

        def reader(name, path, deadline=deadline, times=times, failed=failed):
            request = urllib.request.Request(base + path, headers={"Cookie": f"sessionid={analyst}"})
            while time.monotonic() < deadline:
                took, ok = timed(opener, request)
                times[name].append(took)
                failed[0] += not ok

        def writer(rate=rate, deadline=deadline, times=times, failed=failed):
            due, n = time.monotonic(), 0
            while time.monotonic() < deadline:
                mark = ("present", "absent")[n % 2]
                data = {"csrfmiddlewaretoken": csrf} | {f"status-{pk}": mark for pk in people}
                request = urllib.request.Request(
                    f"{base}/klub/zajecia/{sheet}/obecnosc/",
                    data=urllib.parse.urlencode(data).encode(),
                    headers={"Cookie": f"sessionid={coordinator}; csrftoken={csrf_cookie}"},
                )
                took, ok = timed(opener, request)
                times["attendance save"].append(took)
                failed[0] += not ok
                n += 1
                due += 1 / rate
                time.sleep(max(0.0, due - time.monotonic()))

        threads = [threading.Thread(target=reader, args=item) for item in readers.items()]
        if rate:
            threads.append(threading.Thread(target=writer))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        results[str(rate)] = {name: summary(t) for name, t in times.items() if t} | {"failed": failed[0]}
    return results


def summary(times):
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median_ms": round(statistics.median(ordered) * 1000, 1), "p95_ms": round(p95 * 1000, 1)}


def imports(figures):
    job = figures["participant import"]
    return (
        f"preview {job['preview_seconds']} s, confirm {job['confirm_seconds']} s ({job['rows_per_second']} rows/s "
        f"written; CPU {job['preview_cpu_seconds']} s and {job['confirm_cpu_seconds']} s), "
        f"requests {job['upload_request_ms']} / {job['job_page_ms']} / {job['confirm_request_ms']} ms"
    )


def table(data, vendor):
    pilot, national = data["pilot"], data["national"]
    lines = [
        f"### {vendor}",
        "",
        "| page | pilot median ms | pilot p95 ms | pilot queries | national median ms | national p95 ms "
        "| national queries | national ÷ pilot | national first request ms |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name in pilot:
        if name in ("participant import", "load"):
            continue
        a, b = pilot[name], national[name]
        ratio = b["median_ms"] / a["median_ms"] if a["median_ms"] else 0
        lines.append(
            f"| {name} | {a['median_ms']} | {a['p95_ms']} | {a['queries']} | {b['median_ms']} | {b['p95_ms']} "
            f"| {b['queries']} | {ratio:.2f} | {b.get('first_ms', '')} |"
        )
    floor = national["dashboard SQL floor"]["median_ms"]
    dashboard = national["national dashboard: days"]["median_ms"]
    lines += [
        "",
        f"Dashboard ÷ its raw-SQL floor (national): {dashboard / floor:.2f}",
        f"Participant import job, 10,000 rows: {imports(pilot)} (pilot), {imports(national)} (national)",
        "",
        f"Requests per second under load ({data['load clients']} concurrent clients, {WORKERS} gunicorn workers):",
        "",
        "| page | pilot | national |",
        "|---|---|---|",
    ]
    for name in pilot["load"]:
        if name == "mixed":
            continue
        a, b = pilot["load"][name], national["load"][name]
        failed = "" if not (a["failed"] or b["failed"]) else f" (failed: {a['failed']}, {b['failed']})"
        lines.append(f"| {name}{failed} | {a['requests_per_second']} | {b['requests_per_second']} |")
    names = ["national dashboard", "region report", "home page", "attendance save"]
    lines += [
        "",
        "Mixed run (national): readers while an attendance sheet is saved through its page, median / p95 ms:",
        "",
        "| writes per second | " + " | ".join(names) + " | failed |",
        "|---|---|---|---|---|---|",
    ]
    for rate, row in national["load"]["mixed"].items():
        cells = [f"{row[name]['median_ms']} / {row[name]['p95_ms']}" if name in row else "—" for name in names]
        lines.append(f"| {rate} | " + " | ".join(cells) + f" | {row['failed']} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--measure", choices=SCALES)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--load-seconds", type=int, default=15)
    parser.add_argument("--load-clients", type=int, default=6)
    parser.add_argument("--import-only", action="store_true", help="only the import job, at pilot scale")
    parser.add_argument("--mixed-seconds", type=int, default=90)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.runs, args.import_only)))
        return
    RESULTS.mkdir(parents=True, exist_ok=True)
    if args.import_only:
        url = prepare("pilot")
        command = [sys.executable, __file__, "--measure", "pilot", "--import-only"]
        env = {**os.environ, "DATABASE_URL": url}
        output = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
        print(imports(json.loads(output.strip().splitlines()[-1])))
        return
    vendor = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    data = {"load clients": args.load_clients}
    for scale in SCALES:
        url = prepare(scale)
        output = subprocess.run(
            [sys.executable, __file__, "--measure", scale, "--runs", str(args.runs)],
            env={**os.environ, "DATABASE_URL": url},
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        data[scale] = json.loads(output.strip().splitlines()[-1])
        data[scale]["load"] = serve_load(url, args.load_seconds, args.load_clients, args.mixed_seconds)
        print(f"{scale}: measured", flush=True)
    (RESULTS / f"{vendor}.json").write_text(json.dumps(data, indent=1))
    markdown = table(data, vendor)
    (RESULTS / f"{vendor}.md").write_text(markdown + "\n")
    print(markdown)


if __name__ == "__main__":
    main()

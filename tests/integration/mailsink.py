"""A real SMTP server for the tests (Debian's python3-aiosmtpd) on
127.0.0.1: STARTTLS required (a certificate made at test time), AUTH
required over TLS, every message kept as a file with its envelope.

  python3 mailsink.py serve     run it (scripts/test.sh starts it)

and, for the tests, messages(), stop() and start().  Everything comes
from the environment scripts/test.sh sets: PORTAL_SMTP_PORT,
PORTAL_MAIL_DIR (the messages), PORTAL_SINK_CERT, PORTAL_SINK_KEY,
PORTAL_SINK_USER, PORTAL_SINK_PASSWORD, PORTAL_SINK_PID (its pid file).
A recipient whose address starts with "reject" is refused with 550.
"""

import email
import email.policy
import json
import os
import signal
import socket
import subprocess
import sys
import time

PORT = int(os.environ.get("PORTAL_SMTP_PORT", "0") or 0)
DIR = os.environ.get("PORTAL_MAIL_DIR", "")
PIDFILE = os.environ.get("PORTAL_SINK_PID", "")


def enabled():
    return bool(PORT and DIR and PIDFILE)


def messages():
    """Every message received so far, oldest first: dicts of envelope
    ("mail_from", "rcpt_tos", "tls", "auth") and "msg", the parsed
    email.message.EmailMessage."""
    out = []
    if not DIR or not os.path.isdir(DIR):
        return out
    for name in sorted(os.listdir(DIR)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(DIR, name)) as f:
            env = json.load(f)
        with open(os.path.join(DIR, name[:-5] + ".eml"), "rb") as f:
            env["raw"] = f.read()
        env["msg"] = email.message_from_bytes(env["raw"],
                                              policy=email.policy.default)
        out.append(env)
    return out


def _listening():
    try:
        with socket.create_connection(("127.0.0.1", PORT), timeout=1):
            return True
    except OSError:
        return False


def stop(timeout=15):
    """Stop the server; return once its port refuses connections."""
    try:
        with open(PIDFILE) as f:
            pid = int(f.read().strip())
        os.kill(pid, signal.SIGTERM)
    except (OSError, ValueError):
        pass
    end = time.time() + timeout
    while time.time() < end and _listening():
        time.sleep(0.1)
    return not _listening()


def start(timeout=15):
    """Start it again on the same port (a process of its own, which
    scripts/test.sh stops at the end through the pid file)."""
    subprocess.Popen([sys.executable, os.path.abspath(__file__), "serve"],
                     start_new_session=True, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL)
    end = time.time() + timeout
    while time.time() < end and not _listening():
        time.sleep(0.1)
    return _listening()


def serve():
    import ssl

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    user = os.environ["PORTAL_SINK_USER"].encode()
    password = os.environ["PORTAL_SINK_PASSWORD"].encode()
    os.makedirs(DIR, exist_ok=True)

    def authenticator(server, session, envelope, mechanism, data):
        ok = data.login == user and data.password == password
        return AuthResult(success=ok)

    class Handler:
        async def handle_RCPT(self, server, session, envelope, address,
                              options):
            if address.lower().startswith("reject"):
                return "550 5.1.1 No such mailbox"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            name = "%019d-%d" % (time.time_ns(), os.getpid())
            meta = {"mail_from": envelope.mail_from,
                    "rcpt_tos": envelope.rcpt_tos,
                    "tls": session.ssl is not None,
                    "auth": session.authenticated}
            path = os.path.join(DIR, name)
            with open(path + ".eml.tmp", "wb") as f:
                f.write(envelope.original_content)
            os.rename(path + ".eml.tmp", path + ".eml")
            with open(path + ".json.tmp", "w") as f:
                json.dump(meta, f)
            os.rename(path + ".json.tmp", path + ".json")
            return "250 Message accepted for delivery"

    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(os.environ["PORTAL_SINK_CERT"],
                        os.environ["PORTAL_SINK_KEY"])
    controller = Controller(Handler(), hostname="127.0.0.1", port=PORT,
                            tls_context=ctx, require_starttls=True,
                            auth_required=True, auth_require_tls=True,
                            authenticator=authenticator,
                            decode_data=False)
    controller.start()
    with open(PIDFILE + ".tmp", "w") as f:
        f.write(str(os.getpid()))
    os.rename(PIDFILE + ".tmp", PIDFILE)

    stopping = []
    signal.signal(signal.SIGTERM, lambda *a: stopping.append(1))
    signal.signal(signal.SIGINT, lambda *a: stopping.append(1))
    while not stopping:
        time.sleep(0.2)
    controller.stop()


if __name__ == "__main__":
    if sys.argv[1:] == ["serve"]:
        serve()

#!/usr/bin/python3
# A real SMTP server for the tests: Debian's python3-aiosmtpd on 127.0.0.1,
# requiring AUTH (LOGIN/PLAIN) with the user and password from the
# environment (SMTP_USER, SMTP_PASSWORD), writing each message it accepts to
# OUTDIR/msg-N.eml, and touching OUTDIR/ready once it listens.  With
# SMTP_CERT and SMTP_KEY it offers STARTTLS and refuses AUTH and mail
# without it.
# Usage: smtp_sink.py PORT OUTDIR
import asyncio
import os
import signal
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

port, outdir = int(sys.argv[1]), sys.argv[2]
user = os.environ["SMTP_USER"].encode()
password = os.environ["SMTP_PASSWORD"].encode()
count = 0


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (isinstance(auth_data, LoginPassword) and auth_data.login == user
          and auth_data.password == password)
    return AuthResult(success=ok, handled=False)


class Sink:
    async def handle_DATA(self, server, session, envelope):
        global count
        count += 1
        tmp = os.path.join(outdir, ".msg-%d.tmp" % count)
        with open(tmp, "wb") as f:
            f.write(b"X-Rcpt: " + ",".join(envelope.rcpt_tos).encode() + b"\r\n")
            f.write(envelope.original_content or envelope.content)
        os.rename(tmp, os.path.join(outdir, "msg-%d.eml" % count))
        return "250 OK"


signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
tls = {"auth_require_tls": False}
if os.environ.get("SMTP_CERT"):
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(os.environ["SMTP_CERT"], os.environ["SMTP_KEY"])
    tls = {"tls_context": ctx, "require_starttls": True,
           "auth_require_tls": True}
c = Controller(Sink(), hostname="127.0.0.1", port=port,
               authenticator=authenticator, auth_required=True, **tls)
c.start()
open(os.path.join(outdir, "ready"), "w").close()
signal.sigwait({signal.SIGTERM, signal.SIGINT})
c.stop()

"""Prints two consecutive TOTP codes (RFC 6238: SHA-1, 6 digits, 30 s) for a
Base32 seed, the previous step's and the current one's, as a person copies
them from an authenticator app to enable a virtual MFA device. The codes
must reach the server within the current step: it is left at least 5 s."""
import base64
import hashlib
import hmac
import struct
import sys
import time


def code(seed, step):
    mac = hmac.new(seed, struct.pack(">Q", step), hashlib.sha1).digest()
    off = mac[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF) % 1000000)


seed = base64.b32decode(sys.argv[1].strip().upper() + "=" * (-len(sys.argv[1].strip()) % 8))
# Codes for steps t-1 and t are valid while the server's clock is in step
# t; near the end of a step, wait for the next one, as a person would.
if time.time() % 30 > 25:
    time.sleep(30 - time.time() % 30 + 0.5)
now = int(time.time()) // 30
print(code(seed, now - 1), code(seed, now))

"""Prints two consecutive TOTP codes (RFC 6238: SHA-1, 6 digits, 30 s) for a
Base32 seed, the previous step's and the current one's, as a person copies
them from an authenticator app to enable a virtual MFA device."""
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
now = int(time.time()) // 30
print(code(seed, now - 1), code(seed, now))

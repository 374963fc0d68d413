#!/usr/bin/env python3
"""Hex of the binary registry values Windows' proxy dialogs write (for `reg add /t
REG_BINARY /d HEX`), as WinHTTP reads them (Wine 8 reads only these, not ProxyServer).

    regblob.py ie FLAGS PROXY BYPASS PAC    Connections\\DefaultConnectionSettings
    regblob.py winhttp PROXY BYPASS         Connections\\WinHttpSettings (netsh winhttp)

FLAGS for ie: 1 direct, 2 a static proxy, 4 a PAC URL, 8 detect automatically (summed).
"""

import struct
import sys


def counted(text: str) -> bytes:
    data = text.encode("ascii")
    return struct.pack("<I", len(data)) + data


def main() -> None:
    kind = sys.argv[1]
    if kind == "ie":
        flags, proxy, bypass, pac = int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
        blob = (struct.pack("<III", 0x46, 1, flags) + counted(proxy) + counted(bypass)
                + counted(pac) + bytes(32))
    elif kind == "winhttp":
        proxy, bypass = sys.argv[2], sys.argv[3]
        flags = 3 if proxy else 1
        blob = struct.pack("<III", 0x18, 0, flags) + counted(proxy) + counted(bypass)
    else:
        raise SystemExit(__doc__)
    print(blob.hex())


main()

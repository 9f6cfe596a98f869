"""The hostile-input corpus as data: what a person (or someone forging updates) could send.

Each table is one group; the tests run a group in one bot session (``test_bot_corpus``) or one
loader pass (``test_yaml_corpus``). Every case says what must happen, never how it is done.
"""

from __future__ import annotations

import string

# --- texts a person can type (Telegram delivers 1..4096 UTF-16 units of valid text) -----------

CONTROL = "".join(chr(c) for c in range(0x20) if chr(c) not in "\n\t")

TEXTS: dict[str, str] = {
    "ascii control characters": f"hei{CONTROL}hei",
    "bell and backspace": "hei\a\b\b\bdu",
    "escape sequence (terminal colours)": "\x1b[31mrød\x1b[0m og \x1b]0;tittel\x07",
    "carriage returns": "en\rto\r\ntre",
    "form feed and vertical tab": "en\x0cto\x0btre",
    "DEL and C1 controls": "a\x7fb\x80c\x9bd\x9fe",
    "NUL inside": "før\x00etter",
    "NUL at both ends": "\x00midt\x00",
    "zero-width space": "h\u200bei",
    "zero-width joiner and non-joiner": "a\u200db\u200cc",
    "word joiner and BOM": "\u2060hei\ufeff",
    "only zero-width characters": "\u200b\u200c\u200d\u2060",
    "right-to-left override": "fil\u202egpj.exe",
    "left-to-right override": "\u202dabc\u202c",
    "right-to-left isolate": "\u2067שלום\u2069 hei",
    "right-to-left mark": "\u200fhei\u200e",
    "Arabic text": "مرحبا كيف حالك",
    "Hebrew text": "שלום מה שלומך",
    "combining characters (zalgo)": "h" + "\u0301\u0316\u0337\u0350" * 200 + "ei",
    "emoji with skin tone and ZWJ family": "👩🏽‍👩🏽‍👧🏽‍👦🏽 🏳️‍🌈",
    "emoji flags": "🇳🇴🇸🇪🇩🇰",
    "astral plane characters": "𝕳𝖊𝖎 𐍈 𠜎",
    "private use area": "\ue000\uf8ff",
    "noncharacters": "\ufdd0\uffff\U0010ffff",
    "replacement character": "\ufffd\ufffd",
    "line and paragraph separators": "en\u2028to\u2029tre",
    "non-breaking and odd spaces": "a\u00a0b\u2003c\u3000d",
    "fullwidth letters": "ｈｅｉ ｄｕ",
    "mathematical lookalikes": "ｈｅｉ 𝐡𝐞𝐢",
    "homoglyph command (Cyrillic s)": "/\u0455tart",
    "HTML bold": "<b>fet</b> og <i>kursiv</i>",
    "HTML script": "<script>alert('x')</script>",
    "HTML link": '<a href="tg://user?id=1">klikk</a>',
    "HTML entities": "&lt;b&gt; &amp; &#x202E; &#0; &nbsp;",
    "unclosed HTML": "<b><i><u>hei",
    "Markdown bold and links": "*fet* _kursiv_ [lenke](http://example.com) `kode`",
    "MarkdownV2 specials": r"\_*[]()~`>#+-=|{}.!",
    "Markdown code block": "```\nrm -rf /\n```",
    "Telegram mention": "@admin @botfather",
    "spoiler markup": "||hemmelig||",
    "format placeholders": "{name} {0} {answers.name} {{x}} %s %(x)s",
    "template injection": "{{7*7}} ${7*7} <%= 7*7 %> #{7*7}",
    "SQL injection": "'); DROP TABLE participants; --",
    "SQL quote soup": "' OR '1'='1' -- \" OR \"\"=\"",
    "path traversal": "../../../etc/passwd",
    "Windows path and UNC": r"C:\Windows\system32 \\server\share",
    "shell metacharacters": "$(reboot); `id` | cat /etc/shadow & echo > x",
    "JSON document": '{"method": "sendMessage", "params": {"chat_id": 1}}',
    "YAML document": "!!python/object/apply:os.system ['id']",
    "printf and log injection": "hei\n2026-01-01 ERROR fake log line\r\nINFO x",
    "URL with credentials": "https://user:pass@example.com/?q=1#x",
    "data URL": "data:text/html;base64,PHNjcmlwdD4=",
    "very long word (4096 units)": "x" * 4096,
    "4096 units of emoji (2 units each)": "😀" * 2048,
    "4000 characters of sentences": ("Dette er en setning. " * 200)[:4000],
    "many lines": "\n".join(str(i) for i in range(1000)),
    "many spaces around a word": " " * 2000 + "hei" + " " * 2000,
    "all printable ASCII": string.printable.strip(),
    "slash alone": "/",
    "slash with space": "/ start",
    "unknown command": "/rmrf",
    "command with huge argument": "/start " + "A" * 4000,
    "command to another bot": "/start@someotherbot",
    "command with control characters": "/help\x00\x1b",
    "number-like text": "1e309",
    "negative zero": "-0",
    "float NaN": "NaN",
    "huge integer": "9" * 500,
}

# --- safety words disguised: they must still start the safety path -------------------------

SAFETY_TEXTS: dict[str, str] = {
    "zero-width spaces inside": "vil\u200b ikke\u200b leve",
    "zero-width joiner between words": "vil\u200dikke\u200dleve",
    "upper case": "VIL IKKE LEVE",
    "fullwidth letters": "ｖｉｌ ｉｋｋｅ ｌｅｖｅ",
    "wrapped in HTML": "<b>vil ikke leve</b>",
    "wrapped in Markdown": "*vil* _ikke_ `leve`",
    "right-to-left override before": "\u202evil ikke leve",
    "control characters between": "vil\x00ikke\x1bleve",
    "non-breaking spaces": "vil\u00a0ikke\u00a0leve",
    "line breaks between": "vil\nikke\nleve",
}

# --- texts only a forged update could carry (Telegram itself never delivers these) ---------
# (or that Telegram may pass on, but no terminal should ever see)

FORGED_TEXTS: dict[str, tuple[str, str | None]] = {
    # name: (text, what the caseworker gets: lone surrogates become U+FFFD, control characters
    # become spaces; too long or nothing left: nothing)
    "lone high surrogate": ("hei \ud800 du", "hei \ufffd du"),
    "lone low surrogate": ("\udfff", "\ufffd"),
    "reversed surrogate pair": ("\udc00\ud800", "\ufffd\ufffd"),
    "nothing but control characters": ("\x00\x1b\x07\x7f", None),
    "an OSC 52 clipboard write": ("hei\x1b]52;c;ZXZpbA==\x1b\\", "hei ]52;c;ZXZpbA== \\"),
    "C1 CSI clearing the screen": ("\x9b2Jhei", " 2Jhei"),
    "4097 units": ("x" * 4097, None),
    "2049 emoji (4098 units)": ("😀" * 2049, None),
    "100 kB": ("ø" * 100_000, None),
    "1 MB of one line": ("a" * 1_000_000, None),
}

# --- callback_data nobody's keyboard carries (Telegram passes any 1..64 bytes through) -------

FORGED_CALLBACKS: dict[str, str] = {
    "empty": "",
    "one letter": "c",
    "dots only": "...",
    "three parts": "c.0.0",
    "five parts": "c.0.0.mac.extra",
    "unknown kind": "z.0.0.AAAAAAAAAAAAAAAA",
    "seq not hex": "c.zz.0.AAAAAAAAAAAAAAAA",
    "negative seq": "c.-1.0.AAAAAAAAAAAAAAAA",
    "huge seq": "c." + "f" * 40 + ".0.AAAAAAAAAAAAAAAA",
    "index not a number": "c.0.x.AAAAAAAAAAAAAAAA",
    "negative index": "c.0.-1.AAAAAAAAAAAAAAAA",
    "huge index": "c.0." + "9" * 40 + ".AAAA",
    "toggle mask not hex": "t.0.xyz.AAAAAAAAAAAAAAAA",
    "toggle all bits": "t.0." + "f" * 40 + ".AAAA",
    "done with no mask": "d.0..AAAAAAAAAAAAAAAA",
    "held answer unknown id": "a.0.000000000000.AAAAAAAAAAAAAAAA",
    "held message unknown id": "m.0.000000000000.AAAAAAAAAAAAAAAA",
    "language forged": "l.0.nb.AAAAAAAAAAAAAAAA",
    "language unknown forged": "l.0.xx.AAAAAAAAAAAAAAAA",
    "voice forged": "v.0.1.AAAAAAAAAAAAAAAA",
    "non-ASCII mac": "c.0.0.øøøøøøøøøøøøøøøø",
    "emoji mac": "c.0.0.😀😀😀😀",
    "NUL in data": "c.0.0.\x00\x00\x00\x00",
    "control characters": "\x1b[31m.\x07.\x08.\x7f",
    "right-to-left override": "c.0.0.\u202eAAAA",
    "zero-width space": "c\u200b.0.0.AAAA",
    "lone surrogate": "c.0.0.\ud800",
    "64 bytes of junk": "x" * 64,
    "65 bytes (over Telegram's limit)": "c.0.0." + "A" * 59,
    "4 kB": "c.0.0." + "A" * 4000,
    "HTML": "<b>c</b>.0.0.<i>x</i>",
    "JSON": '{"kind": "c", "seq": 0}',
    "SQL": "c.0.0.'; DROP TABLE sessions; --",
    "path traversal": "../../../etc/passwd",
    "format placeholders": "c.0.{0}.{name}",
}
"""Mutations of a real button's data are added by the test (another seq, kind, arg, mac)."""

# --- invite codes a stranger might try with /start -----------------------------------------

BAD_INVITE_CODES: dict[str, str] = {
    "no code": "",
    "random code of the right shape": "A" * 32,
    "one character off": "<real code, last character changed>",
    "the real code in lower case": "<real code, lower-cased>",
    "the real code with a space inside": "<real code, a space in the middle>",
    "the real code plus one character": "<real code>x",
    "the real code minus one character": "<real code, last character cut>",
    "65 characters": "a" * 65,
    "4000 characters": "a" * 4000,
    "non-ASCII": "ææææøøøøåååå",
    "emoji": "😀" * 8,
    "NUL": "abc\x00def",
    "SQL": "' OR 1=1 --",
    "SQL LIKE wildcard": "%",
    "glob": "*",
    "path traversal": "../../etc/passwd",
    "HTML": "<script>x</script>",
    "zero-width inside a real-looking code": "AAAA\u200bAAAA",
    "right-to-left override": "\u202eAAAAAAAA",
    "hash of a code instead of the code": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
}
"""``<real code…>`` cases are made from a real invite by the test."""

# --- commands and answers in the wrong order -----------------------------------------------

COMMANDS = ("start", "help", "menu", "pause", "continue", "back", "skip", "stop", "sos")
OUT_OF_ORDER = (
    "/continue",
    "/back",
    "/skip",
    "/pause",
    "/stop",
    "/mydata",
    "/delete",
    "/language",
    "/voice",
    "/menu",
    "/help",
    "ja",
    "7",
    "Ferdig",
    "min data",
)
"""Sent by a stranger, by someone linked who has not consented yet, and after /stop."""

# --- files sent where a voice note is expected -----------------------------------------------

VOICE_FILES: dict[str, dict[str, object]] = {
    "random bytes": {"expect": "NOT_AUDIO", "data": bytes(range(256)) * 4},
    "100 kB of random-looking bytes": {
        "expect": "NOT_AUDIO",
        "data": bytes((i * 7919) % 251 for i in range(100_000)),
    },
    "empty file": {"expect": "EMPTY", "data": b""},
    "a PNG picture": {"expect": "NOT_AUDIO", "data": b"\x89PNG\r\n\x1a\n" + b"\x00" * 200},
    "an executable": {
        "expect": "NOT_AUDIO",
        "data": b"MZ\x90\x00" + b"\x00" * 500,
        "mime": "application/x-msdownload",
    },
    "HTML as audio": {
        "expect": "NOT_AUDIO",
        "data": b"<html><script>x</script></html>",
        "mime": "text/html",
    },
    "a truncated real note": {"expect": "BROKEN", "data": "truncated"},
    "a real note claiming a huge duration": {
        "expect": "TOO_LONG",
        "data": "real",
        "duration": 10**6,
    },
    "a real note claiming a negative duration": {"expect": "HEARD", "data": "real", "duration": -5},
    "a real note with a wrong MIME type": {
        "expect": "NOT_AUDIO",
        "data": "real",
        "mime": "video/mp4",
    },
    "a real note claiming a huge size": {"expect": "TOO_BIG", "data": "real", "size": 10**12},
    "a file id that does not exist": {"expect": "NOT_FETCHED", "data": None},
}
"""``"real"`` is a real OGG/Opus note the fake recogniser hears; ``None``: no file at all.
``expect`` names the reply (``VOICE_REPLIES`` in the test): the decoder checks the audio itself,
so a lying duration below zero is harmless and the note is read back for confirmation."""

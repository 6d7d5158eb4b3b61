"""Connection strings fit to show: every password form removed.

A region's shared store is reached with a libpq connection string, which may
carry a password in several places: ``postgresql://user:PW@host/db``,
``postgresql://host/db?password=PW``, ``host=h password=PW`` (quoted or not)
and ``sslpassword``. planner shows a store's location in the CLI, the app,
errors and exports; this module makes sure none of those forms ever appears.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

#: Connection parameters whose value is a secret.
SECRET_KEYS = ("password", "sslpassword")
_MASK = "***"
#: What is shown for a connection string that does not read cleanly (see :func:`is_clean`).
NOT_SHOWN = "(connection string not shown)"
#: Words of a connection string that are no secret (:func:`redact` of a string that does not read cleanly).
_PLAIN_WORDS = {"postgresql", "postgres", "host", "hostaddr", "port", "dbname", "user", "password", "sslpassword",
                "sslmode", "service", "localhost"}

_URL_PASSWORD = re.compile(r"(?P<head>\b[a-z][a-z0-9+.-]*://[^:/?#@\s]*):(?P<pw>[^@\s]*)@", re.IGNORECASE)
_KEYWORD_PASSWORD = re.compile(
    r"(?P<key>\b(?:ssl)?password\s*=\s*)(?P<value>'(?:[^'\\]|\\.)*'|[^\s&;]*)", re.IGNORECASE)


def is_connection_string(location: str) -> bool:
    """Whether ``location`` names a PostgreSQL server rather than a file.

    >>> is_connection_string("postgresql://venlo@db.regio.nl/planner")
    True
    >>> is_connection_string("host=db.regio.nl dbname=planner")
    True
    >>> is_connection_string("/home/anna/scenarios.sqlite")
    False
    """
    text = location.strip()
    return text.lower().startswith(("postgresql://", "postgres://")) or bool(
        re.search(r"(?:^|\s)(?:host|hostaddr|dbname|service)\s*=", text))


def is_clean(location: str) -> bool:
    """Whether a connection string reads as its writer meant, so that its password can be told apart.

    It does not when libpq cannot parse it (``password=org_a- secret``, with
    an unquoted space) or when a URL's password holds a character that
    should have been percent-encoded: ``postgresql://u:geheim@2026@host/db``
    parses, but as host ``2026@host``, and ``p@ss#word`` or ``Zomer/2026``
    leave part of the password in the host, port or database name. Masking
    such a string by its parsed password would show the rest; planner shows
    :data:`NOT_SHOWN` instead.

    >>> is_clean("postgresql://org_a:geheim%402026@db.regio.nl/planner")
    True
    >>> is_clean("postgresql://org_a:geheim@2026@db.regio.nl/planner"), is_clean("host=h password=a b")
    (False, False)
    """
    from psycopg.conninfo import conninfo_to_dict

    text = location.strip()
    try:
        params = {k: str(v) for k, v in conninfo_to_dict(text).items() if v is not None}
    except Exception:
        return False
    if text.lower().startswith(("postgresql://", "postgres://")):
        rest = text.split("://", 1)[1]
        head = re.split(r"[?]", rest, maxsplit=1)[0]
        authority = re.split(r"[/?]", rest, maxsplit=1)[0]
        if "#" in text or head.count("@") > 1 or ("@" in head and "@" not in authority):
            return False
    if any(re.search(r"[@\s/#]", params.get(key, "")) for key in ("user", "port")):
        return False
    if re.search(r"[@\s#]", params.get("host", "")) or not re.fullmatch(r"[\d,]*", params.get("port", "")):
        return False
    return "@" not in params.get("dbname", "")


def secrets_in(location: str) -> list[str]:
    """Every password a connection string carries, in the forms it may be printed in."""
    from psycopg.conninfo import conninfo_to_dict

    found: set[str] = set()
    try:
        params = conninfo_to_dict(location)
    except Exception:  # not parseable: fall back to the patterns below
        params = {}
    for key in SECRET_KEYS:
        value = params.get(key)
        if value:
            found.add(str(value))
    for match in _URL_PASSWORD.finditer(location):
        if match.group("pw"):
            found.update({match.group("pw"), unquote(match.group("pw"))})
    for match in _KEYWORD_PASSWORD.finditer(location):
        value = match.group("value").strip("'")
        if value:
            found.add(value)
    forms = set()
    for secret in found:
        forms.update({secret, quote(secret, safe=""), quote(secret)})
    return sorted((f for f in forms if f), key=len, reverse=True)


def redact(text: str, *locations: str) -> str:
    """``text`` with every password of ``locations`` and every password-looking field masked.

    >>> redact("cannot connect to host=db password=geheim user=venlo")
    'cannot connect to host=db password=*** user=venlo'
    >>> redact("postgresql://venlo:ge%20heim@db/planner?password=x2")
    'postgresql://venlo:***@db/planner?password=***'
    """
    for location in locations:
        if location and is_connection_string(location) and not is_clean(location):
            # Which part is the password is not known: a text holding any part of the string is not shown.
            parts = {p for p in re.split(r"[\s@:/?#&=;'\\]+", location) if len(p) >= 3} - _PLAIN_WORDS
            if any(re.search(rf"(?<![A-Za-z0-9]){re.escape(p)}(?![A-Za-z0-9])", text) for p in parts):
                return f"(message not shown: it may hold part of a password) {NOT_SHOWN}"
        if location:
            for secret in secrets_in(location):
                text = text.replace(secret, _MASK)
    text = _URL_PASSWORD.sub(lambda m: f"{m.group('head')}:{_MASK}@" if m.group("pw") else m.group(0), text)
    return _KEYWORD_PASSWORD.sub(lambda m: m.group("key") + _MASK, text)


def safe_location(location: str) -> str:
    """A store location fit to show: no password in any form.

    A connection string is shown as ``postgresql://user@host:port/dbname``
    (only the parts it has); one that does not read cleanly (:func:`is_clean`)
    as :data:`NOT_SHOWN`; a file path is returned as it is.

    >>> safe_location("postgresql://org_a:secret@127.0.0.1:5432/planner")
    'postgresql://org_a@127.0.0.1:5432/planner'
    >>> safe_location("host=db.regio.nl port=5432 dbname=planner user=venlo password='s3cr et'")
    'postgresql://venlo@db.regio.nl:5432/planner'
    >>> safe_location("postgresql://db.regio.nl/planner?user=venlo&password=s3cret&sslmode=require")
    'postgresql://venlo@db.regio.nl/planner?sslmode=require'
    >>> safe_location("postgresql://org_a:p@ss#word@127.0.0.1:5432/planner")
    '(connection string not shown)'
    """
    if not is_connection_string(location):
        return location
    from psycopg.conninfo import conninfo_to_dict

    if not is_clean(location):
        return NOT_SHOWN
    params = {k: str(v) for k, v in conninfo_to_dict(location).items() if v is not None}
    user = params.pop("user", "")
    host = params.pop("host", "") or params.pop("hostaddr", "")
    port = params.pop("port", "")
    dbname = params.pop("dbname", "")
    for key in SECRET_KEYS:
        params.pop(key, None)
    text = "postgresql://" + (f"{quote(user, safe='')}@" if user else "") + quote(host, safe=",/")
    text += (f":{port}" if port else "") + (f"/{quote(dbname, safe='')}" if dbname else "")
    extras = [f"{key}={quote(value, safe='')}" for key, value in sorted(params.items())
              if key in ("sslmode", "service", "target_session_attrs")]
    if extras:
        text += "?" + "&".join(extras)
    return redact(text, location)

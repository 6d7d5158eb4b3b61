"""Messages on the page, shown as the text they are.

Streamlit renders the text of ``st.error``, ``st.warning``, ``st.success``,
``st.info``, ``st.caption`` and ``st.write`` as Markdown. Much of what those
messages carry comes from files: a scenario's name from another
organisation's exchange file, a site's name, a cell, a header, a sheet or a
title row. Written as Markdown, such text could put a disguised link
(``[Inloggen](https://...)``) or an image that calls a server
(``![](https://...)``) into the app, or break a message with LaTeX (``$``).
These functions escape those Markdown characters first and keep written-out
web and e-mail addresses from becoming links, so no message can hold a link,
an image, code, HTML or LaTeX (an address still reads in full). planner's own texts use no
Markdown in these places.
"""

from __future__ import annotations

import re

import streamlit as st

#: The Markdown characters that can make text into something else: links and images (``[``, ``]``), autolinks
#: and HTML (``<``), a quote (``>`` at the start of a line), code (`````), LaTeX (``$``) and the escape itself.
#: Emphasis characters are left, so the messages read as before; at worst a crafted name shows in bold.
_MARKDOWN = re.compile(r"([\\`\[\]<$])")
_QUOTE = re.compile(r"^([ \t]*)>", re.MULTILINE)
#: Written-out web and e-mail addresses become links in Streamlit even when escaped; a zero-width space after the
#: scheme, after ``www`` and before the ``@`` of an address with a domain keeps them text (they still read in full).
_ADDRESS = re.compile(r"(\b(?:https?|ftps?):|\bwww(?=\.))|(?=@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,})", re.IGNORECASE)
_ZERO_WIDTH_SPACE = "\u200b"


def plain(text: object) -> str:
    """``text`` with its Markdown characters escaped: ``"[a](b)"`` -> ``"\\[a\\](b)"``."""
    text = _QUOTE.sub(r"\1\\>", _MARKDOWN.sub(r"\\\1", str(text)))
    return _ADDRESS.sub(lambda m: (m.group(1) or "") + _ZERO_WIDTH_SPACE, text)


def error(text: object) -> None:
    st.error(plain(text))


def warning(text: object) -> None:
    st.warning(plain(text))


def success(text: object) -> None:
    st.success(plain(text))


def info(text: object) -> None:
    st.info(plain(text))


def caption(text: object) -> None:
    st.caption(plain(text))


def write(text: object) -> None:
    st.write(plain(text))

"""Entity styles from the settings file, as CSS for the article view."""

from __future__ import annotations

from collections.abc import Mapping


def _css_colour(word: str) -> str:
    if word.startswith("bright_"):
        return "ansi_" + word
    return word


def entity_style_css(styles: Mapping[str, str]) -> str:
    """CSS rules for configured entity styles, specific enough to win over the
    stylesheet's :dark/:light colours (validated words only, see
    :func:`reader.core.session.config.validate_style`)."""
    rules = []
    attributes = {"bold", "italic", "underline", "reverse", "strike", "dim", "none"}
    for label, style in styles.items():
        words = style.split()
        text_style = [w for w in words if w in attributes]
        colour = background = None
        index = 0
        while index < len(words):
            word = words[index]
            if word == "on" and index + 1 < len(words):
                background = _css_colour(words[index + 1])
                index += 2
                continue
            if word not in attributes:
                colour = _css_colour(word)
            index += 1
        body = []
        if text_style:
            body.append(f"text-style: {' '.join(text_style)};")
        if colour:
            body.append(f"color: {colour};")
        if background:
            body.append(f"background: {background};")
        if body:
            rules.append(
                f"ArticleView#article > .article-view--{label.lower()} {{ {' '.join(body)} }}"
            )
    return "\n".join(rules)

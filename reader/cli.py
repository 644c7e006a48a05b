"""The ``reader`` command: the app by default, plus scriptable subcommands.

``reader [PATHS...]`` opens the app. ``reader list``, ``reader show``,
``reader check`` (and the others listed by ``reader --help``) print plain text
or, with ``--json``, JSON. Every string printed comes from the core already
sanitised, so article content cannot drive the terminal.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from reader import __version__
from reader.core.articles.article import Article, Problem
from reader.core.articles.loader import DEFAULT_MAX_BYTES
from reader.core.articles.sanitize import display_path, sanitize_line
from reader.core.session.config import Config, default_config_path, dump_config, load_config
from reader.core.session.library import Library

DEFAULT_PATH = "articles"

DESCRIPTION = """\
A keyboard-driven terminal reader for folders of French and English articles
(Markdown, plain text, YAML), with named entities highlighted and full-text
search.

  reader [PATHS...]          open the app (default: the configured paths, else ./articles)
  reader list [PATHS...]     list the articles
  reader show ID [PATHS...]  print one article (--format text|markdown|json)
  reader check [PATHS...]    report files that cannot be loaded (exit 1 if any)
  reader search QUERY [PATHS...]
                             search the articles (French and English aware)
  reader entities [ID|PATHS...]
                             the people, places, organisations and dates found
  reader config [--path|--show]
                             the settings file and the effective settings
  reader serve [PATHS...]    the same app in a browser, on 127.0.0.1:8000

Every subcommand takes --json. Run `reader COMMAND --help` for its options.
"""


def _add_common(parser: argparse.ArgumentParser, *, with_json: bool = True) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="article files or folders (default: the configured paths, else ./articles)",
    )
    if with_json:
        parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="settings file (default: $READER_CONFIG or the user config folder's config.yaml)",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="neither read nor write the cache of parsed articles, entities and index",
    )
    parser.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="where the cache lives (default: $READER_CACHE_DIR or the user cache folder)",
    )
    parser.add_argument(
        "--gazetteer",
        metavar="FILE",
        help="a YAML file of extra entities, aliases and suppressed names for the archive",
    )
    parser.add_argument(
        "--max-size",
        type=int,
        default=None,
        metavar="KB",
        help=f"read at most this many KB of each file (default: {DEFAULT_MAX_BYTES // 1024})",
    )


def settings(args: argparse.Namespace) -> tuple[Config, list[Problem]]:
    """The effective configuration (cached on ``args``) and its warnings."""
    cached = getattr(args, "_settings", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    explicit = getattr(args, "config", None)
    path = Path(explicit) if explicit else None
    config, warnings = load_config(path, must_exist=path is not None)
    shown = display_path(str(config.source or path or default_config_path()))
    problems = [Problem(shown, sanitize_line(w.removeprefix(f"{shown}: "))) for w in warnings]
    args._settings = (config, problems)
    return config, problems


def _paths(args: argparse.Namespace) -> list[str]:
    if args.paths:
        return list(args.paths)
    config, _ = settings(args)
    return [str(path) for path in config.article_paths()] or [DEFAULT_PATH]


def _max_bytes(args: argparse.Namespace) -> int:
    if args.max_size is not None:
        return max(1, args.max_size) * 1024
    return settings(args)[0].max_size_bytes


def _default_lang(args: argparse.Namespace) -> str | None:
    language = settings(args)[0].default_language
    return None if language == "auto" else language


def make_recogniser(
    name: str, gazetteer: str | None, *, batch: bool = False
) -> tuple[Any, list[Problem]]:
    """The recogniser the options ask for, and the problems of the user
    gazetteer. The batch mode follows the CoNLL convention of the evaluation
    sets (English nationality words are MISC); the reader does not mark them."""
    from reader.core.entities import default_recogniser, load_user_gazetteer, recogniser_with

    demonyms: Any = frozenset({"en"}) if batch else False
    problems: list[Problem] = []
    if name == "spacy":
        from reader.core.entities.spacy_backend import SpacyRecogniser, available

        if available():
            return SpacyRecogniser(), problems
        sys.stderr.write("reader: no spaCy model installed; using the default recogniser\n")
    if gazetteer:
        additions, messages = load_user_gazetteer(gazetteer)
        shown = display_path(gazetteer)
        for message in messages:
            text = message.removeprefix(f"{gazetteer}: ")
            problems.append(Problem(shown, sanitize_line(text)))
        return recogniser_with(additions, demonyms_as_misc=demonyms), problems
    return default_recogniser(demonyms_as_misc=demonyms), problems


def _recogniser_name(args: argparse.Namespace) -> str:
    chosen = getattr(args, "recogniser", None)
    return chosen or settings(args)[0].recogniser


def make_cache(args: argparse.Namespace, recogniser: Any, *, batch: bool = False) -> Any:
    """The archive cache the options allow (None with ``--no-cache``)."""
    if getattr(args, "no_cache", False):
        return None
    from reader.core.store.cache import ArchiveCache, recogniser_id

    cache_dir = Path(args.cache_dir) if getattr(args, "cache_dir", None) else None
    ident = recogniser_id(
        recogniser, gazetteer=getattr(args, "gazetteer", None), options=f"batch={batch}"
    )
    return ArchiveCache(cache_dir, _paths(args), recogniser_id=ident)


def _load(args: argparse.Namespace) -> Library:
    """The library of the paths, from the cache where it is still valid."""
    config_problems = settings(args)[1]
    recogniser, problems = make_recogniser(_recogniser_name(args), getattr(args, "gazetteer", None))
    cache = make_cache(args, recogniser)
    if cache is None:
        library = Library.load(
            _paths(args),
            max_bytes=_max_bytes(args),
            recogniser=recogniser,
            default_lang=_default_lang(args),
        )
    else:
        library, _ = cache.load_library(
            max_bytes=_max_bytes(args),
            default_lang=_default_lang(args),
            recogniser=recogniser,
            analyse=False,
        )
        args._cache = (cache, library)
    library.problems[:0] = config_problems + problems
    return library


def _save_cache(args: argparse.Namespace) -> None:
    """Write the cache after a command (a no-op when nothing changed)."""
    cached = getattr(args, "_cache", None)
    if cached is None:
        return
    cache, library = cached
    for warning in cache.save(library):
        sys.stderr.write(f"reader: {sanitize_line(warning)}\n")


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_text(value: Any, indent: int | None = None) -> str:
    """JSON with readable accents but with C1 and bidi characters escaped
    (JSON escapes C0 itself), so echoed input cannot drive a terminal."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _emit_json(value: Any) -> None:
    sys.stdout.write(json_text(value, indent=2) + "\n")


def _report_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        sys.stderr.write(f"reader: {problem}\n")


def article_summary(article: Article) -> dict[str, Any]:
    """The JSON object ``reader list`` prints for one article."""
    return {
        "id": article.id,
        "path": article.path,
        "title": article.title,
        "author": list(article.author),
        "date": article.date,
        "lang": article.lang,
        "tags": list(article.tags),
        "source": article.source,
        "url": article.url,
        "format": article.format,
    }


def article_json(article: Article) -> dict[str, Any]:
    """The JSON object ``reader show --json`` prints."""
    data = article_summary(article)
    data.update(
        {
            "summary": article.summary,
            "date_valid": article.date_valid,
            "lang_detected": article.lang_detected,
            "truncated": article.truncated,
            "extra": article.extra,
            "body": article.body,
        }
    )
    return data


def cmd_list(args: argparse.Namespace) -> int:
    """``reader list``."""
    library = _load(args)
    _report_problems(library.problems)
    if args.json:
        _emit_json([article_summary(article) for article in library.articles])
        return 0
    for article in library.articles:
        date = (article.date or "")[:10]
        sys.stdout.write(f"{article.id}\t{date}\t{article.lang}\t{article.title}\n")
    return 0


def format_article_text(article: Article) -> str:
    """An article as plain text: title, metadata lines, body."""
    lines = [article.title, "=" * min(len(article.title), 72)]
    for label, value in (
        ("Author", article.authors_display),
        ("Date", article.date or ""),
        ("Source", article.source or ""),
        ("Language", article.lang),
        ("Tags", ", ".join(article.tags)),
        ("URL", article.url or ""),
    ):
        if value:
            lines.append(f"{label}: {value}")
    return "\n".join(lines) + "\n\n" + article.body + "\n"


def cmd_show(args: argparse.Namespace) -> int:
    """``reader show ID``: text, JSON (with entity spans) or Markdown that
    re-imports with the same spans."""
    library = _load(args)
    article = library.find(args.id)
    if article is None:
        sys.stderr.write(f"reader: {_no_match(library, args.id)}\n")
        return 2
    fmt = "json" if args.json else args.format
    if fmt == "text":
        sys.stdout.write(format_article_text(article))
        return 0
    from reader.core.entities.export import to_json, to_markdown

    entities = library.entities_for(article.id)
    if fmt == "markdown":
        sys.stdout.write(to_markdown(article, entities.body))
    else:
        data = article_json(article)
        data.update(to_json(article, entities.body))
        data["title_entities"] = [_entity_record(m) for m in entities.title]
        _emit_json(data)
    return 0


def _no_match(library: Library, reference: str) -> str:
    shown = json_text(sanitize_line(reference))
    several = sum(1 for a in library.articles if reference in a.id)
    if several > 1:
        return f"{several} articles match {shown}: give more of the id (reader list shows them)"
    return f"no article matches {shown}"


def cmd_serve(args: argparse.Namespace) -> int:
    """``reader serve``: the same app in a browser (textual-serve)."""
    from reader.ui.serve import ServeUnavailable, serve

    if args.host not in ("127.0.0.1", "localhost", "::1"):
        sys.stderr.write(
            f"reader: serving on {args.host}: anyone who can reach it can read the articles\n"
        )
    extra: list[str] = []
    if args.config:
        extra += ["--config", args.config]
    if args.max_size is not None:
        extra += ["--max-size", str(args.max_size)]
    if args.gazetteer:
        extra += ["--gazetteer", args.gazetteer]
    try:
        sys.stderr.write(f"reader: serving on http://{args.host}:{args.port} (Ctrl+C stops)\n")
        serve(_paths(args), host=args.host, port=args.port, extra_args=extra)
    except ServeUnavailable as exc:
        sys.stderr.write(f"reader: {exc}\n")
        return 2
    except KeyboardInterrupt:
        return 0
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """``reader check``: the problems, one line each; exit 1 if any."""
    library = _load(args)
    if args.json:
        _emit_json([{"path": p.path, "message": p.message} for p in library.problems])
    else:
        for problem in library.problems:
            sys.stdout.write(f"{problem}\n")
        if not library.problems:
            sys.stdout.write(f"{len(library)} articles, no problems\n")
    return 1 if library.problems else 0


def hit_json(hit: Any) -> dict[str, Any]:
    """The JSON object of one search hit."""
    snippet = hit.snippet
    return {
        "id": hit.id,
        "path": hit.article.path,
        "title": hit.article.title,
        "score": round(hit.score, 4),
        "fields": list(hit.fields),
        "snippet": {
            "text": snippet.text,
            "start": snippet.start,
            "end": snippet.end,
            "hits": [list(pair) for pair in snippet.hits],
        },
        "matches": [{"field": f, "start": a, "end": b} for f, a, b in hit.offsets],
    }


def cmd_search(args: argparse.Namespace) -> int:
    """``reader search QUERY``: ranked hits with snippets."""
    library = _load(args)
    _report_problems(library.problems)
    library.analyse()
    results = library.search(args.query, limit=max(1, args.limit))
    if args.json:
        _emit_json(
            {
                "query": args.query,
                "total": results.total,
                "nothing_to_search": results.nothing_to_search,
                "suggestion": results.suggestion,
                "hits": [hit_json(hit) for hit in results.hits],
            }
        )
        return 0
    if results.nothing_to_search:
        sys.stdout.write("Nothing to search: the query has only common words or punctuation.\n")
        return 0
    sys.stdout.write(f"{results.total} article{'s' if results.total != 1 else ''}\n")
    for hit in results.hits:
        snippet = hit.snippet
        lead = "…" if snippet.start > 0 else ""
        tail = "…" if snippet.end < len(hit.article.body) else ""
        sys.stdout.write(f"\n{hit.score:7.2f}  {hit.article.title}\n         {hit.id}\n")
        if snippet.text:
            sys.stdout.write(f"         {lead}{snippet.text}{tail}\n")
    if results.suggestion and not results.hits:
        sys.stdout.write(f"Did you mean: {results.suggestion}\n")
    return 0


def _entity_record(mention: Any) -> dict[str, Any]:
    return {
        "start": mention.start,
        "end": mention.end,
        "label": mention.label,
        "text": mention.text,
        "key": mention.key,
    }


def cmd_entities_jsonl(args: argparse.Namespace) -> int:
    """Batch mode: JSON lines ``{id, text, lang?}`` in, ``{id, entities}`` out."""
    recogniser, problems = make_recogniser(_recogniser_name(args), args.gazetteer, batch=True)
    _report_problems(problems)
    name = display_path(args.jsonl)
    try:
        if args.jsonl == "-":
            lines: list[bytes] = sys.stdin.buffer.read().splitlines()
        else:
            with open(args.jsonl, "rb") as handle:
                lines = handle.read().splitlines()
    except OSError as exc:
        sys.stderr.write(
            f"reader: {name}: cannot read ({exc.strerror or exc.__class__.__name__})\n"
        )
        return 2
    bad = 0
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw.decode("utf-8"))
            if not isinstance(record, dict):
                raise TypeError("not an object")
            text = record["text"]
            if not isinstance(text, str):
                raise TypeError("text is not a string")
        except (ValueError, KeyError, TypeError) as exc:
            bad += 1
            sys.stderr.write(f"reader: {name}:{number}: skipped ({exc.__class__.__name__})\n")
            continue
        lang = record.get("lang") if isinstance(record.get("lang"), str) else None
        if lang is None:
            from reader.core.articles.langdetect import detect_language

            lang = detect_language(text)
        mentions = recogniser.recognise(text, lang)
        out = {
            "id": record.get("id"),
            "entities": [
                {"start": m.start, "end": m.end, "label": m.label, "text": m.text} for m in mentions
            ],
        }
        sys.stdout.write(json_text(out) + "\n")
    return 1 if bad else 0


def cmd_entities(args: argparse.Namespace) -> int:
    """``reader entities``: mentions per article, or the corpus catalogue."""
    if args.jsonl:
        return cmd_entities_jsonl(args)
    paths = [p for p in args.paths if os.path.exists(p)]
    wanted = [p for p in args.paths if not os.path.exists(p)]
    args.paths = paths
    library = _load(args)
    _report_problems(library.problems)
    articles = []
    for reference in wanted:
        article = library.find(reference)
        if article is None:
            sys.stderr.write(f"reader: {_no_match(library, reference)}\n")
            return 2
        articles.append(article)
    if args.corpus:
        library.analyse()
        entities = library.catalogue.entities()
        if args.json:
            _emit_json(
                [
                    {
                        "key": e.key,
                        "label": e.label,
                        "name": e.name,
                        "aliases": sorted(e.forms),
                        "articles": e.article_count,
                        "mentions": e.mention_count,
                        "article_ids": sorted(e.articles),
                    }
                    for e in entities
                ]
            )
            return 0
        for e in entities:
            aliases = ", ".join(sorted(f for f in e.forms if f != e.name))
            extra = f"  (also: {aliases})" if aliases else ""
            sys.stdout.write(f"{e.label:<5} {e.article_count:>4}  {e.name}{extra}\n")
        return 0
    if not articles:
        articles = list(library.articles)
    result = []
    for article in articles:
        found = library.entities_for(article.id)
        result.append((article, found))
    if args.json:
        _emit_json(
            [
                {
                    "id": article.id,
                    "title": article.title,
                    "lang": article.lang,
                    "title_entities": [_entity_record(m) for m in found.title],
                    "entities": [_entity_record(m) for m in found.body],
                    "summary": [
                        {
                            "key": s.key,
                            "label": s.label,
                            "name": s.name,
                            "count": s.count,
                            "forms": list(s.forms),
                        }
                        for s in found.summaries()
                    ],
                }
                for article, found in result
            ]
        )
        return 0
    for article, found in result:
        sys.stdout.write(f"{article.id}: {article.title}\n")
        for summary in found.summaries():
            forms = ", ".join(f for f in summary.forms if f != summary.name)
            also = f"  (also: {forms})" if forms else ""
            sys.stdout.write(f"  {summary.label:<5} {summary.count:>3}  {summary.name}{also}\n")
        sys.stdout.write("\n")
    return 0


def resolved_settings(args: argparse.Namespace) -> Any:
    """The session settings the options and the settings file give."""
    from reader.core.session.settings import resolve_settings

    return resolve_settings(
        args.paths,
        config_file=getattr(args, "config", None),
        max_size_kb=getattr(args, "max_size", None),
        text_width=getattr(args, "width", None),
        recogniser=getattr(args, "recogniser", None),
        gazetteer=getattr(args, "gazetteer", None),
        cache=not getattr(args, "no_cache", False),
        cache_dir=getattr(args, "cache_dir", None),
        state_dir=getattr(args, "state_dir", None),
        remember=not getattr(args, "no_state", False),
        watch=not getattr(args, "no_watch", False),
    )


def cmd_app(args: argparse.Namespace) -> int:
    """Open the app."""
    from reader.ui.app import make_app

    app = make_app(resolved_settings(args))
    app.run()
    return app.return_code or 0


def cmd_config(args: argparse.Namespace) -> int:
    """``reader config``: where the settings file is, and the effective settings."""
    config, problems = settings(args)
    path = config.source or (Path(args.config) if args.config else default_config_path())
    if args.path and not args.show:
        if args.json:
            _emit_json({"path": str(path), "exists": path.exists()})
        else:
            sys.stdout.write(display_path(str(path)) + "\n")
        return 0
    _report_problems(problems)
    if args.json:
        _emit_json({"path": str(path), "settings": config.as_dict()})
    else:
        sys.stdout.write(f"# {display_path(str(path))}\n" + dump_config(config))
    return 1 if problems else 0


Command = Callable[[argparse.Namespace], int]


def _subcommands() -> dict[str, tuple[Command, str, Callable[[argparse.ArgumentParser], None]]]:
    def show_args(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("id", metavar="ID", help="article id, file name or unique prefix")
        parser.add_argument(
            "--format",
            choices=("text", "markdown", "json"),
            default="text",
            help="text (default); markdown with front matter that re-imports with the "
            "same entity spans; json with the spans (same as --json)",
        )

    def serve_args(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="default: %(default)s")
        parser.add_argument("--port", type=int, default=8000, help="default: %(default)s")

    def none(parser: argparse.ArgumentParser) -> None:
        return None

    def search_args(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("query", metavar="QUERY", help="the query (see README: Search)")
        parser.add_argument("--limit", type=int, default=20, metavar="N", help="at most N hits")

    def config_args(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--path", action="store_true", help="print the settings file's path")
        parser.add_argument(
            "--show", action="store_true", help="print the effective settings (the default)"
        )

    def entities_args(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--corpus", action="store_true", help="every entity of the corpus with its articles"
        )
        parser.add_argument(
            "--jsonl",
            metavar="FILE",
            help="batch mode: read JSON lines {id, text, lang?} (- for stdin), "
            "write {id, entities: [{start, end, label, text}]} per line",
        )
        parser.add_argument(
            "--recogniser",
            choices=("rules", "spacy"),
            default=None,
            help="entity recogniser (spacy needs the spacy extra; default: configured, else rules)",
        )

    return {
        "list": (cmd_list, "list the articles", none),
        "show": (cmd_show, "print one article", show_args),
        "check": (cmd_check, "report files that cannot be loaded", none),
        "search": (cmd_search, "search the articles", search_args),
        "config": (cmd_config, "the settings file and the effective settings", config_args),
        "serve": (cmd_serve, "run the app in a browser (needs the serve extra)", serve_args),
        "entities": (
            cmd_entities,
            "list the people, places, organisations and dates found (PATHS may include IDs)",
            entities_args,
        ),
    }


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser for the app (``command`` None) or for one subcommand."""
    commands = _subcommands()
    if command is None:
        parser = argparse.ArgumentParser(
            prog="reader",
            description=DESCRIPTION,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        parser.add_argument("--version", action="version", version=f"reader {__version__}")
        parser.add_argument(
            "--recogniser",
            choices=("rules", "spacy"),
            default=None,
            help="entity recogniser (spacy needs the spacy extra; default: configured, else rules)",
        )
        parser.add_argument(
            "--state-dir",
            metavar="DIR",
            help="where read/starred marks, positions and history are kept "
            "(default: $READER_STATE_DIR or the user data folder)",
        )
        parser.add_argument(
            "--no-state",
            action="store_true",
            help="neither read nor write the reading state",
        )
        parser.add_argument(
            "--no-watch",
            action="store_true",
            help="do not reload files changed on disk while the app runs",
        )
        parser.add_argument(
            "--width",
            type=int,
            default=None,
            metavar="COLUMNS",
            help="widest the article text gets, centred (default: configured, else 88)",
        )
        _add_common(parser, with_json=False)
        return parser
    _, help_text, extra = commands[command]
    parser = argparse.ArgumentParser(prog=f"reader {command}", description=help_text)
    extra(parser)
    _add_common(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    commands = _subcommands()
    if arguments and arguments[0] in commands:
        name = arguments.pop(0)
        args = build_parser(name).parse_args(arguments)
        try:
            status = commands[name][0](args)
            _save_cache(args)
            return status
        except BrokenPipeError:
            # The reader of our output went away (e.g. `| head`): stop quietly.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return 141
    args = build_parser().parse_args(arguments)
    missing = [path for path in _paths(args) if not os.path.exists(path)]
    if missing:
        sys.stderr.write(f"reader: no such file or folder: {missing[0]!r}\n")
        return 2
    return cmd_app(args)

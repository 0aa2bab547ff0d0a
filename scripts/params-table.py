#!/usr/bin/env python3
"""params-table.py: the parameter-provenance table of a scenario file.

Reads a libconfig scenario (scenarios/base.cfg) and prints a markdown table of
every scalar and array setting: dotted path, value as written, the unit/source
comment, and a source class (seed / external / derived / assumption) read from
the comment text. `@include` directives are noted, not expanded.

    params-table.py [CFG]                 print docs/parameters.md to stdout
    params-table.py --check FILE [CFG]    exit 1 if FILE differs from that output
    params-table.py --lint [CFG]          exit 1 listing numeric settings without a source

CFG defaults to scenarios/base.cfg next to this script. When parts/uncertainty*.cfg
lie next to CFG, a second table lists their declared ranges (issue 14). Standard library only.
Exit codes: 0 fine, 1 check or lint failed, 2 usage or parse error.

Which comment belongs to a setting (its "effective comment"):
  1. the comment at the end of the setting's line (shared by all settings on it);
  2. if that names no source, the nearest comment-only lines above the setting
     inside an enclosing group (e.g. "All assumption unless noted." above the
     placement types), and the clause of them that starts with the key's name;
  3. else the comment on an enclosing list's header line (a list's elements are
     alike, so its header speaks for each), or on an enclosing group's header
     line when no member of that group has a comment of its own (then the header
     is the one annotation of its members, as for benefit_shares); a group header
     that describes a group whose members are annotated one by one (an
     instrument citing where it is described) says nothing about an unannotated
     member;
  4. top-level comment-only lines (the file header) never count.
The class is the keyword that comes first in the effective comment; later
different keywords are shown as "(+...)".
"""
import difflib
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_CFG = os.path.join(ROOT, "scenarios", "base.cfg")

CLASSES = (("seed", r"\bseed 00\d"), ("external", r"\bexternal\b"),
           ("derived", r"\bderived\b"), ("assumption", r"\bassumption\b"))
LINT_KEYS = ("seed", "external", "assumption")
# Settings of the run itself (what to simulate, how long, how often to look),
# not claims about the world: shown as "run control" when their comment names
# no source, and exempt from --lint.
RUN_CONTROLS = {"model", "seed", "replications", "origin", "output.detail", "output.sample",
                "labour_market.end", "labour_market.scale", "labour_market.series_step_months"}


class ParseError(Exception):
    pass


# ------------------------------------------------------------------ lexer --

TOKEN = re.compile(r"""
    (?P<ws>[ \t\r]+)
  | (?P<nl>\n)
  | (?P<comment>\#[^\n]*|//[^\n]*)
  | (?P<block>/\*.*?\*/)
  | (?P<include>@include[ \t]+"(?:[^"\\]|\\.)*")
  | (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<number>[-+]?(?:0[xX][0-9a-fA-F]+L{0,2}
                 |(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?L{0,2}))
  | (?P<name>[A-Za-z*][-A-Za-z0-9_*]*)
  | (?P<punct>[=:;,{}\[\]()])
""", re.VERBOSE | re.DOTALL)


def lex(text, fname):
    """Tokens (kind, text, line) and comments {line: [(text, standalone)]}."""
    tokens, comments, line, pos, line_has_token = [], {}, 1, 0, False
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m:
            raise ParseError(f"{fname}:{line}: cannot read {text[pos:pos + 20]!r}")
        kind, s = m.lastgroup, m.group()
        pos = m.end()
        if kind == "nl":
            line, line_has_token = line + 1, False
        elif kind in ("comment", "block"):
            body = re.sub(r"^(#|//|/\*)|\*/$", "", s).strip()
            comments.setdefault(line, []).append((body, not line_has_token))
            line += s.count("\n")
        elif kind != "ws":
            tokens.append((kind, s, line))
            line_has_token = True
    return tokens, comments


# ----------------------------------------------------------------- parser --

class Node:
    """A setting (scalar, array, group, list) or an @include directive."""

    def __init__(self, name, parent, line):
        self.name, self.parent, self.line, self.end = name, parent, line, line
        self.kind, self.value, self.children = None, None, []

    def path(self):
        parts, n = [], self
        while n.parent is not None:
            parts.append(n.name if isinstance(n.name, str) else f"[{n.name}]")
            n = n.parent
        return ".".join(reversed(parts))


class Parser:
    def __init__(self, tokens, fname):
        self.t, self.i, self.fname = tokens, 0, fname

    def peek(self):
        return self.t[self.i] if self.i < len(self.t) else ("eof", "", self.t[-1][2] if self.t else 1)

    def take(self, want=None):
        tok = self.peek()
        if tok[0] == "eof" or (want and tok[1] not in want):
            raise ParseError(f"{self.fname}:{tok[2]}: expected {' or '.join(want or ['more'])}, got {tok[1]!r}")
        self.i += 1
        return tok

    def settings(self, group, closer):
        """Settings of `group` up to `closer` ('}' or end of file)."""
        while self.peek()[1] != closer and self.peek()[0] != "eof":
            kind, text, line = self.peek()
            if kind == "include":
                self.i += 1
                inc = Node(re.search(r'"(.*)"', text).group(1), group, line)
                inc.kind = "include"
                group.children.append(inc)
                continue
            name = self.take()[1]
            if kind != "name":
                raise ParseError(f"{self.fname}:{line}: expected a setting name, got {name!r}")
            self.take(("=", ":"))
            node = Node(name, group, line)
            group.children.append(node)
            self.value(node)
            if self.peek()[1] in (";", ","):
                node.end = self.take()[2]

    def value(self, node):
        kind, text, line = self.take()
        if text == "{":
            node.kind = "group"
            self.settings(node, "}")
            node.end = self.take(("}",))[2]
        elif text in ("[", "("):
            node.kind = "array" if text == "[" else "list"
            self.elements(node, "]" if text == "[" else ")")
        elif kind == "string":
            while self.peek()[0] == "string":   # adjacent strings concatenate
                text = text[:-1] + self.take()[1][1:]
            node.kind, node.value = "string", text
        elif kind == "number" or text.lower() in ("true", "false"):
            node.kind = "bool" if kind == "name" else "number"
            node.value = text
        else:
            raise ParseError(f"{self.fname}:{line}: expected a value, got {text!r}")
        node.end = max(node.end, self.t[self.i - 1][2])

    def elements(self, node, closer):
        while self.peek()[1] != closer:
            child = Node(len(node.children), node, self.peek()[2])
            node.children.append(child)
            self.value(child)
            if self.peek()[1] == ",":
                self.take()
        node.end = self.take((closer,))[2]


def parse(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    fname = os.path.basename(path)
    tokens, comments = lex(text, fname)
    root = Node(None, None, 0)
    root.kind = "group"
    p = Parser(tokens, fname)
    p.settings(root, None)
    if p.peek()[0] != "eof":
        tok = p.peek()
        raise ParseError(f"{fname}:{tok[2]}: unexpected {tok[1]!r}")
    root.end = tokens[-1][2] if tokens else 0
    return root, comments


# ------------------------------------------------------------- provenance --

def trailing(comments, line):
    """The end-of-line comment on `line`, or ''."""
    return " ".join(c for c, standalone in comments.get(line, []) if not standalone)


def own_comment(node, comments):
    return trailing(comments, node.end) or trailing(comments, node.line)


def classes_of(text):
    """Source classes named in `text`, in order of first mention."""
    hits = []
    for name, rx in CLASSES:
        m = re.search(rx, text, re.IGNORECASE)
        if m:
            hits.append((m.start(), name))
    return [name for _, name in sorted(hits)]


def has_source(text):
    return any(c in LINT_KEYS for c in classes_of(text))


def standalone_blocks(group, before, comments):
    """Comment-only lines inside `group` above line `before` and outside its
    member groups, as blocks of consecutive lines, nearest block first."""
    nested = [(c.line, c.end) for c in group.children if c.kind in ("group", "list") and c.end < before]
    lines = [ln for ln in range(group.line + 1, before)
             if any(s for _, s in comments.get(ln, [])) and not any(a <= ln <= b for a, b in nested)]
    blocks, cur = [], []
    for ln in lines:
        if cur and ln != cur[-1] + 1:
            blocks.append(cur)
            cur = []
        cur.append(ln)
    if cur:
        blocks.append(cur)
    return [" ".join(c for ln in b for c, s in comments[ln] if s) for b in reversed(blocks)]


def clauses(text):
    return [c.strip() for c in re.split(r";\s+|(?<=\.)\s+(?=[A-Z])", text) if c.strip()]


def key_clause(text, key):
    """The clause of a block comment that documents `key` ("key: ..." or "a/key: ...")."""
    for c in clauses(text):
        m = re.match(r"([\w/]+):", c)
        if m and key in m.group(1).split("/"):
            return c
    return ""


def source_clauses(text):
    return " ".join(c for c in clauses(text) if has_source(c)) or text


def members_annotated(group, comments):
    return any(own_comment(c, comments) and own_comment(c, comments) != own_comment(group, comments)
               for c in group.children)


def inherited(node, comments):
    """(where, text, key clause) of the nearest source above `node`, or None."""
    key = node.name if isinstance(node.name, str) else ""
    child, group, clause = node, node.parent, ""
    while group is not None and group.parent is not None:
        for block in standalone_blocks(group, child.line, comments):
            clause = clause or key_clause(block, key)
            if has_source(block):
                return f"comment block of `{group.path()}`", source_clauses(block), clause
        head = own_comment(group, comments)
        blanket = group.kind == "list" or not members_annotated(group, comments)
        if head and has_source(head) and blanket:
            return f"header of `{group.path()}`", head, clause
        child, group = group, group.parent
    return None


class Row:
    def __init__(self, node, comments):
        self.node, self.path = node, node.path()
        self.own = own_comment(node, comments)
        self.where = self.source = self.clause = ""
        if not has_source(self.own):
            found = inherited(node, comments)
            if found:
                self.where, self.source, self.clause = found
        self.effective = self.own if has_source(self.own) else self.source
        self.classes = classes_of(self.effective)

    def klass(self):
        if not self.classes:
            return "run control" if self.path in RUN_CONTROLS else "**none**"
        first, rest = self.classes[0], self.classes[1:]
        return first + (f" (+{', '.join(rest)})" if rest else "")

    def numeric(self):
        n = self.node
        leaves = n.children if n.kind == "array" else [n]
        return all(c.kind in ("number", "bool") for c in leaves) and n.kind in ("number", "bool", "array")

    def unsourced(self):
        return self.numeric() and not self.classes_lint() and self.path not in RUN_CONTROLS

    def classes_lint(self):
        return [c for c in self.classes if c in LINT_KEYS]


def render_value(node):
    if node.kind == "array":
        return "[" + ", ".join(render_value(c) for c in node.children) + "]"
    if node.kind == "group":
        return "{ " + "; ".join(f"{c.name} = {render_value(c)}" for c in node.children) + " }"
    if node.kind == "list":
        return "( " + ", ".join(render_value(c) for c in node.children) + " )"
    return node.value


def leaves(node):
    """Depth-first: every scalar and array setting, groups for their headers, includes."""
    for c in node.children:
        if c.kind in ("group", "list"):
            yield c
            yield from leaves(c)
        else:
            yield c


# ----------------------------------------------------------------- output --

def md(text):
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")


def display_name(path):
    rel = os.path.relpath(os.path.abspath(path), ROOT)
    return rel if not rel.startswith("..") else os.path.basename(path)


def header(cfg_name, rows):
    counts = {}
    for r in rows:
        if not isinstance(r, Note) and r.node.kind not in ("group", "list", "include"):
            k = r.classes[0] if r.classes else ("run control" if r.path in RUN_CONTROLS else "none")
            counts[k] = counts.get(k, 0) + 1
    order = ["seed", "external", "derived", "assumption", "run control", "none"]
    tally = ", ".join(f"{counts[k]} {k}" for k in order if k in counts)
    total = sum(counts.values())
    return f"""# Parameters of `{cfg_name}`

Generated by `python3 scripts/params-table.py {cfg_name} > docs/parameters.md`; do not edit
by hand (`tests/test_params_doc.sh` fails when this file is out of date). One row per setting
of the scenario file, in file order: its dotted path (the name `--set` and `/parameters/values`
use), its value as written, the unit and source comment from the file, and a source class read
from that comment: **seed** (a seed citation, "seed 00N §x (orig Lnnn)", see
`docs/sources.md`), **external** (a public statistic outside the seeds), **derived**
(arithmetic on cited figures) or **assumption** (our choice, sweepable); the class is the
keyword the comment names first, other keywords follow as "(+...)". A setting without a source
of its own inherits one from a comment block above it in its group, from the header of the list
it is an element of, or from its group's header when that header is the only annotation of the
group; the comment column then says where from.
**run control** marks settings of the run itself (horizon, scale, seed, output), and
**none** a number with no source (`scripts/params-table.py --lint` lists them). Group rows
carry their header comment for context. Rates in the file are per month and durations in
months; the model converts them to days (`models/lm_config.c`). Reasoning behind the values:
`docs/parameter-sheet.md`; how the model uses them: `docs/model.md`. `@include` files are
noted, not expanded: the 35 regions are in `scenarios/regions.cfg`, whose every value carries
its own source comment. The policy blocks `programmes`, `shocks` and `cooperation` are not part
of this file: they live in `scenarios/parts/*.cfg` (see `docs/scenarios.md`), and
`--lint FILE` checks those too. Totals: {total} settings ({tally}).
"""


def comment_cell(r):
    n = r.node
    if n.kind == "include":
        return (f"regions, not expanded here: see `scenarios/{n.name}` "
                "(caseload, WSP form, pool policy, vacancy sharing, maturity, staff, tightness, "
                "portfolio per region, each with its own source comment)")
    text = r.own or r.clause
    if r.where:
        text = (text + " " if text else "") + f"[source inherited from the {r.where}: {r.source}]"
    return md(text)


def table(cfg, rows):
    out = [header(display_name(cfg), rows),
           "| parameter | value | unit and source (comment in the file) | source class |",
           "|---|---|---|---|"]
    for r in rows:
        n = r.node
        if isinstance(r, Note):
            out.append(f"| `{r.path}` | *comment* | {md(r.text)} | |")
        elif n.kind == "include":
            out.append(f"| `{r.path + '.' if r.path else ''}@include` | `\"{n.name}\"` | {comment_cell(r)} | see file |")
        elif n.kind in ("group", "list"):
            if r.own and n.line < n.end:   # a one-line group's comment is on its members' rows
                out.append(f"| `{r.path}` | *{n.kind}* | {md(r.own)} | |")
        else:
            out.append(f"| `{r.path}` | `{md(render_value(n))}` | {comment_cell(r)} | {r.klass()} |")
    return "\n".join(out) + "\n"


class Note:
    """A comment-only block inside a group (units or a blanket source for what follows)."""

    def __init__(self, group, line, text):
        self.node, self.path, self.line, self.text = group, group.path(), line, text


def notes(root, comments):
    """Comment-only blocks inside groups (the file header at top level is left out)."""
    out = []
    for n in leaves(root):
        if n.kind in ("group", "list") and n.line < n.end:
            kids = [(c.line, c.end) for c in n.children if c.kind in ("group", "list")]
            for ln in range(n.line + 1, n.end):
                if any(s for _, s in comments.get(ln, [])) and not any(a <= ln <= b for a, b in kids):
                    text = " ".join(c for c, s in comments[ln] if s)
                    if out and out[-1].node is n and out[-1].last == ln - 1:
                        out[-1].text += " " + text
                    else:
                        out.append(Note(n, ln, text))
                    out[-1].last = ln
    return out


def rows_of(cfg):
    """Rows in file order: settings, group headers, comment blocks, includes."""
    root, comments = parse(cfg)
    rows = []
    for n in leaves(root):
        r = Row(n, comments)
        r.line = n.line
        if n.kind == "include":
            r.path = n.parent.path()
        rows.append(r)
    rows += notes(root, comments)
    return sorted(rows, key=lambda r: r.line)


# ------------------------------------------------------------ uncertainty --

UNCERTAINTY_FILES = ("uncertainty.cfg", "uncertainty-programme.cfg", "uncertainty-calibration.cfg")
ENTRY = re.compile(r"\{\s*key\s*=\s*\"(?P<key>[^\"]+)\";(?P<body>.*?)source\s*=\s*\"(?P<source>[^\"]*)\";\s*\}", re.S)
ARG = re.compile(r"(\w+)\s*=\s*(\"[^\"]*\"|[-+0-9.eE]+)\s*;")


def uncertainty_section(cfg):
    """The declared parameter uncertainty (parts/uncertainty*.cfg next to CFG, issue 14)
    as a second table: key, distribution and range, reasoning. Empty when there is none."""
    rows = []
    for name in UNCERTAINTY_FILES:
        path = os.path.join(os.path.dirname(os.path.abspath(cfg)), "parts", name)
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as f:
            text = "\n".join(line.split("#", 1)[0] for line in f.read().splitlines())
        for m in ENTRY.finditer(text):
            args = dict(ARG.findall(m.group("body")))
            dist = args.pop("dist", "?").strip('"')
            shown = ", ".join(f"{k} {v}" for k, v in args.items())
            rows.append(f"| `{m.group('key')}` | {dist} | {shown} | {md(m.group('source'))} | `parts/{name}` |")
    if not rows:
        return ""
    return ("\n## Parameter uncertainty\n\n"
            "The ranges that `sim sweep` designs `morris` and `sobol` vary (docs/sensitivity.md), "
            "declared in `scenarios/parts/uncertainty.cfg` (baseline) and "
            "`scenarios/parts/uncertainty-programme.cfg` (a funding programme), and the calibrated "
            "parameters' uncertainty that `sim run --draw-parameters` draws with them in "
            "`scenarios/uncertainty-incidental.cfg` and `-structural.cfg` "
            "(`scenarios/parts/uncertainty-calibration.cfg`: standard errors from the Dutch history, "
            "drawn jointly with the correlations listed there; docs/calibration.md). Every range lies inside "
            "the parameter's allowed range (checked by the model's own validation before a sweep runs); "
            "\"normal\" is truncated to min..max.\n\n"
            "| parameter | distribution | arguments | reasoning and source | declared in |\n"
            "|---|---|---|---|---|\n" + "\n".join(rows) + "\n")


def document(cfg):
    return table(cfg, rows_of(cfg)) + uncertainty_section(cfg)


# ------------------------------------------------------------------- modes --

def check(doc, cfg):
    want = document(cfg)
    try:
        with open(doc, encoding="utf-8") as f:
            got = f.read()
    except OSError as e:
        got, why = None, e.strerror
    shown = display_name(doc) if not os.path.relpath(os.path.abspath(doc), ROOT).startswith("..") else doc
    hint = f"regenerate: python3 scripts/params-table.py {display_name(cfg)} > {shown}"
    if got is None:
        print(f"{doc}: cannot read ({why}); {hint}", file=sys.stderr)
        return 1
    if got == want:
        return 0
    diff = list(difflib.unified_diff(got.splitlines(), want.splitlines(), doc, "generated", lineterm="", n=1))
    print("\n".join(diff[:40]) + ("\n..." if len(diff) > 40 else ""), file=sys.stderr)
    print(f"{doc} is out of date with {display_name(cfg)}; {hint}", file=sys.stderr)
    return 1


def lint(cfg):
    bad = {}
    for r in rows_of(cfg):
        if not isinstance(r, Note) and r.node.kind not in ("group", "list", "include") and r.unsourced():
            bad.setdefault(r.node.end, []).append(r)
    name = display_name(cfg)
    for line, rs in sorted(bad.items()):
        what = "; ".join(f"{r.path} = {render_value(r.node)}" for r in rs)
        note = f" (comment: \"{rs[0].own}\")" if rs[0].own else " (no comment)"
        print(f"{name}:{line}: no source for {what}{note}")
    if bad:
        print(f"{len(bad)} numeric parameter line(s) without a source: give each comment "
              "\"seed 00N §x (orig Lnnn)\", \"external\" or \"assumption\"", file=sys.stderr)
        return 1
    return 0


USAGE = "usage: params-table.py [--check FILE | --lint] [CFG]"


def main(argv):
    mode, doc, args = "table", None, []
    it = iter(argv)
    for a in it:
        if a == "--check":
            mode, doc = "check", next(it, None)
            if doc is None:
                print(USAGE, file=sys.stderr)
                return 2
        elif a == "--lint":
            mode = "lint"
        elif a in ("-h", "--help"):
            print(__doc__.strip())
            return 0
        elif a.startswith("-"):
            print(f"params-table.py: unknown option {a}\n{USAGE}", file=sys.stderr)
            return 2
        else:
            args.append(a)
    if len(args) > 1:
        print(USAGE, file=sys.stderr)
        return 2
    cfg = args[0] if args else DEFAULT_CFG
    try:
        if mode == "check":
            return check(doc, cfg)
        if mode == "lint":
            return lint(cfg)
        sys.stdout.write(document(cfg))
        return 0
    except (OSError, ParseError) as e:
        print(f"params-table.py: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

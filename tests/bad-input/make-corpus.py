#!/usr/bin/env python3
"""make-corpus.py: write the bad-input corpus of tests/bad-input/ reproducibly.

Every case is one scenario file with exactly one problem and one line of
expected.tsv:  FILE <TAB> EXIT CODE <TAB> FRAGMENT, where FRAGMENT must appear in
the stderr of `sim validate FILE` (run with the corpus path as given, so the
fragment usually starts with "FILE:LINE: "). Helper files that cases include
live in parts/ and are not cases themselves. xfail.tsv lists cases that the
current code gets wrong (FILE <TAB> REASON); tests/test_bad_input.sh reports them
as XFAIL, and as a failure once they start passing (then delete the line here).

Most cases are small overlays that `@include` the real ../../scenarios/base.cfg or
mm1.cfg and add one bad top-level block; a bad value inside base.cfg, mm1.cfg or
regions.cfg is a copy of that file's text with one substitution (a copy of base.cfg
includes ../../scenarios/regions.cfg, or a changed copy of it in parts/).

Usage:  python3 tests/bad-input/make-corpus.py          (rewrites the corpus)
        python3 tests/bad-input/make-corpus.py --check  (exit 1 if it is stale)
        python3 tests/bad-input/make-corpus.py --fuzz-seeds DIR
              (for `make fuzz`: DIR/cfg/ gets every scenario with its includes
               flattened, DIR/scenario.dict a libFuzzer dictionary)
Only the Python standard library; no randomness except a fixed-seed generator.
"""
import os
import random
import re
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
SCEN = os.path.join(ROOT, "scenarios")
BASE_INC = "../../scenarios/base.cfg"
MM1_INC = "../../scenarios/mm1.cfg"


def read(name):
    with open(os.path.join(SCEN, name), encoding="utf-8") as f:
        return f.read()


BASE = read("base.cfg").replace('@include "regions.cfg"', '@include "../../scenarios/regions.cfg"')
MM1 = read("mm1.cfg")
REGIONS = read("regions.cfg")
PROG = read("parts/pow-incidental.cfg")
SHOCK = read("parts/covid.cfg")

files = {}    # relative path -> bytes
cases = []    # (file, rc, fragment)
xfails = []   # (file, reason)


class CorpusError(Exception):
    pass


def line_of(text, needle):
    i = text.find(needle)
    if i < 0:
        raise CorpusError("needle %r not found" % needle)
    return text.count("\n", 0, i) + 1


def sub1(text, old, new, what):
    """Replace the one occurrence of `old`; if there is none (a value was recalibrated),
    the one place where `old` matches with any numbers in place of its numbers."""
    n = text.count(old)
    if n == 1:
        return text.replace(old, new)
    if n == 0:
        pat = "".join(r"\d+(?:\.\d+)?" if i % 2 else re.escape(part)
                      for i, part in enumerate(re.split(r"(\d+(?:\.\d+)?)", old)))
        m = list(re.finditer(pat, text))
        if len(m) == 1:
            return text[:m[0].start()] + new + text[m[0].end():]
    raise CorpusError("%s: %r occurs %d times (want exactly 1); did the scenario change?" % (what, old, n))


def add(name, data, frag, rc=1, xfail=None, when="always"):
    if name in files:
        raise CorpusError("duplicate case " + name)
    files[name] = data.encode("utf-8") if isinstance(data, str) else data
    if "\t" in frag or "\n" in frag:
        raise CorpusError(name + ": fragment with a tab or newline")
    cases.append((name, rc, frag))
    if xfail:
        xfails.append((name, when, xfail))


def part(name, data):
    path = "parts/" + name
    if path in files:
        raise CorpusError("duplicate part " + name)
    files[path] = data.encode("utf-8") if isinstance(data, str) else data
    return path


def fmt(frag, name, text, at):
    """Expand {L} to NAME:LINE: (LINE of `at`: a line number or a text needle) and {F} to NAME."""
    if "{L}" in frag:
        line = at if isinstance(at, int) else line_of(text, at)
        frag = frag.replace("{L}", "%s:%d:" % (name, line))
    return frag.replace("{F}", name)


def overlay(name, over, extra, frag, at=None, xfail=None, rc=1, when="always"):
    """A small file: a header comment, `@include` of base.cfg or mm1.cfg, then `extra`."""
    inc = {"base": BASE_INC, "mm1": MM1_INC}[over]
    text = "# %s: bad-input case (tests/bad-input/make-corpus.py)\n@include \"%s\"\n%s\n" % (name, inc, extra)
    name += ".cfg"
    add(name, text, fmt(frag, name, text, at if at is not None else extra.split("\n")[0]), rc, xfail, when)


def copy_sub(name, src, old, new, frag, at=None, xfail=None, when="always"):
    """A copy of base.cfg or mm1.cfg text with one substitution; {L} = line of `new` unless `at`."""
    text = sub1({"base": BASE, "mm1": MM1}[src], old, new, name)
    name += ".cfg"
    add(name, text, fmt(frag, name, text, at if at is not None else new.split("\n")[0] or old), 1, xfail, when)


def region_span(text, i):
    """Start and end offsets of the i-th region group of regions.cfg text."""
    starts = [m.start() for m in re.finditer(r'(?m)^  \{ name = "', text)]
    if i >= len(starts):
        raise CorpusError("regions.cfg has no region %d" % i)
    end = text.find("\n  }", starts[i])
    return starts[i], end


def regions_sub(name, old, new, frag, at=None, regions_text=None, region=0, xfail=None):
    """A copy of base.cfg including a copy of regions.cfg with one substitution inside
    region number `region` (parts/NAME.regions.cfg). {L} = that file's line of `new` unless `at`."""
    if regions_text is not None:
        rtext = regions_text
    else:
        a, b = region_span(REGIONS, region)
        rtext = REGIONS[:a] + sub1(REGIONS[a:b], old, new, name) + REGIONS[b:]
    path = part(name + ".regions.cfg", rtext)
    text = sub1(BASE, '@include "../../scenarios/regions.cfg"', '@include "%s"' % path, name)
    if "{L}" in frag:
        line = at if isinstance(at, int) else line_of(rtext, at if at is not None else new)
        frag = frag.replace("{L}", "%s:%d:" % (path, line))
    add(name + ".cfg", text, frag.replace("{F}", name + ".cfg"), 1, xfail)


def prog_sub(name, old, new, frag, at=None, xfail=None):
    """base.cfg + the Perspectief op Werk programme (parts/pow-incidental.cfg) with one substitution."""
    overlay(name, "base", sub1(PROG, old, new, name).rstrip("\n"), frag, at if at is not None else (new.split("\n")[0] or old), xfail)


def shock_sub(name, old, new, frag, at=None, xfail=None):
    """base.cfg + the Covid-19 shock (parts/covid.cfg) with one substitution."""
    overlay(name, "base", sub1(SHOCK, old, new, name).rstrip("\n"), frag, at if at is not None else (new.split("\n")[0] or old), xfail)


RANGE = "is out of range (allowed: "
UNKNOWN = "unknown key (not a parameter of this model"
SYNTAX = "syntax error"
WRAP = "does not fit in 32 bits"
LM = "labour_market."
INSTR = LM + "instruments."
POP = LM + "population."
PLACE = LM + "placements."
EMP = LM + "employers."
REG0 = LM + "regions.[0]."


def syntax_cases():
    s = [  # (name, extra line(s) after @include of mm1.cfg)
        ("unterminated-string", 'title = "no closing quote;'),
        ("unclosed-group", "extra = { a = 1;"),
        ("stray-closing-brace", "};"),
        ("missing-value", "extra = ;"),
        ("missing-equals", "extra 5;"),
        ("key-starts-with-digit", "1extra = 5;"),
        ("dollar-in-value", "extra = 5$;"),
        ("mismatched-brackets", "extra = [1, 2);"),
        ("mixed-array", 'extra = [1, "a"];'),
        ("array-of-groups", "extra = [ { a = 1; } ];"),
        ("nested-array", "extra = [[1]];"),
        ("two-decimal-points", "extra = 1.2.3;"),
        ("empty-hex", "extra = 0x;"),
        ("bareword-value", "extra = tru;"),
        ("unterminated-comment", "/* this comment is never closed\nextra = 1;"),
        ("bare-value", "5;"),
        ("trailing-comma-in-list", "extra = (1, 2,);"),
        ("empty-exponent", "extra = 1e;"),
        ("double-minus", "extra = --1;"),
        ("suffix-in-middle", "extra = 1L5;"),
        ("quoted-key", '"extra" = 1;'),
        ("empty-key", "= 1;"),
        ("semicolon-in-array", "extra = [1; 2];"),
        ("double-colon", "extra :: 1;"),
        ("double-equals", "extra = = 1;"),
        ("lone-semicolon", ";"),
        ("unclosed-list", "extra = ( 1, 2"),
        ("include-mid-line", 'extra = 1; @include "../../scenarios/mm1.cfg"'),
        ("backtick", "extra = `1`;"),
        ("control-character", "extra = \x01;"),
        ("latin1-key", "caf\xe9 = 1;"),
        ("dotted-key", "mm1.arrival_rate = 0.5;"),
        ("duplicate-top-level-key", "seed = 5;"),
        ("assignment-to-group-member", "mm1 { arrival_rate = 0.5; };"),
        ("hash-in-key", "ex#tra = 1;"),
        ("unicode-minus", "extra = \u22121;"),
    ]
    for name, extra in s:
        frag = "{L} " + SYNTAX
        if name in ("unterminated-string", "unclosed-group", "unclosed-list", "hash-in-key"):
            frag = "{F}:*: " + SYNTAX   # reported at the end of the text (see syn-eof-line)
        if name == "unterminated-comment":
            continue
        if name == "duplicate-top-level-key":
            frag = ('{L} seed: already set at *mm1.cfg:4 (allowed: each key once; to change a value an included file sets, '
                    'list it after the @include as overrides = ( { key = "seed"; value = ...; } ); or use --set seed=...')
        overlay("syn-" + name, "mm1", extra, frag,
                at=("extra = 1;" if name == "unterminated-comment" else None))
    overlay("syn-eof-line", "mm1", "extra = { a = 1;", "{L} " + SYNTAX)
    overlay("syn-unterminated-comment", "base", "/* this comment is never closed\ncooperation = { maturity_offset = 0.2; };",
            "{L} syntax error: /* comment never closed")
    # errors inside a full copy
    copy_sub("syn-base-missing-closing-brace", "base", "    werkbonus = { amount = 1500.0; uptake = 0.10; after_months = 6.0; };",
             "    werkbonus = { amount = 1500.0; uptake = 0.10; after_months = 6.0; ;", "{F}:*: " + SYNTAX)
    copy_sub("syn-base-duplicate-key", "base", "  scale = 1.0;", "  scale = 1.0; scale = 0.5;",
             "{L} labour_market.scale: already set at line * of this file (allowed: each key once; delete one)")
    copy_sub("syn-base-duplicate-in-group", "base", "      debts = 0.35;", "      debts = 0.35; debts = 0.36;",
             "{L} labour_market.population.barriers.debts: already set at line * of this file")
    # libconfig needs no separator between settings: "scale = 1.0 durable = 2;" is two settings
    copy_sub("key-base-missing-separator", "base", "  scale = 1.0;", "  scale = 1.0 durable = 2;",
             "{L} labour_market.durable: " + UNKNOWN)
    copy_sub("syn-mm1-unclosed-string", "mm1", 'detail = "series";', 'detail = "series;', "{F}:*: " + SYNTAX)
    deep = "x = " + "(" * 20000 + ")" * 20000 + ";"
    overlay("syn-deep-nesting", "mm1", deep, "{L} syntax error: memory exhausted")
    overlay("syn-long-line", "mm1", "x = " + "1 + " * 20000 + "1;", "{L} " + SYNTAX)


def file_cases():
    add("file-empty.cfg", b"", "file-empty.cfg: model: missing key")
    add("file-whitespace.cfg", b"   \n\t\n\n   \n", "file-whitespace.cfg: model: missing key")
    add("file-comments-only.cfg", b"# nothing but a comment\n// and another\n/* and a block */\n",
        "file-comments-only.cfg: model: missing key")
    add("file-nul-byte.cfg", MM1.encode()[:200] + b"\0" + MM1.encode()[200:],
        "file-nul-byte.cfg: cannot read scenario: binary data (NUL byte)")
    add("file-only-nul.cfg", b"\0", "file-only-nul.cfg: cannot read scenario: binary data (NUL byte)")
    rng = random.Random(20190101)
    add("file-binary-junk.cfg", bytes(rng.randrange(256) for _ in range(4096)),
        "file-binary-junk.cfg: cannot read scenario: binary data (NUL byte)")
    junk = bytes(rng.randrange(1, 256) for _ in range(2048))
    add("file-binary-junk-no-nul.cfg", junk, "file-binary-junk-no-nul.cfg:1: " + SYNTAX)
    add("file-utf8-bom.cfg", b"\xef\xbb\xbf" + MM1.encode(), "file-utf8-bom.cfg:1: " + SYNTAX)
    add("file-utf16.cfg", MM1.encode("utf-16"), "file-utf16.cfg: cannot read scenario: binary data (NUL byte)")
    add("file-gzip-magic.cfg", b"\x1f\x8b\x08\x00" + bytes(rng.randrange(1, 256) for _ in range(64)),
        "file-gzip-magic.cfg: cannot read scenario: binary data (NUL byte)")
    add("file-hdf5-signature.cfg", b"\x89HDF\r\n\x1a\n" + b"\0" * 16,
        "file-hdf5-signature.cfg: cannot read scenario: binary data (NUL byte)")
    add("file-json.cfg", b'{"model": "mm1", "seed": 1}\n', "file-json.cfg:1: " + SYNTAX)
    add("file-yaml.cfg", b"model: mm1\nseed: 1\n", "file-yaml.cfg:1: " + SYNTAX)
    add("file-ini.cfg", b"[mm1]\narrival_rate = 0.9\n", "file-ini.cfg:1: " + SYNTAX)
    add("file-shell-script.cfg", b"#!/bin/sh\necho hello\n", "file-shell-script.cfg:2: " + SYNTAX)
    add("file-crlf-truncated.cfg", MM1.replace("\n", "\r\n").encode()[:400],
        "file-crlf-truncated.cfg:")


def include_cases():
    overlay("inc-missing-file", "mm1", '@include "parts/does-not-exist.cfg"',
            '{L} @include "parts/does-not-exist.cfg": cannot read')
    add("inc-missing-base.cfg", '# wrong relative path to base.cfg\n@include "../scenarios/base.cfg"\n',
        'inc-missing-base.cfg:2: @include "../scenarios/base.cfg": cannot read')
    add("inc-absolute-missing.cfg", '@include "/nonexistent/dir/scenario.cfg"\n',
        'inc-absolute-missing.cfg:1: @include "/nonexistent/dir/scenario.cfg": cannot read /nonexistent/dir/scenario.cfg: No such file or directory')
    add("inc-self.cfg", '# includes itself\n@include "inc-self.cfg"\n',
        'inc-self.cfg:2: @include "inc-self.cfg": include cycle')
    add("inc-self-dotted.cfg", '# includes itself by another spelling\n@include "parts/../inc-self-dotted.cfg"\n',
        'inc-self-dotted.cfg:2: @include "parts/../inc-self-dotted.cfg": include cycle')
    part("cycle-b.cfg", '# cycle: inc-cycle-indirect.cfg -> parts/cycle-b.cfg -> back\n@include "../inc-cycle-indirect.cfg"\n')
    add("inc-cycle-indirect.cfg", '@include "../../scenarios/mm1.cfg"\n@include "parts/cycle-b.cfg"\n',
        'parts/cycle-b.cfg:2: @include "../inc-cycle-indirect.cfg": include cycle')
    part("cycle3-b.cfg", '@include "cycle3-c.cfg"\n')
    part("cycle3-c.cfg", 'x = 1;\n@include "../inc-cycle-three.cfg"\n')
    add("inc-cycle-three.cfg", '@include "parts/cycle3-b.cfg"\n',
        'parts/cycle3-c.cfg:2: @include "../inc-cycle-three.cfg": include cycle')
    part("loop-x.cfg", '@include "loop-y.cfg"\n')
    part("loop-y.cfg", '# loop-x <-> loop-y, not through the top file\n@include "loop-x.cfg"\n')
    overlay("inc-cycle-below-top", "mm1", '@include "parts/loop-x.cfg"', 'parts/loop-y.cfg:2: @include "loop-x.cfg": include cycle')
    for i in range(1, 18):
        part("deep-%02d.cfg" % i, '@include "deep-%02d.cfg"\n' % (i + 1) if i < 17 else "deep = 1;\n")
    add("inc-too-deep.cfg", '@include "parts/deep-01.cfg"\n', "includes nested deeper than 16")
    overlay("inc-directory", "mm1", '@include "parts"', 'parts: Is a directory')
    overlay("inc-empty-name", "mm1", '@include ""', '{L} @include "": cannot read')
    overlay("inc-no-quotes", "mm1", "@include parts/cycle-b.cfg", "{L} malformed @include (expected: @include \"file.cfg\")")
    overlay("inc-unterminated-name", "mm1", '@include "parts/cycle-b.cfg', "{L} malformed @include")
    overlay("inc-single-quotes", "mm1", "@include 'parts/cycle-b.cfg'", "{L} malformed @include")
    overlay("inc-no-name", "mm1", "@include", "{L} malformed @include", at=3)
    part("binary.cfg", b"extra = 1;\n\0\0\0\n")
    overlay("inc-binary-file", "mm1", '@include "parts/binary.cfg"',
            'parts/binary.cfg: binary data (NUL byte) in a scenario file')
    part("syntax.cfg", "# an included file with a syntax error on line 3\nextra = 1;\nbroken = ;\n")
    overlay("inc-syntax-error-in-part", "mm1", '@include "parts/syntax.cfg"', "parts/syntax.cfg:3: " + SYNTAX)
    part("unknown-key.cfg", "# an included file with an unknown key on line 2\nbogus_key = 1;\n")
    overlay("inc-unknown-key-in-part", "mm1", '@include "parts/unknown-key.cfg"', "parts/unknown-key.cfg:2: bogus_key: " + UNKNOWN)
    part("bad-value.cfg", "# an included file with a bad value\ncooperation = { maturity_offset = 3.0; };\n")
    overlay("inc-bad-value-in-part", "base", '@include "parts/bad-value.cfg"',
            "parts/bad-value.cfg:2: cooperation.maturity_offset: 3 " + RANGE + "-1 to 1)")
    overlay("inc-base-twice", "base", '@include "../../scenarios/base.cfg"', "base.cfg:12: model: set twice: the file is included twice (allowed: each file once)")
    overlay("inc-model-twice", "mm1", '@include "../../scenarios/base.cfg"',
            "base.cfg:12: model: already set at *mm1.cfg:3 (allowed: each key once; to change a value an included file sets")
    copy_sub("inc-regions-missing", "base", '@include "../../scenarios/regions.cfg"', '@include "regions.cfg"',
             '{L} @include "regions.cfg": cannot read')


def type_cases():
    m = [  # mm1.cfg copies: (name, old, new, expected path and message)
        ("model-number", 'model = "mm1";', "model = 5;", "model: expected a string"),
        ("model-bool", 'model = "mm1";', "model = true;", "model: expected a string"),
        ("seed-string", "seed = 20190101L;", 'seed = "20190101";', "seed: expected an integer, got a string"),
        ("seed-float", "seed = 20190101L;", "seed = 20190101.0;", "seed: expected an integer, got a number"),
        ("seed-bool", "seed = 20190101L;", "seed = true;", "seed: expected an integer, got a boolean"),
        ("replications-float", "replications = 4;", "replications = 4.0;", "replications: expected an integer, got a number"),
        ("replications-array", "replications = 4;", "replications = [4];", "replications: expected an integer, got an array"),
        ("origin-number", 'origin = "2019-01-01";', "origin = 20190101;", "origin: expected a string"),
        ("output-scalar", "output = {", "output_old = {", "output: missing key (expected a group"),
        ("detail-number", 'detail = "series";', "detail = 1;", "output.detail: expected a string"),
        ("sample-string", "sample = 1.0;", 'sample = "all";', "output.sample: expected a number, got a string"),
        ("sample-bool", "sample = 1.0;", "sample = true;", "output.sample: expected a number, got a boolean"),
        ("arrival-rate-string", "arrival_rate = 0.9;", 'arrival_rate = "0.9";', "mm1.arrival_rate: expected a number, got a string"),
        ("service-rate-list", "service_rate = 1.0;", "service_rate = (1.0);", "mm1.service_rate: expected a number, got a list"),
        ("customers-float", "customers = 1000000;", "customers = 1000000.0;", "mm1.customers: expected an integer, got a number"),
        ("customers-exponent", "customers = 1000000;", "customers = 1e6;", "mm1.customers: expected an integer, got a number"),
        ("customers-bool", "customers = 1000000;", "customers = false;", "mm1.customers: expected an integer, got a boolean"),
        ("observe-step-group", "observe_step = 10000.0;", "observe_step = { value = 1.0; };", "mm1.observe_step: expected a number, got a group"),
        ("observe-count-array", "observe_count = 100;", "observe_count = [100];", "mm1.observe_count: expected an integer, got an array"),
    ]
    for name, old, new, msg in m:
        frag = ("{F}: " + msg) if name == "output-scalar" else "{L} " + msg
        copy_sub("type-mm1-" + name, "mm1", old, new, frag)
    head, tail = sub1(MM1, "mm1 = {", "mm1 = ( {", "mm1 list").rsplit("\n};", 1)
    text = head + "\n} );" + tail
    add("type-mm1-group-is-list.cfg", text, "type-mm1-group-is-list.cfg:%d: mm1: expected a group" % line_of(text, "mm1 = ("))
    b = [  # base.cfg copies
        ("end-number", 'end = "2029-01-01";', "end = 20290101;", LM + "end: expected a date \"YYYY-MM-DD\", got an integer"),
        ("scale-string", "scale = 1.0;", 'scale = "1.0";', LM + "scale: expected a number, got a string"),
        ("scale-bool", "scale = 1.0;", "scale = true;", LM + "scale: expected a number, got a boolean"),
        ("population-list", "population = {", "population = 1; population_ = {", LM + "population: expected a group"),
        ("bands-strings", "duration_bands_months = [0.0, 6.0, 12.0, 24.0, 60.0, 180.0];",
         'duration_bands_months = ["0", "6", "12", "24", "60", "180"];', POP + "duration_bands_months.[0]: expected a number, got a string"),
        ("shares-group", "duration_shares = [0.15, 0.10, 0.10, 0.25, 0.40];",
         "duration_shares = { a = 0.15; b = 0.10; c = 0.10; d = 0.25; e = 0.40; };", POP + "duration_shares: expected a list"),
        ("barriers-array", "    barriers = {                                        # prevalence",
         "    barriers = [0.35, 0.40, 0.20, 0.25, 0.50]; barriers_ = {  # prevalence", POP + "barriers: expected a group"),
        ("family-number", 'family = "lognormal"; median_months = 8.0;', "family = 2; median_months = 8.0;",
         INSTR + "barrier_removal.duration.family: expected a string"),
        ("median-string", "median_months = 4.5;", 'median_months = "4.5";', INSTR + "workfit.duration.median_months: expected a number, got a string"),
        ("benefit-continues-int", "basisbaan = { weight = 1.0; accept_multiplier = 2.0; job_loss_multiplier = 0.5; benefit_continues = false;",
         "basisbaan = { weight = 1.0; accept_multiplier = 2.0; job_loss_multiplier = 0.5; benefit_continues = 0;",
         PLACE + "basisbaan.benefit_continues: expected true or false, got an integer"),
        ("benefit-continues-string", "internship = { weight = 0.5; accept_multiplier = 1.4; job_loss_multiplier = 1.0; benefit_continues = true;",
         'internship = { weight = 0.5; accept_multiplier = 1.4; job_loss_multiplier = 1.0; benefit_continues = "true";',
         PLACE + "internship.benefit_continues: expected true or false, got a string"),
        ("max-candidates-float", "max_candidates = 3;", "max_candidates = 3.0;", EMP + "max_candidates: expected an integer, got a number"),
        ("max-candidates-string", "max_candidates = 3;", 'max_candidates = "3";', EMP + "max_candidates: expected an integer, got a string"),
        ("demand-group", 'demand = ( { date = "2019-01-01"; level = 1.0; } );', 'demand = { date = "2019-01-01"; level = 1.0; };',
         LM + "macro.demand: expected a list"),
        ("demand-level-string", 'demand = ( { date = "2019-01-01"; level = 1.0; } );', 'demand = ( { date = "2019-01-01"; level = "1.0"; } );',
         LM + "macro.demand.[0].level: expected a number, got a string"),
        ("demand-date-number", 'demand = ( { date = "2019-01-01"; level = 1.0; } );', "demand = ( { date = 20190101; level = 1.0; } );",
         LM + "macro.demand.[0].date: expected a date"),
        ("pool-visibility-scalar", "pool_visibility = { joint = 1.0; depends = 0.8; own = 0.6; };", "pool_visibility = 0.8;",
         EMP + "pool_visibility: expected a group"),
        ("werkcheque-list", "werkcheque = { amount = 4500.0; uptake = 0.05; };", "werkcheque = ( 4500.0, 0.05 );",
         PLACE + "werkcheque: expected a group"),
        ("aftercare-bool", "  aftercare = {                          # jobcoach",
         "  aftercare = false; aftercare_ = {    # jobcoach", LM + "aftercare: expected a group"),
        ("benefit-per-month-string", "benefit_per_month = 1130.0;", 'benefit_per_month = "EUR 1130";', LM + "costs.benefit_per_month: expected a number, got a string"),
        ("labour-market-scalar", "labour_market = {", "labour_market = 1; labour_market_ = {", "labour_market: expected a group"),
        ("wage-subsidy-per-month-64bit", "per_month = 900.0;", "per_month = true;", PLACE + "wage_subsidy.per_month: expected a number, got a boolean"),
    ]
    for name, old, new, msg in b:
        copy_sub("type-base-" + name, "base", old, new, "{L} " + msg)
    r = [  # regions.cfg copies
        ("caseload-string", "caseload = 19600;", 'caseload = "19600";', REG0 + "caseload: expected a number, got a string"),
        ("name-number", '{ name = "Groningen";', "{ name = 1;", REG0 + "name: expected a string"),
        ("vacancy-sharing-string", 'pool = "joint";  # assumption; counts seed 003 §5E (orig L1010-L1021)\n    vacancy_sharing = true;',
         'pool = "joint";  # assumption; counts seed 003 §5E (orig L1010-L1021)\n    vacancy_sharing = "yes";', None),
        ("portfolio-string", None, None, None),
        ("maturity-bool", "maturity = 0.55;", "maturity = true;", REG0 + "maturity: expected a number, got a boolean"),
    ]
    for name, old, new, msg in r:
        if name == "vacancy-sharing-string":
            regions_sub("type-regions-" + name, old, new, "{L} " + REG0 + "vacancy_sharing: expected true or false, got a string",
                        at='vacancy_sharing = "yes"')
        elif name == "portfolio-string":
            first = REGIONS[REGIONS.find("portfolio = ["):]
            first = first[:first.find("]") + 1]
            regions_sub("type-regions-" + name, first, 'portfolio = "profiling"', "{L} " + REG0 + "portfolio: expected a list")
        else:
            regions_sub("type-regions-" + name, old, new, "{L} " + msg)
    rtext = sub1(REGIONS, "\nregions = (", "\nregions = 5;\nregions_ = (", "regions scalar")
    regions_sub("type-regions-scalar", None, None, "{L} " + LM + "regions: expected a list", at="regions = 5;", regions_text=rtext)
    rtext = sub1(REGIONS, '  { name = "Groningen";', '  "Groningen",\n  { name = "Groningen";', "regions string element")
    regions_sub("type-regions-element-string", None, None, "{L} " + LM + "regions.[0]: missing key 'name'",
                at='  "Groningen",', regions_text=rtext)


def range_cases():
    b = [  # (name, old, new, message after "{L} ")
        ("scale-zero", "scale = 1.0;", "scale = 0.0;", LM + "scale: 0 " + RANGE + "0.0001 to 10)"),
        ("scale-negative", "scale = 1.0;", "scale = -1.0;", LM + "scale: -1 " + RANGE),
        ("scale-huge", "scale = 1.0;", "scale = 1e400;", LM + "scale: inf " + RANGE),
        ("scale-huge-negative", "scale = 1.0;", "scale = -1e400;", LM + "scale: -inf " + RANGE),
        ("durable-zero", "durable_months = 12.0;", "durable_months = 0.0;", LM + "durable_months: 0 " + RANGE + "1 to 120)"),
        ("series-step-zero", "series_step_months = 1.0;", "series_step_months = 0.0;", LM + "series_step_months: 0 " + RANGE),
        ("maturity-decay-negative", "maturity_decay_per_year = 0.10;", "maturity_decay_per_year = -0.10;", LM + "maturity_decay_per_year: -0.1 " + RANGE),
        ("long-term-zero", "long_term_months = 18.0;", "long_term_months = 0.5;", POP + "long_term_months: 0.5 " + RANGE + "1 to 120)"),
        ("bands-decreasing", "[0.0, 6.0, 12.0, 24.0, 60.0, 180.0]", "[0.0, 6.0, 24.0, 12.0, 60.0, 180.0]", POP + "duration_bands_months: band edges must increase"),
        ("bands-five-values", "[0.0, 6.0, 12.0, 24.0, 60.0, 180.0]", "[0.0, 6.0, 12.0, 24.0, 60.0]", POP + "duration_bands_months: expected 6 values, got 5"),
        ("bands-negative", "[0.0, 6.0, 12.0, 24.0, 60.0, 180.0]", "[-6.0, 6.0, 12.0, 24.0, 60.0, 180.0]", POP + "duration_bands_months.[0]: -6 " + RANGE),
        ("duration-shares-sum", "[0.15, 0.10, 0.10, 0.25, 0.40]", "[0.15, 0.10, 0.10, 0.25, 0.50]", POP + "duration_shares: shares sum to 1.1 (allowed: they must sum to 1)"),
        ("duration-shares-six", "[0.15, 0.10, 0.10, 0.25, 0.40]", "[0.15, 0.10, 0.10, 0.25, 0.30, 0.10]", POP + "duration_shares: expected 5 values, got 6"),
        ("distance-long-sum", "[0.10, 0.49, 0.41]", "[0.10, 0.49, 0.51]", POP + "distance_long_term: shares sum to 1.1"),
        ("distance-short-four", "[0.35, 0.45, 0.20]", "[0.35, 0.45, 0.10, 0.10]", POP + "distance_short_term: expected 3 values, got 4"),
        ("distance-short-negative", "[0.35, 0.45, 0.20]", "[0.35, 0.85, -0.20]", POP + "distance_short_term.[2]: -0.2 " + RANGE),
        ("barrier-over-one", "debts = 0.35;", "debts = 1.35;", POP + "barriers.debts: 1.35 " + RANGE + "0 to 1)"),
        ("barrier-negative", "language = 0.25;", "language = -0.25;", POP + "barriers.language: -0.25 " + RANGE),
        ("age-shares-sum", "age_shares = [0.15, 0.30, 0.33, 0.22];", "age_shares = [0.15, 0.30, 0.33, 0.12];", POP + "age_shares: shares sum to 0.9"),
        ("benefit-shares-sum", "bijstand = 0.88;", "bijstand = 0.78;", POP + "benefit_shares: shares sum to 0.9", "    benefit_shares = {"),
        ("inflow-over-one", "inflow_per_month = 0.02;", "inflow_per_month = 1.5;", POP + "inflow_per_month: 1.5 " + RANGE),
        ("self-exit-median-zero", "self_exit_median_months = 20.0;", "self_exit_median_months = 0.0;", LM + "hazards.self_exit_median_months: 0 " + RANGE),
        ("self-exit-shape-big", "self_exit_shape = 0.6;", "self_exit_shape = 6.0;", LM + "hazards.self_exit_shape: 6 " + RANGE + "0.1 to 5)"),
        ("distance-mult-negative", "distance_multipliers = [1.0, 0.3, 0.12];", "distance_multipliers = [1.0, -0.3, 0.12];", LM + "hazards.distance_multipliers.[1]: -0.3 " + RANGE),
        ("barrier-mult-over-one", "barrier_multiplier = 0.7;", "barrier_multiplier = 1.7;", LM + "hazards.barrier_multiplier: 1.7 " + RANGE),
        ("other-exit-over-one", "other_exit_per_month = 0.011;", "other_exit_per_month = 1.1;", LM + "hazards.other_exit_per_month: 1.1 " + RANGE),
        ("invites-negative", "invites_per_fte_month = 2.0;", "invites_per_fte_month = -2.0;", LM + "profiling.invites_per_fte_month: -2 " + RANGE),
        ("no-show-over-one", "no_show = 0.13;", "no_show = 1.13;", LM + "profiling.no_show: 1.13 " + RANGE),
        ("profile-valid-tiny", "profile_valid_months = 12.0;", "profile_valid_months = 0.1;", LM + "profiling.profile_valid_months: 0.1 " + RANGE),
        ("maturity-reach-big", "maturity_reach = 0.6;", "maturity_reach = 3.0;", LM + "profiling.maturity_reach: 3 " + RANGE),
        ("places-negative", "places_per_1000 = 20.0;", "places_per_1000 = -20.0;", INSTR + "barrier_removal.places_per_1000: -20 " + RANGE + "0 to 1000)"),
        ("places-huge", "places_per_1000 = 25.0;", "places_per_1000 = 25000.0;", INSTR + "workfit.places_per_1000: 25000 " + RANGE),
        ("unit-cost-negative", "unit_cost = 3000.0;", "unit_cost = -3000.0;", INSTR + "praktijkleren.unit_cost: -3000 " + RANGE),
        ("dropout-over-one", "dropout_per_month = 0.04;", "dropout_per_month = 1.04;", INSTR + "workfit.dropout_per_month: 1.04 " + RANGE),
        ("lock-in-over-one", "lock_in = 0.5;", "lock_in = 1.5;", INSTR + "barrier_removal.lock_in: 1.5 " + RANGE),
        ("improve-negative", "improve = 0.6;", "improve = -0.6;", INSTR + "workfit.improve: -0.6 " + RANGE),
        ("job-guarantee-over-one", "job_guarantee = 0.55;", "job_guarantee = 1.55;", INSTR + "sector_training.job_guarantee: 1.55 " + RANGE),
        ("boost-big", "boost = 1.6; boost_months = 24.0;", "boost = 16.0; boost_months = 24.0;", INSTR + "bbl.boost: 16 " + RANGE),
        ("choice-weight-negative", "choice_weight = 3.0;", "choice_weight = -3.0;", INSTR + "praktijkleren.choice_weight: -3 " + RANGE),
        ("median-above-max", "median_months = 8.0; shape = 0.4; min_months = 0.92; max_months = 12.0;",
         "median_months = 13.0; shape = 0.4; min_months = 0.92; max_months = 12.0;",
         INSTR + "barrier_removal.duration: median_months must lie within min_months..max_months"),
        ("median-below-min", "median_months = 15.0; shape = 3.0; min_months = 12.0;", "median_months = 11.0; shape = 3.0; min_months = 12.0;",
         INSTR + "bbl.duration: median_months must lie within min_months..max_months"),
        ("min-above-max", "median_months = 4.0; shape = 0.4; min_months = 2.0; max_months = 8.0;",
         "median_months = 4.0; shape = 0.4; min_months = 9.0; max_months = 8.0;", INSTR + "sector_training.duration: median_months must lie within"),
        ("shape-zero", "median_months = 4.5; shape = 0.35;", "median_months = 4.5; shape = 0.0;", INSTR + "workfit.duration.shape: 0 " + RANGE + "0.05 to 10)"),
        ("median-tiny", "median_months = 8.0; shape = 0.4;", "median_months = 0.1; shape = 0.4;", INSTR + "barrier_removal.duration.median_months: 0.1 " + RANGE),
        ("aftercare-places-negative", "places_per_1000 = 10.0;", "places_per_1000 = -10.0;", LM + "aftercare.places_per_1000: -10 " + RANGE),
        ("aftercare-duration-big", "duration_months = 6.0;", "duration_months = 61.0;", LM + "aftercare.duration_months: 61 " + RANGE),
        ("placement-weight-negative", "regular = { weight = 5.0;", "regular = { weight = -5.0;", PLACE + "regular.weight: -5 " + RANGE),
        ("accept-multiplier-big", "basisbaan = { weight = 1.0; accept_multiplier = 2.0;", "basisbaan = { weight = 1.0; accept_multiplier = 20.0;",
         PLACE + "basisbaan.accept_multiplier: 20 " + RANGE),
        ("convert-probability-over-one", "convert_probability = 0.35;", "convert_probability = 1.35;", PLACE + "internship.convert_probability: 1.35 " + RANGE),
        ("placement-cost-negative", "convert_probability = 0.5; cost = 1500.0;", "convert_probability = 0.5; cost = -1500.0;", PLACE + "learn_work.cost: -1500 " + RANGE),
        ("basisbaan-places-negative", "basisbaan_places_per_1000 = 5.0;", "basisbaan_places_per_1000 = -5.0;", PLACE + "basisbaan_places_per_1000: -5 " + RANGE),
        ("job-loss-over-one", "job_loss_per_month = 0.04;", "job_loss_per_month = 1.04;", PLACE + "job_loss_per_month: 1.04 " + RANGE),
        ("subsidy-threshold-over-one", "productivity_threshold = 0.5;", "productivity_threshold = 1.5;", PLACE + "wage_subsidy.productivity_threshold: 1.5 " + RANGE),
        ("subsidy-negative", "per_month = 900.0;", "per_month = -900.0;", PLACE + "wage_subsidy.per_month: -900 " + RANGE),
        ("werkcheque-over-max", "amount = 4500.0;", "amount = 4501.0;", PLACE + "werkcheque.amount: 4501 " + RANGE + "0 to 4500)"),
        ("werkcheque-uptake", "uptake = 0.05;", "uptake = 1.05;", PLACE + "werkcheque.uptake: 1.05 " + RANGE),
        ("werkbonus-over-max", "amount = 1500.0;", "amount = 2000.0;", PLACE + "werkbonus.amount: 2000 " + RANGE + "0 to 1500)"),
        ("awareness-over-one", "wsp_awareness = 0.16;", "wsp_awareness = 1.16;", EMP + "wsp_awareness: 1.16 " + RANGE),
        ("willing-over-one", "willing = 0.61;", "willing = 1.61;", EMP + "willing: 1.61 " + RANGE),
        ("act-negative", "act = 0.23;", "act = -0.23;", EMP + "act: -0.23 " + RANGE),
        ("visibility-over-one", "pool_visibility = { joint = 1.0;", "pool_visibility = { joint = 1.5;", EMP + "pool_visibility.joint: 1.5 " + RANGE),
        ("carving-over-one", "carving_share = 0.25;", "carving_share = 2.5;", EMP + "carving_share: 2.5 " + RANGE),
        ("max-candidates-zero", "max_candidates = 3;", "max_candidates = 0;", EMP + "max_candidates: 0 " + RANGE + "1 to 50)"),
        ("max-candidates-big", "max_candidates = 3;", "max_candidates = 51;", EMP + "max_candidates: 51 " + RANGE + "1 to 50)"),
        ("max-candidates-negative", "max_candidates = 3;", "max_candidates = -3;", EMP + "max_candidates: -3 " + RANGE),
        ("vacancies-negative", "vacancies_per_1000_month = 100.0;", "vacancies_per_1000_month = -100.0;", EMP + "vacancies_per_1000_month: -100 " + RANGE),
        ("benefit-negative", "benefit_per_month = 1130.0;", "benefit_per_month = -1130.0;", LM + "costs.benefit_per_month: -1130 " + RANGE),
        ("fte-cost-huge", "client_manager_fte_year = 75000.0;", "client_manager_fte_year = 1e300;", LM + "costs.client_manager_fte_year: 1e+300 " + RANGE),
        ("demand-level-zero", 'demand = ( { date = "2019-01-01"; level = 1.0; } );', 'demand = ( { date = "2019-01-01"; level = 0.0; } );',
         LM + "macro.demand.[0].level: 0 " + RANGE + "0.05 to 5)"),
        ("demand-empty", 'demand = ( { date = "2019-01-01"; level = 1.0; } );', "demand = ( );", LM + "macro.demand: 0 points (allowed: 1 to 32)"),
        ("distance-factor-over-one", "elasticity_distance_factor = 1.0;", "elasticity_distance_factor = 1.5;",
         LM + "macro.elasticity_distance_factor: 1.5 " + RANGE + "0 to 1)"),
        ("demand-same-date", 'demand = ( { date = "2019-01-01"; level = 1.0; } );',
         'demand = ( { date = "2019-01-01"; level = 1.0; }, { date = "2019-01-01"; level = 0.9; } );', LM + "macro.demand.[1]: dates must increase"),
        ("demand-33-points", 'demand = ( { date = "2019-01-01"; level = 1.0; } );',
         "demand = ( " + ", ".join('{ date = "%d-%02d-01"; level = 1.0; }' % (2019 + i // 12, 1 + i % 12) for i in range(33)) + " );",
         LM + "macro.demand: 33 points (allowed: 1 to 32)"),
        ("replications-zero", "replications = 4;", "replications = 0;", "replications: 0 " + RANGE + "1 to 1000000)"),
        ("replications-huge", "replications = 4;", "replications = 1000001;", "replications: 1000001 " + RANGE),
        ("replications-negative", "replications = 4;", "replications = -4;", "replications: -4 " + RANGE),
        ("sample-over-one", "sample = 0.01;", "sample = 1.01;", "output.sample: 1.01 " + RANGE + "0 to 1)"),
        ("sample-negative", "sample = 0.01;", "sample = -0.01;", "output.sample: -0.01 " + RANGE),
        ("seed-negative", "seed = 20190101L;", "seed = -1;", "seed: -1 " + RANGE + "0 to 9223372036854775807)"),
        ("seed-negative-64", "seed = 20190101L;", "seed = -20190101L;", "seed: -20190101 " + RANGE),
        ("seed-wrap-32", "seed = 20190101L;", "seed = 3000000000;", "*integer*3000000000 " + WRAP),
        ("seed-wrap-to-zero", "seed = 20190101L;", "seed = 4294967296;", "*integer*4294967296 " + WRAP),
        ("seed-wrap-hex", "seed = 20190101L;", "seed = 0xFFFFFFFF;", "*integer*0xFFFFFFFF " + WRAP),
        ("seed-huge-32", "seed = 20190101L;", "seed = 99999999999999999999;", "*integer*99999999999999999999 " + WRAP),
        ("seed-hex-64-negative", "seed = 20190101L;", "seed = 0x8000000000000000L;", "seed: -9223372036854775808 " + RANGE),
        ("max-candidates-wrap", "max_candidates = 3;", "max_candidates = 4294967299;", "*integer*4294967299 " + WRAP),
        ("budget-of-negatives-nan-free", "benefit_per_month = 1130.0;", "benefit_per_month = -0.0001;", LM + "costs.benefit_per_month: -0.0001 " + RANGE),
    ]
    for name, old, new, msg, *at in b:
        copy_sub("range-base-" + name, "base", old, new, "{L} " + msg, at=at[0] if at else None)
    copy_sub("range-base-no-show-plus-unwilling", "base", "no_show = 0.13;", "no_show = 0.85;",
             "{L} " + LM + "profiling: no_show + unwilling = 1.05 (allowed: at most 1)", at="  profiling = {")
    m = [
        ("arrival-zero", "arrival_rate = 0.9;", "arrival_rate = 0.0;", "mm1.arrival_rate: 0 " + RANGE + "1e-09 to 1e+09)"),
        ("arrival-negative", "arrival_rate = 0.9;", "arrival_rate = -0.9;", "mm1.arrival_rate: -0.9 " + RANGE),
        ("arrival-negative-zero", "arrival_rate = 0.9;", "arrival_rate = -0.0;", "mm1.arrival_rate: -0 " + RANGE),
        ("arrival-huge", "arrival_rate = 0.9;", "arrival_rate = 1e999;", "mm1.arrival_rate: inf " + RANGE),
        ("service-zero", "service_rate = 1.0;", "service_rate = 0;", "mm1.service_rate: 0 " + RANGE),
        ("service-huge", "service_rate = 1.0;", "service_rate = 2e9;", "mm1.service_rate: 2e+09 " + RANGE),
        ("customers-zero", "customers = 1000000;", "customers = 0;", "mm1.customers: 0 " + RANGE + "1 to 2000000000)"),
        ("customers-negative", "customers = 1000000;", "customers = -1;", "mm1.customers: -1 " + RANGE),
        ("customers-over-max", "customers = 1000000;", "customers = 2000000001;", "mm1.customers: 2000000001 " + RANGE),
        ("customers-64bit-over-max", "customers = 1000000;", "customers = 3000000000L;", "mm1.customers: 3000000000 " + RANGE),
        ("customers-wrap", "customers = 1000000;", "customers = 5000000000;", "*integer*5000000000 " + WRAP),
        ("customers-wrap-negative", "customers = 1000000;", "customers = 2147483648;", "*integer*2147483648 " + WRAP),
        ("observe-step-negative", "observe_step = 10000.0;", "observe_step = -1.0;", "mm1.observe_step: -1 " + RANGE),
        ("observe-count-negative", "observe_count = 100;", "observe_count = -1;", "mm1.observe_count: -1 " + RANGE),
        ("observe-count-big", "observe_count = 100;", "observe_count = 1000001;", "mm1.observe_count: 1000001 " + RANGE),
        ("replications-zero", "replications = 4;", "replications = 0;", "replications: 0 " + RANGE),
        ("seed-wrap-32", "seed = 20190101L;", "seed = 3000000000;", "*integer*3000000000 " + WRAP),
        ("seed-negative", "seed = 20190101L;", "seed = -5;", "seed: -5 " + RANGE),
        ("sample-over-one", "sample = 1.0;", "sample = 1.5;", "output.sample: 1.5 " + RANGE),
    ]
    for name, old, new, msg in m:
        copy_sub("range-mm1-" + name, "mm1", old, new, "{L} " + msg)
    # integer problems libconfig 1.5 would let through silently (the loader's literal scan)
    copy_sub("range-mm1-seed-wrap-next-line", "mm1", "seed = 20190101L;", "seed =\n  4294967296;",
             "{L} *integer*4294967296 " + WRAP, at="  4294967296;")
    copy_sub("range-base-array-element-wrap", "base", "[0.0, 6.0, 12.0, 24.0, 60.0, 180.0]", "[0, 6, 12, 24, 60, 4294967476]",
             "{L} *integer*4294967476 " + WRAP)
    copy_sub("range-mm1-seed-over-int64", "mm1", "seed = 20190101L;", "seed = 99999999999999999999L;",
             "{L} *integer*99999999999999999999L does not fit in 64 bits")
    copy_sub("range-mm1-seed-int64-max-plus-one", "mm1", "seed = 20190101L;", "seed = 9223372036854775808L;",
             "{L} *integer*9223372036854775808L does not fit in 64 bits")


LIST_KEYS = ("unknown keys inside list elements (regions, programmes, shocks, demand points, tranches, "
             "suspensions) are never reported: report_unused() only descends into groups")


def key_cases():
    overlay("key-top-level-base", "base", "extra = 1;", "{L} extra: " + UNKNOWN)
    overlay("key-top-level-mm1", "mm1", "extra = 1;", "{L} extra: " + UNKNOWN)
    overlay("key-top-level-group", "base", "experiments = { runs = 3; };", "{L} experiments: " + UNKNOWN)
    overlay("key-top-level-case", "mm1", "Seed = 1L;", "{L} Seed: " + UNKNOWN)
    overlay("key-mm1-gets-labour-market", "mm1", "labour_market = { scale = 0.1; };", "{L} labour_market: " + UNKNOWN)
    overlay("key-base-gets-mm1", "base", "mm1 = { arrival_rate = 0.5; };", "{L} mm1: " + UNKNOWN)
    overlay("key-top-level-typo-programme", "base", "programs = ();", "{L} programs: " + UNKNOWN + "; did you mean 'programmes'?)")
    overlay("key-top-level-typo-shocks", "base", "shock = ();", "{L} shock: " + UNKNOWN + "; did you mean 'shocks'?)")
    b = [
        ("labour-market", "  scale = 1.0;", "  scale = 1.0; scal = 1.0;", LM + "scal"),
        ("population", "long_term_months = 18.0;", "long_term_months = 18.0; long_term = 18.0;", POP + "long_term"),
        ("barriers", "debts = 0.35;", "debts = 0.35; debt = 0.35;", POP + "barriers.debt"),
        ("benefit-shares", "none = 0.0;", "none = 0.0; other = 0.0;", POP + "benefit_shares.other"),
        ("hazards", "skill_slope = 1.0;", "skill_slope = 1.0; skills_slope = 1.0;", LM + "hazards.skills_slope"),
        ("instruments", "  instruments = {\n", "  instruments = {\n    coaching = { places_per_1000 = 1.0; };\n", INSTR + "coaching"),
        ("duration", "median_months = 4.5; shape = 0.35;", "median_months = 4.5; shape = 0.35; sigma = 0.35;", INSTR + "workfit.duration.sigma"),
        ("instrument", "choice_weight = 2.0;", "choice_weight = 2.0; weight = 2.0;", INSTR + "sector_training.weight"),
        ("aftercare", "duration_months = 6.0;", "duration_months = 6.0; duration = 6.0;", LM + "aftercare.duration"),
        ("placement-type", "regular = { weight = 5.0;", "regular = { weight = 5.0; wieght = 5.0;", PLACE + "regular.wieght"),
        ("placements", "job_loss_per_month = 0.04;", "job_loss_per_month = 0.04; job_loss = 0.04;", PLACE + "job_loss"),
        ("wage-subsidy", "max_months = 24.0;                 # months", "max_months = 24.0; min_months = 0.0;  # months", PLACE + "wage_subsidy.min_months"),
        ("werkbonus", "after_months = 6.0;", "after_months = 6.0; before_months = 1.0;", PLACE + "werkbonus.before_months"),
        ("employers", "accept_fit = 1.0;", "accept_fit = 1.0; accept_fitt = 1.0;", EMP + "accept_fitt"),
        ("pool-visibility", "own = 0.6;", "own = 0.6; shared = 0.6;", EMP + "pool_visibility.shared"),
        ("costs", "account_manager_fte_year = 80000.0;", "account_manager_fte_year = 80000.0; jobcoach_fte_year = 1.0;", LM + "costs.jobcoach_fte_year"),
        ("macro", 'demand = ( { date = "2019-01-01"; level = 1.0; } );', 'demand = ( { date = "2019-01-01"; level = 1.0; } ); supply = 1.0;', LM + "macro.supply"),
        ("demand-point", 'demand = ( { date = "2019-01-01"; level = 1.0; } );', 'demand = ( { date = "2019-01-01"; level = 1.0; region = "all"; } );',
         LM + "macro.demand.[0].region"),
        ("output", "sample = 0.01;", "sample = 0.01; format = \"hdf5\";", "output.format"),
        ("engine-typo", 'origin = "2019-01-01";', 'origin = "2019-01-01"; orgin = "2019-01-01";', "orgin"),
    ]
    for name, old, new, path in b:
        frag = "{L} " + path + ": " + UNKNOWN
        at = new.split("\n")[1] if name == "instruments" else None
        copy_sub("key-base-" + name, "base", old, new, frag, at=at)
    copy_sub("key-mm1-group", "mm1", "observe_count = 100;", "observe_count = 100; observe_counts = 100;", "{L} mm1.observe_counts: " + UNKNOWN)
    copy_sub("key-mm1-output", "mm1", 'detail = "series";', 'detail = "series"; compress = true;', "{L} output.compress: " + UNKNOWN)
    regions_sub("key-region", "maturity = 0.55;", "maturity = 0.55; maturty = 0.55;", "{L} " + REG0 + "maturty: " + UNKNOWN)
    prog_sub("key-programme", 'kind = "incidental";', 'kind = "incidental"; type = "incidental";', "{L} programmes.[0].type: " + UNKNOWN)
    prog_sub("key-programme-spending", "cooperation = 0.15;", "cooperation = 0.15; training = 0.0;", "{L} programmes.[0].spending.training: " + UNKNOWN)
    prog_sub("key-tranche", '{ date = "2019-10-01"; share = 0.5; },', '{ date = "2019-10-01"; share = 0.5; amount = 1.0; },',
             "{L} programmes.[0].tranches.[0].amount: " + UNKNOWN)
    shock_sub("key-shock", "online_share = 0.5;", "online_share = 0.5; online = 0.5;", "{L} shocks.[0].online: " + UNKNOWN)
    shock_sub("key-shock-extra-inflow", 'end = "2020-12-31"; };', 'end = "2020-12-31"; rate = 0.1; };', "{L} shocks.[0].extra_inflow.rate: " + UNKNOWN + "; check the spelling)")
    # a misspelt optional key: the reader saw it as absent, so the message names the key it asked for
    shock_sub("key-shock-held-typo", 'end = "2020-12-31"; };', 'end = "2020-12-31"; held_untill = "2021-06-26"; held_factor = 0.5; };',
              "{L} shocks.[0].extra_inflow.held_untill: " + UNKNOWN + "; did you mean 'held_until'?)")
    prog_sub("key-programme-typo-required", "underspend = 0.20;", "undersped = 0.20;",
             "{L} programmes.[0].undersped: " + UNKNOWN + "; did you mean 'underspend'?)")
    shock_sub("key-shock-suspension", '{ start = "2020-03-16"; end = "2020-06-01"; },', '{ start = "2020-03-16"; end = "2020-06-01"; regions = ["all"]; },',
              "{L} shocks.[0].suspensions.[0].regions: " + UNKNOWN)
    shock_sub("key-shock-demand-point", '{ date = "2020-05-01"; level = 0.75; },', '{ date = "2020-05-01"; level = 0.75; lag = 1; },',
              "{L} shocks.[0].demand.[1].lag: " + UNKNOWN)
    overlay("key-override-typo", "base", 'overrides = ( { key = "labour_market.durable_month"; value = 6.0; } );',
            "{L} overrides.[0].key: labour_market.durable_month: unknown key (not in the scenario or its includes; "
            "did you mean 'labour_market.durable_months'?)")
    overlay("key-cooperation", "base", "cooperation = { maturity_offset = 0.2; maturity_gain = 0.1; };", "{L} cooperation.maturity_gain: " + UNKNOWN)
    # missing keys
    copy_sub("key-missing-scale", "base", "  scale = 1.0; ", "  ", "{L} labour_market: missing key 'scale' (expected a number)",
             at="labour_market = {")
    copy_sub("key-missing-shape", "base", "median_months = 6.0; shape = 0.3; min_months = 3.0; max_months = 12.0; };     # (assumption: no",
             "median_months = 6.0; min_months = 3.0; max_months = 12.0; };     # (assumption: no",
             "{L} " + INSTR + "praktijkleren.duration: missing key 'shape' (expected a number)")
    copy_sub("key-missing-labour-market", "base", "labour_market = {", "labor_market = {", "{F}: labour_market: missing key (expected a group")
    copy_sub("key-missing-model", "mm1", 'model = "mm1";', "", "{F}: model: missing key (expected a string")
    copy_sub("key-missing-mm1", "mm1", "mm1 = {", "queue = {", "{F}: mm1: missing key (expected a group")
    copy_sub("key-missing-origin", "mm1", 'origin = "2019-01-01";', "", "{F}: origin: missing key")
    copy_sub("key-missing-macro-demand", "base", 'demand = ( { date = "2019-01-01"; level = 1.0; } );', "",
             "{L} " + LM + "macro: missing key 'demand'", at="  macro = {")
    regions_sub("key-missing-region-name", '{ name = "Groningen";', "{", "{L} " + LM + "regions.[0]: missing key 'name'", at=1 + REGIONS[:REGIONS.find('{ name = "Groningen";')].count("\n"))
    prog_sub("key-missing-programme-budget", "    budget_per_region = 2000000.0;", "   ", "{L} programmes.[0]: missing key 'budget_per_region'", at='{ name = "Perspectief')
    shock_sub("key-missing-shock-suspensions", "    suspensions = (                      # face-to-face services and training suspended (external approx.: Dutch lockdowns; seed 002 orig L412, L521)\n      { start = \"2020-03-16\"; end = \"2020-06-01\"; },\n      { start = \"2020-12-15\"; end = \"2021-04-28\"; }\n    );\n",
              "", "{L} shocks.[0]: missing key 'suspensions'", at='{ name = "Covid-19";')


def enum_cases():
    copy_sub("enum-model-unknown", "mm1", 'model = "mm1";', 'model = "lm";', '{L} model: unknown value "lm" (allowed: labour_market, mm1)')
    copy_sub("enum-model-case", "mm1", 'model = "mm1";', 'model = "MM1";', '{L} model: unknown value "MM1"')
    copy_sub("enum-model-empty", "base", 'model = "labour_market";', 'model = "";', '{L} model: unknown value ""')
    copy_sub("enum-model-space", "base", 'model = "labour_market";', 'model = "labour_market ";', '{L} model: unknown value "labour_market "')
    copy_sub("enum-model-newline", "mm1", 'model = "mm1";', 'model = "mm1\\nmodel = labour_market";', '{L} model: unknown value "mm1')
    copy_sub("enum-detail", "mm1", 'detail = "series";', 'detail = "full";', '{L} output.detail: unknown value "full" (allowed: summary, series, events)')
    copy_sub("enum-detail-base", "base", 'detail = "series";', 'detail = "Series";', '{L} output.detail: unknown value "Series"')
    copy_sub("enum-family", "base", 'family = "weibull";', 'family = "gamma";',
             '{L} ' + INSTR + 'bbl.duration.family: unknown value "gamma" (allowed: exponential, weibull, lognormal)')
    copy_sub("enum-family-case", "base", 'family = "lognormal"; median_months = 4.5;', 'family = "LogNormal"; median_months = 4.5;',
             '{L} ' + INSTR + 'workfit.duration.family: unknown value "LogNormal"')
    regions_sub("enum-wsp", 'wsp = "subregional";  # assumption; counts seed 003 §5D (orig L692-L714)\n    pool = "joint";  # assumption; counts seed 003 §5E (orig L1010-L1021)\n    vacancy_sharing = true;  # assumption; count seed 003 §5E (orig L1007)\n    maturity = 0.55;',
                'wsp = "central";  # assumption; counts seed 003 §5D (orig L692-L714)\n    pool = "joint";  # assumption; counts seed 003 §5E (orig L1010-L1021)\n    vacancy_sharing = true;  # assumption; count seed 003 §5E (orig L1007)\n    maturity = 0.55;',
                '{L} ' + REG0 + 'wsp: unknown value "central" (allowed: regional, central_sub, subregional)', at='wsp = "central"')
    regions_sub("enum-pool", 'pool = "joint";  # assumption; counts seed 003 §5E (orig L1010-L1021)\n    vacancy_sharing = true;  # assumption; count seed 003 §5E (orig L1007)\n    maturity = 0.55;',
                'pool = "shared";  # assumption; counts seed 003 §5E (orig L1010-L1021)\n    vacancy_sharing = true;  # assumption; count seed 003 §5E (orig L1007)\n    maturity = 0.55;',
                '{L} ' + REG0 + 'pool: unknown value "shared" (allowed: joint, depends, own)', at='pool = "shared"')
    first = REGIONS[REGIONS.find("portfolio = ["):]
    first = first[:first.find("]") + 1]
    regions_sub("enum-portfolio", first, first.replace('"jobcoach"', '"coaching"'),
                '{L} ' + REG0 + 'portfolio.[3]: unknown value "coaching" (allowed: barrier_removal', at='"coaching"')
    regions_sub("enum-portfolio-number", first, first.replace('"jobcoach"', "3"),
                '{L} syntax error: mismatched element type in array', at='"profiling", "barrier_removal", "workfit", 3')
    prog_sub("enum-programme-kind", 'kind = "incidental";', 'kind = "temporary";',
             '{L} programmes.[0].kind: unknown value "temporary" (allowed: incidental, structural)')


def level_path_cases():
    """The dated level paths (inflow_level, other_exit_level, young_inflow_level): range, order, keys."""
    for path in ("inflow_level", "other_exit_level", "young_inflow_level"):
        short = path.replace("_", "-")
        overlay(short + "-level-big", "base", '%s = { points = ( { date = "2020-01-01"; level = 12.0; } ); };' % path,
                "{L} %s.points.[0].level: 12 %s0 to 10)" % (path, RANGE))
        overlay(short + "-level-negative", "base", '%s = { points = ( { date = "2020-01-01"; level = -0.5; } ); };' % path,
                "{L} %s.points.[0].level: -0.5 %s0 to 10)" % (path, RANGE))
        overlay(short + "-dates-decreasing", "base",
                '%s = { points = ( { date = "2021-01-01"; level = 0.5; }, { date = "2020-01-01"; level = 0.7; } ); };' % path,
                "{L} %s.points.[1]: dates must increase (allowed: strictly later than the previous point)" % path)
        overlay(short + "-key-levle", "base", '%s = { points = ( { date = "2021-01-01"; levle = 0.5; } ); };' % path,
                "{L} %s.points.[0].levle: %s; did you mean 'level'?)" % (path, UNKNOWN))


def date_cases():
    d = [  # labour_market.end = ...
        ("feb-29-non-leap", "2019-02-29", "not a valid date"),
        ("month-13", "2019-13-01", "not a valid date"),
        ("month-00", "2019-00-10", "not a valid date"),
        ("day-00", "2019-06-00", "not a valid date"),
        ("april-31", "2019-04-31", "not a valid date"),
        ("no-padding", "2029-1-1", "not a valid date"),
        ("slashes", "2029/01/01", "not a valid date"),
        ("two-digit-year", "29-01-01", "not a valid date"),
        ("empty", "", "not a valid date"),
        ("leading-space", " 2029-01-01", "not a valid date"),
        ("with-time", "2029-01-01T00:00", "not a valid date"),
        ("plus-sign", "+2029-01-01", "not a valid date"),
        ("year-2201", "2201-01-01", 'not a valid date (allowed: "YYYY-MM-DD", years 1900-2200)'),
        ("year-1899", "1899-12-31", "not a valid date"),
        ("before-origin", "2018-12-31", "date 2018-12-31 is out of range (allowed: 2019-01-31 to"),
        ("at-origin", "2019-01-01", "date 2019-01-01 is out of range"),
        ("too-far", "2090-01-01", "date 2090-01-01 is out of range"),
        ("word", "tomorrow", "not a valid date"),
    ]
    for name, date, msg in d:
        copy_sub("date-end-" + name, "base", 'end = "2029-01-01";', 'end = "%s";' % date, "{L} " + LM + "end: " + ("\"%s\" is " % date if "valid" in msg else "") + msg)
    copy_sub("date-origin-feb-30", "mm1", 'origin = "2019-01-01";', 'origin = "2019-02-30";', '{L} origin: "2019-02-30" is not a valid date')
    copy_sub("date-origin-month-13", "base", 'origin = "2019-01-01";', 'origin = "2019-13-01";', '{L} origin: "2019-13-01" is not a valid date')
    copy_sub("date-origin-after-end", "base", 'origin = "2019-01-01";', 'origin = "2030-01-01";', "{L} " + LM + "end: date 2029-01-01 is out of range",
             at='  end = "2029-01-01";')
    copy_sub("date-origin-empty", "base", 'origin = "2019-01-01";', 'origin = "";', '{L} origin: "" is not a valid date')
    copy_sub("date-demand-before-origin", "base", 'demand = ( { date = "2019-01-01"; level = 1.0; } );',
             'demand = ( { date = "2018-06-01"; level = 1.0; } );', "{L} " + LM + "macro.demand.[0].date: date 2018-06-01 is out of range")
    copy_sub("date-demand-invalid", "base", 'demand = ( { date = "2019-01-01"; level = 1.0; } );',
             'demand = ( { date = "2019-02-29"; level = 1.0; } );', '{L} ' + LM + 'macro.demand.[0].date: "2019-02-29" is not a valid date')
    prog_sub("date-programme-inverted", 'end = "2021-09-01";', 'end = "2019-08-01";', "{L} programmes.[0].end: end is not after start")
    prog_sub("date-programme-end-equals-start", 'end = "2021-09-01";', 'end = "2019-09-01";', "{L} programmes.[0].end: end is not after start")
    prog_sub("date-programme-start-before-origin", 'start = "2019-09-01";', 'start = "2018-09-01";',
             "{L} programmes.[0].start: date 2018-09-01 is out of range (allowed: 2019-01-01 to 2029-01-01)")
    # a date with no limit of its own: the calendar's end (years 1900-2200), as "not a valid date" says
    prog_sub("date-programme-end-before-origin", 'end = "2021-09-01";', 'end = "2018-09-01";',
             "{L} programmes.[0].end: date 2018-09-01 is out of range (allowed: 2019-01-01 to 2200-12-31)")
    prog_sub("date-programme-start-after-horizon", 'start = "2019-09-01";', 'start = "2029-06-01";',
             "{L} programmes.[0].start: date 2029-06-01 is out of range")
    prog_sub("date-programme-start-invalid", 'start = "2019-09-01";', 'start = "2019-09-31";', '{L} programmes.[0].start: "2019-09-31" is not a valid date')
    prog_sub("date-tranche-after-end", '{ date = "2020-04-01"; share = 0.5; }', '{ date = "2021-10-01"; share = 0.5; }',
             "{L} programmes.[0].tranches.[1]: tranche after the programme end")
    prog_sub("date-tranche-before-origin", '{ date = "2019-10-01"; share = 0.5; },', '{ date = "2018-10-01"; share = 0.5; },',
             "{L} programmes.[0].tranches.[0].date: date 2018-10-01 is out of range (allowed: 2019-01-01 to 2200-12-31)")
    prog_sub("date-tranches-backwards", '{ date = "2020-04-01"; share = 0.5; }', '{ date = "2019-09-15"; share = 0.5; }',
             "{L} programmes.[0].tranches.[1]: tranche dates go back in time")
    prog_sub("date-tranche-invalid", '{ date = "2020-04-01"; share = 0.5; }', '{ date = "2020-02-30"; share = 0.5; }',
             '{L} programmes.[0].tranches.[1].date: "2020-02-30" is not a valid date')
    shock_sub("date-shock-onset-before-origin", 'onset = "2020-03-15";', 'onset = "2018-03-15";', "{L} shocks.[0].onset: date 2018-03-15 is out of range")
    shock_sub("date-shock-onset-after-horizon", 'onset = "2020-03-15";', 'onset = "2030-03-15";', "{L} shocks.[0].onset: date 2030-03-15 is out of range")
    shock_sub("date-suspensions-overlap", '{ start = "2020-12-15"; end = "2021-04-28"; }', '{ start = "2020-05-15"; end = "2021-04-28"; }',
              "{L} shocks.[0].suspensions.[1]: suspension windows overlap")
    shock_sub("date-suspension-inverted", '{ start = "2020-03-16"; end = "2020-06-01"; },', '{ start = "2020-06-01"; end = "2020-03-16"; },',
              "{L} shocks.[0].suspensions.[0]: suspension ends before it starts")
    shock_sub("pair-shock-held-until-alone", 'end = "2020-12-31"; };', 'end = "2020-12-31"; held_until = "2021-06-26"; };',
              "{L} shocks.[0].extra_inflow.held_until: held_until and held_factor come as a pair (allowed: both, or neither)")
    shock_sub("date-shock-held-until-before-start", 'end = "2020-12-31"; };', 'end = "2020-12-31"; held_until = "2020-01-01"; held_factor = 0.5; };',
              "{L} shocks.[0].extra_inflow.held_until: held_until before extra_inflow.start (allowed: on or after start)")
    shock_sub("range-shock-held-factor-negative", 'end = "2020-12-31"; };', 'end = "2020-12-31"; held_until = "2021-06-26"; held_factor = -0.5; };',
              "{L} shocks.[0].extra_inflow.held_factor: -0.5 is out of range")
    shock_sub("date-suspension-invalid", '{ start = "2020-03-16"; end = "2020-06-01"; },', '{ start = "2020-03-16"; end = "2020-06-31"; },',
              '{L} shocks.[0].suspensions.[0].end: "2020-06-31" is not a valid date')
    shock_sub("date-inflow-inverted", 'start = "2020-04-01"; end = "2020-12-31"; };', 'start = "2020-12-31"; end = "2020-04-01"; };',
              "{L} shocks.[0].extra_inflow: end before start")
    shock_sub("date-diverted-inverted", 'start = "2020-03-15"; end = "2020-09-30"; };', 'start = "2020-09-30"; end = "2020-03-15"; };',
              "{L} shocks.[0].staff_diverted: end before start")
    shock_sub("date-shock-demand-backwards", '{ date = "2020-10-01"; level = 0.9; },', '{ date = "2020-04-01"; level = 0.9; },',
              "{L} shocks.[0].demand.[2]: dates must increase")


def policy_cases():
    prog_sub("prog-unknown-region", 'regions = ["all"];', 'regions = ["Atlantis"];',
             '{L} programmes.[0].regions.[0]: unknown region "Atlantis" (allowed: "all", "Groningen", "Friesland", "Noord-Holland Noord", "Drenthe", "Regio Zwolle", "Flevoland", "Zaanstreek/Waterland", "Zuid-Kennemerland en IJmond", "Twente", "Groot Amsterdam", "Stedendriehoek en Noordwest Veluwe", "Gooi en Vechtstreek", "Midden-Utrecht", "Rijnmond", "Noordoost-Brabant", "Amersfoort", "Foodvalley", "Achterhoek", "Zuid-Holland Centraal", "Midden-Holland", "Haaglanden", "Midden-Gelderland", "Holland Rijnland", "Rivierenland", "Gorinchem", "Rijk van Nijmegen", "Drechtsteden", "West-Brabant", "Zeeland", "Midden-Brabant", "Noord-Limburg", "Helmond-De Peel", "Zuidoost-Brabant", "Midden-Limburg", "Zuid-Limburg")')
    prog_sub("prog-region-case", 'regions = ["all"];', 'regions = ["groningen"];', '{L} programmes.[0].regions.[0]: unknown region "groningen"')
    prog_sub("prog-empty-regions", 'regions = ["all"];', "regions = [];", "{L} programmes.[0].regions: empty region list")
    prog_sub("prog-regions-string", 'regions = ["all"];', 'regions = "all";', "{L} programmes.[0].regions: expected a list")
    prog_sub("prog-region-number", 'regions = ["all"];', "regions = [1];", "{L} programmes.[0].regions.[0]: expected a string")
    prog_sub("prog-budget-negative", "budget_per_region = 2000000.0;", "budget_per_region = -2000000.0;", "{L} programmes.[0].budget_per_region: -2e+06 " + RANGE)
    prog_sub("prog-budget-huge", "budget_per_region = 2000000.0;", "budget_per_region = 1e308;", "{L} programmes.[0].budget_per_region: 1e+308 " + RANGE)
    prog_sub("prog-underspend-over-one", "underspend = 0.20;", "underspend = 1.20;", "{L} programmes.[0].underspend: 1.2 " + RANGE)
    prog_sub("prog-substitution-negative", "substitution = 0.35;", "substitution = -0.35;", "{L} programmes.[0].substitution: -0.35 " + RANGE)
    prog_sub("prog-substitution-maturity", "substitution_maturity = 0.30;", "substitution_maturity = 2.0;", "{L} programmes.[0].substitution_maturity: 2 " + RANGE)
    prog_sub("prog-ramp-up-big", "ramp_up_months = 3.0;", "ramp_up_months = 300.0;", "{L} programmes.[0].ramp_up_months: 300 " + RANGE)
    prog_sub("prog-weak-extra-negative", "weak_extra_months = 4.0;", "weak_extra_months = -4.0;", "{L} programmes.[0].weak_extra_months: -4 " + RANGE)
    prog_sub("prog-maturity-gain-big", "maturity_gain_per_year = 0.30;", "maturity_gain_per_year = 30.0;", "{L} programmes.[0].maturity_gain_per_year: 30 " + RANGE)
    prog_sub("prog-coop-full-negative", "cooperation_money_for_full_gain = 0.0;", "cooperation_money_for_full_gain = -100000.0;",
             "{L} programmes.[0].cooperation_money_for_full_gain: -100000 " + RANGE)
    prog_sub("prog-spending-sum", "workfit = 0.25;", "workfit = 0.35;", "{L} programmes.[0].spending: spending shares sum to 1.1", at="    spending = {")
    prog_sub("prog-spending-negative", "bbl = 0.0;", "bbl = -0.1;", "{L} programmes.[0].spending.bbl: -0.1 " + RANGE)
    prog_sub("prog-tranche-shares", '{ date = "2020-04-01"; share = 0.5; }', '{ date = "2020-04-01"; share = 0.4; }',
             "{L} programmes.[0].tranches: tranche shares sum to 0.9", at="    tranches = (")
    prog_sub("prog-tranche-share-over-one", '{ date = "2020-04-01"; share = 0.5; }', '{ date = "2020-04-01"; share = 1.5; }',
             "{L} programmes.[0].tranches.[1].share: 1.5 " + RANGE)
    nine = ",\n".join('      { date = "2019-1%d-01"; share = 0.1; }' % i for i in range(3)) + ",\n" + \
        ",\n".join('      { date = "2020-0%d-01"; share = 0.1; }' % i for i in range(1, 7))
    prog_sub("prog-nine-tranches", '      { date = "2019-10-01"; share = 0.5; },   # first tranche after the September 2019 circular (seed 002 §5D, orig L196, L315; date assumption)\n      { date = "2020-04-01"; share = 0.5; }    # second tranche, March 2020 circular (seed 002 §5D, orig L315, L960; date assumption)',
             nine, "{L} programmes.[0].tranches: 9 tranches (allowed: 0 to 8)", at="    tranches = (")
    prog_sub("prog-tranches-group", "    tranches = (", "    tranches_ = (", "{L} programmes.[0]: missing key 'tranches'", at='{ name = "Perspectief')
    body = PROG[PROG.find("programmes = (") + len("programmes = ("):PROG.rfind(")")].strip()
    overlay("prog-nine-programmes", "base", "programmes = (\n" + ",\n".join([body] * 9) + "\n);", "{L} programmes: 9 programmes (allowed: 0 to 8)")
    overlay("prog-programmes-group", "base", "programmes = { name = \"x\"; };", "{L} programmes: expected a list")
    overlay("prog-programmes-scalar", "base", "programmes = 1;", "{L} programmes: expected a list")
    overlay("prog-element-scalar", "base", "programmes = ( 1 );", "{L} programmes.[0]: missing key 'name'")
    shock_sub("shock-unknown-region", 'regions = ["all"];', 'regions = ["Rijnmond", "Atlantis"];', '{L} shocks.[0].regions.[1]: unknown region "Atlantis"')
    shock_sub("shock-empty-regions", 'regions = ["all"];', "regions = [];", "{L} shocks.[0].regions: empty region list")
    shock_sub("shock-demand-empty", "    demand = (                           # labour-demand multiplier from onset (levels assumption; shape seed 002 §7.4)",
              "    demand = ( );\n    demand_ = (", "{L} shocks.[0].demand: 0 points (allowed: 1 to 32)")
    shock_sub("shock-demand-level-big", '{ date = "2022-06-01"; level = 1.3; },', '{ date = "2022-06-01"; level = 13.0; },', "{L} shocks.[0].demand.[5].level: 13 " + RANGE)
    shock_sub("shock-inflow-over-one", "per_month = 0.003;", "per_month = 1.003;", "{L} shocks.[0].extra_inflow.per_month: 1.003 " + RANGE)
    shock_sub("shock-diverted-over-one", "share = 0.25;", "share = 1.25;", "{L} shocks.[0].staff_diverted.share: 1.25 " + RANGE)
    shock_sub("shock-online-negative", "online_share = 0.5;", "online_share = -0.5;", "{L} shocks.[0].online_share: -0.5 " + RANGE)
    shock_sub("shock-availability-over-one", "employer_availability = 0.8;", "employer_availability = 1.8;", "{L} shocks.[0].employer_availability: 1.8 " + RANGE)
    five = ",\n".join('      { start = "202%d-01-01"; end = "202%d-02-01"; }' % (i, i) for i in range(5))
    shock_sub("shock-five-suspensions", '      { start = "2020-03-16"; end = "2020-06-01"; },\n      { start = "2020-12-15"; end = "2021-04-28"; }',
              five, "{L} shocks.[0].suspensions: 5 windows (allowed: 0 to 4)", at="    suspensions = (")
    sbody = SHOCK[SHOCK.find("shocks = (") + len("shocks = ("):SHOCK.rfind(")")].strip()
    overlay("shock-five-shocks", "base", "shocks = (\n" + ",\n".join([sbody] * 5) + "\n);", "{L} shocks: 5 shocks (allowed: 0 to 4)")
    overlay("shock-shocks-group", "base", "shocks = { name = \"x\"; };", "{L} shocks: expected a list")
    overlay("coop-offset-big", "base", "cooperation = { maturity_offset = 1.5; };", "{L} cooperation.maturity_offset: 1.5 " + RANGE + "-1 to 1)")
    overlay("coop-offset-negative", "base", "cooperation = { maturity_offset = -2.0; };", "{L} cooperation.maturity_offset: -2 " + RANGE)
    overlay("coop-offset-string", "base", 'cooperation = { maturity_offset = "high"; };', "{L} cooperation.maturity_offset: expected a number, got a string")
    overlay("coop-scalar", "base", "cooperation = 0.2;", "{L} cooperation: expected a group")
    overlay("coop-empty", "base", "cooperation = { };", "{L} cooperation: missing key 'maturity_offset'")


def region_cases():
    regions_sub("reg-duplicate-name", '{ name = "Friesland";', '{ name = "Groningen";',
                '{L} ' + LM + 'regions.[1]: region name "Groningen" appears twice (allowed: unique names)', region=1,
                at=line_of(REGIONS, '{ name = "Friesland";'))
    regions_sub("reg-caseload-zero", "caseload = 19600;", "caseload = 0;", "{L} " + REG0 + "caseload: 0 " + RANGE + "1 to 1e+07)")
    regions_sub("reg-caseload-negative", "caseload = 13000;", "caseload = -13000;", "{L} " + LM + "regions.[1].caseload: -13000 " + RANGE, region=1)
    regions_sub("reg-caseload-wrap", "caseload = 19600;", "caseload = 4294986896;", "{L} " + "*integer*4294986896 " + WRAP)
    regions_sub("reg-maturity-over-one", "maturity = 0.55;", "maturity = 1.55;", "{L} " + REG0 + "maturity: 1.55 " + RANGE)
    regions_sub("reg-client-managers-negative", "client_managers = 130.7;", "client_managers = -130.7;", "{L} " + REG0 + "client_managers: -130.7 " + RANGE)
    regions_sub("reg-account-managers-huge", "account_managers = 27.6;", "account_managers = 2.76e5;", "{L} " + REG0 + "account_managers: 276000 " + RANGE)
    regions_sub("reg-tightness-zero", "tightness = 1.80;", "tightness = 0.0;", "{L} " + REG0 + "tightness: 0 " + RANGE + "0.05 to 20)")
    regions_sub("reg-tightness-big", "tightness = 1.80;", "tightness = 25.0;", "{L} " + REG0 + "tightness: 25 " + RANGE)
    empty = REGIONS[:REGIONS.find("\nregions = (") + 1] + "regions = ( );\n"
    regions_sub("reg-empty-list", None, None, "{L} " + LM + "regions: 0 regions (allowed: 1 to 64)", at="regions = ( );", regions_text=empty)
    # 65 regions: the 35 of regions.cfg and 30 copies of the last one under new names
    last = REGIONS[REGIONS.rfind('  { name = "'):REGIONS.rfind("}") + 1]
    name = re.search(r'name = "([^"]+)"', last).group(1)
    extra = "".join(",\n" + last.replace('"%s"' % name, '"Extra region %02d"' % i) for i in range(30))
    cut = REGIONS.rfind("}") + 1
    many = REGIONS[:cut] + extra + REGIONS[cut:]
    regions_sub("reg-too-many", None, None, "{L} " + LM + "regions: 65 regions (allowed: 1 to 64)",
                at=line_of(many, "\nregions = (") + 1, regions_text=many)
    # the region list element is a scalar, and the regions key is missing
    rtext = sub1(REGIONS, "\nregions = (", "\nregion_list = (", "regions renamed")
    regions_sub("reg-missing-list", None, None, "labour_market: missing key 'regions'", regions_text=rtext)


def fuzz_cases():
    """Findings of `make fuzz` (tests/fuzz/fuzz_config.c), minimised."""
    copy_sub("fuzz-lm-without-group", "mm1", 'model = "mm1";', 'model = "labour_market";',
             "{F}: labour_market: missing key (expected a group")   # clang UBSan: (size_t)NaN in lm_configure
    copy_sub("fuzz-no-macro-group", "base", "  macro = {", "  makro = {",
             "{L} labour_market: missing key 'macro'", at="labour_market = {")   # lm_path_at reads v[-1]
    overlay("fuzz-empty-string", "mm1", '""', "{L} " + SYNTAX)      # libconfig leaks 1 byte (LSan)
    overlay("fuzz-string-as-key", "mm1", '"a" b', "{L} " + SYNTAX)  # libconfig leaks 64 bytes (LSan)


def main():
    args = sys.argv[1:]
    if args[:1] == ["--fuzz-seeds"] and len(args) == 2:
        return fuzz_seeds(args[1])
    check = args == ["--check"]
    if args and not check:
        print(__doc__.strip().split("\n\n")[-1], file=sys.stderr)
        return 2
    try:
        syntax_cases()
        file_cases()
        include_cases()
        type_cases()
        range_cases()
        key_cases()
        enum_cases()
        date_cases()
        level_path_cases()
        policy_cases()
        region_cases()
        fuzz_cases()
    except CorpusError as e:
        print("make-corpus.py: %s" % e, file=sys.stderr)
        return 1
    tsv = "# file\texit code\texpected stderr fragment (tests/bad-input/make-corpus.py; do not edit)\n"
    tsv += "".join("%s\t%d\t%s\n" % c for c in cases)
    xf = ("# file\twhen\treason: cases the current code gets wrong, reported as XFAIL by tests/test_bad_input.sh;\n"
          "# when = always, or sanitizer (fails only in a -fsanitize build such as make check-asan)\n")
    xf += "".join("%s\t%s\t%s\n" % x for x in xfails)
    want = dict(files)
    want["expected.tsv"] = tsv.encode()
    want["xfail.tsv"] = xf.encode()
    ours = set(want) | {"make-corpus.py"}
    have = set()
    for d, _, fs in os.walk(HERE):
        for f in fs:
            have.add(os.path.relpath(os.path.join(d, f), HERE))
    stale = sorted(p for p in want if not os.path.exists(os.path.join(HERE, p))
                   or open(os.path.join(HERE, p), "rb").read() != want[p])
    extra = sorted(have - ours)
    if check:
        for p in stale:
            print("make-corpus.py: stale or missing: " + p, file=sys.stderr)
        for p in extra:
            print("make-corpus.py: not generated: " + p, file=sys.stderr)
        return 1 if stale or extra else 0
    for p in extra:
        os.remove(os.path.join(HERE, p))
    for p in stale:
        os.makedirs(os.path.dirname(os.path.join(HERE, p)), exist_ok=True)
        with open(os.path.join(HERE, p), "wb") as f:
            f.write(want[p])
    print("make-corpus.py: %d cases (%d xfail), %d helper files in parts/; %d files rewritten, %d removed"
          % (len(cases), len(xfails), sum(1 for p in files if p.startswith("parts/")), len(stale), len(extra)))
    return 0


def flatten(path, depth=0):
    """The text of a scenario with its @include lines replaced by the included text."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r'\s*@include\s+"([^"]*)"', line)
            if m and depth < 8:
                out.append(flatten(os.path.join(os.path.dirname(path), m.group(1)), depth + 1))
            else:
                out.append(line)
    return "".join(out)


def fuzz_seeds(dest):
    """Seeds and a dictionary for `make fuzz`."""
    os.makedirs(os.path.join(dest, "cfg"), exist_ok=True)
    words = set()
    for d, _, fs in os.walk(SCEN):
        for f in sorted(fs):
            if not f.endswith(".cfg"):
                continue
            text = flatten(os.path.join(d, f))
            rel = os.path.relpath(os.path.join(d, f), SCEN).replace("/", "-")
            with open(os.path.join(dest, "cfg", rel), "w", encoding="utf-8") as out:
                out.write(text)
            words.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", re.sub(r"#.*", "", text)))
            words.update('"%s"' % s for s in re.findall(r'"([^"\\\n]{1,40})"', text))
    tokens = ["=", ";", ":", ",", "{", "}", "(", ")", "[", "]", "L", "0x", "1e", "-", "true", "false",
              "@include \"", "/*", "*/", "//", "#", "\"2019-02-29\"", "3000000000", "4294967296",
              "9223372036854775808L", "\"../../scenarios/base.cfg\"", "\"../../scenarios/mm1.cfg\""]
    with open(os.path.join(dest, "scenario.dict"), "w", encoding="utf-8") as out:
        for w in sorted(words) + tokens:
            out.write('"%s"\n' % "".join(c if 32 <= ord(c) < 127 and c not in '\\"' else
                                          "".join("\\x%02X" % b for b in c.encode()) for c in w))
    print("make-corpus.py: fuzz seeds in %s/cfg, dictionary %s/scenario.dict (%d entries)"
          % (dest, dest, len(words) + len(tokens)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
